package org.convene.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.common.Config;
import org.convene.common.ConfigException;
import org.convene.ot.TextOperation;
import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operation limit follows the message limit; history past the document's revision is a 409. */
class LimitsTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "MAX_OPERATION_LENGTH", Integer.toString(Config.MAX_OPERATION_LENGTH_CEILING)));

  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  @Test
  void anOperationLimitAMessageCannotCarryIsRefusedAtStart() {
    ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(
        Map.of("MAX_OPERATION_LENGTH", Integer.toString(Config.MAX_OPERATION_LENGTH_CEILING + 1))));
    assertTrue(e.getMessage().contains("MAX_OPERATION_LENGTH"), e.getMessage());
    assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("MAX_OPERATION_LENGTH", "10000000")));
  }

  /** At the highest limit, the largest edit it allows, in 3-byte characters, still arrives in one message. */
  @Test
  void theLargestEditTheHighestLimitAllowsFitsInOneMessage() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Ceiling", "");
    OtClient c = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "paster"));
    String text = "\u4e2d".repeat(Config.MAX_OPERATION_LENGTH_CEILING - 1); // one component: the insert
    c.edit(TextOperation.builder().insert(text).build());
    await(c.whenIdle());
    assertTrue(c.failures.isEmpty(), c.failures.toString());
    assertEquals(text, server.read(m).getString("text"));
  }

  @Test
  void historyFromBeyondTheDocumentsRevisionIs409() throws Exception {
    TestServer.Manifesto m = server.createManifesto("History", "Text.");
    BridgeClient bridge = await(server.connect());
    JsonObject opened = await(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Ann"), m.editor()));
    await(bridge.request("manifesto.edit", new JsonObject().put("doc", m.id()).put("clientId", opened.getString("clientId"))
        .put("seq", 1).put("revision", 0).put("op", new JsonArray().add(5).add("!")), m.editor()));
    Future<JsonObject> beyond = bridge.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 2), m.viewer());
    Exception e = assertThrows(Exception.class, () -> await(beyond));
    assertEquals(409, ((BridgeClient.BridgeError) (e.getCause() != null ? e.getCause() : e)).code, e.toString());
    // the current revision itself is no error: nothing newer yet
    assertEquals(0, await(bridge.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 1), m.viewer()))
        .getJsonArray("ops").size());
    assertEquals(1, await(bridge.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer()))
        .getJsonArray("ops").size());
    assertEquals("Text.!", server.read(m).getString("text"));
  }
}
