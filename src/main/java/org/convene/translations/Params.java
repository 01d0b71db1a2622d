package org.convene.translations;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.text.Normalizer;
import org.convene.common.ApiError;

/**
 * The translations API's inputs. Their shape (types, lengths, one-line names, numbers) is checked by the
 * API document before the handlers run; a path naming no language or unit of ours is a 404 here.
 */
final class Params {
  private Params() {}

  /** The path's language in canonical form; 404 for a tag that cannot be one of ours. */
  static String tag(RoutingContext ctx) {
    Languages.Language l = Languages.parse(ctx.pathParam("lang"));
    if (l == null) {
      throw ApiError.of(404, "no translation into " + ctx.pathParam("lang"));
    }
    return l.tag();
  }

  static int unitParam(RoutingContext ctx) {
    String raw = ctx.pathParam("unit");
    if (raw == null || !raw.matches("[1-9][0-9]{0,8}")) {
      throw ApiError.of(404, "no unit " + raw);
    }
    return Integer.parseInt(raw);
  }

  /** A query's whole number from 1 (its digits checked by the API document). */
  static int queryInt(RoutingContext ctx, String name) {
    return Integer.parseInt(ctx.queryParams().get(name));
  }

  /** A display name, trimmed: one line of 1 to 60 characters, as the API document checks it. */
  static String name(JsonObject body, String field) {
    return body.getString(field).strip();
  }

  static boolean sameName(String a, String b) {
    return b != null && Normalizer.normalize(a.strip(), Normalizer.Form.NFKC)
        .equalsIgnoreCase(Normalizer.normalize(b.strip(), Normalizer.Form.NFKC));
  }
}
