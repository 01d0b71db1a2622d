package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signing through the REST contract, with mail delivered to a real SMTP server. */
class SigningApiTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;
  static final GreenMail mail = api.mail;

  @Test
  void signEmailConfirmCountedWithdraw() throws Exception {
    TestServer.Manifesto m = api.published("Charter <of> the Commons & Rivers", "Every river belongs to everyone.");
    assertEquals(0, api.count(m).getLong("confirmed"));

    HttpResponse<Buffer> r = api.sign(m, Signatures.signer("أمل حداد <b>", "amal@example.org", "fr", "full")
        .put("city", "Marseille").put("comment", "Pour les rivières.\nEt la mer.").put("updates", true));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    assertEquals(new JsonObject().put("status", "pending"), r.bodyAsJsonObject());
    assertEquals(0, api.count(m).getLong("confirmed"), "pending signatures are not counted");
    assertEquals(new JsonArray(), Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures")));

    MimeMessage message = api.await("amal@example.org", 1);
    String body = Signatures.body(message);
    assertTrue(message.getSubject().contains("Charter <of> the Commons & Rivers"), message.getSubject());
    assertTrue(body.contains("Charter &lt;of&gt; the Commons &amp; Rivers"), "the HTML part escapes the title: " + body);
    assertTrue(body.contains("&lt;b&gt;"), "the HTML part escapes the name");
    assertTrue(body.contains("version 1"), body);
    assertTrue(body.contains("https://sign.convene.test/api/signatures/confirm?token="), body);
    String messageId = message.getMessageID();
    assertTrue(messageId.endsWith("@sign.convene.test>"), messageId);

    String confirm = Signatures.token(message, Signatures.CONFIRM);
    String withdraw = Signatures.token(message, Signatures.WITHDRAW);
    assertEquals(new JsonObject().put("status", "confirmed"),
        Signatures.ok(api.get("/api/signatures/confirm?token=" + confirm)));
    JsonObject count = api.count(m);
    assertEquals(1, count.getLong("confirmed"));
    assertEquals(new JsonObject().put("FR", 1), count.getJsonObject("byCountry"));
    assertEquals(new JsonObject().put("status", "confirmed"),
        Signatures.ok(api.get("/api/signatures/confirm?token=" + confirm)), "following the link twice is harmless");

    JsonArray list = Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures"));
    assertEquals(1, list.size());
    JsonObject entry = list.getJsonObject(0);
    assertEquals("أمل حداد <b>", entry.getString("displayName"), "Unicode kept as typed");
    assertEquals("Marseille", entry.getString("city"));
    assertEquals("FR", entry.getString("country"));
    assertEquals("Pour les rivières.\nEt la mer.", entry.getString("comment"));
    assertFalse(entry.encode().contains("amal@example.org"));

    assertEquals(new JsonObject().put("status", "withdrawn"),
        Signatures.ok(api.post("/api/signatures/withdraw?token=" + withdraw, null, null)));
    assertEquals(0, api.count(m).getLong("confirmed"));
    assertEquals(409, api.get("/api/signatures/confirm?token=" + confirm).statusCode(), "a withdrawn signature stays withdrawn");
    assertEquals(404, api.get("/api/signatures/confirm?token=" + confirm + "x").statusCode());
  }

  @Test
  void displayChoicesAreHonouredInThePublicList() throws Exception {
    TestServer.Manifesto m = api.published("Display", "Text.");
    api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false));
    assertEquals(201, api.sign(m, Signatures.signer("Ana Maria Costa", "ana@example.org", "PT", "initials")).statusCode());
    assertEquals(201, api.sign(m, Signatures.signer("Hidden Person", "hidden@example.org", "DE", "hidden")).statusCode());
    assertEquals(201, api.sign(m, Signatures.signer("王小明", "wang@example.org", "CN", "full")).statusCode());
    JsonObject count = api.count(m);
    assertEquals(3, count.getLong("confirmed"));
    assertEquals(1, count.getJsonObject("byCountry").getLong("DE"), "hidden signers are counted");
    JsonArray list = Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures"));
    assertEquals(2, list.size(), list.encode());
    assertEquals("王小明", list.getJsonObject(0).getString("displayName"), "newest first");
    assertEquals("A. M. C.", list.getJsonObject(1).getString("displayName"));
    assertFalse(list.encode().contains("Hidden"));
    JsonArray page2 = Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures?page=1&size=1"));
    assertEquals("A. M. C.", page2.getJsonObject(0).getString("displayName"));
    assertEquals(0, api.to("ana@example.org").size(), "requireEmail:false sends no mail");
  }

  @Test
  void invalidInputNamesEveryFieldAndStoresNothing() throws Exception {
    TestServer.Manifesto m = api.published("Validation", "Text.");
    JsonObject bad = new JsonObject().put("name", "Bad\u0007Name").put("email", "not-an-email").put("country", "XX")
        .put("city", "c".repeat(101)).put("comment", "x".repeat(501)).put("display", "everyone").put("language", "??")
        .put("updates", "yes");
    HttpResponse<Buffer> r = api.sign(m, bad);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject fields = r.bodyAsJsonObject().getJsonObject("fields");
    assertEquals(java.util.Set.of("name", "email", "country", "city", "comment", "display", "language", "updates"),
        fields.fieldNames(), fields.encode());
    assertEquals(400, api.sign(m, new JsonObject()).statusCode());
    assertEquals(400, api.sign(m, Signatures.signer("", "a@example.org", "FR", "full")).statusCode());
    assertEquals(400, api.sign(m, Signatures.signer("n".repeat(101), "a@example.org", "FR", "full")).statusCode());
    assertEquals(202, api.sign(m, Signatures.signer("n".repeat(100), "a@example.org", "FR", "full")).statusCode());
    assertEquals(400, server.http().post("/api/manifestos/" + m.id() + "/signatures")
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer("{nope"))
        .await(10, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    api.await("a@example.org", 1);
    assertEquals(1, api.to("a@example.org").size(), "only the valid one was mailed");
  }

  @Test
  void signingNeedsAPublishedVersionAndAnOpenManifesto() throws Exception {
    TestServer.Manifesto draft = server.createManifesto("Draft only", "Not yet.");
    HttpResponse<Buffer> r = api.sign(draft, Signatures.signer("A", "a1@example.org", "FR", "full"));
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertEquals(404, api.sign(new TestServer.Manifesto("nosuch", null, null, null),
        Signatures.signer("A", "a1@example.org", "FR", "full")).statusCode());

    TestServer.Manifesto m = api.published("Closing", "Text.");
    api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("open", false));
    r = api.sign(m, Signatures.signer("A", "a2@example.org", "FR", "full"));
    assertEquals(409, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("message").contains("closed"));
    api.put("/api/manifestos/" + m.id() + "/signing", m.admin(),
        new JsonObject().put("open", true).put("deadline", "2020-01-01T00:00:00Z"));
    r = api.sign(m, Signatures.signer("A", "a2@example.org", "FR", "full"));
    assertEquals(409, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("message").contains("deadline"), r.bodyAsString());
    assertEquals(403, api.put("/api/manifestos/" + m.id() + "/signing", m.editor(), new JsonObject().put("open", true)).statusCode());
    assertEquals(400, api.put("/api/manifestos/" + m.id() + "/signing", m.admin(),
        new JsonObject().put("goal", -1).put("rateLimit", new JsonObject().put("perIpBurst", "x"))).statusCode());
  }

  @Test
  void oneSignaturePerNormalisedEmailAndARepeatLooksLikeAFirst() throws Exception {
    TestServer.Manifesto m = api.published("Duplicates", "Text.");
    HttpResponse<Buffer> first = api.sign(m, Signatures.signer("Jo", "Jo.Smith+petition@GoogleMail.com", "GB", "full"));
    MimeMessage mail1 = api.await("Jo.Smith+petition@GoogleMail.com", 1);
    HttpResponse<Buffer> again = api.sign(m, Signatures.signer("Jo", "  josmith@gmail.com ", "GB", "full"));
    assertEquals(first.statusCode(), again.statusCode());
    assertEquals(first.bodyAsString(), again.bodyAsString(), "the answer never tells whether an address has signed");
    // The resend is rate-limited: make the first mail look old, then sign again.
    api.sql("UPDATE signatures SET mailed_at = now() - interval '1 hour'");
    HttpResponse<Buffer> third = api.sign(m, Signatures.signer("Jo S.", "j.o.smith@gmail.com", "GB", "initials"));
    assertEquals(first.bodyAsString(), third.bodyAsString());
    MimeMessage mail2 = api.await("j.o.smith@gmail.com", 1);
    assertEquals(0, api.to("josmith@gmail.com").size(), "no mail within the resend interval");
    String oldConfirm = Signatures.token(mail1, Signatures.CONFIRM);
    String newConfirm = Signatures.token(mail2, Signatures.CONFIRM);
    assertNotEquals(oldConfirm, newConfirm);
    assertEquals(404, api.get("/api/signatures/confirm?token=" + oldConfirm).statusCode(), "the old link was replaced");
    Signatures.ok(api.get("/api/signatures/confirm?token=" + newConfirm));
    assertEquals(1, api.count(m).getLong("confirmed"));
    assertEquals("J. S.", Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures")).getJsonObject(0)
        .getString("displayName"), "the latest details count");
  }

  @Test
  void concurrentSignaturesAreBatchedAndOnePerEmailSurvives() throws Exception {
    TestServer.Manifesto m = api.published("Concurrent", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)
        .put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
    java.util.List<io.vertx.core.Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      // Twenty spellings of one Gmail address, and twenty different people, all at once.
      String email = i % 2 == 0 ? "Same.Person+" + i + "@gmail.com" : "person" + i + "@example.org";
      all.add(server.http().post("/api/manifestos/" + m.id() + "/signatures")
          .sendJsonObject(Signatures.signer("P" + i, email, "FR", "full")));
    }
    for (var f : all) {
      assertEquals(201, f.await(30, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    }
    assertEquals(21, api.count(m).getLong("confirmed"), "one for the twenty spellings, twenty for the others");
  }

  @Test
  void aConfirmationLinkExpires() throws Exception {
    TestServer.Manifesto m = api.published("Expiry", "Text.");
    api.sign(m, Signatures.signer("Late", "late@example.org", "IT", "full"));
    String confirm = Signatures.token(api.await("late@example.org", 1), Signatures.CONFIRM);
    api.sql("UPDATE signatures SET confirm_expires = now() - interval '1 second' WHERE email = 'late@example.org'");
    HttpResponse<Buffer> r = api.get("/api/signatures/confirm?token=" + confirm);
    assertEquals(404, r.statusCode());
    assertTrue(r.bodyAsJsonObject().getString("message").contains("expired"));
    assertEquals(0, api.count(m).getLong("confirmed"));
  }

  @Test
  void healthReportsTheOutbox() throws Exception {
    JsonObject health = Signatures.ok(api.get("/health"));
    assertEquals("ok", health.getString("status"));
    assertEquals("ok", health.getString("database"));
    assertTrue(health.getJsonObject("outbox").containsKey("backlog"), health.encode());
    assertTrue(health.getJsonObject("outbox").containsKey("oldestSeconds"), health.encode());
    assertNull(health.getJsonObject("outbox").getValue("nothing"));
  }
}
