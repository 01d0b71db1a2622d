package org.convene.common;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Checks {@code Authorization: Bearer <token>} against a manifesto and a role. */
public final class Bearer {
  private final Tokens tokens;

  public Bearer(Tokens tokens) {
    this.tokens = tokens;
  }

  public Future<Grant> require(RoutingContext ctx, String manifestoId, Role needed) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
      return Future.failedFuture(ApiError.of(401, "send Authorization: Bearer <token>"));
    }
    return tokens.lookup(header.substring(7).trim()).map(grant -> {
      if (grant.isEmpty()) {
        throw ApiError.of(401, "unknown token");
      }
      if (!grant.get().manifestoId().equals(manifestoId)) {
        throw ApiError.of(403, "the token is not for this manifesto");
      }
      if (!grant.get().role().allows(needed)) {
        throw ApiError.of(403, "a " + grant.get().role().wire() + " token cannot do this; it needs " + needed.wire());
      }
      return grant.get();
    });
  }
}
