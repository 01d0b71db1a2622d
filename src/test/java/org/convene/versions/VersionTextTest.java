package org.convene.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Set;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Versions' names, notes and savers' names hold only what common.Text allows; and a document that
 * took a U+0000 before edits were checked can still be versioned and published.
 */
class VersionTextTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  final Api api = new Api(server);

  static String versions(TestServer.Manifesto m) {
    return "/api/manifestos/" + m.id() + "/versions";
  }

  static int count(String sql, String id) throws Exception {
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions()); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  void refusedCharactersInNameNoteOrSaverAre400WithFields() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Names of versions", "Text");
    String[] refused = {"\u0000", "\u0008", "\u007F", "\u009B", "\uFFFF", "\uFDEF", "\uD87F\uDFFF"};
    for (String s : refused) {
      String what = s.codePoints().mapToObj(Integer::toHexString).toList().toString();
      for (String field : new String[] {"name", "note", "by"}) {
        JsonObject body = new JsonObject().put("name", "Draft").put(field, "a" + s + "b");
        HttpResponse<Buffer> r = api.post(versions(m), m.admin(), body);
        assertEquals(400, r.statusCode(), field + " " + what + " " + r.bodyAsString());
        assertEquals(Set.of(field), r.bodyAsJsonObject().getJsonObject("fields").fieldNames(), field + " " + what);
      }
    }
    for (String by : new String[] {"\u200B\u2060", "\u202E", "Initial text", "INITIAL\u00A0TEXT"}) {
      HttpResponse<Buffer> r = api.post(versions(m), m.admin(), new JsonObject().put("name", "Draft").put("by", by));
      assertEquals(400, r.statusCode(), by + " " + r.bodyAsString());
    }
    assertEquals(0, count("SELECT count(*) FROM versions WHERE manifesto_id = ?", m.id()), "nothing was stored");

    JsonObject saved = api.ok(api.post(versions(m), m.admin(), new JsonObject().put("name", "Draft")
        .put("note", "Line one,\n\tline two").put("by", "\u2067Leila\u2069")));
    assertEquals("Leila", saved.getString("createdBy"), "bidi controls are removed from names");
    assertEquals("Line one,\n\tline two", saved.getString("note"));
  }

  @Test
  void aDocumentHoldingNulFromBeforeTheChecksCanBeVersionedAndPublished() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Old damage", "ab");
    // As an edit was stored before edits were checked: the op's JSON escapes U+0000, which the ops
    // table holds as text; the document is not loaded yet, so the server reads it from there.
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions());
         PreparedStatement s = c.prepareStatement("INSERT INTO ops (doc, revision, client_id, seq, op, author, created_at)"
             + " VALUES (?, 1, 'old-client', 1, ?, 'Old', now())")) {
      s.setString(1, m.id());
      s.setString(2, "[2,\"x\\u0000y\"]");
      assertEquals(1, s.executeUpdate());
    }
    assertEquals("abx\u0000y", server.read(m).getString("text"));

    HttpResponse<Buffer> save = api.post(versions(m), m.admin(), new JsonObject().put("name", "Despite it"));
    assertEquals(201, save.statusCode(), save.bodyAsString());
    int n = save.bodyAsJsonObject().getInteger("number");
    assertEquals(1, save.bodyAsJsonObject().getInteger("revision"));
    assertEquals(200, api.post(versions(m) + "/" + n + "/publish", m.admin(), null).statusCode());
    JsonObject published = api.ok(api.get(versions(m) + "/" + n, null));
    assertEquals("abx\uFFFDy", published.getString("text"), "U+0000 is kept as U+FFFD, same length");
    assertTrue(api.ok(api.get(versions(m) + "/" + n + "/verify", m.viewer())).getBoolean("valid"));
    assertEquals(200, api.get(versions(m) + "/" + n + "/pdf", null).statusCode());
  }

  @Test
  void theInitialTextIsCreditedAsAKindOfItsOwnNotAsAName() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Credits", "Bread.");
    // Someone who joined as "Initial text" before names were checked: still just a name.
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions());
         PreparedStatement s = c.prepareStatement("INSERT INTO ops (doc, revision, client_id, seq, op, author, created_at)"
             + " VALUES (?, 1, 'impostor', 1, ?, 'Initial text', now())")) {
      s.setString(1, m.id());
      s.setString(2, "[6,\" Roses!\"]");
      assertEquals(1, s.executeUpdate());
    }
    int n = api.save(m, "Both").getInteger("number");
    var contributors = api.ok(api.get(versions(m) + "/" + n, m.viewer())).getJsonArray("contributors");
    assertEquals(2, contributors.size(), contributors.encode());
    JsonObject impostor = contributors.getJsonObject(0);
    JsonObject initial = contributors.getJsonObject(1);
    assertEquals("Initial text", impostor.getString("name"));
    assertEquals(null, impostor.getValue("initial"), "a name is never the initial text's credit");
    assertEquals("", initial.getString("name"));
    assertEquals(true, initial.getBoolean("initial"));
    assertEquals(6, initial.getInteger("characters"));
  }
}
