package org.convene.manifesto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.convene.versions.SyntheticHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Creating manifestos is bounded: per client address (X-Forwarded-For only with TRUST_PROXY), in
 * initial text, and optionally behind a creation token. Every refusal stores nothing.
 */
class CreateLimitsTest {
  static final String TOKEN = "create-3f9Qw7LmZx2Tb8Rk";

  /** Behind a proxy, with a creation token: each test below counts against addresses of its own. */
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("TRUST_PROXY", "true", "CREATE_RATE_PER_HOUR", "1",
      "CREATE_BURST", "3", "MAX_INITIAL_TEXT", "1000", "CREATE_TOKEN", TOKEN));

  static HttpResponse<Buffer> create(TestServer s, String forwardedFor, String token, JsonObject body) throws Exception {
    HttpRequest<Buffer> req = s.http().post("/api/manifestos");
    if (forwardedFor != null) {
      req.putHeader("X-Forwarded-For", forwardedFor);
    }
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    return req.sendJsonObject(body).await(10, TimeUnit.SECONDS);
  }

  static JsonObject body(String text) {
    return new JsonObject().put("title", "Limits").put("text", text);
  }

  static long stored(TestServer s) throws Exception {
    try (Connection c = SyntheticHistory.jdbc(s.config().pgConnectOptions()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM manifestos) + (SELECT count(*) FROM snapshots)"
             + " + (SELECT count(*) FROM capability_tokens)")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void assertRateLimited(HttpResponse<Buffer> r) {
    assertEquals(429, r.statusCode(), r.bodyAsString());
    assertEquals("rate_limited", r.bodyAsJsonObject().getString("error"));
    assertNotNull(r.bodyAsJsonObject().getString("message"));
    long retryAfter = Long.parseLong(r.getHeader("Retry-After"));
    // One creation an hour: the next one is most of an hour away.
    assertTrue(retryAfter > 3000 && retryAfter <= 3600, "Retry-After " + retryAfter);
  }

  @Test
  void eachAddressGetsItsBurstThenWaits() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertEquals(201, create(server, "203.0.113.5", TOKEN, body("x")).statusCode());
    }
    long before = stored(server);
    assertRateLimited(create(server, "203.0.113.5", TOKEN, body("x")));
    // The proxy appends the peer it saw: what the client wrote before it is not believed...
    assertRateLimited(create(server, "198.51.100.1, 203.0.113.5", TOKEN, body("x")));
    assertEquals(before, stored(server), "refusals store nothing");
    // ...and another client behind the same proxy has a budget of its own.
    assertEquals(201, create(server, "203.0.113.5, 198.51.100.7", TOKEN, body("x")).statusCode());
    // IPv6 counts by /64: a host cannot step through its own network's addresses.
    for (int i = 1; i <= 3; i++) {
      assertEquals(201, create(server, "2001:db8:1:2::" + i, TOKEN, body("x")).statusCode());
    }
    assertRateLimited(create(server, "2001:db8:1:2:ffff::9", TOKEN, body("x")));
    assertEquals(201, create(server, "2001:db8:1:3::1", TOKEN, body("x")).statusCode());
  }

  @Test
  void withoutTrustProxyTheHeaderIsIgnored() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestServer direct = TestServer.start(vertx, Map.of("CREATE_RATE_PER_HOUR", "1", "CREATE_BURST", "2"))) {
      assertEquals(201, create(direct, "192.0.2.1", null, body("x")).statusCode());
      assertEquals(201, create(direct, "192.0.2.2", null, body("x")).statusCode());
      long before = stored(direct);
      assertRateLimited(create(direct, "192.0.2.3", null, body("x")));
      assertRateLimited(create(direct, null, null, body("x")));
      assertEquals(before, stored(direct));
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theInitialTextIsCappedWith413() throws Exception {
    long before = stored(server);
    HttpResponse<Buffer> r = create(server, "192.0.2.50", TOKEN, body("é".repeat(1001)));
    assertEquals(413, r.statusCode(), r.bodyAsString());
    assertEquals("too_large", r.bodyAsJsonObject().getString("error"));
    assertTrue(r.bodyAsJsonObject().getJsonObject("fields").containsKey("text"));
    assertEquals(before, stored(server));
    HttpResponse<Buffer> ok = create(server, "192.0.2.50", TOKEN, body("é".repeat(1000)));
    assertEquals(201, ok.statusCode(), ok.bodyAsString());
  }

  @Test
  void aCreationTokenWhenSetIsRequired() throws Exception {
    long before = stored(server);
    int address = 60; // one each: the rate limit counts before the token is checked
    for (String token : new String[] {null, "", "create-3f9Qw7LmZx2Tb8R", TOKEN + "x", "create-3F9Qw7LmZx2Tb8Rk"}) {
      HttpResponse<Buffer> r = create(server, "192.0.2." + address++, token, body("x"));
      assertEquals(401, r.statusCode(), token + " " + r.bodyAsString());
      assertEquals("unauthorized", r.bodyAsJsonObject().getString("error"));
    }
    assertEquals(before, stored(server));
    HttpResponse<Buffer> ok = create(server, "192.0.2.70", TOKEN, body("x"));
    assertEquals(201, ok.statusCode(), ok.bodyAsString());
    // The manifesto's own tokens work as before: the creation token only guards creating.
    String id = ok.bodyAsJsonObject().getString("id");
    String viewer = ok.bodyAsJsonObject().getJsonObject("tokens").getString("viewer");
    assertEquals(200, server.http().get("/api/manifestos/" + id).bearerTokenAuthentication(viewer).send()
        .await(10, TimeUnit.SECONDS).statusCode());
  }
}
