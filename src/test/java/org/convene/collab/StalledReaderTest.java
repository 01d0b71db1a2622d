package org.convene.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.convene.testing.Wait.until;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.convene.ot.TextOperation;
import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A reader that stops reading cannot make the server hold its publications without bound. */
class StalledReaderTest {
  static final int BACKLOG = 256 << 10;
  static final int CHUNK = 60_000;

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("MAX_SOCKET_BACKLOG", Integer.toString(BACKLOG)));

  static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  /** On the raw WebSocket endpoint, and on SockJS's WebSocket transport, which browsers use. */
  @ParameterizedTest(name = "over {0}")
  @ValueSource(strings = {"raw", "sockjs"})
  void aReaderThatStopsReadingIsClosedAndTheOthersGoOn(String transport) throws Exception {
    TestServer.Manifesto m = server.createManifesto("Stalled", "A manifesto read on a train.");
    BridgeClient stalled = connect(transport);
    JsonObject opened = await(stalled.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "in a tunnel"),
        m.viewer()));
    String stalledId = opened.getString("clientId");
    stalled.register("manifesto.doc." + m.id(), m.viewer(), body -> { });
    await(stalled.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer()));

    // A reader on the same transport that keeps reading must not be let go, however much goes by.
    BridgeClient healthy = connect(transport);
    String healthyId = await(healthy.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "on wifi"),
        m.viewer())).getString("clientId");
    healthy.register("manifesto.doc." + m.id(), m.viewer(), body -> { });
    await(healthy.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer()));

    BridgeClient bridge = await(server.connect());
    OtClient writer = await(OtClient.open(server.vertx(), bridge, m.id(), m.editor(), "writer"));
    CopyOnWriteArrayList<String> left = new CopyOnWriteArrayList<>();
    bridge.register("manifesto.presence." + m.id(), m.editor(), body -> {
      if (body.getBoolean("left", false)) {
        left.add(body.getString("clientId"));
      }
    });
    await(bridge.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.editor()));

    stalled.pause();
    // Each round publishes a 60,000-character insert, then its removal. Without the limit the server
    // would queue all of it for the stalled socket; localhost's socket buffers take a few MB at most.
    long published = 0;
    String chunk = "x".repeat(CHUNK);
    int rounds = 0;
    while (!left.contains(stalledId) && rounds < 1_000) {
      int length = writer.text().length();
      writer.edit(TextOperation.builder().retain(length).insert(chunk).build());
      writer.edit(TextOperation.builder().retain(length).delete(CHUNK).build());
      await(writer.whenIdle());
      published += CHUNK;
      rounds++;
    }
    assertTrue(left.contains(stalledId), "the stalled reader was never let go after " + published + " characters");
    assertTrue(writer.failures.isEmpty(), writer.failures.toString());
    long healthyBefore = healthy.receivedBytes();

    // The writer went on being served, and the document is whole.
    String before = writer.text();
    writer.edit(TextOperation.builder().retain(before.length()).insert(" Still here.").build());
    await(writer.whenIdle());
    assertEquals(before + " Still here.", server.read(m).getString("text"));
    assertFalse(left.contains(healthyId), "a reader that kept reading was let go");
    assertFalse(healthy.isClosed(), "a reader that kept reading was let go");
    until(() -> healthy.receivedBytes() > healthyBefore);
    assertTrue(healthy.receivedBytes() > published, "the reading client got " + healthy.receivedBytes()
        + " of " + published + " published characters");

    // When the stalled reader reads again it gets what its socket held, then the end of the connection;
    // not the rest. The server did not queue a WebSocket close frame behind the unread data (it would
    // wait there, holding the data, for as long as the reader does not read): it dropped the connection.
    stalled.resume();
    until(stalled::isClosed);
    long received = stalled.receivedBytes();
    assertTrue(received < published, "read " + received + " of " + published + " published characters");
    assertEquals((short) 1006, stalled.closeStatusCode(), "1006: closed without a close frame; 1000 would mean"
        + " a close frame queued behind the unread data");
    // It may come back at once and find the document as it is.
    BridgeClient again = await(server.connect());
    JsonObject reopened = await(again.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "out of the tunnel"),
        m.viewer()));
    assertEquals(before + " Still here.", reopened.getString("text"));
    assertFalse(again.isClosed());
    await(again.close());
    await(healthy.close());
    await(bridge.close());
  }

  @Test
  void onePublicationLargerThanTheLimitStillReachesAReader() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Large paste", "A chapter follows: ");
    BridgeClient reader = await(server.connect());
    String readerId = await(reader.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "reader"),
        m.viewer())).getString("clientId");
    CopyOnWriteArrayList<JsonObject> seen = new CopyOnWriteArrayList<>();
    reader.register("manifesto.doc." + m.id(), m.viewer(), seen::add);
    await(reader.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer()));

    BridgeClient bridge = await(server.connect());
    OtClient writer = await(OtClient.open(server.vertx(), bridge, m.id(), m.editor(), "writer"));
    String chapter = "\u4e2d".repeat(99_000); // 3 bytes each in UTF-8: one frame of ~300 KB, over the 256 KiB limit
    writer.edit(TextOperation.builder().retain(writer.text().length()).insert(chapter).build());
    await(writer.whenIdle());

    until(() -> !seen.isEmpty());
    assertEquals(1, seen.get(0).getInteger("revision"));
    assertFalse(reader.isClosed(), "a reader holding nothing was let go for one large publication");
    JsonObject participants = await(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "check"),
        m.viewer()));
    assertTrue(participants.getJsonArray("participants").stream()
        .anyMatch(p -> ((JsonObject) p).getString("clientId").equals(readerId)), participants.encode());
    await(reader.close());
    await(bridge.close());
  }

  private static BridgeClient connect(String transport) throws Exception {
    return await(transport.equals("raw") ? server.connect() : BridgeClient.connectSockJs(server.vertx(), server.port()));
  }
}
