package org.convene.signing;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The HTML pages of the no-JavaScript path: the sign form (rendered by the server, since it carries
 * the CSRF token), and the answers to a form post or a link in the mail. Every value that comes from
 * people is escaped ({@link Html}).
 */
final class Pages {
  private static final List<String[]> COUNTRIES = Stream.of(Locale.getISOCountries())
      .map(c -> new String[] {c, new Locale("", c).getDisplayCountry(Locale.ENGLISH)})
      .sorted(Comparator.comparing((String[] c) -> c[1]))
      .toList();
  private static final String STYLE = "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
      + "padding:0 1rem;line-height:1.5}label{display:block;margin-top:1rem;font-weight:600}"
      + "input[type=text],input[type=email],select,textarea{width:100%;padding:.4rem;font:inherit}"
      + ".error{color:#a00;font-weight:400}.hp{position:absolute;left:-10000px}fieldset{margin-top:1rem}"
      + "button{margin-top:1.5rem;padding:.6rem 1.2rem;font:inherit}";

  private Pages() {}

  /**
   * The sign form. {@code values} are the fields as last sent (null for a fresh form), {@code errors}
   * the 400's fields, {@code notice} a line above the form (null for none).
   */
  static String form(SigningRepository.Context m, String token, MultiMap values, JsonObject errors, String notice) {
    StringBuilder b = new StringBuilder(24_000);
    head(b, "Sign: " + m.title());
    b.append("<h1>").append(Html.escape(m.title())).append("</h1>");
    b.append("<p>You sign version ").append(m.version()).append(" as published. <a href=\"/p/")
        .append(Html.escape(m.id())).append("\">Read it first</a>.</p>");
    if (notice != null) {
      b.append("<p class=\"error\" role=\"alert\">").append(Html.escape(notice)).append("</p>");
    }
    boolean email = m.settings().requireEmail();
    b.append("<form method=\"post\" action=\"/api/manifestos/").append(Html.escape(m.id()))
        .append("/signatures\" accept-charset=\"utf-8\">");
    b.append("<input type=\"hidden\" name=\"").append(Csrf.FIELD).append("\" value=\"").append(Html.escape(token)).append("\">");
    input(b, "name", "Your name", "text", values, errors, true, Signer.NAME_MAX);
    input(b, "email", email ? "Email (we send you a link to confirm)" : "Email (optional)", "email", values, errors, email,
        Signer.EMAIL_MAX);
    b.append("<label for=\"country\">Country").append(error(errors, "country")).append("</label>")
        .append("<select id=\"country\" name=\"country\" required><option value=\"\">Choose…</option>");
    String chosen = value(values, "country").toUpperCase(Locale.ROOT);
    for (String[] c : COUNTRIES) {
      b.append("<option value=\"").append(c[0]).append('"').append(c[0].equals(chosen) ? " selected" : "").append('>')
          .append(Html.escape(c[1])).append("</option>");
    }
    b.append("</select>");
    input(b, "city", "City (optional)", "text", values, errors, false, Signer.CITY_MAX);
    b.append("<label for=\"comment\">Comment (optional, shown with your name)").append(error(errors, "comment"))
        .append("</label><textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"").append(Signer.COMMENT_MAX)
        .append("\">").append(Html.escape(value(values, "comment"))).append("</textarea>");
    String display = value(values, "display").isEmpty() ? "initials" : value(values, "display");
    b.append("<fieldset><legend>How to appear in the public list").append(error(errors, "display")).append("</legend>");
    for (String[] d : new String[][] {{"full", "My full name"}, {"initials", "My initials only"},
        {"hidden", "Not at all (counted, never listed)"}}) {
      b.append("<label><input type=\"radio\" name=\"display\" value=\"").append(d[0]).append('"')
          .append(d[0].equals(display) ? " checked" : "").append("> ").append(d[1]).append("</label>");
    }
    b.append("</fieldset>");
    b.append("<label><input type=\"checkbox\" name=\"updates\" value=\"on\"")
        .append(value(values, "updates").isEmpty() ? "" : " checked").append("> Send me news about this manifesto</label>");
    b.append("<div class=\"hp\" aria-hidden=\"true\"><label for=\"website\">Leave this empty</label>")
        .append("<input type=\"text\" id=\"website\" name=\"").append(Signer.HONEYPOT)
        .append("\" tabindex=\"-1\" autocomplete=\"off\"></div>");
    b.append("<button type=\"submit\">Sign</button></form>");
    return b.append("</body></html>").toString();
  }

  /** A page with a heading, a paragraph and a link back to the manifesto. */
  static String message(String title, String heading, String text, String manifestoId) {
    StringBuilder b = new StringBuilder(1024);
    head(b, title);
    b.append("<h1>").append(Html.escape(heading)).append("</h1><p>").append(Html.escape(text)).append("</p>");
    if (manifestoId != null) {
      b.append("<p><a href=\"/p/").append(Html.escape(manifestoId)).append("\">Back to the manifesto</a></p>");
    }
    return b.append("</body></html>").toString();
  }

  private static void head(StringBuilder b, String title) {
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
        .append(Html.escape(title)).append("</title><style>").append(STYLE).append("</style></head><body>");
  }

  private static void input(StringBuilder b, String name, String label, String type, MultiMap values, JsonObject errors,
      boolean required, int max) {
    b.append("<label for=\"").append(name).append("\">").append(Html.escape(label)).append(error(errors, name))
        .append("</label><input type=\"").append(type).append("\" id=\"").append(name).append("\" name=\"").append(name)
        .append("\" maxlength=\"").append(max).append("\" value=\"").append(Html.escape(value(values, name))).append('"')
        .append(required ? " required" : "").append('>');
  }

  private static String error(JsonObject errors, String field) {
    if (errors == null || !errors.containsKey(field)) {
      return "";
    }
    return " <span class=\"error\" id=\"" + field + "-error\">" + Html.escape(String.valueOf(errors.getValue(field))) + "</span>";
  }

  private static String value(MultiMap values, String name) {
    String v = values == null ? null : values.get(name);
    return v == null ? "" : v;
  }
}
