package org.convene.signing;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.Function;
import org.convene.common.ApiError;
import org.convene.common.Text;

/**
 * A signature as submitted, read once the API document has checked its shape (the {@code SignerFields}
 * schema of {@code openapi.yaml}: types, lengths of the value as sent, the control characters, the
 * email's, country's and language's syntax, the display's choices). What stays here is what the
 * document cannot say: text is trimmed and a field blank once trimmed counts as left out (so a blank
 * name or country is missing, and a blank email where the manifesto requires one), {@code common.Text}'s
 * noncharacters and lone surrogates are refused, and the values are normalised (line breaks as LF, the
 * country in upper case, the email's key). A problem is a 400 naming the field, with its reason code
 * ({@code required}, {@code invalid}) for pages to word in the reader's language.
 */
record Signer(String name, String email, String emailKey, String country, String city, String comment,
              Display display, String language, boolean updates, boolean honeypot) {

  enum Display {
    FULL, INITIALS, HIDDEN;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The form field a person never sees; a bot that fills it gets an answer and nothing is stored. */
  static final String HONEYPOT = "website";

  /** A JSON body the document has checked; {@code emailRequired} false lets the email be left out. */
  static Signer fromJson(JsonObject body, boolean emailRequired, String defaultLanguage) {
    return read(body::getString, Boolean.TRUE.equals(body.getValue("updates")), emailRequired, defaultLanguage);
  }

  /** An HTML form's fields the document has checked (a checkbox sends "on" when ticked, nothing otherwise). */
  static Signer fromForm(MultiMap form, boolean emailRequired, String defaultLanguage) {
    String updates = form.get("updates");
    return read(form::get, updates != null && !updates.isEmpty() && !updates.equals("false"), emailRequired,
        defaultLanguage);
  }

  private static Signer read(Function<String, String> field, boolean updates, boolean emailRequired,
      String defaultLanguage) {
    JsonObject fields = new JsonObject();
    JsonObject reasons = new JsonObject();
    String name = text(field.apply("name"), false);
    String city = text(field.apply("city"), false);
    String comment = text(field.apply("comment"), true);
    String email = text(field.apply("email"), false);
    String country = text(field.apply("country"), false);
    if (name == null) {
      bad(fields, reasons, "name", "required", "required: the name you sign with");
    }
    if (email == null && emailRequired) {
      bad(fields, reasons, "email", "required", "required: the confirmation link is sent there");
    }
    if (country == null) {
      bad(fields, reasons, "country", "required", "required: a country code (ISO 3166-1 alpha-2, like FR)");
    }
    for (String[] f : new String[][] {{"name", name}, {"city", city}, {"comment", comment}}) {
      String problem = f[1] == null ? null : Text.problem(f[1]);
      if (problem != null) {
        bad(fields, reasons, f[0], "invalid", problem);
      }
    }
    if (!fields.isEmpty()) {
      throw ApiError.invalid(fields, reasons);
    }
    String language = text(field.apply("language"), false);
    String trap = field.apply(HONEYPOT);
    return new Signer(name, email, email == null ? null : Emails.normalise(email), country.toUpperCase(Locale.ROOT),
        city, comment, Display.valueOf(field.apply("display").toUpperCase(Locale.ROOT)),
        language == null ? defaultLanguage : language, updates, trap != null && !trap.isBlank());
  }

  /** Trimmed text, or null when left out or blank; a comment's line breaks (CR LF, CR) as LF. */
  private static String text(String raw, boolean lines) {
    String s = raw == null ? "" : raw.strip();
    if (lines && s.indexOf('\r') >= 0) {
      s = s.replace("\r\n", "\n").replace('\r', '\n');
    }
    return s.isEmpty() ? null : s;
  }

  private static void bad(JsonObject fields, JsonObject reasons, String field, String reason, String words) {
    fields.put(field, words);
    reasons.put(field, reason);
  }

  /** The name as the signer chose to show it publicly: full, initials ("Amal Haddad" → "A. H."), or none. */
  static String displayName(String display, String name) {
    if (name == null || display.equals("hidden")) {
      return null;
    }
    if (display.equals("full")) {
      return name;
    }
    StringBuilder out = new StringBuilder();
    for (String word : name.strip().split("[\\s\\p{Z}]+")) {
      if (!word.isEmpty()) {
        if (out.length() > 0) {
          out.append(' ');
        }
        out.appendCodePoint(word.codePointAt(0)).append('.');
      }
    }
    return out.toString();
  }
}
