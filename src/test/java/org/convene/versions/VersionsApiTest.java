package org.convene.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.convene.collab.Addresses;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Saving, listing, reading, publishing and verifying versions over REST, against the real database. */
class VersionsApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Api api = new Api(server);

  static String versions(TestServer.Manifesto m) {
    return "/api/manifestos/" + m.id() + "/versions";
  }

  void replace(TestServer.Manifesto m, String text) throws Exception {
    server.vertx().eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", m.id()).put("text", text).put("author", "Amal"))
        .await(20, TimeUnit.SECONDS);
  }

  @Test
  void aSavedVersionHoldsTheLiveTextItsHashAndItsChainLink() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Chain", "نحن هنا.");
    replace(m, "نحن هنا. We are here.");
    JsonObject v1 = api.ok(api.post(versions(m), m.admin(),
        new JsonObject().put("name", "Assembly reading").put("note", "Read aloud on 1 May").put("by", "Leila")));
    assertEquals(1, v1.getInteger("number"));
    assertEquals("Assembly reading", v1.getString("name"));
    assertEquals("Read aloud on 1 May", v1.getString("note"));
    assertEquals(1, v1.getInteger("revision"));
    assertEquals(Chain.sha256("نحن هنا. We are here."), v1.getString("sha256"));
    assertEquals("Leila", v1.getString("createdBy"));
    assertTrue(v1.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    Chain.Metadata meta = new Chain.Metadata(m.id(), 1, "Assembly reading", "Read aloud on 1 May", 1,
        java.time.Instant.parse(v1.getString("createdAt")), "Leila");
    assertEquals(Chain.link(Chain.GENESIS, v1.getString("sha256"), meta), v1.getString("chain"));

    JsonObject v2 = api.save(m, "Second");
    assertEquals(2, v2.getInteger("number"));
    assertEquals("admin", v2.getString("createdBy"));
    assertEquals("", v2.getString("note"));

    JsonArray list = api.okArray(api.get(versions(m), m.viewer()));
    assertEquals(2, list.size());
    JsonObject first = list.getJsonObject(0);
    for (String field : new String[] {"number", "name", "revision", "sha256", "published", "createdAt"}) {
      assertTrue(first.containsKey(field), field);
    }
    JsonObject read = api.ok(api.get(versions(m) + "/1", m.viewer()));
    assertEquals("نحن هنا. We are here.", read.getString("text"));
    assertEquals(v1.getString("chain"), read.getString("chain"));
    assertFalse(read.getBoolean("published"));
    JsonArray contributors = read.getJsonArray("contributors");
    assertEquals(2, contributors.size(), contributors.encode());
    assertEquals(new JsonObject().put("name", "Amal").put("share", 0.619).put("characters", 13), contributors.getJsonObject(0));
    assertEquals(new JsonObject().put("name", "").put("share", 0.381).put("characters", 8), contributors.getJsonObject(1),
        "the text the manifesto was created with has the empty name");
    JsonObject verified = api.ok(api.get(versions(m) + "/2/verify", m.viewer()));
    assertEquals(true, verified.getBoolean("valid"));
    assertEquals(2, verified.getInteger("checked"));
  }

  @Test
  void verificationCatchesATamperedRow() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Tamper", "Draft one");
    api.save(m, "One");
    replace(m, "Draft two");
    api.save(m, "Two");
    replace(m, "Draft three");
    api.save(m, "Three");
    assertTrue(api.ok(api.get(versions(m) + "/3/verify", m.viewer())).getBoolean("valid"));

    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions()); Statement s = c.createStatement()) {
      // The trigger refuses edits and deletes outright...
      SQLException refused = assertThrows(SQLException.class,
          () -> s.executeUpdate("UPDATE versions SET text = 'Draft 2' WHERE number = 2 AND manifesto_id = '" + m.id() + "'"));
      assertTrue(refused.getMessage().contains("never changed or deleted"), refused.getMessage());
      assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM versions WHERE manifesto_id = '" + m.id() + "'"));
      // ...so a forger must switch it off, and rewrites text and hash together.
      s.execute("ALTER TABLE versions DISABLE TRIGGER versions_immutable");
      s.executeUpdate("UPDATE versions SET text = 'Draft 2', sha256 = '" + Chain.sha256("Draft 2")
          + "' WHERE number = 2 AND manifesto_id = '" + m.id() + "'");
      s.execute("ALTER TABLE versions ENABLE TRIGGER versions_immutable");
    }
    JsonObject one = api.ok(api.get(versions(m) + "/1/verify", m.viewer()));
    assertEquals(true, one.getBoolean("valid"));
    JsonObject three = api.ok(api.get(versions(m) + "/3/verify", m.viewer()));
    assertEquals(false, three.getBoolean("valid"));
    assertEquals(2, three.getInteger("brokenAt"));
    assertEquals(2, three.getInteger("checked"));

    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions()); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE versions DISABLE TRIGGER versions_immutable");
      s.executeUpdate("UPDATE versions SET text = 'Draft two', sha256 = '" + Chain.sha256("Draft two")
          + "', name = 'Renamed' WHERE number = 2 AND manifesto_id = '" + m.id() + "'");
      s.execute("ALTER TABLE versions ENABLE TRIGGER versions_immutable");
    }
    JsonObject renamed = api.ok(api.get(versions(m) + "/3/verify", m.viewer()));
    assertEquals(false, renamed.getBoolean("valid"), "the name is part of the chain");
    assertEquals(2, renamed.getInteger("brokenAt"));
  }

  @Test
  void publishingMakesAVersionPublicAndNewerOnesKeepOlderReadable() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Public", "Text A");
    api.save(m, "A");
    replace(m, "Text B");
    api.save(m, "B");
    assertEquals(401, api.get(versions(m) + "/1", null).statusCode());
    assertEquals(404, api.get("/api/manifestos/" + m.id() + "/published", null).statusCode());

    assertEquals(403, api.post(versions(m) + "/1/publish", m.editor(), null).statusCode());
    JsonObject published = api.ok(api.post(versions(m) + "/1/publish", m.admin(), null));
    assertEquals(new JsonObject().put("number", 1).put("published", true), published);
    JsonObject anonymous = api.ok(api.get(versions(m) + "/1", null));
    assertEquals("Text A", anonymous.getString("text"));
    assertEquals(true, anonymous.getBoolean("current"));
    JsonObject page = api.ok(api.get("/api/manifestos/" + m.id() + "/published", null));
    assertEquals(1, page.getInteger("number"));
    assertEquals("Public", page.getString("title"));
    assertEquals(Chain.sha256("Text A"), page.getString("sha256"));
    assertEquals(401, api.get(versions(m) + "/2", null).statusCode(), "version 2 is not published");

    api.ok(api.post(versions(m) + "/2/publish", m.admin(), new JsonObject().put("by", "Farid")));
    assertEquals(2, api.ok(api.get("/api/manifestos/" + m.id() + "/published", null)).getInteger("number"));
    JsonObject older = api.ok(api.get(versions(m) + "/1", null));
    assertEquals("Text A", older.getString("text"), "publishing a newer version keeps the older one readable");
    assertEquals(false, older.getBoolean("current"));
    JsonArray list = api.okArray(api.get(versions(m), m.viewer()));
    assertEquals(true, list.getJsonObject(0).getBoolean("published"));
    assertEquals(true, list.getJsonObject(1).getBoolean("current"));
    // Publishing again is harmless: the record is append-only, the flag stays.
    api.ok(api.post(versions(m) + "/2/publish", m.admin(), null));
    assertTrue(api.ok(api.get(versions(m) + "/2/verify", m.viewer())).getBoolean("valid"));
  }

  @Test
  void rolesAreChecked() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Roles", "x");
    TestServer.Manifesto other = server.createManifesto("Other", "y");
    JsonObject body = new JsonObject().put("name", "v");
    assertEquals(401, api.post(versions(m), null, body).statusCode());
    assertEquals("unauthorized", api.post(versions(m), null, body).bodyAsJsonObject().getString("error"));
    assertEquals(401, api.post(versions(m), "guess", body).statusCode());
    assertEquals(403, api.post(versions(m), m.editor(), body).statusCode());
    assertEquals(403, api.post(versions(m), m.viewer(), body).statusCode());
    assertEquals(403, api.post(versions(m), other.admin(), body).statusCode());
    assertEquals(401, api.get(versions(m), null).statusCode());
    assertEquals(403, api.get(versions(m), other.viewer()).statusCode());
    assertEquals(404, api.get(versions(m) + "/1", m.viewer()).statusCode());
    assertEquals("not_found", api.get(versions(m) + "/1", m.viewer()).bodyAsJsonObject().getString("error"));
    assertEquals(404, api.get(versions(m) + "/7/verify", m.viewer()).statusCode());
    assertEquals(404, api.post(versions(m) + "/7/publish", m.admin(), null).statusCode());
    assertEquals(404, api.post(versions(m) + "/7/restore", m.admin(), null).statusCode());
    assertEquals(403, api.post(versions(m) + "/1/restore", m.editor(), null).statusCode());
    assertEquals(401, api.get("/api/manifestos/" + m.id() + "/revisions/0", null).statusCode());
    assertEquals(403, api.get("/api/manifestos/" + m.id() + "/diff?from=r0&to=r0", other.viewer()).statusCode());
    assertEquals(0, api.okArray(api.get(versions(m), m.viewer())).size(), "nothing was stored");
  }

  @Test
  void badInputIsRefusedFieldByFieldAndStoresNothing() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Bad input", "x");
    var r = api.post(versions(m), m.admin(), new JsonObject().put("name", " ").put("note", 5).put("by", "x".repeat(61)));
    assertEquals(400, r.statusCode());
    JsonObject fields = r.bodyAsJsonObject().getJsonObject("fields");
    assertTrue(fields.containsKey("name") && fields.containsKey("note") && fields.containsKey("by"), fields.encode());
    assertEquals(400, api.post(versions(m), m.admin(), new JsonObject().put("name", "a\u001fb")).statusCode());
    assertEquals(400, api.post(versions(m), m.admin(), new JsonObject().put("name", "x".repeat(201))).statusCode());
    assertEquals(400, server.http().post(versions(m)).bearerTokenAuthentication(m.admin())
        .putHeader("Content-Type", "application/json").sendBuffer(io.vertx.core.buffer.Buffer.buffer("{oops")).await(10, TimeUnit.SECONDS).statusCode());
    assertEquals(0, api.okArray(api.get(versions(m), m.viewer())).size(), "nothing was stored");

    assertEquals(400, api.get(versions(m) + "/zero", m.viewer()).statusCode());
    assertEquals("n", firstField(api.get(versions(m) + "/0/verify", m.viewer()).bodyAsJsonObject()));
    assertEquals("r", firstField(api.get("/api/manifestos/" + m.id() + "/revisions/-1", m.viewer()).bodyAsJsonObject()));
    JsonObject diff = api.get("/api/manifestos/" + m.id() + "/diff?from=x3&to=", m.viewer()).bodyAsJsonObject();
    assertEquals(new JsonObject().put("from", "a version (v3) or a revision (r120)").put("to", "a version (v3) or a revision (r120)"),
        diff.getJsonObject("fields"));
    assertEquals(404, api.get("/api/manifestos/" + m.id() + "/revisions/5", m.viewer()).statusCode());
    assertEquals(404, api.get("/api/manifestos/" + m.id() + "/revisions/1000?authors=true", m.viewer()).statusCode());
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions()); Statement s = c.createStatement();
         java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM attribution_snapshots WHERE doc = '" + m.id() + "'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "no authorship checkpoint for a revision that does not exist");
    }
    assertEquals(404, api.get("/api/manifestos/" + m.id() + "/diff?from=v1&to=r0", m.viewer()).statusCode());
    assertEquals(400, api.post(versions(m) + "/1/publish", m.admin(), new JsonObject().put("by", 3)).statusCode());
  }

  static String firstField(JsonObject error) {
    return error.getJsonObject("fields").fieldNames().iterator().next();
  }

  @Test
  void concurrentSavesGetConsecutiveNumbersAndAnUnbrokenChain() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Concurrent", "x");
    var futures = new java.util.ArrayList<io.vertx.core.Future<?>>();
    for (int i = 0; i < 8; i++) {
      futures.add(server.http().post(versions(m)).bearerTokenAuthentication(m.admin())
          .sendJsonObject(new JsonObject().put("name", "v" + i)));
    }
    io.vertx.core.Future.all(futures).await(30, TimeUnit.SECONDS);
    JsonArray list = api.okArray(api.get(versions(m), m.viewer()));
    assertEquals(8, list.size());
    for (int i = 0; i < 8; i++) {
      assertEquals(i + 1, list.getJsonObject(i).getInteger("number"));
    }
    JsonObject verified = api.ok(api.get(versions(m) + "/8/verify", m.viewer()));
    assertEquals(true, verified.getBoolean("valid"), verified.encode());
    assertNull(verified.getValue("brokenAt"));
  }
}
