package org.convene.signing;

import com.ibm.icu.text.Collator;
import com.ibm.icu.util.ULocale;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.convene.common.ApiDescription;
import org.convene.common.I18n;

/**
 * The HTML pages of the no-JavaScript path, in the reader's interface language: the sign form
 * (rendered by the server, since it carries the CSRF token), the question before withdrawing, and
 * the answers to a form post or a link in the mail. Every word comes from the catalogs, every value
 * is escaped ({@link Html}), and what people wrote is isolated ({@code dir="auto"}, {@code <bdi>}).
 */
final class Pages {
  private static final Map<String, List<String[]>> COUNTRIES = new ConcurrentHashMap<>();
  private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
      + "padding:0 1rem;line-height:1.5}label{display:block;margin-block-start:1rem;font-weight:600}"
      + "input[type=text],input[type=email],select,textarea{inline-size:100%;box-sizing:border-box;padding:.4rem;font:inherit}"
      + ".error{color:#a00;font-weight:400}.hp{position:absolute;inset-inline-start:-10000px}"
      + "fieldset{margin-block-start:1rem}button{margin-block-start:1.5rem;padding:.6rem 1.2rem;font:inherit}"
      + ".language-switch{display:flex;gap:.5rem;align-items:center;justify-content:flex-end;flex-wrap:wrap}"
      + ".language-switch label{display:inline;margin:0;font-weight:400}.language-switch select{inline-size:auto}"
      + ".language-switch button{margin:0;padding:.2rem .6rem}"
      + ":focus-visible{outline:3px solid #1a5fb4;outline-offset:2px}";

  /**
   * The fields' lengths as the API document states them ({@code SignerFields} in openapi.yaml, which
   * checks them): the form's {@code maxlength} hints and the number in its messages.
   */
  private static final Map<String, Integer> MAX = maxLengths();

  private Pages() {}

  static int max(String field) {
    Integer max = MAX.get(field);
    if (max == null) {
      throw new IllegalArgumentException("the API document gives " + field + " no maxLength");
    }
    return max;
  }

  private static Map<String, Integer> maxLengths() {
    JsonObject fields = ApiDescription.read().getJsonObject("components").getJsonObject("schemas")
        .getJsonObject("SignerFields").getJsonObject("properties");
    Map<String, Integer> out = new java.util.HashMap<>();
    for (String field : fields.fieldNames()) {
      if (fields.getJsonObject(field).getValue("maxLength") instanceof Number max) {
        out.put(field, max.intValue());
      }
    }
    return Map.copyOf(out);
  }

  /** Where the language switch sends the reader (a GET that shows the same thing), with its hidden fields. */
  record Switch(String action, Map<String, String> hidden) {
    static Switch to(String action) {
      return new Switch(action, Map.of());
    }
  }

