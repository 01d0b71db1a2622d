package org.convene.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
}
