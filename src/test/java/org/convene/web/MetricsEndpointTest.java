package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.common.Config;
import org.convene.common.ConfigException;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /metrics: off by default, Vert.x's and the JVM's figures when on, never public. */
class MetricsEndpointTest {
  static final String TOKEN = "scrape-3b1f0c9e7d2a4e58";

  static HttpResponse<Buffer> get(TestServer server, String authorization, String forwardedFor) throws Exception {
    var req = server.http().get("/metrics");
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    if (forwardedFor != null) {
      req.putHeader("X-Forwarded-For", forwardedFor);
    }
    return req.send().await(20, TimeUnit.SECONDS);
  }

  @Nested
  class Off {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @Test
    void thereIsNoMetricsEndpoint() throws Exception {
      HttpResponse<Buffer> r = get(server, null, null);
      assertEquals(404, r.statusCode(), r.bodyAsString());
    }
  }

  @Nested
  class LoopbackOnly {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("METRICS", "true"));

    @Test
    void aLoopbackClientGetsPrometheusTextWithVertxAndJvmFigures() throws Exception {
      assertEquals(200, server.http().get("/health").send().await(20, TimeUnit.SECONDS).statusCode());
      HttpResponse<Buffer> r = get(server, null, null);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      assertTrue(r.getHeader("Content-Type").startsWith("text/plain"), r.getHeader("Content-Type"));
      String text = r.bodyAsString();
      assertTrue(text.contains("# TYPE vertx_http_server_requests_total counter"), "Vert.x's HTTP figures");
      assertTrue(text.contains("jvm_memory_used_bytes"), "the JVM's figures");
      assertTrue(text.contains("vertx_http_server_response_time_seconds_bucket{"), "buckets, for the p99 alert in OPERATIONS.md");
      assertTrue(text.contains("vertx_pool_") || text.contains("vertx_eventbus_"), "pool or event bus figures");
    }

    @Test
    void aRequestThroughAProxyIsRefusedEvenFromLoopback() throws Exception {
      HttpResponse<Buffer> r = get(server, null, "203.0.113.9");
      assertEquals(403, r.statusCode());
      assertTrue(r.bodyAsJsonObject().getString("message").contains("METRICS_TOKEN"), r.bodyAsString());
      assertFalse(r.bodyAsString().contains("jvm_"));
    }
  }

  @Nested
  class WithToken {
    @RegisterExtension
    static final TestServer server = TestServer.perClass(Map.of("METRICS", "true", "METRICS_TOKEN", TOKEN));

    @Test
    void onlyTheTokenOpensIt() throws Exception {
      assertEquals(401, get(server, null, null).statusCode(), "no token, even from loopback");
      assertEquals(401, get(server, "Bearer " + TOKEN + "x", null).statusCode());
      assertEquals(401, get(server, "Bearer " + TOKEN.substring(1), null).statusCode());
      HttpResponse<Buffer> ok = get(server, "Bearer " + TOKEN, "198.51.100.4");
      assertEquals(200, ok.statusCode(), "a token works through a proxy too");
      assertTrue(ok.bodyAsString().contains("vertx_http_server_"));
    }
  }

  @Test
  void loopbackIsDecidedFromTheAddressText() {
    assertTrue(MetricsEndpoint.loopback("127.0.0.1"));
    assertTrue(MetricsEndpoint.loopback("127.8.9.10"));
    assertTrue(MetricsEndpoint.loopback("::1"));
    assertTrue(MetricsEndpoint.loopback("0:0:0:0:0:0:0:1"));
    assertTrue(MetricsEndpoint.loopback("::ffff:127.0.0.1"));
    assertFalse(MetricsEndpoint.loopback("10.0.0.1"));
    assertFalse(MetricsEndpoint.loopback("1270.0.0.1".substring(1)));
    assertFalse(MetricsEndpoint.loopback("::ffff:10.1.2.3"));
    assertFalse(MetricsEndpoint.loopback(null));
  }

  @Test
  void aShortOrSpacedTokenStopsTheServer() {
    for (String bad : new String[] {"short", "has a space in the middle!!", "tab\tinside-the-token-value"}) {
      ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
          () -> Config.fromEnv(Map.of("METRICS", "true", "METRICS_TOKEN", bad)));
      assertTrue(e.getMessage().contains("METRICS_TOKEN"), e.getMessage());
    }
    assertTrue(Config.fromEnv(Map.of()).metrics().equals(Config.MetricsSettings.OFF));
  }
}
