package org.convene.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Malformed input that anyone can send as often as they like is refused without an error in the log:
 * an error line with its stack for each would let one client fill the disk and drown what operators
 * need to see. Found by the fuzz test: paths that are not valid percent-encoding, and bridge frames
 * whose headers are not an object.
 */
class QuietRefusalsTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aPathThatIsNotValidPercentEncodingIs400AndNotLoggedAsAnError() throws Exception {
    try (LogCapture log = LogCapture.install(r -> r.getLevel().intValue() >= Level.WARNING.intValue())) {
      for (String path : List.of("/p/%%F", "/api/manifestos/%zz", "/%/r", "/eventbus/%G1/info", "/web/%", "/api/manifestos/a%2")) {
        HttpResponse<Buffer> r = server.http().get(path).send().await(10, TimeUnit.SECONDS);
        assertEquals(400, r.statusCode(), path);
        assertEquals("invalid_input", r.bodyAsJsonObject().getString("error"), path);
      }
      HttpResponse<Buffer> fine = server.http().get("/api/manifestos/%7A%7a").send().await(10, TimeUnit.SECONDS);
      assertTrue(fine.statusCode() != 400, "a well-encoded path is routed as usual: " + fine.statusCode());
      assertEquals(List.of(), log.records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList());
    }
  }

  @Test
  void framesWithHeadersThatAreNotAnObjectAreRefusedQuietly() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Quiet", "Text.");
    try (LogCapture log = LogCapture.install(r -> r.getLevel().intValue() >= Level.WARNING.intValue())) {
      BridgeClient bridge = server.connect().await(20, TimeUnit.SECONDS);
      Object[] headers = {true, "token", 5, 2.5, new JsonArray().add(1)};
      for (Object h : headers) {
        bridge.raw(new JsonObject().put("type", "send").put("address", "some.unlisted.address")
            .put("body", new JsonObject()).put("headers", h).encode());
      }
      Wait.until(20, () -> bridge.errors.size() >= headers.length, () -> "an answer to each frame");
      assertEquals(List.of("access_denied", "access_denied", "access_denied", "access_denied", "access_denied"),
          bridge.errors.subList(0, headers.length), "refused as any unlisted address is");
      // A listed address with such headers has no token: refused with 401, as the protocol says.
      bridge.raw(new JsonObject().put("type", "send").put("address", "manifesto.open").put("replyAddress", "r1")
          .put("body", new JsonObject().put("doc", m.id()).put("name", "x")).put("headers", "token").encode());
      // The connection still works afterwards.
      assertEquals(0, bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Still here"), m.viewer())
          .await(20, TimeUnit.SECONDS).getInteger("revision"));
      bridge.close().await(10, TimeUnit.SECONDS);
      assertEquals(List.of(), log.records.stream().map(r -> r.getLevel() + " " + r.getMessage() + " " + r.getThrown()).toList());
    }
  }
}
