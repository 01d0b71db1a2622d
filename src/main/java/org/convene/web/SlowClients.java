package org.convene.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.logging.Logger;
import org.convene.common.ApiError;
import org.convene.common.Config;
import org.convene.common.Metrics;

/**
 * Bounds what a slow client can hold: a kept-alive connection must deliver its next request's headers
 * within HEADER_TIMEOUT of the previous response, and each request's body must arrive within
 * REQUEST_TIMEOUT; otherwise it is answered 408 where it still can be, and closed. The idle timeout
 * (nothing read or written) is Vert.x's own, set on the server.
 *
 * <p>A fresh connection's first request is timed from the accept: the server turns HTTP/2 over clear
 * text off, so Vert.x 5 makes the HTTP connection (and calls the connection handler) as soon as the
 * TCP connection is open. With h2c on, it would wait for the first request's headers to be complete
 * before making it, and a client trickling them would be bounded by nothing but the idle timeout,
 * which every byte resets.
 *
 * <p>One per HTTP verticle; its connections are served on that verticle's event loop, and so is
 * every timer here.
 */
final class SlowClients {
  private static final Logger LOG = Logger.getLogger(SlowClients.class.getName());

  private final Vertx vertx;
  private final long headerMs;
  private final long requestMs;
  private final Metrics metrics;
  /** Connections waiting for a request's headers, with the timer that closes them. */
  private final Map<HttpConnection, Long> awaitingHeaders = new IdentityHashMap<>();

  SlowClients(Vertx vertx, Config.Exposure exposure, Metrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.headerMs = exposure.headerSeconds() * 1000L;
    this.requestMs = exposure.requestSeconds() * 1000L;
  }

  /**
   * For HttpServer.connectionHandler, called at the accept (h2c off): the first request's headers are
   * due within HEADER_TIMEOUT; the timer is forgotten at the close.
   */
  void opened(HttpConnection conn) {
    conn.closeHandler(v -> cancel(conn));
    awaitHeaders(conn);
  }

  /** The router's first handler: the headers are in; the body is due within REQUEST_TIMEOUT. */
  void arrived(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpConnection conn = request.connection();
    cancel(conn);
    if (isUpgrade(request)) {
      ctx.next(); // a WebSocket: the bridge's ping timeout and the idle timeout bound it from here
      return;
    }
    long timer = request.isEnded() ? -1 : vertx.setTimer(requestMs, id -> {
      if (!request.isEnded()) {
        LOG.info("closing a connection whose request body took over " + requestMs / 1000 + " s");
        if (!request.response().ended() && !request.response().headWritten()) {
          request.response().putHeader("Connection", "close");
          new ApiError(408, "timeout", "the request body took too long to arrive", null).send(ctx);
        }
        conn.close();
        metrics.droppedForSlowBody();
      }
    });
    ctx.addEndHandler(v -> {
      if (timer >= 0 && request.isEnded()) {
        vertx.cancelTimer(timer);
      }
      awaitHeaders(conn);
    });
    ctx.next();
  }

  private void awaitHeaders(HttpConnection conn) {
    cancel(conn);
    awaitingHeaders.put(conn, vertx.setTimer(headerMs, id -> {
      if (awaitingHeaders.remove(conn) != null) {
        conn.close(); // mid-headers or idle between requests: nothing to answer
      }
    }));
  }

  private void cancel(HttpConnection conn) {
    Long timer = awaitingHeaders.remove(conn);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  private static boolean isUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader("Upgrade");
    return upgrade != null && upgrade.equalsIgnoreCase("websocket");
  }
}
