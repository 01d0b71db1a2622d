package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.convene.collab.Addresses;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing public leaks a signer's email or IP, nor a pending, withdrawn or hidden signer: every public
 * answer (REST, pages, the PDF's text, the bridge) is searched for them.
 */
class PrivacyTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClassBehindProxy();
  static final TestServer server = api.server;

  @Test
  void noPublicAnswerHoldsAnEmailAnIpOrAnUncountedSigner() throws Exception {
    TestServer.Manifesto m = api.published("Privacy", "Text.");
    List<JsonObject> live = new CopyOnWriteArrayList<>();
    BridgeClient bridge = server.connect().await(10, TimeUnit.SECONDS);
    bridge.register(Addresses.signatures(m.id()), null, live::add);

    // Confirmed (full, initials, hidden), pending, withdrawn: each with a distinctive email and IP.
    String[][] signers = {
        {"Visible Valentina", "valentina.secret@example.org", "full", "203.0.113.71"},
        {"Initials Ingrid", "ingrid.secret@example.org", "initials", "203.0.113.72"},
        {"Hidden Hamid", "hamid.secret@example.org", "hidden", "203.0.113.73"},
        {"Pending Pia", "pia.secret@example.org", "full", "203.0.113.74"},
        {"Withdrawn Wanjiru", "wanjiru.secret@example.org", "full", "203.0.113.75"}};
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    for (String[] s : signers) {
      answers.add(api.signFrom(m, s[3], Signatures.signer(s[0], s[1], "KE", s[2]).put("comment", "from " + s[0])));
    }
    for (String[] s : new String[][] {signers[0], signers[1], signers[2], signers[4]}) {
      var message = api.await(s[1], 1);
      answers.add(api.get("/api/signatures/confirm?token=" + Signatures.token(message, Signatures.CONFIRM)));
    }
    answers.add(api.post("/api/signatures/withdraw?token=" + Signatures.token(api.to(signers[4][1]).get(0), Signatures.WITHDRAW), null, null));
    answers.add(api.signFrom(m, signers[0][3], Signatures.signer("Visible Valentina", signers[0][1], "KE", "full")));
    answers.add(api.signFrom(m, "203.0.113.79", Signatures.signer("", "bad.secret@example.org", "KE", "full")));
    Wait.until(15, () -> !live.isEmpty() && live.get(live.size() - 1).getLong("confirmed") == 3, () -> "the live count: " + live);

    Map<String, String> pub = new LinkedHashMap<>();
    for (int i = 0; i < answers.size(); i++) {
      pub.put("answer " + i, answers.get(i).bodyAsString() + answers.get(i).headers());
    }
    String id = m.id();
    for (String path : List.of("/api/manifestos/" + id + "/signatures/count", "/api/manifestos/" + id + "/signatures",
        "/api/manifestos/" + id + "/signatures?size=100&page=0", "/api/manifestos/" + id + "/signing",
        "/api/manifestos/" + id + "/versions/1", "/api/manifestos/" + id + "/published", "/p/" + id + "/sign",
        "/health")) {
      HttpResponse<Buffer> r = api.get(path);
      assertEquals(200, r.statusCode(), path + ": " + r.bodyAsString());
      pub.put(path, r.bodyAsString() + r.headers());
    }
    for (String path : List.of("/api/manifestos/" + id + "/versions/1/pdf?with=signatures",
        "/api/manifestos/" + id + "/pdf?with=signatures&edition=reading")) {
      HttpResponse<Buffer> r = api.get(path);
      assertEquals(200, r.statusCode(), path);
      try (PDDocument doc = Loader.loadPDF(r.body().getBytes())) {
        pub.put(path, new PDFTextStripper().getText(doc));
      }
    }
    pub.put("bridge", live.toString());

    assertTrue(pub.get("/api/manifestos/" + id + "/signatures").contains("Visible Valentina"), "the search can find things");
    for (Map.Entry<String, String> e : pub.entrySet()) {
      String text = e.getValue().toLowerCase();
      for (String[] s : signers) {
        assertFalse(text.contains(s[1]) || text.contains(s[1].substring(0, s[1].indexOf('@'))),
            e.getKey() + " shows the email " + s[1] + ":\n" + e.getValue());
        assertFalse(text.contains(s[3]), e.getKey() + " shows the IP " + s[3]);
      }
      assertFalse(text.contains("secret@"), e.getKey());
      for (String never : List.of("hidden hamid", "pending pia", "withdrawn wanjiru")) {
        assertFalse(text.contains(never), e.getKey() + " shows an uncounted or hidden signer (" + never + "):\n" + e.getValue());
      }
    }
    bridge.close();
  }
}
