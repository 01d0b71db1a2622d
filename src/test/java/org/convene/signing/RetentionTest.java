package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Signers' IP addresses are forgotten after SIGNING_IP_RETENTION_DAYS; the signatures stay. */
class RetentionTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void addressesOlderThanTheRetentionAreForgotten() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("TRUST_PROXY", "true", "SIGNING_IP_RETENTION_DAYS", "10"));
    TestServer first = TestServer.start(vertx, env);
    Signatures api = new Signatures(first, null);
    TestServer.Manifesto m = api.published("Retention", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    for (String who : new String[] {"old", "recent"}) {
      first.http().post("/api/manifestos/" + m.id() + "/signatures").putHeader("X-Forwarded-For", "192.0.2." + who.length())
          .sendJsonObject(Signatures.signer(who, who + "@example.org", "FR", "full")).await(10, TimeUnit.SECONDS);
    }
    api.sql("UPDATE signatures SET created_at = now() - interval '11 days' WHERE name = 'old'");
    assertEquals("192.0.2.3", api.sqlValue("SELECT host(ip) FROM signatures WHERE name = 'old'"));
    first.stopServer();

    env.put("DATABASE_URL", first.config().databaseUrl());
    try (TestServer second = TestServer.start(vertx, env)) { // the purge runs at start, then hourly
      Signatures again = new Signatures(second, null);
      Wait.until(15, () -> {
        try {
          return again.sqlValue("SELECT host(ip) FROM signatures WHERE name = 'old'") == null;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, () -> "the old address forgotten");
      assertNull(again.sqlValue("SELECT host(ip) FROM signatures WHERE name = 'old'"));
      assertEquals("192.0.2.6", again.sqlValue("SELECT host(ip) FROM signatures WHERE name = 'recent'"));
      assertEquals(2, again.count(m).getLong("confirmed"), "the signatures stay");
    }
  }
}
