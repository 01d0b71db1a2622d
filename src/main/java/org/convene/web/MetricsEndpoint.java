package org.convene.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.convene.common.ApiError;
import org.convene.common.Config;
import org.convene.common.Metrics;

/**
 * {@code GET /metrics}: Prometheus text, never public. With METRICS_TOKEN it needs that bearer token;
 * without, it answers only a client on this machine's loopback that did not come through a proxy (a
 * proxy on the same machine would make every visitor look local).
 */
final class MetricsEndpoint {
  private MetricsEndpoint() {}

  /**
   * @param outbox reads signing's outbox ({backlog, oldestSeconds}) once per scrape, so the gauges are
   *     current when scraped and nothing polls the database between scrapes
   */
  static void mount(Router router, Config.MetricsSettings settings, Metrics metrics,
                    Supplier<Future<JsonObject>> outbox) {
    metrics.prometheus().ifPresent(prometheus -> router.get("/metrics")
        .handler(ctx -> allow(ctx, settings))
        .handler(ctx -> outbox.get().timeout(2, TimeUnit.SECONDS).onComplete(ar -> {
          if (ar.succeeded() && ar.result() != null) {
            metrics.outbox(ar.result().getLong("backlog", 0L), ar.result().getLong("oldestSeconds", 0L));
          }
          ctx.next(); // an unreachable database keeps the last figures; the scrape still answers
        }))
        .handler(PrometheusScrapingHandler.create(prometheus)));
  }

  private static void allow(RoutingContext ctx, Config.MetricsSettings settings) {
    ctx.response().putHeader("Cache-Control", "no-store");
    if (settings.token().isPresent()) {
      String header = ctx.request().getHeader("Authorization");
      byte[] expected = ("Bearer " + settings.token().get()).getBytes(StandardCharsets.UTF_8);
      if (header == null || !MessageDigest.isEqual(expected, header.getBytes(StandardCharsets.UTF_8))) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
        ApiError.of(401, "send Authorization: Bearer <METRICS_TOKEN>").send(ctx);
        return;
      }
      ctx.next();
      return;
    }
    boolean proxied = ctx.request().getHeader("X-Forwarded-For") != null || ctx.request().getHeader("Forwarded") != null;
    if (proxied || !loopback(ctx.request().connection().remoteAddress().host())) {
      ApiError.of(403, "metrics are served to loopback clients only; set METRICS_TOKEN to scrape from elsewhere").send(ctx);
      return;
    }
    ctx.next();
  }

  /** The socket's address is an IP literal; checked as text so nothing can trigger a name lookup. */
  static boolean loopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.startsWith("::ffff:") ? host.substring(7) : host;
    return h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
  }
}
