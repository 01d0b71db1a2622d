package org.convene.collab;

import org.convene.testing.Seed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.convene.ot.TextOperation;
import static org.convene.testing.RandomEdits.randomEdit;
import static org.convene.testing.Wait.until;

import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Editing through the real bridge against the real database. */
class LiveEditingTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  /**
   * Many clients send each WebSocket message as one frame (Node's ws, Vert.x's client as used here):
   * a paste as large as an op may be must fit in one.
   */
  @Test
  void theLargestAllowedPasteArrivesInOneFrame() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Paste", "");
    OtClient c = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "paster"));
    // Arabic: 2 bytes a unit in UTF-8, so the frame is about 200 KB, far over 64 KiB.
    String text = "\u0646\u062d\u0646 ".repeat((server.config().limits().maxOperationLength() - 1) / 4);
    c.edit(TextOperation.builder().insert(text).build());
    await(c.whenIdle());
    assertTrue(c.failures.isEmpty(), c.failures.toString());
    assertEquals(text, server.read(m).getString("text"));
  }

  /** Over the 1 MiB a message may carry, in one frame or several, the connection is closed and nothing changes. */
  @Test
  void aMessageOverOneMebibyteClosesTheConnectionAndChangesNothing() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Too much", "Short.");
    OtClient c = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "flooder"));
    BridgeClient raw = await(server.connect());
    raw.raw(new JsonObject().put("type", "send").put("address", "manifesto.edit").put("replyAddress", "r")
        .put("headers", new JsonObject().put("token", m.editor()))
        .put("body", new JsonObject().put("doc", m.id()).put("clientId", c.clientId()).put("seq", 1).put("revision", 0)
            .put("op", new JsonArray().add(6).add("x".repeat(1 << 20))))
        .encode());
    until(raw::isClosed);
    assertEquals((short) 1009, raw.closeStatusCode(), "1009: message too big");
    assertEquals("Short.", server.read(m).getString("text"));
    assertEquals(0, server.read(m).getInteger("revision"));
  }

  @Test
  void concurrentClientsConvergeToTheServersText() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Converge", "We, the undersigned, ");
    List<OtClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "writer " + i)));
    }
    long seed = Seed.of("live.seed");
    Random rnd = new Random(seed);
    for (int round = 0; round < 150; round++) {
      OtClient c = clients.get(rnd.nextInt(clients.size()));
      synchronized (c) {
        c.edit(randomEdit(rnd, c.text()));
      }
      if (round % 10 == 0) {
        Thread.sleep(2);
      }
    }
    for (OtClient c : clients) {
      await(c.whenIdle());
    }
    JsonObject stored = server.read(m);
    until(() -> clients.stream().allMatch(c -> c.revision() == stored.getInteger("revision")));
    for (OtClient c : clients) {
      assertTrue(c.failures.isEmpty(), Seed.replay("live.seed", seed) + ": " + c.failures);
      assertEquals(stored.getString("text"), c.text(), Seed.replay("live.seed", seed) + " client " + c.clientId());
    }
    assertEquals(clients.stream().mapToInt(OtClient::lastSeq).sum(), stored.getInteger("revision"),
        Seed.replay("live.seed", seed) + ": every submission is applied exactly once");
  }

  @Test
  void aResentSeqIsAnsweredWithItsRevisionAndNotAppliedTwice() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Once", "abc");
    BridgeClient bridge = await(server.connect());
    JsonObject opened = await(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Amal"), m.editor()));
    JsonObject edit = new JsonObject().put("doc", m.id()).put("clientId", opened.getString("clientId"))
        .put("seq", 1).put("revision", 0).put("op", new JsonArray().add(3).add("d"));
    JsonObject first = await(bridge.request("manifesto.edit", edit, m.editor()));
    JsonObject again = await(bridge.request("manifesto.edit", edit, m.editor()));
    assertEquals(1, first.getInteger("revision"));
    assertEquals(1, again.getInteger("revision"));
    assertEquals(true, again.getBoolean("duplicate"));
    JsonObject stored = server.read(m);
    assertEquals("abcd", stored.getString("text"));
    assertEquals(1, stored.getInteger("revision"));
  }

  @Test
  void aClientThatMissedOpsCatchesUpThroughHistoryAndKeepsItsId() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Catch up", "Hello");
    BridgeClient first = await(server.connect());
    OtClient away = await(OtClient.open(server.vertx(), first, m.id(), m.editor(), "Away"));
    String id = away.clientId();
    away.disconnected();
    await(first.close());
    away.edit(TextOperation.builder().retain(5).insert(" world").build()); // typed while offline

    OtClient other = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "Other"));
    for (int i = 0; i < 5; i++) {
      other.edit(TextOperation.builder().insert("" + i).retain(other.text().length()).build());
      await(other.whenIdle());
    }
    await(away.reconnect(await(server.connect())));
    assertEquals(id, away.clientId(), "resume keeps the clientId");
    await(away.whenIdle());
    JsonObject stored = server.read(m);
    until(() -> other.revision() == stored.getInteger("revision") && away.revision() == stored.getInteger("revision"));
    assertEquals("43210Hello world", stored.getString("text"));
    assertEquals(stored.getString("text"), away.text());
    assertEquals(stored.getString("text"), other.text());
  }

  @Test
  void historyReturnsTheRangeAscendingWithAuthors() throws Exception {
    TestServer.Manifesto m = server.createManifesto("History", "");
    OtClient c = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "Farid"));
    for (int i = 0; i < 6; i++) {
      c.edit(TextOperation.builder().retain(c.text().length()).insert("x").build());
      await(c.whenIdle());
    }
    BridgeClient viewer = await(server.connect());
    JsonObject h = await(viewer.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 2).put("to", 5), m.viewer()));
    JsonArray ops = h.getJsonArray("ops");
    assertEquals(3, ops.size());
    for (int i = 0; i < 3; i++) {
      JsonObject op = ops.getJsonObject(i);
      assertEquals(3 + i, op.getInteger("revision"));
      assertEquals("Farid", op.getString("name"));
      assertEquals(3 + i, op.getInteger("seq"));
      assertEquals(new JsonArray().add(2 + i).add("x"), op.getJsonArray("op"));
      assertTrue(op.getString("time").endsWith("Z"));
    }
  }

  @Test
  void publishedOpsReachViewersAndPresenceShowsWhoIsHere() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Presence", "abc");
    BridgeClient viewer = await(server.connect());
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    List<JsonObject> presence = new CopyOnWriteArrayList<>();
    viewer.register("manifesto.doc." + m.id(), m.viewer(), seen::add);
    viewer.register("manifesto.presence." + m.id(), m.viewer(), presence::add);
    await(viewer.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Watcher"), m.viewer()));

    BridgeClient editorBridge = await(server.connect());
    OtClient editor = await(OtClient.open(server.vertx(), editorBridge, m.id(), m.editor(), "Leila"));
    editorBridge.send("manifesto.presence", new JsonObject().put("doc", m.id()).put("clientId", editor.clientId())
        .put("selection", new JsonObject().put("ranges", new JsonArray().add(new JsonObject().put("anchor", 1).put("head", 2)))), m.editor());
    editor.edit(TextOperation.builder().retain(3).insert("!").build());
    await(editor.whenIdle());
    until(() -> !seen.isEmpty() && presence.stream().anyMatch(p -> p.containsKey("selection")
        && !p.getJsonObject("selection").getJsonArray("ranges").isEmpty()));
    JsonObject op = seen.get(0);
    assertEquals(1, op.getInteger("revision"));
    assertEquals("Leila", op.getString("name"));
    JsonObject cursor = presence.stream().filter(p -> editor.clientId().equals(p.getString("clientId"))
        && !p.getJsonObject("selection").getJsonArray("ranges").isEmpty()).findFirst().orElseThrow();
    assertEquals("Leila", cursor.getString("name"));
    assertTrue(cursor.getString("color").matches("#[0-9a-f]{6}"));

    // Positions refer to the sender's revision; one from the future is clamped to the server's.
    for (int claimed : new int[] {0, 99}) {
      editorBridge.send("manifesto.presence", new JsonObject().put("doc", m.id()).put("clientId", editor.clientId())
          .put("revision", claimed).put("selection", new JsonObject().put("ranges",
              new JsonArray().add(new JsonObject().put("anchor", claimed).put("head", claimed)))), m.editor());
    }
    until(() -> presence.stream().anyMatch(p -> p.getInteger("revision") == 0
            && p.getJsonObject("selection").getJsonArray("ranges").encode().contains("\"anchor\":0"))
        && presence.stream().anyMatch(p -> p.getInteger("revision") == 1
            && p.getJsonObject("selection").getJsonArray("ranges").encode().contains("\"anchor\":99")));

    await(editorBridge.close());
    until(() -> presence.stream().anyMatch(p -> editor.clientId().equals(p.getString("clientId")) && p.getBoolean("left", false)));
  }

  /** The text is edited in place while a batch commits: an open must still get a committed (revision, text) pair. */
  @Test
  void opensDuringEditingGetTheTextOfTheirRevision() throws Exception {
    String initial = "Les migrants sont ";
    TestServer.Manifesto m = server.createManifesto("Opens", initial);
    List<OtClient> writers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      writers.add(await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "w" + i)));
    }
    BridgeClient reader = await(server.connect());
    long seed = Seed.of("live.seed");
    Random rnd = new Random(seed);
    List<Future<JsonObject>> opens = new ArrayList<>();
    for (int round = 0; round < 300; round++) {
      OtClient c = writers.get(rnd.nextInt(writers.size()));
      synchronized (c) {
        c.edit(randomEdit(rnd, c.text()));
      }
      if (round % 10 == 0) {
        opens.add(reader.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Reader"), m.viewer()));
        Thread.sleep(1);
      }
    }
    for (OtClient c : writers) {
      await(c.whenIdle());
    }
    JsonObject history = await(reader.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer()));
    List<String> texts = new ArrayList<>(List.of(initial));
    for (Object o : history.getJsonArray("ops")) {
      JsonObject op = (JsonObject) o;
      assertEquals(texts.size(), op.getInteger("revision"));
      texts.add(TextOperation.fromComponents(op.getJsonArray("op").getList()).apply(texts.get(texts.size() - 1)));
    }
    for (Future<JsonObject> f : opens) {
      JsonObject opened = await(f);
      assertEquals(texts.get(opened.getInteger("revision")), opened.getString("text"),
          Seed.replay("live.seed", seed) + ": open at revision " + opened.getInteger("revision"));
    }
  }

  @Test
  void publicationsStopAfterUnregisterAndGoOnForOthers() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Subscriptions", "abc");
    String address = "manifesto.doc." + m.id();
    BridgeClient stays = await(server.connect());
    BridgeClient leaves = await(server.connect());
    BridgeClient closes = await(server.connect());
    List<JsonObject> toStays = new CopyOnWriteArrayList<>();
    List<JsonObject> toLeaves = new CopyOnWriteArrayList<>();
    List<JsonObject> raw = new CopyOnWriteArrayList<>();
    stays.register(address, m.viewer(), toStays::add);
    leaves.register(address, m.viewer(), toLeaves::add);
    closes.register(address, m.viewer(), msg -> { });
    // A registration that the gate refuses (wrong manifesto's token) must not be fed either.
    TestServer.Manifesto other = server.createManifesto("Other", "");
    BridgeClient refused = await(server.connect());
    refused.register(address, other.viewer(), raw::add);
    for (BridgeClient b : List.of(stays, leaves, closes)) {
      await(b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Watcher"), m.viewer()));
    }
    BridgeClient editorBridge = await(server.connect());
    OtClient editor = await(OtClient.open(server.vertx(), editorBridge, m.id(), m.editor(), "Amal"));
    editor.edit(TextOperation.builder().retain(3).insert("1").build());
    await(editor.whenIdle());
    until(() -> toStays.size() == 1 && toLeaves.size() == 1);

    leaves.unregister(address);
    await(closes.close());
    // The unregister frame is handled before this request on the same connection.
    await(leaves.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer()));
    editor.edit(TextOperation.builder().retain(4).insert("2").build());
    await(editor.whenIdle());
    until(() -> toStays.size() == 2);
    assertEquals(2, toStays.get(1).getInteger("revision"));
    // Anything written to these sockets before this reply would have arrived before it.
    await(leaves.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer()));
    await(refused.request("manifesto.history", new JsonObject().put("doc", other.id()).put("from", 0), other.viewer()));
    assertEquals(1, toLeaves.size());
    assertTrue(leaves.unclaimed.isEmpty(), leaves.unclaimed.toString());
    assertTrue(raw.isEmpty(), raw.toString());
  }

  /**
   * Edits that queue while a batch commits go out together: the first writer's commit is held by a
   * lock on ops, the 29 other edits are known to be queued (each writer's next request, answered after
   * its edit was taken, has come back), then the lock is released. So at most two messages, whatever
   * the machine's speed, each batch in revision order.
   */
  @Test
  void aBusyDocumentCoalescesItsPublicationsInOrder() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Busy", "");
    BridgeClient viewer = await(server.connect());
    List<JsonObject> messages = new CopyOnWriteArrayList<>();
    viewer.register("manifesto.doc." + m.id(), m.viewer(), messages::add);
    await(viewer.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Watcher"), m.viewer()));
    List<BridgeClient> writers = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      BridgeClient b = await(server.connect());
      writers.add(b);
      ids.add(await(b.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "w" + i), m.editor()))
          .getString("clientId"));
    }
    List<Future<JsonObject>> acks = new ArrayList<>();
    try (java.sql.Connection lock = server.jdbc(); java.sql.Connection watch = server.jdbc()) {
      lock.setAutoCommit(false);
      lock.createStatement().execute("LOCK TABLE ops IN EXCLUSIVE MODE"); // reads go on, inserts wait
      acks.add(edit(writers.get(0), m, ids.get(0), "w0"));
      until(() -> waitingOnALock(watch));
      for (int i = 1; i < 30; i++) {
        acks.add(edit(writers.get(i), m, ids.get(i), "w" + i));
      }
      for (int i = 1; i < 30; i++) { // answered after the edit before it on the same connection was queued
        await(writers.get(i).request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.editor()));
      }
      assertTrue(messages.isEmpty(), "nothing is published before it is committed: " + messages);
      lock.commit();
    }
    for (Future<JsonObject> a : acks) {
      await(a);
    }
    until(() -> messages.stream().mapToInt(msg -> msg.containsKey("ops") ? msg.getJsonArray("ops").size() : 1).sum() == 30);
    List<Integer> revisions = new ArrayList<>();
    for (JsonObject msg : messages) {
      if (msg.containsKey("ops")) {
        msg.getJsonArray("ops").forEach(o -> revisions.add(((JsonObject) o).getInteger("revision")));
      } else {
        revisions.add(msg.getInteger("revision"));
      }
    }
    assertEquals(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList(), revisions, "every revision once, ascending");
    assertTrue(messages.size() <= 2, "the 29 edits queued behind the first commit were published as one: " + messages);
  }

  private static Future<JsonObject> edit(BridgeClient b, TestServer.Manifesto m, String clientId, String text) {
    return b.request("manifesto.edit", new JsonObject().put("doc", m.id()).put("clientId", clientId)
        .put("seq", 1).put("revision", 0).put("op", new JsonArray().add(text)), m.editor());
  }

  private static boolean waitingOnALock(java.sql.Connection c) {
    try (java.sql.ResultSet r = c.createStatement().executeQuery(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
      r.next();
      return r.getInt(1) > 0;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** A refused edit is final: the client says so at once, with the server's error, instead of timing out. */
  @Test
  void aRefusedEditFailsTheClientAtOnceWithTheServersError() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Refused", "Text");
    OtClient c = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.viewer(), "reader"));
    c.edit(TextOperation.builder().insert("x").retain(4).build());
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> c.whenIdle().await(20, TimeUnit.SECONDS));
    assertTrue(String.valueOf(e.getMessage()).contains("403"), "the server's refusal, not a timeout: " + e);
  }

  @Test
  void theServersOwnEditReachesLiveClients() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Restore", "Draft 1: we 😀 are here");
    OtClient c = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "Nadia"));
    JsonObject reply = await(server.vertx().eventBus().<JsonObject>request(Addresses.REPLACE,
        new JsonObject().put("doc", m.id()).put("text", "Draft 2: we 😀 stay here").put("author", "Organiser"))).body();
    assertEquals(1, reply.getInteger("revision"));
    until(() -> c.revision() == 1);
    assertEquals("Draft 2: we 😀 stay here", c.text());
    assertEquals("Draft 2: we 😀 stay here", server.read(m).getString("text"));
  }
}
