package org.convene.web;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per HTTP request, with an id the answer carries as {@code X-Request-Id} so a person can
 * quote it and an operator find the line. Method, path (never the query string: link tokens travel
 * there), status and time only: no address, no header, no body. Server errors at WARNING, the rest at
 * FINE (debug), so a busy server's default log holds what needs attention.
 */
final class RequestLog {
  static final String ID = "requestId";
  private static final Logger LOG = Logger.getLogger("org.convene.http");

  private RequestLog() {}

  static void handle(RoutingContext ctx) {
    String id = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
    long start = System.nanoTime();
    ctx.put(ID, id);
    ctx.response().putHeader("X-Request-Id", id);
    ctx.addEndHandler(ar -> {
      int status = ctx.response().getStatusCode();
      Level level = status >= 500 ? Level.WARNING : Level.FINE;
      if (LOG.isLoggable(level)) {
        LOG.log(level, "req=" + id + " " + ctx.request().method() + " " + ctx.request().path() + " -> " + status
            + (ar.succeeded() ? "" : " (connection closed early)") + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
      }
    });
    ctx.next();
  }
}
