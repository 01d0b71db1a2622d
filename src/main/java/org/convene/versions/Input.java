package org.convene.versions;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import org.convene.common.ApiError;
import org.convene.common.Json;
import org.convene.common.Text;

/** Request bodies and path parameters of the versions API, each checked once, field by field. */
final class Input {
  private Input() {}

  static final int MAX_NAME = 200;
  static final int MAX_NOTE = 10_000;
  static final int MAX_BY = 60;
  static final String DEFAULT_BY = "admin";
  /** Control characters (U+001F included, the chain's separator); notes may hold what Text allows. */
  private static final Pattern CONTROL = Pattern.compile("\\p{Cc}");

  /** {@code POST .../versions}: {name, note?, by?}; by is the saver's display name (admin tokens carry none). */
  record NewVersion(String name, String note, String by) {
    static NewVersion parse(JsonObject body) {
      JsonObject bad = new JsonObject();
      String name = body.getValue("name") instanceof String s ? s.strip() : null;
      if (name == null || name.isEmpty() || name.length() > MAX_NAME || CONTROL.matcher(name).find()
          || Text.problem(name) != null) {
        bad.put("name", "required, 1 to " + MAX_NAME + " characters, no control characters, noncharacters"
            + " or lone surrogates");
      }
      Object rawNote = body.getValue("note");
      String note = rawNote == null ? "" : rawNote instanceof String s ? s.strip() : null;
      if (note == null || note.length() > MAX_NOTE || Text.problem(note) != null) {
        bad.put("note", "optional text of at most " + MAX_NOTE + " characters: no control characters but tabs and"
            + " line breaks, no noncharacters or lone surrogates");
      }
      String by = checkedBy(body, bad);
      if (!bad.isEmpty()) {
        throw ApiError.invalid(bad);
      }
      return new NewVersion(name, note, by);
    }
  }

  /** The optional {by} of a body (publish, restore), or "admin". */
  static String by(JsonObject body) {
    JsonObject bad = new JsonObject();
    String by = checkedBy(body, bad);
    if (!bad.isEmpty()) {
      throw ApiError.invalid(bad);
    }
    return by;
  }

  private static String checkedBy(JsonObject body, JsonObject bad) {
    Object raw = body.getValue("by");
    if (raw == null) {
      return DEFAULT_BY;
    }
    Text.Name by = raw instanceof String s ? Text.name(s, MAX_BY) : new Text.Name(null, "must be a string");
    if (by.problem() != null) {
      bad.put("by", "optional display name, 1 to " + MAX_BY + " characters: " + by.problem());
      return null;
    }
    return by.value();
  }

  /** A body that may be left out entirely. */
  static JsonObject optionalBody(RoutingContext ctx) {
    String raw = ctx.body().asString();
    return raw == null || raw.isBlank() ? new JsonObject() : Json.body(ctx);
  }

  static int number(String raw, String field, int min) {
    try {
      int n = Integer.parseInt(raw);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.invalid(new JsonObject().put(field, "a whole number of at least " + min));
  }
}
