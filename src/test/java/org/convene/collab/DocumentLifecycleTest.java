package org.convene.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The promises of docs/ARCHITECTURE.md about a document's life in memory, checked through what the
 * database holds rather than through time: a second writer is fenced off by {@code (doc, revision)},
 * snapshots are written every 1,000 revisions and on unload, opening reads the newest snapshot and the
 * operations after it, and idle documents are unloaded (after one second here, IDLE_UNLOAD_SECONDS).
 *
 * <p>A row written behind the server's back is how each test sees whether the document was reloaded:
 * a loaded sequencer does not read the database again, a reloaded one shows the row.
 */
class DocumentLifecycleTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("IDLE_UNLOAD_SECONDS", "1", "RATE_LIMIT_FRAMES", "0"));

  /** What reached the Vert.x exception handler: a timer or handler that threw. */
  static final List<Throwable> uncaught = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void recordUncaught() {
    server.vertx().exceptionHandler(uncaught::add);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  /**
   * Issue 9: the idle sweep removed documents from the map it was iterating over whenever a document's
   * last snapshot was current (its quiesce completes at once), and threw ConcurrentModificationException.
   */
  @Test
  void theIdleSweepUnloadsDocumentsNeverEditedWithoutThrowing() throws Exception {
    uncaught.clear();
    List<TestServer.Manifesto> docs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestServer.Manifesto m = server.createManifesto("Idle " + i, "abc");
      assertEquals("abc", open(m).getString("text")); // loaded, then nobody is connected
      docs.add(m);
    }
    try (Connection c = server.jdbc()) {
      for (TestServer.Manifesto m : docs) {
        insertOp(c, m.id(), 1, "outsider", 1, "[3,\"!\"]");
      }
    }
    for (TestServer.Manifesto m : docs) {
      reloadedWith(m, "abc!", 1);
    }
    assertEquals(List.of(), uncaught, "exceptions thrown on the event loop (the idle sweep)");
  }

  /** An idle document gets a snapshot at its last revision, then leaves memory. */
  @Test
  void anIdleDocumentIsSnapshottedAndUnloaded() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Unload", "");
    BridgeClient b = await(server.connect());
    String clientId = await(b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "w"), m.editor()))
        .getString("clientId");
    await(b.request("manifesto.edit", edit(m.id(), clientId, 1, 0, new JsonArray().add("hello")), m.editor()));
    await(b.close());
    Wait.until(30, () -> snapshotRevisions(m.id()).contains(1), () -> "a snapshot at revision 1: " + snapshotRevisions(m.id()));
    try (Connection c = server.jdbc()) {
      insertOp(c, m.id(), 2, "outsider", 1, "[5,\" world\"]");
    }
    reloadedWith(m, "hello world", 2);
  }

  /**
   * (doc, revision) is the primary key of ops: a row another writer stored at the revision the
   * sequencer is about to take makes its commit fail; the sequencer is dropped, the document reloaded,
   * and the retried edit lands after the foreign row, transformed against it. History does not fork.
   */
  @Test
  void aForeignRowAtTheNextRevisionFencesTheSequencer() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Fence", "abc");
    BridgeClient b = await(server.connect()); // stays connected: the document is never idle-unloaded
    String clientId = await(b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "w"), m.editor()))
        .getString("clientId");
    assertEquals(1, (int) await(b.request("manifesto.edit", edit(m.id(), clientId, 1, 0, new JsonArray().add(3).add("!")),
        m.editor())).getInteger("revision"));
    try (Connection c = server.jdbc()) {
      insertOp(c, m.id(), 2, "outsider", 1, "[4,\"?\"]");
    }
    JsonObject second = edit(m.id(), clientId, 2, 1, new JsonArray().add("<").add(4));
    try {
      await(b.request("manifesto.edit", second, m.editor()));
      fail("the commit at a revision already taken must fail");
    } catch (BridgeClient.BridgeError e) {
      assertEquals(503, e.code, e.getMessage());
    }
    JsonObject retried = await(b.request("manifesto.edit", second, m.editor()));
    assertEquals(3, (int) retried.getInteger("revision"), retried.encode());
    try (Connection c = server.jdbc();
         PreparedStatement q = c.prepareStatement("SELECT revision, client_id, seq, op FROM ops WHERE doc = ? ORDER BY revision")) {
      q.setString(1, m.id());
      List<String> rows = new ArrayList<>();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          rows.add(r.getInt(1) + " " + r.getString(2) + " " + r.getInt(3) + " " + r.getString(4));
        }
      }
      assertEquals(List.of("1 " + clientId + " 1 [3,\"!\"]", "2 outsider 1 [4,\"?\"]", "3 " + clientId + " 2 [\"<\",5]"), rows);
    }
    assertEquals("<abc!?", server.read(m).getString("text"));
    await(b.close());
  }

  /**
   * 2,100 edits in bursts of 50: a snapshot follows every 1,000 revisions (within one batch), and one
   * more is written on unload. Then everything but the newest regular snapshot and the operations after
   * it is deleted, and that snapshot's text replaced by other letters of the same length: the reopened
   * document is exactly that snapshot plus those operations, so opening read nothing else.
   */
  @Test
  void openingReadsTheNewestSnapshotAndTheOperationsAfterItOnly() throws Exception {
    int edits = 2_100;
    int burst = 50;
    TestServer.Manifesto m = server.createManifesto("Long", "");
    BridgeClient b = await(server.connect());
    String clientId = await(b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "w"), m.editor()))
        .getString("clientId");
    int seq = 0;
    for (int base = 0; base < edits; base += burst) {
      List<Future<JsonObject>> replies = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        JsonArray op = base == 0 ? new JsonArray().add("a") : new JsonArray().add(base).add("a");
        replies.add(b.request("manifesto.edit", edit(m.id(), clientId, ++seq, base, op), m.editor()));
      }
      await(Future.all(replies));
    }
    await(b.close());
    Wait.until(30, () -> snapshotRevisions(m.id()).contains(edits), () -> "the snapshot on unload: " + snapshotRevisions(m.id()));

    List<Integer> snapshots = snapshotRevisions(m.id());
    assertEquals(0, snapshots.get(0), snapshots.toString());
    assertEquals(edits, snapshots.get(snapshots.size() - 1), snapshots.toString());
    List<Integer> regular = snapshots.subList(0, snapshots.size() - 1);
    assertEquals(3, regular.size(), "snapshots at 0 and after each 1,000 revisions: " + snapshots);
    for (int i = 1; i < regular.size(); i++) {
      int gap = regular.get(i) - regular.get(i - 1);
      assertTrue(gap >= 1_000 && gap < 1_000 + burst, "one snapshot per 1,000 revisions, within a batch: " + snapshots);
    }

    int kept = regular.get(regular.size() - 1);
    try (Connection c = server.jdbc()) {
      update(c, "DELETE FROM snapshots WHERE doc = ? AND revision <> " + kept, m.id());
      update(c, "DELETE FROM ops WHERE doc = ? AND revision <= " + kept, m.id());
      update(c, "UPDATE snapshots SET text = repeat('b', " + kept + ") WHERE doc = ?", m.id());
    }
    reloadedWith(m, "b".repeat(kept) + "a".repeat(edits - kept), edits);
  }

  private static JsonObject edit(String doc, String clientId, int seq, int revision, JsonArray op) {
    return new JsonObject().put("doc", doc).put("clientId", clientId).put("seq", seq).put("revision", revision).put("op", op);
  }

  /** Opens on a connection of its own and closes it, so the document is left with nobody connected. */
  private static JsonObject open(TestServer.Manifesto m) throws Exception {
    BridgeClient b = await(server.connect());
    try {
      return await(b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "reader"), m.viewer()));
    } finally {
      await(b.close());
    }
  }

  /** Waits until an open answers the given text and revision, which only a reload from the database can. */
  private static void reloadedWith(TestServer.Manifesto m, String text, int revision) throws Exception {
    JsonObject[] last = new JsonObject[1];
    Wait.until(30, () -> {
      try {
        last[0] = open(m);
        if (!last[0].getString("text").equals(text)) {
          Thread.sleep(100);
          return false;
        }
        return true;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }, () -> "reloaded from the database with '" + abbreviate(text) + "'; last open: "
        + abbreviate(last[0] == null ? "none" : last[0].getString("text")));
    assertEquals(revision, (int) last[0].getInteger("revision"));
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 30) + "..." + s.substring(s.length() - 30) + " (" + s.length() + ")";
  }

  private static void insertOp(Connection c, String doc, int revision, String clientId, int seq, String op) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(
        "INSERT INTO ops (doc, revision, client_id, seq, op, author, created_at) VALUES (?, ?, ?, ?, ?, 'Outsider', now())")) {
      s.setString(1, doc);
      s.setInt(2, revision);
      s.setString(3, clientId);
      s.setInt(4, seq);
      s.setString(5, op);
      s.executeUpdate();
    }
  }

  private static void update(Connection c, String sql, String doc) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, doc);
      s.executeUpdate();
    }
  }

  private static List<Integer> snapshotRevisions(String doc) {
    try (Connection c = server.jdbc();
         PreparedStatement q = c.prepareStatement("SELECT revision FROM snapshots WHERE doc = ? ORDER BY revision")) {
      q.setString(1, doc);
      List<Integer> revisions = new ArrayList<>();
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          revisions.add(r.getInt(1));
        }
      }
      return revisions;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