  /**
   * The sign form. {@code values} are the fields as last sent (null for a fresh form), {@code reasons}
   * the 400's reason per field, {@code notice} a line above the form (null for none).
   */
  static String form(String lang, SigningRepository.Context m, String token, MultiMap values, JsonObject reasons,
      String notice) {
    StringBuilder b = new StringBuilder(24_000);
    String id = Html.escape(m.id());
    head(b, lang, I18n.format(lang, "signing.page.signTitle", "title", m.title()), Switch.to("/p/" + m.id() + "/sign"));
    b.append("<h1 dir=\"auto\">").append(Html.escape(m.title())).append("</h1>");
    b.append("<p>").append(text(lang, "signing.page.intro", "version", m.version())).append(" <a href=\"/p/").append(id)
        .append("\">").append(text(lang, "signing.page.readFirst")).append("</a></p>");
    if (notice != null) {
      b.append("<p class=\"error\" role=\"alert\">").append(Html.escape(notice)).append("</p>");
    }
    boolean email = m.settings().requireEmail();
    b.append("<form method=\"post\" action=\"/api/manifestos/").append(id).append("/signatures\" accept-charset=\"utf-8\">");
    b.append("<input type=\"hidden\" name=\"").append(Csrf.FIELD).append("\" value=\"").append(Html.escape(token)).append("\">");
    input(b, lang, "name", "signing.page.name", "text", values, reasons, true, max("name"), "name");
    input(b, lang, "email", email ? "signing.page.email" : "signing.page.emailOptional", "email", values, reasons, email,
        max("email"), "email");
    b.append("<label for=\"country\">").append(text(lang, "signing.page.country")).append("</label>")
        .append("<select id=\"country\" name=\"country\" required autocomplete=\"country\"")
        .append(described(reasons, "country")).append("><option value=\"\">").append(text(lang, "signing.page.choose"))
        .append("</option>");
    String chosen = value(values, "country").toUpperCase(Locale.ROOT);
    for (String[] c : countries(lang)) {
      b.append("<option value=\"").append(c[0]).append('"').append(c[0].equals(chosen) ? " selected" : "").append('>')
          .append(Html.escape(c[1])).append("</option>");
    }
    b.append("</select>").append(error(lang, reasons, "country"));
    input(b, lang, "city", "signing.page.city", "text", values, reasons, false, max("city"), "address-level2");
    b.append("<label for=\"comment\">").append(text(lang, "signing.page.comment")).append("</label>")
        .append("<textarea id=\"comment\" name=\"comment\" dir=\"auto\" rows=\"4\" maxlength=\"").append(max("comment"))
        .append('"').append(described(reasons, "comment")).append('>').append(Html.escape(value(values, "comment")))
        .append("</textarea>").append(error(lang, reasons, "comment"));
    String display = value(values, "display").isEmpty() ? "initials" : value(values, "display");
    b.append("<fieldset").append(described(reasons, "display")).append("><legend>")
        .append(text(lang, "signing.page.display")).append("</legend>");
    for (String[] d : new String[][] {{"full", "signing.page.displayFull"}, {"initials", "signing.page.displayInitials"},
        {"hidden", "signing.page.displayHidden"}}) {
      b.append("<label><input type=\"radio\" name=\"display\" value=\"").append(d[0]).append('"')
          .append(d[0].equals(display) ? " checked" : "").append("> ").append(text(lang, d[1])).append("</label>");
    }
    b.append(error(lang, reasons, "display")).append("</fieldset>");
    b.append("<label><input type=\"checkbox\" name=\"updates\" value=\"on\"")
        .append(value(values, "updates").isEmpty() ? "" : " checked").append("> ")
        .append(text(lang, "signing.page.updates")).append("</label>");
    b.append("<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">").append(text(lang, "signing.page.honeypot"))
        .append("</label><input type=\"text\" id=\"website\" name=\"").append(Signer.HONEYPOT)
        .append("\" tabindex=\"-1\" autocomplete=\"off\"></div>");
    b.append("<button type=\"submit\">").append(text(lang, "signing.page.submit")).append("</button></form>");
    return b.append("</main></body></html>").toString();
  }

  /** The question a withdraw link leads to: a GET changes nothing (mail scanners follow links), the button posts. */
  static String withdrawQuestion(String lang, String linkToken, String csrfToken, String notice) {
    StringBuilder b = new StringBuilder(2048);
    String heading = I18n.format(lang, "signing.page.withdrawTitle");
    head(b, lang, heading, new Switch("/api/signatures/withdraw", Map.of("token", linkToken)));
    b.append("<h1>").append(Html.escape(heading)).append("</h1>");
    if (notice != null) {
      b.append("<p class=\"error\" role=\"alert\">").append(Html.escape(notice)).append("</p>");
    }
    b.append("<p>").append(text(lang, "signing.page.withdrawText")).append("</p>")
        .append("<form method=\"post\" action=\"/api/signatures/withdraw?token=").append(Html.escape(linkToken))
        .append("\"><input type=\"hidden\" name=\"").append(Csrf.FIELD).append("\" value=\"").append(Html.escape(csrfToken))
        .append("\"><button type=\"submit\">").append(text(lang, "signing.page.withdrawButton")).append("</button></form>");
    return b.append("</main></body></html>").toString();
  }

  /** A page with a heading, a paragraph and, given a manifesto, a link back to it. */
  static String message(String lang, String heading, String paragraph, String manifestoId, Switch languageSwitch) {
    StringBuilder b = new StringBuilder(2048);
    head(b, lang, heading, languageSwitch);
    b.append("<h1 dir=\"auto\">").append(Html.escape(heading)).append("</h1><p>").append(Html.escape(paragraph)).append("</p>");
    if (manifestoId != null) {
      b.append("<p><a href=\"/p/").append(Html.escape(manifestoId)).append("\">").append(text(lang, "signing.page.back"))
          .append("</a></p>");
    }
    return b.append("</main></body></html>").toString();
  }

  private static void head(StringBuilder b, String lang, String title, Switch languageSwitch) {
    b.append("<!DOCTYPE html><html lang=\"").append(Html.escape(lang)).append("\" dir=\"").append(I18n.direction(lang))
        .append("\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(Html.escape(title)).append("</title><style>").append(STYLE).append("</style></head><body><header>");
    languageSwitch(b, lang, languageSwitch);
    b.append("</header><main>");
  }

  /** As build.mjs writes it for the built pages: a GET form, each language named in itself. */
  private static void languageSwitch(StringBuilder b, String lang, Switch to) {
    b.append("<form class=\"language-switch\" method=\"get\" action=\"").append(Html.escape(to.action())).append("\">");
    to.hidden().forEach((name, value) -> b.append("<input type=\"hidden\" name=\"").append(Html.escape(name))
        .append("\" value=\"").append(Html.escape(value)).append("\">"));
    b.append("<label for=\"language-switch\">").append(text(lang, "language.switch")).append("</label>")
        .append("<select id=\"language-switch\" name=\"lang\">");
    for (String tag : I18n.languages()) {
      b.append("<option value=\"").append(Html.escape(tag)).append("\" lang=\"").append(Html.escape(tag))
          .append("\" dir=\"").append(I18n.direction(tag)).append('"').append(tag.equals(lang) ? " selected" : "")
          .append('>').append(Html.escape(I18n.format(tag, "language.name"))).append("</option>");
    }
    b.append("</select><button type=\"submit\">").append(text(lang, "language.apply")).append("</button></form>");
  }

  private static void input(StringBuilder b, String lang, String name, String label, String type, MultiMap values,
      JsonObject reasons, boolean required, int max, String autocomplete) {
    b.append("<label for=\"").append(name).append("\">").append(text(lang, label)).append("</label><input type=\"")
        .append(type).append("\" id=\"").append(name).append("\" name=\"").append(name).append("\" maxlength=\"")
        .append(max).append("\" dir=\"").append(type.equals("email") ? "ltr" : "auto").append("\" autocomplete=\"")
        .append(autocomplete).append("\" value=\"").append(Html.escape(value(values, name))).append('"')
        .append(required ? " required" : "").append(described(reasons, name)).append('>')
        .append(error(lang, reasons, name));
  }

  private static String described(JsonObject reasons, String field) {
    return reasons != null && reasons.containsKey(field)
        ? " aria-invalid=\"true\" aria-describedby=\"" + field + "-error\"" : "";
  }

  private static String error(String lang, JsonObject reasons, String field) {
    if (reasons == null || !reasons.containsKey(field)) {
      return "";
    }
    return "<span class=\"error\" id=\"" + field + "-error\">"
        + Html.escape(fieldMessage(lang, field, String.valueOf(reasons.getValue(field)))) + "</span>";
  }

  /** A field's problem in words, by field and reason (the same keys the page's script uses). */
  static String fieldMessage(String lang, String field, String reason) {
    String key = switch (field + " " + reason) {
      case "name required" -> "signing.error.nameRequired";
      case "name too_long" -> "signing.error.nameTooLong";
      case "name control" -> "signing.error.nameControl";
      case "email required" -> "signing.error.emailRequired";
      case "email invalid", "email too_long" -> "signing.error.emailInvalid";
      case "country required" -> "signing.error.countryRequired";
      case "country invalid" -> "signing.error.countryInvalid";
      case "city too_long" -> "signing.error.cityTooLong";
      case "city control" -> "signing.error.cityControl";
      case "comment too_long" -> "signing.error.commentTooLong";
      case "comment control" -> "signing.error.commentControl";
      case "display required", "display invalid" -> "signing.error.displayRequired";
      default -> "signing.error.field";
    };
    return I18n.format(lang, key, "max", MAX.getOrDefault(field, max("comment")));
  }

  /** Every country named in the language, sorted as it sorts. */
  private static List<String[]> countries(String lang) {
    return COUNTRIES.computeIfAbsent(lang, l -> {
      ULocale locale = ULocale.forLanguageTag(l);
      Collator collator = Collator.getInstance(locale);
      return Stream.of(Locale.getISOCountries())
          .map(c -> new String[] {c, new ULocale("und", c).getDisplayCountry(locale)})
          .sorted((a, b) -> collator.compare(a[1], b[1]))
          .toList();
    });
  }

  private static String text(String lang, String key, Object... args) {
    return Html.escape(I18n.format(lang, key, args));
  }

  private static String value(MultiMap values, String name) {
    String v = values == null ? null : values.get(name);
    return v == null ? "" : v;
  }
}
