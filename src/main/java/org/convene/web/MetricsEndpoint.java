package org.convene.web;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

  static void mount(Router router, Config.MetricsSettings settings, Metrics metrics) {
    metrics.prometheus().ifPresent(prometheus -> router.get("/metrics")
        .handler(ctx -> allow(ctx, settings))
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
