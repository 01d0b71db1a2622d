package org.convene.translations;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.text.Normalizer;
import org.convene.common.ApiError;

/** The translations API's inputs: each path, query and body field checked, with the contract's errors. */
final class Params {
  private Params() {}

  static final int MAX_NAME = 60;

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

  static int queryUnit(RoutingContext ctx) {
    return queryInt(ctx, "unit");
  }

  static int queryInt(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || !raw.matches("[1-9][0-9]{0,8}")) {
      throw ApiError.invalid(new JsonObject().put(name, "a whole number from 1"));
    }
    return Integer.parseInt(raw);
  }

  /** A display name: 1 to 60 characters after trimming, no control characters. */
  static String name(JsonObject body, String field) {
    String s = body.getValue(field) instanceof String raw ? raw.strip() : null;
    if (s == null || s.isEmpty() || s.length() > MAX_NAME || s.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiError.invalid(new JsonObject().put(field, "the name you joined with, 1 to " + MAX_NAME + " characters"));
    }
    return s;
  }

  static boolean sameName(String a, String b) {
    return b != null && Normalizer.normalize(a.strip(), Normalizer.Form.NFKC)
        .equalsIgnoreCase(Normalizer.normalize(b.strip(), Normalizer.Form.NFKC));
  }
}
