package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.convene.pdf.SignerLine;
import org.convene.store.Database;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The PDF appendix's real source, through the database: confirmed signers as they chose to appear,
 * hidden ones only counted, nobody pending, withdrawn, invalidated or of a later version.
 */
class DatabaseSignaturesTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;

  static String pdfText(HttpResponse<Buffer> r) throws Exception {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("application/pdf", r.getHeader("Content-Type"));
    try (PDDocument doc = Loader.loadPDF(r.body().getBytes())) {
      return new PDFTextStripper().getText(doc);
    }
  }

  @Test
  void theAppendixPrintsOnlyWhatSignersChoseAndNeverAHiddenSigner() throws Exception {
    TestServer.Manifesto m = api.published("Appendix", "We sign this.");
    // Pending (never confirmed) and withdrawn signers, while email is required.
    api.sign(m, Signatures.signer("Pending Quentin", "pending@example.org", "FR", "full"));
    api.sign(m, Signatures.signer("Withdrawn Wilhelmina", "withdrawn@example.org", "FR", "full"));
    var gone = api.await("withdrawn@example.org", 1);
    Signatures.ok(api.get("/api/signatures/confirm?token=" + Signatures.token(gone, Signatures.CONFIRM)));
    Signatures.ok(api.post("/api/signatures/withdraw?token=" + Signatures.token(gone, Signatures.WITHDRAW), null, null));

    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)
        .put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
    api.sign(m, Signatures.signer("Fatima Zahra Benali", "f@example.org", "MA", "full").put("city", "Casablanca"));
    api.sign(m, Signatures.signer("Kwame Mensah", "k@example.org", "GH", "initials"));
    api.sign(m, Signatures.signer("Hidden Zebulon", "hz@example.org", "DE", "hidden").put("city", "Hiddenburg"));
    api.sign(m, Signatures.signer("Spam Spammer", "s@spam.test", "US", "full"));
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/signatures/invalidate", m.admin(),
        new JsonObject().put("domain", "spam.test")));
    // Version 2: its signer is not printed under version 1.
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "Two")));
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/versions/2/publish", m.admin(), new JsonObject()));
    api.sign(m, Signatures.signer("Later Lorenzo", "later@example.org", "IT", "full"));

    String v1 = pdfText(api.get("/api/manifestos/" + m.id() + "/versions/1/pdf?with=signatures"));
    assertTrue(v1.contains("Fatima Zahra Benali"), v1);
    assertTrue(v1.contains("Casablanca"), v1);
    assertTrue(v1.contains("K. M."), v1);
    assertTrue(v1.contains("3 signatories"), "hidden signers are counted: " + v1);
    assertTrue(v1.contains("1 chose not to be named"), v1);
    for (String never : List.of("Zebulon", "Hiddenburg", "Pending", "Wilhelmina", "Spammer", "Lorenzo", "Kwame", "@")) {
      assertFalse(v1.contains(never), never + " must not be printed:\n" + v1);
    }
    String latest = pdfText(api.get("/api/manifestos/" + m.id() + "/pdf?with=signatures"));
    assertTrue(latest.contains("Later Lorenzo"), latest);
    assertTrue(latest.contains("4 signatories"), latest);
    assertFalse(latest.contains("Zebulon"), latest);
  }

  @Test
  void theSourceStreamsManyNamesAndNeverYieldsAHiddenOne() throws Exception {
    TestServer.Manifesto m = api.published("Many", "Text.");
    int n = 5_000;
    api.sql("INSERT INTO signatures (manifesto_id, name, country, display, language, version, version_sha256, state, confirmed_at) "
        + "SELECT '" + m.id() + "', 'Signer ' || g, 'FR', CASE WHEN g % 10 = 0 THEN 'hidden' ELSE 'full' END, 'en', 1, "
        + "(SELECT sha256 FROM versions WHERE manifesto_id = '" + m.id() + "' AND number = 1), 'confirmed', now() "
        + "FROM generate_series(1, " + n + ") g");
    Pool pool = Database.pool(server.vertx(), server.config().pgConnectOptions(), 2);
    try {
      DatabaseSignatures source = DatabaseSignatures.open(server.vertx(), pool, m.id(), 1).await(30, TimeUnit.SECONDS);
      assertEquals(Map.of("FR", (long) n), source.countsByCountry());
      assertEquals(n / 10, source.hiddenCount());
      List<SignerLine> lines = new ArrayList<>();
      Thread reader = new Thread(() -> source.named().forEachRemaining(lines::add)); // as the render thread does
      reader.start();
      reader.join(60_000);
      assertEquals(n - n / 10, lines.size());
      assertEquals("Signer 1", lines.get(0).displayName(), "oldest first");
      assertTrue(lines.stream().noneMatch(l -> l.displayName().endsWith("0")), "no hidden signer is ever yielded");
      source.close();
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }
}
