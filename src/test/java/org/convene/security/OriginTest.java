package org.convene.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Browsers reach the bridge only from the server's own public origin and the listed ones; clients
 * that send no Origin (scripts, other servers) keep working. PUBLIC_URL here is not this machine, so
 * loopback origins are foreign too.
 */
class OriginTest {
  static final String PUBLIC = "https://convene.example.org";
  static final String PARTNER = "https://partner.example.net:8443";

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "PUBLIC_URL", PUBLIC + "/", "ALLOWED_ORIGINS", " " + PARTNER + " ,https://other.example.com"));

  static HttpResponse<Buffer> info(String origin) throws Exception {
    var request = server.http().get("/eventbus/info");
    if (origin != null) {
      request.putHeader("Origin", origin);
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void infoNeverEchoesAForeignOrigin() throws Exception {
    for (String foreign : new String[] {"https://evil.example", "null", "http://127.0.0.1:" + (server.port() + 1),
        "https://convene.example.org.evil.example", "http://convene.example.org"}) {
      HttpResponse<Buffer> r = info(foreign);
      assertEquals(403, r.statusCode(), foreign);
      assertNull(r.getHeader("Access-Control-Allow-Origin"), foreign);
      assertNull(r.getHeader("Access-Control-Allow-Credentials"), foreign);
    }
  }

  @Test
  void infoAnswersTheListedOriginsAndClientsWithoutOne() throws Exception {
    for (String listed : new String[] {PUBLIC, PARTNER, "https://other.example.com"}) {
      HttpResponse<Buffer> r = info(listed);
      assertEquals(200, r.statusCode(), listed);
      assertEquals(listed, r.getHeader("Access-Control-Allow-Origin"));
    }
    HttpResponse<Buffer> script = info(null);
    assertEquals(200, script.statusCode());
    assertNotEquals("true", script.getHeader("Access-Control-Allow-Credentials"));
  }

  @Test
  void aPageThisServerServedMayUseTheBridgeUnderTheNameItWasReachedBy() throws Exception {
    // The WebClient sends Host: 127.0.0.1:<port>; a page loaded from there has exactly that origin,
    // which no other site can have, even though PUBLIC_URL names another host.
    assertEquals(200, info("http://127.0.0.1:" + server.port()).statusCode());
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path("raw"), "Origin: http://127.0.0.1:" + server.port())) {
      assertEquals(101, ws.status);
    }
    assertEquals(403, info("https://127.0.0.1:" + server.port()).statusCode(), "another scheme is another origin");
  }

  @ParameterizedTest
  @ValueSource(strings = {"raw", "sockjs"})
  void theWebSocketHandshakeChecksTheOrigin(String kind) throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path(kind), "Origin: https://evil.example")) {
      assertEquals(403, ws.status);
    }
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path(kind), "Origin: " + PUBLIC)) {
      assertEquals(101, ws.status);
    }
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path(kind), "Origin: " + PARTNER)) {
      assertEquals(101, ws.status);
    }
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path(kind))) {
      assertEquals(101, ws.status, "no Origin: a script or a server");
    }
  }

  @Test
  void xhrTransportsCheckTheOriginToo() throws Exception {
    String session = "/eventbus/000/" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> foreign = server.http().post(session + "/xhr").putHeader("Origin", "https://evil.example")
        .send().await(10, TimeUnit.SECONDS);
    assertEquals(403, foreign.statusCode());
    HttpResponse<Buffer> listed = server.http().post(session + "/xhr").putHeader("Origin", PUBLIC)
        .send().await(10, TimeUnit.SECONDS);
    assertEquals(200, listed.statusCode());
    assertEquals("o\n", listed.bodyAsString());
  }

  /** Script and iframe transports send no Origin, so they are off: they would walk round the check. */
  @Test
  void scriptAndIframeTransportsAreOff() throws Exception {
    String session = "/eventbus/000/" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(404, server.http().get(session + "/jsonp?c=cb").send().await(10, TimeUnit.SECONDS).statusCode());
    assertEquals(404, server.http().get(session + "/htmlfile?c=cb").send().await(10, TimeUnit.SECONDS).statusCode());
  }

  static String path(String kind) {
    return kind.equals("raw") ? "/eventbus/websocket"
        : "/eventbus/000/" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "/websocket";
  }
}
