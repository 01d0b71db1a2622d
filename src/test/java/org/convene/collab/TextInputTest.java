package org.convene.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.versions.SyntheticHistory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What text may hold (common.Text), at the bridge's doors: inserted text of {@code manifesto.edit}
 * and the participant's name of {@code manifesto.open}. Each refusal leaves the stored data as it was.
 */
class TextInputTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final String START = "ab😀cd";

  static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  static int failureCode(Future<JsonObject> request, String what) {
    Exception e = assertThrows(Exception.class, () -> await(request), what);
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    assertTrue(cause instanceof BridgeClient.BridgeError, "expected a bridge error, got " + cause);
    return ((BridgeClient.BridgeError) cause).code;
  }

  static List<String> column(String sql, String doc) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions());
         PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, doc);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  @Test
  void editsInsertingRefusedCharactersAreInvalidOperations() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Edits", START);
    BridgeClient bridge = await(server.connect());
    String clientId = await(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Ada"), m.editor()))
        .getString("clientId");
    String[] refused = {"x\u0000y", "\u0001", "\u001B[31m", "\u001F", "\u007F", "\u0085", "\u009F", "\uFFFE", "\uFFFF",
        "\uFDD0", "\uFDEF", "\uD83F\uDFFE", "\uDBFF\uDFFF"}; // lone surrogates: ProtocolErrorsTest
    for (String s : refused) {
      JsonObject edit = new JsonObject().put("doc", m.id()).put("clientId", clientId).put("seq", 1).put("revision", 0)
          .put("op", new JsonArray().add(6).add(s));
      String what = s.codePoints().mapToObj(Integer::toHexString).toList().toString();
      assertEquals(400, failureCode(bridge.request("manifesto.edit", edit, m.editor()), what), what);
    }
    JsonObject stored = server.read(m);
    assertEquals(START, stored.getString("text"));
    assertEquals(0, stored.getInteger("revision"));
    assertEquals(List.of(), column("SELECT op FROM ops WHERE doc = ?", m.id()));

    // Tabs, line breaks, joiners, bidi controls, private use and emoji are text.
    String fine = "\t\r\nمی\u200Cخواهیم \u202Eok\u202C \uE000 🏳️‍🌈";
    JsonObject edit = new JsonObject().put("doc", m.id()).put("clientId", clientId).put("seq", 1).put("revision", 0)
        .put("op", new JsonArray().add(6).add(fine));
    assertEquals(1, await(bridge.request("manifesto.edit", edit, m.editor())).getInteger("revision"));
    assertEquals(START + fine, server.read(m).getString("text"));
  }

  @Test
  void namesNeedAVisibleCharacterLoseBidiControlsAndCannotBeTheInitialText() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Names", START);
    BridgeClient bridge = await(server.connect());
    String[] refused = {"\u200B", "\u2066\u2069", "\u200B\u200C\u200D\u2060", "\u3164", "\u202E", " \u00A0 ",
        "Ada\u0000", "Ada\u0007", "\uFFFF", "Initial text", "initial  TEXT", "Initial\u200Btext"};
    for (String name : refused) {
      assertEquals(400, failureCode(bridge.request("manifesto.open",
          new JsonObject().put("doc", m.id()).put("name", name), m.editor()), name), name);
    }
    assertEquals(List.of(), column("SELECT name FROM clients WHERE doc = ?", m.id()), "no client was created");

    JsonObject opened = await(bridge.request("manifesto.open",
        new JsonObject().put("doc", m.id()).put("name", "\u202EAmal\u202C\n Yusuf\u2069"), m.editor()));
    JsonArray participants = opened.getJsonArray("participants");
    assertEquals("Amal Yusuf", participants.getJsonObject(0).getString("name"));
    assertEquals(List.of("Amal Yusuf"), column("SELECT name FROM clients WHERE doc = ?", m.id()));

    // Presence carries the cleaned name; a rename on resume is checked as well.
    List<JsonObject> presence = new java.util.concurrent.CopyOnWriteArrayList<>();
    BridgeClient watcher = await(server.connect());
    watcher.register("manifesto.presence." + m.id(), m.viewer(), presence::add);
    org.convene.testing.Wait.until(() -> {
      bridge.send("manifesto.presence", new JsonObject().put("doc", m.id()).put("clientId", opened.getString("clientId"))
          .put("selection", new JsonObject().put("ranges", new JsonArray())), m.editor());
      return !presence.isEmpty();
    });
    assertEquals("Amal Yusuf", presence.get(0).getString("name"));
    BridgeClient again = await(server.connect());
    assertEquals(400, failureCode(again.request("manifesto.open", new JsonObject().put("doc", m.id())
        .put("name", "\u2068\u2069").put("resume", opened.getString("resume")), m.editor()), "rename"));
    assertEquals(List.of("Amal Yusuf"), column("SELECT name FROM clients WHERE doc = ?", m.id()));
  }

  @Test
  void aDocumentHoldingNulFromBeforeTheChecksIsStillSnapshotted() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Old damage", "ab");
    // 999 operations as stored before edits were checked, the first inserting U+0000 (a JSON escape
    // in the ops table): the next edit makes revision 1,000, which is snapshotted.
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions());
         PreparedStatement s = c.prepareStatement("INSERT INTO ops (doc, revision, client_id, seq, op, author, created_at)"
             + " SELECT ?, r, 'old-client', r, CASE WHEN r = 1 THEN '[2,\"\\u0000\"]' ELSE '[' || (r + 1) || ',\"x\"]' END,"
             + " 'Old', now() FROM generate_series(1, 999) AS r")) {
      s.setString(1, m.id());
      assertEquals(999, s.executeUpdate());
    }
    BridgeClient bridge = await(server.connect());
    String clientId = await(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Ada"), m.editor()))
        .getString("clientId");
    JsonObject edit = new JsonObject().put("doc", m.id()).put("clientId", clientId).put("seq", 1).put("revision", 999)
        .put("op", new JsonArray().add(1001).add("!"));
    assertEquals(1000, await(bridge.request("manifesto.edit", edit, m.editor())).getInteger("revision"));
    String expected = "ab\uFFFD" + "x".repeat(998) + "!";
    org.convene.testing.Wait.until(() -> {
      try {
        return List.of(expected).equals(column("SELECT text FROM snapshots WHERE doc = ? AND revision = 1000", m.id()));
      } catch (Exception e) {
        return false;
      }
    });
    assertEquals("ab\u0000" + "x".repeat(998) + "!", server.read(m).getString("text"), "the live text is the history's");
  }
}
