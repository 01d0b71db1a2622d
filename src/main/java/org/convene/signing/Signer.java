package org.convene.signing;

import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A signature as submitted, validated: every field checked, each problem named in the 400's
 * {@code fields}. Text is kept as typed (Unicode, any script), only trimmed; control characters
 * are refused (a comment may hold line breaks).
 */
record Signer(String name, String email, String emailKey, String country, String city, String comment,
              Display display, String language, boolean updates, boolean honeypot) {

  enum Display {
    FULL, INITIALS, HIDDEN;

    String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static final int NAME_MAX = 100;
  static final int CITY_MAX = 100;
  static final int COMMENT_MAX = 500;
  static final int EMAIL_MAX = 254;
  /** The form field a person never sees; a bot that fills it gets an answer and nothing is stored. */
  static final String HONEYPOT = "website";
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Pattern EMAIL = Pattern.compile(
      "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");
  static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");

  /**
   * Invalid fields: {@code fields} says why in English (the contract's 400), {@code reasons} the same
   * as a code per field ({@code required}, {@code too_long}, {@code control}, {@code invalid},
   * {@code type}) so that pages and scripts can say it in the reader's language.
   */
  static final class Invalid extends RuntimeException {
    final JsonObject fields;
    final JsonObject reasons;

    Invalid(JsonObject fields, JsonObject reasons) {
      super("some fields are invalid: " + String.join(", ", fields.fieldNames()), null, false, false);
      this.fields = fields;
      this.reasons = reasons;
    }

    /** The contract's 400, with the reasons added. */
    JsonObject json() {
      return new JsonObject().put("error", "invalid_input").put("message", getMessage()).put("fields", fields)
          .put("reasons", reasons);
    }
  }

  /** What is wrong so far: each field's words and its reason code. */
  private record Bad(JsonObject fields, JsonObject reasons) {
    Bad() {
      this(new JsonObject(), new JsonObject());
    }

    void put(String field, String reason, String words) {
      fields.put(field, words);
      reasons.put(field, reason);
    }

    boolean has(String field) {
      return fields.containsKey(field);
    }
  }

  /** Reads a JSON body; {@code emailRequired} false lets the email be left out. */
  static Signer fromJson(JsonObject body, boolean emailRequired, String defaultLanguage) {
    Bad bad = new Bad();
    Function<String, String> text = field -> {
      Object v = body.getValue(field);
      if (v == null) {
        return null;
      }
      if (!(v instanceof String s)) {
        bad.put(field, "type", "must be a string");
        return null;
      }
      return s;
    };
    Object updates = body.getValue("updates");
    if (updates != null && !(updates instanceof Boolean)) {
      bad.put("updates", "type", "must be true or false");
    }
    return parse(bad, text, Boolean.TRUE.equals(updates), emailRequired, defaultLanguage);
  }

  /** Reads an HTML form's fields (a checkbox sends "on" when ticked, nothing otherwise). */
  static Signer fromForm(io.vertx.core.MultiMap form, boolean emailRequired, String defaultLanguage) {
    String updates = form.get("updates");
    return parse(new Bad(), form::get, updates != null && !updates.isEmpty() && !updates.equals("false"), emailRequired,
        defaultLanguage);
  }

  private static Signer parse(Bad bad, Function<String, String> text, boolean updates, boolean emailRequired,
      String defaultLanguage) {
    String trap = text.apply(HONEYPOT);
    boolean honeypot = trap != null && !trap.isBlank();
    String name = clean(bad, "name", text.apply("name"), NAME_MAX, true, false);
    String city = clean(bad, "city", text.apply("city"), CITY_MAX, false, false);
    String comment = clean(bad, "comment", text.apply("comment"), COMMENT_MAX, false, true);

    String email = text.apply("email");
    email = email == null ? null : email.strip();
    if (email == null || email.isEmpty()) {
      email = null;
      if (emailRequired && !bad.has("email")) {
        bad.put("email", "required", "required: the confirmation link is sent there");
      }
    } else if (email.length() > EMAIL_MAX || !EMAIL.matcher(email).matches()) {
      bad.put("email", "invalid", "not an email address (like name@example.org)");
    }

    String country = text.apply("country");
    if (country == null || country.isBlank()) {
      bad.put("country", "required", "required: a country code (ISO 3166-1 alpha-2, like FR)");
    } else {
      country = country.strip().toUpperCase(Locale.ROOT);
      if (!COUNTRIES.contains(country)) {
        bad.put("country", "invalid", "not a country code (ISO 3166-1 alpha-2, like FR)");
      }
    }

    Display display = null;
    String rawDisplay = text.apply("display");
    if (rawDisplay == null) {
      if (!bad.has("display")) {
        bad.put("display", "required", "required: full, initials or hidden");
      }
    } else {
      switch (rawDisplay) {
        case "full" -> display = Display.FULL;
        case "initials" -> display = Display.INITIALS;
        case "hidden" -> display = Display.HIDDEN;
        default -> bad.put("display", "invalid", "full, initials or hidden");
      }
    }

    String language = text.apply("language");
    if (language == null || language.isBlank()) {
      language = defaultLanguage;
    } else if (!LANGUAGE.matcher(language.strip()).matches()) {
      bad.put("language", "invalid", "a BCP 47 language tag such as en, fr, ar or fa-IR");
    } else {
      language = language.strip();
    }

    if (!bad.fields().isEmpty()) {
      throw new Invalid(bad.fields(), bad.reasons());
    }
    return new Signer(name, email, email == null ? null : Emails.normalise(email), country, city, comment, display,
        language, updates, honeypot);
  }

  /**
   * Trimmed text within a length in code points, or null when absent and optional. Refuses control
   * characters (Cc, and line/paragraph separators), lone surrogates and, except in a comment, line breaks.
   */
  private static String clean(Bad bad, String field, String raw, int max, boolean required, boolean lines) {
    if (bad.has(field)) {
      return null;
    }
    String s = raw == null ? "" : raw.strip();
    if (lines) {
      s = s.replace("\r\n", "\n");
    }
    if (s.isEmpty()) {
      if (required) {
        bad.put(field, "required", "required: 1 to " + max + " characters");
      }
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      int type = Character.getType(c);
      boolean lineBreak = c == '\n';
      if ((type == Character.CONTROL && !(lines && lineBreak)) || type == Character.SURROGATE
          || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
        bad.put(field, "control", "control characters are not allowed" + (lines ? " (line breaks are)" : ""));
        return null;
      }
    }
    int length = s.codePointCount(0, s.length());
    if (length > max) {
      bad.put(field, "too_long", "at most " + max + " characters, got " + length);
      return null;
    }
    return s;
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
