package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.convene.collab.Addresses;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server's own meters on /metrics (docs/OPERATIONS.md): an edit over the bridge, signatures and a
 * PDF render against the real server, each read back as the increase of its meter between two scrapes.
 */
class ServerMetersTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("METRICS", "true"));

  @Test
  void anEditSignaturesAndAPdfShowAsIncreases() throws Exception {
    Map<String, Double> before = scrape();
    for (String name : new String[] {"convene_edits_applied_total", "convene_edits_refused_total{reason=\"busy\"}",
        "convene_ack_latency_seconds_count", "convene_sequencer_queued", "convene_sequencer_batch_edits_count",
        "convene_publications_total", "convene_publication_frames_total",
        "convene_sockets_dropped_total{reason=\"backlog\"}", "convene_sockets_dropped_total{reason=\"request_body\"}",
        "convene_documents_open", "convene_participants", "convene_signatures_received_total",
        "convene_signatures_confirmed_total", "convene_mail_outbox_backlog", "convene_mail_outbox_oldest_seconds",
        "convene_pdf_renders_seconds_count{edition=\"print\"}", "convene_pdf_renders_seconds_count{edition=\"reading\"}",
        "convene_pdf_renders_seconds_count{edition=\"bilingual\"}"}) {
      assertTrue(before.containsKey(name), name + " is served before anything happened");
    }
    assertTrue(before.containsKey("convene_ack_latency_seconds_bucket{le=\"0.25\"}"), "a bucket at 250 ms, for the alert");

    TestServer.Manifesto m = server.createManifesto("Meters", "We gather.");
    // A watcher on the document's publications, and an editor who types one edit.
    BridgeClient watcher = await(server.connect());
    JsonArray seen = new JsonArray(new CopyOnWriteArrayList<>());
    watcher.register(Addresses.doc(m.id()), m.viewer(), seen::add);
    // Its frames are handled in order: once its open is answered, its registration is in place.
    await(watcher.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Watcher"), m.viewer()));
    BridgeClient editor = await(server.connect());
    JsonObject opened = await(editor.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Amal"), m.editor()));
    await(editor.request("manifesto.edit", new JsonObject().put("doc", m.id()).put("clientId", opened.getString("clientId"))
        .put("seq", 1).put("revision", 0).put("op", new JsonArray().add(10).add(" Here.")), m.editor()));
    Wait.until(30, () -> seen.size() >= 1, () -> "the watcher gets the edit's publication");

    // Publish it, render a PDF, and sign twice: once pending a mail, once counted at once.
    ok(send(server.http().post("/api/manifestos/" + m.id() + "/versions"), m.admin(), new JsonObject().put("name", "First")));
    ok(send(server.http().post("/api/manifestos/" + m.id() + "/versions/1/publish"), m.admin(), new JsonObject()));
    HttpResponse<Buffer> pdf = send(server.http().get("/api/manifestos/" + m.id() + "/versions/1/pdf?edition=reading"), null, null);
    assertEquals(200, pdf.statusCode(), pdf.bodyAsString());
    JsonObject signer = new JsonObject().put("name", "Leila Haddad").put("email", "leila@example.org").put("country", "FR")
        .put("display", "full");
    assertEquals(202, send(server.http().post("/api/manifestos/" + m.id() + "/signatures"), null, signer).statusCode());
    ok(send(server.http().put("/api/manifestos/" + m.id() + "/signing"), m.admin(), new JsonObject().put("requireEmail", false)));
    assertEquals(201, send(server.http().post("/api/manifestos/" + m.id() + "/signatures"), null,
        signer.copy().put("name", "Tomás Silva").put("email", "tomas@example.org")).statusCode());

    Map<String, Double> after = scrape();
    assertEquals(1, increase(before, after, "convene_edits_applied_total"), "the one edit typed");
    assertEquals(1, increase(before, after, "convene_ack_latency_seconds_count"), "and its acknowledgement");
    assertEquals(1, increase(before, after, "convene_ack_latency_seconds_bucket{le=\"+Inf\"}"));
    assertTrue(increase(before, after, "convene_sequencer_batch_edits_count") >= 1, "at least one group commit");
    assertTrue(increase(before, after, "convene_publications_total") >= 1);
    assertTrue(increase(before, after, "convene_publication_frames_total") >= 1, "written to the watcher's socket");
    assertEquals(0, after.get("convene_sequencer_queued"), "nothing left queued");
    assertEquals(1, after.get("convene_documents_open"), "the document is loaded");
    assertEquals(2, after.get("convene_participants"), "the editor and the watcher");
    assertEquals(2, increase(before, after, "convene_signatures_received_total"));
    assertEquals(1, increase(before, after, "convene_signatures_confirmed_total"), "only the second counts at once");
    assertEquals(1, increase(before, after, "convene_pdf_renders_seconds_count{edition=\"reading\"}"));
    assertEquals(0, increase(before, after, "convene_pdf_renders_seconds_count{edition=\"print\"}"));
    assertTrue(after.get("convene_pdf_renders_seconds_sum{edition=\"reading\"}") > 0, "its time");

    editor.close().await(10, TimeUnit.SECONDS);
    Wait.until(30, () -> scrapeQuietly().getOrDefault("convene_participants", -1.0) == 1, () -> "the editor left");
    watcher.close().await(10, TimeUnit.SECONDS);
  }

  private static double increase(Map<String, Double> before, Map<String, Double> after, String name) {
    assertTrue(after.containsKey(name), name + " in " + after.keySet());
    return after.get(name) - before.getOrDefault(name, 0.0);
  }

  /** Every sample of the exposition, by name and labels as written. */
  static Map<String, Double> scrape() throws Exception {
    HttpResponse<Buffer> r = server.http().get("/metrics").send().await(20, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    Map<String, Double> samples = new HashMap<>();
    for (String line : r.bodyAsString().split("\n")) {
      if (line.startsWith("convene_")) {
        int space = line.lastIndexOf(' ');
        samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
    }
    return samples;
  }

  private static Map<String, Double> scrapeQuietly() {
    try {
      return scrape();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String token, JsonObject body) throws Exception {
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return (body == null ? req.send() : req.sendJsonObject(body)).await(60, TimeUnit.SECONDS);
  }

  private static void ok(HttpResponse<Buffer> r) {
    assertEquals(2, r.statusCode() / 100, r.statusCode() + " " + r.bodyAsString());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }
}
