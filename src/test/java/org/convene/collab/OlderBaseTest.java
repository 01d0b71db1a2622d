package org.convene.collab;

import static org.convene.testing.RandomEdits.randomEdit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convene.ot.TextOperation;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An edit whose base is older than what the sequencer keeps in memory (its window starts at the
 * snapshot it loaded) is brought up to date through the log, then through the shared log in
 * memory, and must come out as ot.js's transform in turn gives it.
 */
class OlderBaseTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void anEditMadeBeforeTheLoadedSnapshotIsTransformedAsInTurn() throws Exception {
    String start = "The quick brown fox jumps over the lazy dog.";
    TestServer.Manifesto m = server.createManifesto("Older", start);
    Random rnd = new Random(20261130);
    List<String> texts = new ArrayList<>(List.of(start));
    List<TextOperation> ops = new ArrayList<>();
    for (int r = 1; r <= 30; r++) {
      TextOperation op = randomEdit(rnd, texts.get(r - 1));
      ops.add(op);
      texts.add(op.apply(texts.get(r - 1)));
    }
    // History written straight into the log, with a snapshot at 20: the sequencer loads from there.
    String jdbc = "jdbc:postgresql://127.0.0.1:5432/" + server.config().pgConnectOptions().getDatabase();
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", null);
         PreparedStatement insert = c.prepareStatement(
             "INSERT INTO ops (doc, revision, client_id, seq, op, author, created_at) VALUES (?, ?, 'seed', ?, ?, 'Seed', now())");
         PreparedStatement snapshot = c.prepareStatement("INSERT INTO snapshots (doc, revision, text) VALUES (?, 20, ?)")) {
      for (int r = 1; r <= 30; r++) {
        insert.setString(1, m.id());
        insert.setInt(2, r);
        insert.setInt(3, r);
        insert.setString(4, ops.get(r - 1).toString());
        insert.executeUpdate();
      }
      snapshot.setString(1, m.id());
      snapshot.setString(2, texts.get(20));
      snapshot.executeUpdate();
    }

    BridgeClient bridge = server.connect().await(20, TimeUnit.SECONDS);
    JsonObject opened = bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Late"), m.editor())
        .await(20, TimeUnit.SECONDS);
    assertEquals(30, opened.getInteger("revision"));
    assertEquals(texts.get(30), opened.getString("text"));

    int base = 5;
    TextOperation late = TextOperation.builder().retain(3).insert("[late]").delete(2)
        .retain(texts.get(base).length() - 5).build();
    TextOperation inTurn = late;
    for (TextOperation op : ops.subList(base, 30)) {
      inTurn = TextOperation.transform(inTurn, op).a();
    }
    JsonObject reply = bridge.request("manifesto.edit", new JsonObject().put("doc", m.id())
        .put("clientId", opened.getString("clientId")).put("seq", 1).put("revision", base)
        .put("op", new JsonArray(late.toComponents())), m.editor()).await(20, TimeUnit.SECONDS);
    assertEquals(31, reply.getInteger("revision"));
    assertEquals(inTurn.apply(texts.get(30)), server.read(m).getString("text"));
  }
}
