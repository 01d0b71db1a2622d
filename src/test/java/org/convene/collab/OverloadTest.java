package org.convene.collab;

import static org.convene.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Past a document's capacity new edits are refused with 429 at once instead of queueing without
 * bound; a refused edit changed nothing, and sent again with the same seq it is applied once.
 */
class OverloadTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("RATE_LIMIT_FRAMES", "0"));

  /**
   * Few participants: the queue is long because four clients send many edits without waiting, each
   * on a connection of its own (a connection may have at most 100 replies pending).
   */
  private static final int BURSTING = 4;
  private static final int BURST = 80;
  private static final int CLIENTS = 64;

  @Test
  void editsPastCapacityAreRefusedWith429AndApplyOnceWhenSentAgain() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Busy", "");
    List<BridgeClient> bridges = new ArrayList<>();
    for (int i = 0; i < 2 * BURSTING; i++) {
      bridges.add(server.connect().await(20, TimeUnit.SECONDS));
    }
    List<String> clientIds = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clientIds.add(bridge(bridges, i).request("manifesto.open",
          new JsonObject().put("doc", m.id()).put("name", "Author " + i), m.editor()).await(30, TimeUnit.SECONDS)
          .getString("clientId"));
    }

    List<Future<JsonObject>> burst = new ArrayList<>();
    List<Future<JsonObject>> edits = new ArrayList<>(); // edits.get(i) is author BURSTING + i's
    String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + server.config().pgConnectOptions().getDatabase();
    try (Connection lock = DriverManager.getConnection(jdbc, "postgres", null)) {
      // The database stalls: nothing can be inserted into the log while this transaction lives.
      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE ops IN EXCLUSIVE MODE");
      // A few clients send many edits without waiting for answers: they queue, in order.
      for (int s = 1; s <= BURST; s++) {
        for (int b = 0; b < BURSTING; b++) {
          burst.add(send(bridges.get(b), m, clientIds.get(b), s, "<" + b + "." + s + ">"));
        }
      }
      // The others keep typing while the first batch waits: once the queue would wait past the
      // document's capacity, their edits are refused rather than queued.
      int[] polls = {0};
      until(25, () -> { // under the bridge's 30 s ping timeout, which would close these sockets
        if (polls[0]++ % 10 == 0 && BURSTING + edits.size() < CLIENTS) {
          edits.add(edit(bridges, m, clientIds, BURSTING + edits.size()));
        }
        return edits.stream().anyMatch(Future::failed);
      }, () -> "an edit refused while the log is locked with " + edits.size() + " edits sent");
      for (Future<JsonObject> e : edits) {
        assertFalse(e.succeeded(), "nothing is acknowledged before it is committed");
        if (e.failed()) {
          assertEquals(429, ((BridgeClient.BridgeError) e.cause()).code, e.cause().getMessage());
        }
      }
      lock.rollback();
    }

    for (Future<JsonObject> b : burst) {
      b.await(30, TimeUnit.SECONDS);
    }
    List<Integer> refused = new ArrayList<>();
    for (int i = 0; i < edits.size(); i++) {
      try {
        edits.get(i).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        assertEquals(429, ((BridgeClient.BridgeError) edits.get(i).cause()).code);
        refused.add(BURSTING + i);
      }
    }
    assertFalse(refused.isEmpty());
    String text = server.read(m).getString("text");
    for (int a = BURSTING; a < BURSTING + edits.size(); a++) {
      assertEquals(refused.contains(a) ? 0 : 1, count(text, marker(a)), "author " + a + " in " + text);
    }

    // Sent again, as a client does after its pause: same seq, same base revision.
    for (int a : refused) {
      edit(bridges, m, clientIds, a).await(30, TimeUnit.SECONDS);
    }
    text = server.read(m).getString("text");
    for (int a = BURSTING; a < BURSTING + edits.size(); a++) {
      assertEquals(1, count(text, marker(a)), "author " + a + " once in " + text);
    }
    for (int s = 1; s <= BURST; s++) {
      for (int b = 0; b < BURSTING; b++) {
        assertEquals(1, count(text, "<" + b + "." + s + ">"), "edit " + s + " of author " + b + " once");
      }
    }
    assertEquals(BURSTING * BURST + edits.size(), server.read(m).getInteger("revision"));
  }

  private static Future<JsonObject> send(BridgeClient bridge, TestServer.Manifesto m, String clientId, int seq, String text) {
    return bridge.request("manifesto.edit", new JsonObject().put("doc", m.id())
        .put("clientId", clientId).put("seq", seq).put("revision", 0)
        .put("op", new JsonArray().add(text)), m.editor());
  }

  private static Future<JsonObject> edit(List<BridgeClient> bridges, TestServer.Manifesto m, List<String> clientIds, int i) {
    return send(bridge(bridges, i), m, clientIds.get(i), 1, marker(i));
  }

  /** The bursting clients have a connection each; the others share the rest. */
  private static BridgeClient bridge(List<BridgeClient> bridges, int client) {
    return client < BURSTING ? bridges.get(client) : bridges.get(BURSTING + client % BURSTING);
  }

  private static String marker(int i) {
    return "<" + i + ">";
  }

  private static int count(String text, String marker) {
    int n = 0;
    for (int at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + 1)) {
      n++;
    }
    return n;
  }
}
