package org.convene.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Stopping (as on SIGTERM) refuses new connections, lets queued edits commit and snapshots the documents. */
class GracefulStopTest {
  @Test
  void stopFinishesCommitsAndLeavesASnapshotAtTheLastRevision() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestServer server = TestServer.start(vertx, Map.of("RATE_LIMIT_FRAMES", "0"));
    try {
      TestServer.Manifesto m = server.createManifesto("Stop", "");
      List<Future<JsonObject>> acks = new ArrayList<>();
      for (int c = 0; c < 20; c++) {
        BridgeClient b = server.connect().await(10, TimeUnit.SECONDS);
        String clientId = b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "w" + c), m.editor())
            .await(10, TimeUnit.SECONDS).getString("clientId");
        acks.add(b.request("manifesto.edit", new JsonObject().put("doc", m.id()).put("clientId", clientId).put("seq", 1)
            .put("revision", 0).put("op", new JsonArray().add("w" + c + ";")), m.editor()));
      }
      acks.get(0).await(10, TimeUnit.SECONDS); // at least one edit has reached the sequencer
      server.stopServer();
      int acknowledged = 0;
      for (Future<JsonObject> a : acks) {
        try {
          a.await(10, TimeUnit.SECONDS);
          acknowledged++;
        } catch (Exception e) {
          // the connection closed before the reply: the edit may or may not be stored, never half
        }
      }
      String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + server.config().pgConnectOptions().getDatabase();
      try (Connection c = DriverManager.getConnection(jdbc, "postgres", null);
           ResultSet ops = c.createStatement().executeQuery("SELECT count(*), coalesce(max(revision), 0) FROM ops");
           ResultSet snap = c.createStatement().executeQuery("SELECT max(revision) FROM snapshots")) {
        ops.next();
        snap.next();
        int stored = ops.getInt(1);
        assertTrue(stored >= 1 && stored >= acknowledged, "every acknowledged edit is stored: " + stored + " < " + acknowledged);
        assertEquals(stored, ops.getInt(2), "revisions are contiguous");
        assertEquals(ops.getInt(2), snap.getInt(1), "the last revision is snapshotted on stop");
      }
      assertThrows(Exception.class, () -> vertx.createHttpClient().request(io.vertx.core.http.HttpMethod.GET,
          server.port(), "127.0.0.1", "/health").compose(r -> r.send()).await(5, TimeUnit.SECONDS), "no longer listening");
    } finally {
      server.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
