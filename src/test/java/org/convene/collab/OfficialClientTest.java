package org.convene.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Clients we did not write: the official {@code @vertx/eventbus-bridge-client.js} over SockJS with
 * ot.js's own {@code Client} (web/conformance/official-client.mjs) co-edit and converge to the
 * server's text.
 */
class OfficialClientTest {
  @Test
  void theOfficialBridgeClientWithOtJsConverges() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start(vertx)) {
      TestServer.Manifesto m = server.createManifesto("Official", "Déclaration: ");
      long seed = System.nanoTime() % 100_000;
      Process node = new ProcessBuilder("node", "conformance/official-client.mjs", "http://127.0.0.1:" + server.port(),
          m.id(), m.editor(), "3", "25", Long.toString(seed))
          .directory(new File("web"))
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node client finished");
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertEquals(0, node.exitValue(), out);
      JsonObject result = new JsonObject(out.substring(out.lastIndexOf('\n') + 1));
      assertEquals(new JsonArray(), result.getJsonArray("errors"), "seed " + seed);
      JsonObject stored = server.read(m);
      for (int i = 0; i < 3; i++) {
        assertEquals(stored.getString("text"), result.getJsonArray("texts").getString(i), "seed " + seed + " client " + i);
        assertEquals(stored.getInteger("revision"), result.getJsonArray("revisions").getInteger(i), "seed " + seed);
      }
      assertTrue(stored.getInteger("revision") > 3, "edits were applied");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
