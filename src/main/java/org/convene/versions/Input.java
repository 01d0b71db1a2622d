package org.convene.versions;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import org.convene.common.ApiError;
import org.convene.common.Json;
import org.convene.common.Text;

/**
 * Request bodies and path parameters of the versions API. Their shape (types, lengths, one-line names,
 * numbers) is the API document's to check, before these run; here they are trimmed and held to what
 * {@code common.Text} allows, which a pattern cannot say exactly.
 */
final class Input {
  private Input() {}

  static final int MAX_BY = 60;
  static final String DEFAULT_BY = "admin";

  /** {@code POST .../versions}: {name, note?, by?}; by is the saver's display name (admin tokens carry none). */
  record NewVersion(String name, String note, String by) {
    static NewVersion parse(JsonObject body) {
      JsonObject bad = new JsonObject();
      String name = body.getString("name").strip();
      if (Text.problem(name) != null) {
        bad.put("name", Text.problem(name));
      }
      String note = Objects.requireNonNullElse(body.getString("note"), "").strip();
      if (Text.problem(note) != null) {
        bad.put("note", Text.problem(note));
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

  /** A display name as {@code Text.name} cleans it (bidi controls, spaces, the reserved credit). */
  private static String checkedBy(JsonObject body, JsonObject bad) {
    String raw = body.getString("by");
    if (raw == null) {
      return DEFAULT_BY;
    }
    Text.Name by = Text.name(raw, MAX_BY);
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
}
