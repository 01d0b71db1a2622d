package org.convene.collab;

import static org.convene.testing.Wait.until;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  private static final int CLIENTS = 400;
  private static final int FIRST_WAVE = 300;

  @Test
  void editsPastCapacityAreRefusedWith429AndApplyOnceWhenSentAgain() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Busy", "");
    List<BridgeClient> bridges = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      bridges.add(server.connect().await(20, TimeUnit.SECONDS));
    }
    // Opened a few at a time: each open stores a client, and a shared machine can be slow.
    List<String> clientIds = new ArrayList<>();
    for (int wave = 0; wave < CLIENTS; wave += 20) {
      List<Future<JsonObject>> opens = new ArrayList<>();
      for (int i = wave; i < wave + 20; i++) {
        opens.add(bridges.get(i % 4).request("manifesto.open",
            new JsonObject().put("doc", m.id()).put("name", "Author " + i), m.editor()));
      }
      for (Future<JsonObject> o : opens) {
        clientIds.add(o.await(30, TimeUnit.SECONDS).getString("clientId"));
      }
    }

    List<Future<JsonObject>> edits = new ArrayList<>();
    String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + server.config().pgConnectOptions().getDatabase();
    try (Connection lock = DriverManager.getConnection(jdbc, "postgres", null)) {
      // The database stalls: nothing can be inserted into the log while this transaction lives.
      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE ops IN EXCLUSIVE MODE");
      for (int i = 0; i < FIRST_WAVE; i++) {
        edits.add(edit(bridges, m, clientIds, i));
      }
      // More authors keep typing while the first batch waits: once the batch has waited past the
      // document's capacity, their edits are refused rather than queued.
      int[] polls = {0};
      until(60, () -> {
        if (polls[0]++ % 10 == 0 && edits.size() < CLIENTS) {
          edits.add(edit(bridges, m, clientIds, edits.size()));
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

    List<Integer> refused = new ArrayList<>();
    for (int i = 0; i < edits.size(); i++) {
      try {
        edits.get(i).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        assertEquals(429, ((BridgeClient.BridgeError) edits.get(i).cause()).code);
        refused.add(i);
      }
    }
    assertFalse(refused.isEmpty());
    String text = server.read(m).getString("text");
    for (int i = 0; i < edits.size(); i++) {
      assertEquals(refused.contains(i) ? 0 : 1, count(text, marker(i)), "author " + i + " in " + text);
    }

    // Sent again, as a client does after its pause: same seq, same base revision.
    for (int i : refused) {
      edit(bridges, m, clientIds, i).await(30, TimeUnit.SECONDS);
    }
    text = server.read(m).getString("text");
    for (int i = 0; i < edits.size(); i++) {
      assertEquals(1, count(text, marker(i)), "author " + i + " once in " + text);
    }
    assertTrue(server.read(m).getInteger("revision") == edits.size());
  }

  private static Future<JsonObject> edit(List<BridgeClient> bridges, TestServer.Manifesto m, List<String> clientIds, int i) {
    return bridges.get(i % 4).request("manifesto.edit", new JsonObject().put("doc", m.id())
        .put("clientId", clientIds.get(i)).put("seq", 1).put("revision", 0)
        .put("op", new JsonArray().add(marker(i))), m.editor());
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
