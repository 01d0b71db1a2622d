package org.convene.versions;

import org.convene.testing.Seed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convene.ot.TextOperation;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Text and authorship at any revision, restores reaching live editors, diffs over REST. */
class HistoryTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Api api = new Api(server);

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  static String base(TestServer.Manifesto m) {
    return "/api/manifestos/" + m.id();
  }

  /** The runs expanded to one author per UTF-16 unit. */
  static List<String> authors(JsonObject revision) {
    List<String> out = new ArrayList<>();
    for (Object o : revision.getJsonArray("runs")) {
      JsonObject run = (JsonObject) o;
      for (int i = 0; i < run.getInteger("length"); i++) {
        out.add(run.getString("author"));
      }
    }
    return out;
  }

  @Test
  void anyRevisionOfALongHistoryHasItsTextAndAuthors() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Long history", "");
    int[] keep = {1, 999, 1_000, 1_001, 2_345, 4_000, 5_678};
    SyntheticHistory h;
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions())) {
      h = SyntheticHistory.write(c, m.id(), 5_678, 3_000, 42, keep);
    }
    // Out of order on purpose: later checkpoints are written first, earlier ones filled in after.
    for (int r : new int[] {2_345, 1, 5_678, 1_000, 999, 4_000, 1_001}) {
      JsonObject at = api.ok(api.get(base(m) + "/revisions/" + r + "?authors=true", m.viewer()));
      SyntheticHistory.Moment expected = h.moments.get(r);
      assertEquals(r, at.getInteger("revision"));
      assertEquals(expected.text(), at.getString("text"), "text at " + r);
      assertEquals(java.time.Instant.parse("2025-01-01T00:00:00Z").plusSeconds(r).toString().replace("Z", ".000Z"),
          at.getString("time"));
      List<String> want = new ArrayList<>();
      for (int a : expected.authors()) {
        want.add(SyntheticHistory.AUTHORS[a]);
      }
      assertEquals(want, authors(at), "authors at " + r);
    }
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions()); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT revision FROM attribution_snapshots WHERE doc = '" + m.id() + "' ORDER BY 1")) {
      List<Integer> checkpoints = new ArrayList<>();
      while (rs.next()) {
        checkpoints.add(rs.getInt(1));
      }
      assertEquals(List.of(1_000, 2_000, 3_000, 4_000, 5_000), checkpoints);
    }
    assertFalse(api.ok(api.get(base(m) + "/revisions/12", m.viewer())).containsKey("runs"));
    assertEquals(h.text(), server.read(m).getString("text"), "the sequencer loads the same history");
  }

  @Test
  void authorshipSurvivesConcurrentEditsFromTwoClients() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Two hands", "0123456789");
    OtClient amal = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "Amal"));
    OtClient farid = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "فريد"));
    long seed = Seed.of("history.seed");
    Random rnd = new Random(seed);
    for (int i = 0; i < 300; i++) {
      OtClient c = rnd.nextBoolean() ? amal : farid;
      synchronized (c) {
        String text = c.text();
        int pos = rnd.nextInt(text.length() + 1);
        TextOperation.Builder b = TextOperation.builder().retain(pos);
        if (rnd.nextInt(5) == 0 && pos < text.length()) {
          b.delete(1).retain(text.length() - pos - 1);
        } else {
          b.insert(c == amal ? "A" : "ب").retain(text.length() - pos);
        }
        c.edit(b.build());
      }
      if (i % 25 == 0) {
        Thread.sleep(3);
      }
    }
    await(amal.whenIdle());
    await(farid.whenIdle());
    JsonObject live = server.read(m);
    int revision = live.getInteger("revision");
    JsonObject at = api.ok(api.get(base(m) + "/revisions/" + revision + "?authors=true", m.viewer()));
    String text = at.getString("text");
    assertEquals(live.getString("text"), text);
    List<String> who = authors(at);
    assertEquals(text.length(), who.size(), Seed.replay("history.seed", seed));
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      String expected = ch == 'A' ? "Amal" : ch == 'ب' ? "فريد" : "";
      assertEquals(expected, who.get(i), Seed.replay("history.seed", seed) + ": unit " + i + " of " + text);
    }
  }

  @Test
  void aRestoreReachesLiveClientsAndGivesCreditBack() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Restore", "We, the undersigned, ");
    OtClient amal = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "Amal"));
    amal.edit(TextOperation.builder().retain(amal.text().length()).insert("demand papers for all.").build());
    await(amal.whenIdle());
    api.save(m, "First reading");
    OtClient farid = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "Farid"));
    String before = farid.text();
    farid.edit(TextOperation.builder().retain(21).delete(before.length() - 21).insert("ask politely.").build());
    await(farid.whenIdle());

    JsonObject restored = api.ok(api.post(base(m) + "/versions/1/restore", m.admin(), new JsonObject().put("by", "Leila")));
    int revision = restored.getInteger("revision");
    assertEquals(false, restored.getBoolean("unchanged"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while ((amal.revision() < revision || farid.revision() < revision) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals("We, the undersigned, demand papers for all.", amal.text());
    assertEquals("We, the undersigned, demand papers for all.", farid.text());

    JsonObject history = api.ok(api.get(base(m) + "/revisions/" + revision + "?authors=true", m.viewer()));
    List<String> who = authors(history);
    assertEquals("", who.get(0));
    assertEquals("Amal", who.get(21), "the restored words are credited to who wrote them");
    assertEquals("Amal", who.get(who.size() - 1));
    JsonObject v2 = api.ok(api.get(base(m) + "/versions/" + api.save(m, "After restore").getInteger("number"), m.viewer()));
    for (Object c : v2.getJsonArray("contributors")) {
      assertFalse(((JsonObject) c).getString("name").contains("restore"), v2.encode());
    }
    JsonObject again = api.ok(api.post(base(m) + "/versions/1/restore", m.admin(), null));
    assertEquals(true, again.getBoolean("unchanged"), "restoring the text it already has adds no edit");
    assertEquals(revision, again.getInteger("revision"));
  }

  @Test
  void diffsBetweenVersionsAndRevisionsInRightToLeftText() throws Exception {
    TestServer.Manifesto m = server.createManifesto("فرق", "نحن نطالب بالحقوق للجميع.\nما اینجا هستیم.");
    api.save(m, "one");
    OtClient c = await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "نادیا"));
    String t = c.text();
    int at = t.indexOf("بالحقوق");
    c.edit(TextOperation.builder().retain(at).delete("بالحقوق".length()).insert("بالعدالة").retain(t.length() - at - "بالحقوق".length()).build());
    await(c.whenIdle());
    api.save(m, "two");
    JsonObject diff = api.ok(api.get(base(m) + "/diff?from=v1&to=v2", m.viewer()));
    assertEquals("v1", diff.getString("from"));
    assertEquals("v2", diff.getString("to"));
    assertEquals(new JsonArray()
        .add(new JsonObject().put("op", "equal").put("text", "نحن نطالب "))
        .add(new JsonObject().put("op", "delete").put("text", "بالحقوق"))
        .add(new JsonObject().put("op", "insert").put("text", "بالعدالة"))
        .add(new JsonObject().put("op", "equal").put("text", " للجميع.\nما اینجا هستیم.")), diff.getJsonArray("changes"));
    JsonObject byRevision = api.ok(api.get(base(m) + "/diff?from=r0&to=r1", m.viewer()));
    assertEquals(diff.getJsonArray("changes"), byRevision.getJsonArray("changes"));
    assertEquals(1, byRevision.getInteger("toRevision"));
    JsonObject moved = api.ok(api.get(base(m) + "/diff?from=v2&to=v2", m.viewer()));
    assertEquals(1, moved.getJsonArray("changes").size());
    assertTrue(moved.getJsonArray("changes").getJsonObject(0).getString("op").equals("equal"));
  }
}
