package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rate limits behind a trusted proxy, the honeypot, the kiosk, export, erase, the abuse report and invalidation. */
class OrganiserToolsTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClassBehindProxy();
  static final TestServer server = api.server;
  static final GreenMail mail = api.mail;

  static TestServer.Manifesto openNoEmail(String title, int burst, int perHour) throws Exception {
    TestServer.Manifesto m = api.published(title, "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)
        .put("rateLimit", new JsonObject().put("perIpBurst", burst).put("perIpPerHour", perHour))));
    return m;
  }

  static String base(TestServer.Manifesto m) {
    return "/api/manifestos/" + m.id() + "/signatures";
  }

  @Test
  void perIpLimitsCountTheAddressOurProxyAppended() throws Exception {
    TestServer.Manifesto m = openNoEmail("Limits", 3, 4);
    for (int i = 0; i < 3; i++) {
      assertEquals(201, api.signFrom(m, "198.51.100.1", Signatures.signer("A" + i, "a" + i + "@example.org", "FR", "full")).statusCode());
    }
    HttpResponse<Buffer> limited = api.signFrom(m, "198.51.100.1", Signatures.signer("A9", "a9@example.org", "FR", "full"));
    assertEquals(429, limited.statusCode());
    assertEquals("rate_limited", limited.bodyAsJsonObject().getString("error"));
    assertTrue(Long.parseLong(limited.getHeader("Retry-After")) >= 1);
    assertEquals(201, api.signFrom(m, "198.51.100.2", Signatures.signer("B", "b@example.org", "FR", "full")).statusCode());
    assertEquals(201, api.signFrom(m, "198.51.100.1, 198.51.100.3", Signatures.signer("C", "c@example.org", "FR", "full"))
        .statusCode(), "the last hop is the client our proxy saw; what the client wrote before it is not trusted");
    assertEquals(5, api.count(m).getLong("confirmed"), "the refused one stored nothing");

    TestServer.Manifesto hourly = openNoEmail("Hourly", 0, 2);
    assertEquals(201, api.signFrom(hourly, "198.51.100.7", Signatures.signer("H1", "h1@example.org", "FR", "full")).statusCode());
    assertEquals(201, api.signFrom(hourly, "198.51.100.7", Signatures.signer("H2", "h2@example.org", "FR", "full")).statusCode());
    assertEquals(429, api.signFrom(hourly, "198.51.100.7", Signatures.signer("H3", "h3@example.org", "FR", "full")).statusCode());
  }

  @Test
  void theHoneypotAnswersAsUsualAndStoresNothing() throws Exception {
    TestServer.Manifesto m = openNoEmail("Honeypot", 0, 0);
    HttpResponse<Buffer> r = api.signFrom(m, "198.51.100.20",
        Signatures.signer("Bot", "bot@example.org", "FR", "full").put("website", "http://spam.example"));
    assertEquals(201, r.statusCode());
    assertEquals(0, api.count(m).getLong("confirmed"));
    TestServer.Manifesto mailed = api.published("Honeypot mailed", "Text.");
    assertEquals(202, api.signFrom(mailed, "198.51.100.21",
        Signatures.signer("Bot", "bot2@example.org", "FR", "full").put("website", "x")).statusCode());
    assertEquals(202, api.signFrom(mailed, "198.51.100.21", Signatures.signer("Person", "person@example.org", "FR", "full"))
        .statusCode());
    api.await("person@example.org", 1);
    assertEquals(0, api.to("bot2@example.org").size(), "no mail for the bot");
  }

  @Test
  void theKioskSignsWithoutEmailWithItsKeyOnly() throws Exception {
    TestServer.Manifesto m = api.published("Kiosk", "Text.");
    JsonObject settings = Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(),
        new JsonObject().put("kiosk", true).put("kioskPerMinute", 2)));
    String key = settings.getString("kioskKey");
    assertNotNull(key);
    assertNull(Signatures.ok(api.get("/api/manifestos/" + m.id() + "/signing")).getValue("kioskKey"), "not public");
    JsonObject noEmail = new JsonObject().put("name", "Walk-in").put("country", "SN").put("display", "full");
    assertEquals(400, api.sign(m, noEmail).statusCode(), "online, email stays required");
    HttpResponse<Buffer> r = server.http().post(base(m)).putHeader("X-Kiosk-Key", key).sendJsonObject(noEmail)
        .await(30, TimeUnit.SECONDS);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(1, api.count(m).getLong("confirmed"));
    assertEquals(201, server.http().post(base(m)).putHeader("X-Kiosk-Key", key).sendJsonObject(noEmail.copy().put("name", "Two"))
        .await(30, TimeUnit.SECONDS).statusCode());
    assertEquals(429, server.http().post(base(m)).putHeader("X-Kiosk-Key", key).sendJsonObject(noEmail.copy().put("name", "3"))
        .await(30, TimeUnit.SECONDS).statusCode(), "the kiosk's own limit");
    assertEquals(403, server.http().post(base(m)).putHeader("X-Kiosk-Key", key + "x").sendJsonObject(noEmail)
        .await(30, TimeUnit.SECONDS).statusCode());
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("kiosk", false)));
    assertEquals(403, server.http().post(base(m)).putHeader("X-Kiosk-Key", key).sendJsonObject(noEmail)
        .await(30, TimeUnit.SECONDS).statusCode(), "turning the kiosk off revokes its key");
  }

  @Test
  void theExportIsFormulaSafeAndSaysWhichVersionEachSigned() throws Exception {
    TestServer.Manifesto m = openNoEmail("Export", 0, 0);
    api.sign(m, Signatures.signer("=HYPERLINK(\"http://evil\")", "f1@example.org", "FR", "full").put("city", "+33")
        .put("comment", "-2+3"));
    api.sign(m, Signatures.signer("@SUM(A1)", "f2@example.org", "DE", "hidden").put("comment", "Line one\nline \"two\""));
    // Version 2 is published: later signatures record it, earlier ones keep version 1.
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "Second")));
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions/2/publish", m.admin(), new JsonObject()));
    api.sign(m, Signatures.signer("Zoë Ångström", "zoe@example.org", "SE", "initials"));

    HttpResponse<Buffer> csv = server.http().get(base(m) + "/export.csv").bearerTokenAuthentication(m.admin()).send()
        .await(30, TimeUnit.SECONDS);
    assertEquals(200, csv.statusCode(), csv.bodyAsString());
    assertTrue(csv.getHeader("Content-Type").startsWith("text/csv"));
    String text = csv.bodyAsString();
    assertTrue(text.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), text);
    assertTrue(text.contains("\"'+33\""), text);
    assertTrue(text.contains("\"'-2+3\""), text);
    assertTrue(text.contains("\"'@SUM(A1)\""), text);
    assertTrue(text.contains("\"Line one\nline \"\"two\"\"\""), text);
    assertTrue(text.contains("\"Zoë Ångström\""), text);
    String[] lines = text.split("\r\n");
    assertTrue(lines[0].startsWith("\uFEFFid,name,email"), lines[0]);
    assertFalse(text.replace("\"'=", "").replace("\"'+", "").replace("\"'-", "").replace("\"'@", "")
        .matches("(?s).*(^|,)\"[=+@-].*"), "no cell starts with a formula character");

    HttpResponse<Buffer> json = server.http().get(base(m) + "/export.json").bearerTokenAuthentication(m.admin()).send()
        .await(30, TimeUnit.SECONDS);
    JsonArray rows = json.bodyAsJsonArray();
    assertEquals(3, rows.size());
    assertEquals(List.of(1, 1, 2), rows.stream().map(r -> ((JsonObject) r).getInteger("version")).toList());
    assertEquals("zoe@example.org", rows.getJsonObject(2).getString("email"));
    assertEquals(64, rows.getJsonObject(2).getString("versionSha256").length());
    assertEquals(401, server.http().get(base(m) + "/export.csv").send().await(30, TimeUnit.SECONDS).statusCode());
    assertEquals(403, server.http().get(base(m) + "/export.csv").bearerTokenAuthentication(m.viewer()).send()
        .await(30, TimeUnit.SECONDS).statusCode());
  }

  @Test
  void eraseLeavesACountedAnonymousTombstone() throws Exception {
    TestServer.Manifesto m = openNoEmail("Erase", 0, 0);
    api.sign(m, Signatures.signer("Keep Me", "keep@example.org", "FR", "full"));
    api.sign(m, Signatures.signer("Erase Me", "Erase.Me+x@gmail.com", "MA", "full").put("city", "Rabat")
        .put("comment", "please forget me"));
    api.sign(m, Signatures.signer("By Id", "byid@example.org", "TN", "full"));
    JsonArray rows = Signatures.ok2(server.http().get(base(m) + "/export.json").bearerTokenAuthentication(m.admin()).send()
        .await(30, TimeUnit.SECONDS));
    long byId = rows.getJsonObject(2).getLong("id");

    assertEquals(1, Signatures.ok(api.post(base(m) + "/erase", m.admin(), new JsonObject().put("email", "eraseme@googlemail.com")))
        .getLong("erased"), "found by the normalised address");
    assertEquals(1, Signatures.ok(api.post(base(m) + "/erase", m.admin(), new JsonObject().put("id", byId))).getLong("erased"));
    assertEquals(0, Signatures.ok(api.post(base(m) + "/erase", m.admin(), new JsonObject().put("id", byId))).getLong("erased"));
    assertEquals(400, api.post(base(m) + "/erase", m.admin(), new JsonObject()).statusCode());
    assertEquals(403, api.post(base(m) + "/erase", m.editor(), new JsonObject().put("id", byId)).statusCode());

    JsonObject count = api.count(m);
    assertEquals(3, count.getLong("confirmed"), "tombstones still count");
    assertEquals(1, count.getJsonObject("byCountry").getLong("MA"));
    String everything = Signatures.ok2(server.http().get(base(m) + "/export.json").bearerTokenAuthentication(m.admin()).send()
        .await(30, TimeUnit.SECONDS)).encode() + api.get(base(m)).bodyAsString();
    assertTrue(everything.contains("Keep Me"));
    for (String gone : List.of("Erase Me", "Rabat", "please forget me", "gmail", "By Id", "byid@")) {
      assertFalse(everything.contains(gone), gone + " is gone");
    }
    JsonObject stats = Signatures.ok(server.http().get(base(m) + "/stats").bearerTokenAuthentication(m.admin()).send()
        .await(30, TimeUnit.SECONDS));
    assertEquals(3, stats.getJsonArray("byDay").getJsonObject(0).getLong("confirmed"), "and by day");
  }

  @Test
  void theBusiestAddressesAreReportedAndInvalidatedReversibly() throws Exception {
    TestServer.Manifesto m = openNoEmail("Abuse", 0, 0);
    for (int i = 0; i < 6; i++) {
      api.signFrom(m, "203.0.113." + (10 + i % 2), Signatures.signer("Spam " + i, "spam" + i + "@spam.test", "US", "full"));
    }
    api.signFrom(m, "192.0.2.5", Signatures.signer("Real", "real@example.org", "US", "full"));
    api.signFrom(m, "2001:db8::1", Signatures.signer("Six", "six@example.org", "US", "full"));
    assertEquals(8, api.count(m).getLong("confirmed"));

    JsonObject report = Signatures.ok(server.http().get(base(m) + "/report").bearerTokenAuthentication(m.admin()).send()
        .await(30, TimeUnit.SECONDS));
    assertEquals(3, report.getJsonArray("ips").getJsonObject(0).getLong("signatures"));
    assertTrue(report.getJsonArray("ips").getJsonObject(0).getString("ip").startsWith("203.0.113.1"));
    assertEquals(new JsonObject().put("domain", "spam.test").put("signatures", 6), report.getJsonArray("domains").getJsonObject(0));

    JsonObject prefix = new JsonObject().put("ip", "203.0.113.0/24").put("dryRun", true);
    assertEquals(6, Signatures.ok(api.post(base(m) + "/invalidate", m.admin(), prefix)).getLong("matched"));
    assertEquals(8, api.count(m).getLong("confirmed"), "a dry run changes nothing");
    assertEquals(1, Signatures.ok(api.post(base(m) + "/invalidate", m.admin(),
        new JsonObject().put("ip", "2001:db8::/32").put("dryRun", true))).getLong("matched"));
    assertEquals(6, Signatures.ok(api.post(base(m) + "/invalidate", m.admin(),
        new JsonObject().put("domain", "SPAM.test").put("from", "2000-01-01T00:00:00Z").put("dryRun", true))).getLong("matched"));

    JsonObject done = Signatures.ok(api.post(base(m) + "/invalidate", m.admin(),
        new JsonObject().put("ip", "203.0.113.0/24").put("reason", "one script")));
    assertEquals(6, done.getLong("invalidated"));
    assertEquals(2, api.count(m).getLong("confirmed"), "the live count drops at once");
    assertFalse(api.get(base(m)).bodyAsString().contains("Spam"), "invalidated signatures leave the public list");
    JsonArray log = Signatures.ok2(server.http().get(base(m) + "/invalidations").bearerTokenAuthentication(m.admin()).send()
        .await(30, TimeUnit.SECONDS));
    assertEquals("one script", log.getJsonObject(0).getString("reason"));
    assertEquals("203.0.113.0/24", log.getJsonObject(0).getJsonObject("filter").getString("ip"));

    String undo = base(m) + "/invalidations/" + done.getLong("id") + "/undo";
    assertEquals(6, Signatures.ok(api.post(undo, m.admin(), new JsonObject())).getLong("restored"));
    assertEquals(8, api.count(m).getLong("confirmed"), "undone: they count again");
    assertEquals(404, api.post(undo, m.admin(), new JsonObject()).statusCode());

    assertEquals(400, api.post(base(m) + "/invalidate", m.admin(), new JsonObject()).statusCode());
    assertEquals(400, api.post(base(m) + "/invalidate", m.admin(), new JsonObject().put("ip", "300.1.2.3")).statusCode());
    assertEquals(400, api.post(base(m) + "/invalidate", m.admin(), new JsonObject().put("from", "yesterday")).statusCode());
    assertEquals(8, api.count(m).getLong("confirmed"), "refused requests change nothing");
  }
}
