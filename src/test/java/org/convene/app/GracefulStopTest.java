package org.convene.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.convene.security.RawWebSocket;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;

/**
 * Stopping (as on SIGTERM) refuses new connections, closes the bridge's sockets, lets queued edits commit
 * and snapshots the documents.
 */
class GracefulStopTest {
  @Test
  void stopFinishesCommitsAndLeavesASnapshotAtTheLastRevision() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestServer server = TestServer.start(vertx, Map.of("RATE_LIMIT_FRAMES", "0"));
    try {
      TestServer.Manifesto m = server.createManifesto("Stop", "");
      List<Future<JsonObject>> acks = new ArrayList<>();
      List<String> clientIds = new ArrayList<>();
      for (int c = 0; c < 20; c++) {
        BridgeClient b = server.connect().await(10, TimeUnit.SECONDS);
        String clientId = b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "w" + c), m.editor())
            .await(10, TimeUnit.SECONDS).getString("clientId");
        clientIds.add(clientId);
        acks.add(b.request("manifesto.edit", new JsonObject().put("doc", m.id()).put("clientId", clientId).put("seq", 1)
            .put("revision", 0).put("op", new JsonArray().add("w" + c + ";")), m.editor()));
      }
      acks.get(0).await(10, TimeUnit.SECONDS); // at least one edit has reached the sequencer
      server.stopServer();
      // What each writer was told: (clientId, seq) -> revision, for the edits acknowledged.
      Map<String, Integer> acknowledged = new TreeMap<>();
      for (int c = 0; c < acks.size(); c++) {
        try {
          acknowledged.put(clientIds.get(c) + "/1", acks.get(c).await(10, TimeUnit.SECONDS).getInteger("revision"));
        } catch (Exception e) {
          // the connection closed before the reply: the edit may or may not be stored, never half
        }
      }
      Map<String, Integer> stored = new TreeMap<>();
      int lastRevision = 0;
      try (Connection c = server.jdbc();
           ResultSet ops = c.createStatement().executeQuery("SELECT client_id, seq, revision FROM ops ORDER BY revision");
           ResultSet snap = c.createStatement().executeQuery("SELECT max(revision) FROM snapshots")) {
        while (ops.next()) {
          stored.put(ops.getString(1) + "/" + ops.getInt(2), ops.getInt(3));
          assertEquals(++lastRevision, ops.getInt(3), "revisions are contiguous");
        }
        snap.next();
        assertEquals(lastRevision, snap.getInt(1), "the last revision is snapshotted on stop");
      }
      assertTrue(!acknowledged.isEmpty(), "the first edit was acknowledged before the stop");
      acknowledged.forEach((edit, revision) -> assertEquals(revision, stored.get(edit),
          "acknowledged edit " + edit + " is stored at the revision its writer was told"));
      for (String edit : stored.keySet()) {
        assertTrue(clientIds.contains(edit.substring(0, edit.indexOf('/'))) && edit.endsWith("/1"), "a stored edit nobody sent: " + edit);
      }
      assertThrows(Exception.class, () -> vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET,
          server.port(), "127.0.0.1", "/health").compose(r -> r.send()).await(5, TimeUnit.SECONDS), "no longer listening");
    } finally {
      server.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /**
   * The order of a stop, seen from outside: while the collab verticle's final commit is held up (by a
   * lock this test keeps on {@code ops}), the HTTP side is gone and every bridge socket is already
   * closed: raw WebSocket with 1012 (restarting), SockJS with its close frame, and a client that never
   * answers a close frame has its TCP connection closed all the same. The two edits the sequencer had
   * accepted (one in the held commit, one queued behind it) are committed once the lock goes, though
   * nobody was told; after a restart each client's resend is answered {@code duplicate} at the
   * revision stored: nothing lost, nothing doubled.
   */
  @Test
  void socketsCloseBeforeTheFinalCommitAndItsEditsAreAnsweredDuplicateAfterARestart() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestServer server = TestServer.start(vertx, Map.of("RATE_LIMIT_FRAMES", "0", "METRICS", "true"));
    Map<String, String> sameDatabase = Map.of("RATE_LIMIT_FRAMES", "0", "DATABASE_URL", server.config().databaseUrl());
    try (Connection lock = server.jdbc(); Connection watch = server.jdbc();
         RawWebSocket silent = RawWebSocket.connect(server.port(), "/eventbus/websocket")) {
      TestServer.Manifesto m = server.createManifesto("Stop", "");
      BridgeClient raw = server.connect().await(10, TimeUnit.SECONDS);
      BridgeClient sockJs = BridgeClient.connectSockJs(vertx, server.port()).await(10, TimeUnit.SECONDS);
      JsonObject rawOpen = open(raw, m, "Raw");
      JsonObject sockJsOpen = open(sockJs, m, "Sock");
      // The silent client is known to the bridge once a request of its own is answered.
      silent.frame(true, false, RawWebSocket.TEXT, new JsonObject().put("type", "send").put("address", "manifesto.open")
          .put("body", new JsonObject().put("doc", m.id()).put("name", "Silent")).put("replyAddress", "r1")
          .put("headers", new JsonObject().put("token", m.viewer())).encode().getBytes(StandardCharsets.UTF_8));
      RawWebSocket.Frame reply = silent.read();
      while (reply != null && !reply.text().contains("\"r1\"")) {
        reply = silent.read();
      }
      assertNotNull(reply, "the silent client's open is answered");

      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE ops IN EXCLUSIVE MODE");
      Future<JsonObject> held = raw.request("manifesto.edit", edit(m, rawOpen, "raw;"), m.editor());
      Wait.until(30, () -> commitWaitingForTheLock(watch), () -> "the raw client's edit is being committed");
      Future<JsonObject> queued = sockJs.request("manifesto.edit", edit(m, sockJsOpen, "sockjs;"), m.editor());
      Wait.until(30, () -> queuedEdits(server) == 1, () -> "the SockJS client's edit is queued behind that commit");

      silent.frame(true, false, RawWebSocket.TEXT, "{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
      Set<String> deployed = vertx.deploymentIDs();
      CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
        try {
          server.stopServer();
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      Wait.until(30, () -> vertx.deploymentIDs().size() < deployed.size(), () -> "the HTTP side stops");
      // The HTTP side is gone and the final commit is still held: every socket must be closed by now.
      RawWebSocket.Frame close = silent.readUntilClose();
      assertNotNull(close, "a close frame before the end of the stream");
      assertEquals(RESTARTING, close.closeCode(), "the raw endpoint's close frame: restarting");
      silent.socket.setSoTimeout(5_000); // a bound: the connection is closed already, not after its close answer
      try {
        assertTrue(silent.endOfStream());
      } catch (java.net.SocketTimeoutException stillOpen) {
        throw new AssertionError("the HTTP side stopped with a socket still open, waiting for its client's close frame");
      }
      Wait.until(30, () -> raw.isClosed() && sockJs.isClosed(), () -> "the other clients see their sockets closed");
      assertEquals(RESTARTING, raw.closeStatusCode().intValue());
      assertEquals("c[3000,\"Go away!\"]", sockJs.sockJsClose(), "SockJS's own close frame");
      assertThrows(Exception.class, () -> held.await(10, TimeUnit.SECONDS), "not acknowledged: the commit is held");
      assertThrows(Exception.class, () -> queued.await(10, TimeUnit.SECONDS), "not acknowledged: queued behind it");
      assertEquals(0, storedOps(lock).size(), "nothing committed yet");
      assertFalse(stop.isDone(), "the collab verticle's final commit waits for the lock");

      lock.commit();
      stop.get(60, TimeUnit.SECONDS);
      Map<String, Integer> stored = storedOps(watch);
      assertEquals(Set.of(rawOpen.getString("clientId") + "/1", sockJsOpen.getString("clientId") + "/1"), stored.keySet(),
          "both accepted edits are committed by the stop, once");

      try (TestServer restarted = TestServer.start(vertx, sameDatabase)) {
        for (JsonObject opened : List.of(rawOpen, sockJsOpen)) {
          BridgeClient again = restarted.connect().await(10, TimeUnit.SECONDS);
          JsonObject resumed = again.request("manifesto.open", new JsonObject().put("doc", m.id())
              .put("name", "Again").put("resume", opened.getString("resume")), m.editor()).await(10, TimeUnit.SECONDS);
          assertEquals(opened.getString("clientId"), resumed.getString("clientId"));
          String op = opened == rawOpen ? "raw;" : "sockjs;";
          JsonObject answer = again.request("manifesto.edit", edit(m, resumed, op), m.editor()).await(10, TimeUnit.SECONDS);
          assertEquals(Boolean.TRUE, answer.getBoolean("duplicate"), "the resend of " + op + " is a duplicate: " + answer);
          assertEquals(stored.get(opened.getString("clientId") + "/1"), answer.getInteger("revision"));
          again.close();
        }
        String text = restarted.read(m).getString("text");
        assertEquals("raw;sockjs;".length(), text.length(), text);
        assertTrue(text.contains("raw;") && text.contains("sockjs;"), text);
      }
    } finally {
      server.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static final int RESTARTING = 1012;

  private static JsonObject open(BridgeClient b, TestServer.Manifesto m, String name) throws Exception {
    return b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", name), m.editor())
        .await(10, TimeUnit.SECONDS);
  }

  /** The client's first edit, on the empty document. */
  private static JsonObject edit(TestServer.Manifesto m, JsonObject opened, String text) {
    return new JsonObject().put("doc", m.id()).put("clientId", opened.getString("clientId")).put("seq", 1)
        .put("revision", 0).put("op", new JsonArray().add(text));
  }

  private static boolean commitWaitingForTheLock(Connection c) {
    try (ResultSet r = c.createStatement().executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = "
        + "current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO ops%'")) {
      r.next();
      return r.getInt(1) > 0;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** convene_sequencer_queued: edits accepted by the sequencers, waiting for the next batch. */
  private static int queuedEdits(TestServer server) {
    String body;
    try {
      body = server.http().get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(e);
    }
    for (String line : body.split("\n")) {
      if (line.startsWith("convene_sequencer_queued ")) {
        return (int) Double.parseDouble(line.substring(line.indexOf(' ') + 1));
      }
    }
    throw new AssertionError("no convene_sequencer_queued in /metrics");
  }

  /** (clientId/seq) -> revision, for every stored op. */
  private static Map<String, Integer> storedOps(Connection c) throws SQLException {
    Map<String, Integer> stored = new HashMap<>();
    try (ResultSet ops = c.createStatement().executeQuery("SELECT client_id, seq, revision FROM ops")) {
      while (ops.next()) {
        assertEquals(null, stored.put(ops.getString(1) + "/" + ops.getInt(2), ops.getInt(3)), "stored twice");
      }
    }
    return stored;
  }
}
