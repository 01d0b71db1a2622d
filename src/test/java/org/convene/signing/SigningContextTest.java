package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A signature does not read the manifesto's signing context when one was read less than a second ago
 * (Contexts); these are the changes that must still reach the very next signature, made right after
 * a signature that put the context in memory.
 */
class SigningContextTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;
  static final GreenMail mail = api.mail;

  @Test
  void closingSigningRefusesTheNextSignatureAtOnce() throws Exception {
    TestServer.Manifesto m = api.published("Closing at once", "Text.");
    assertEquals(202, api.sign(m, Signatures.signer("Before", "before@example.org", "FR", "full")).statusCode());
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("open", false)));
    HttpResponse<Buffer> r = api.sign(m, Signatures.signer("After", "after@example.org", "FR", "full"));
    assertEquals(409, r.statusCode(), r.bodyAsString());
    assertEquals("closed", r.bodyAsJsonObject().getString("reason"), r.bodyAsString());
    assertEquals("0", api.sqlValue("SELECT count(*) FROM signatures WHERE email = 'after@example.org'"),
        "a refused signature stores nothing");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("open", true)));
    assertEquals(202, api.sign(m, Signatures.signer("After", "after@example.org", "FR", "full")).statusCode());
  }

  @Test
  void aChangeOfRequireEmailAppliesToTheNextSignature() throws Exception {
    TestServer.Manifesto m = api.published("Email then none", "Text.");
    assertEquals(202, api.sign(m, Signatures.signer("Mailed", "mailed@example.org", "SN", "full")).statusCode());
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    assertEquals(201, api.sign(m, Signatures.signer("Counted", "counted@example.org", "SN", "full")).statusCode(),
        "counted at once, without email");
    assertEquals("confirmed", api.sqlValue("SELECT state FROM signatures WHERE email = 'counted@example.org'"));
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", true)));
    HttpResponse<Buffer> r = api.sign(m, new JsonObject().put("name", "No Mail").put("country", "SN").put("display", "full"));
    assertEquals(400, r.statusCode(), "the email is required again: " + r.bodyAsString());
  }

  @Test
  void aSignatureAfterAPublicationRecordsTheNewVersion() throws Exception {
    TestServer.Manifesto m = api.published("Republished", "Text.");
    assertEquals(202, api.sign(m, Signatures.signer("One", "one@example.org", "DE", "full")).statusCode());
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "Two")));
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions/2/publish", m.admin(), new JsonObject()));
    assertEquals(202, api.sign(m, Signatures.signer("Two", "two@example.org", "DE", "full")).statusCode());
    assertEquals("1", api.sqlValue("SELECT version FROM signatures WHERE email = 'one@example.org'"));
    assertEquals("2", api.sqlValue("SELECT version FROM signatures WHERE email = 'two@example.org'"),
        "the version published when it was stored, though the context in memory still named version 1");
    assertEquals(api.sqlValue("SELECT sha256 FROM versions WHERE manifesto_id = '" + m.id() + "' AND number = 2"),
        api.sqlValue("SELECT version_sha256 FROM signatures WHERE email = 'two@example.org'"));
    MimeMessage second = api.await("two@example.org", 1);
    assertTrue(Signatures.body(second).contains("version 2"), "the mail names the version signed: " + Signatures.body(second));
  }

  @Test
  void aFirstPublicationOpensSigningForTheNextSignature() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Not yet", "Text.");
    assertEquals(409, api.sign(m, Signatures.signer("Early", "early@example.org", "KE", "full")).statusCode());
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "One")));
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions/1/publish", m.admin(), new JsonObject()));
    assertEquals(202, api.sign(m, Signatures.signer("Early", "early@example.org", "KE", "full")).statusCode());
  }
}
