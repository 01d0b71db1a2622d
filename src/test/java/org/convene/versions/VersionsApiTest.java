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
    assertEquals(Recompute.sha256Hex("نحن هنا. We are here."), v1.getString("sha256"));
    assertEquals("Leila", v1.getString("createdBy"));
    assertTrue(v1.getString("createdAt").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
    assertEquals(Recompute.link("0".repeat(64), v1.getString("sha256"),
        m.id(), 1, "Assembly reading", "Read aloud on 1 May", 1, v1.getString("createdAt"), "Leila"), v1.getString("chain"));

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
    assertEquals(new JsonObject().put("name", "").put("share", 0.381).put("characters", 8).put("initial", true), contributors.getJsonObject(1),
        "the text the manifesto was created with has the empty name");
    JsonObject verified = api.ok(api.get(versions(m) + "/2/verify", m.viewer()));
    assertEquals(true, verified.getBoolean("valid"));
    assertEquals(2, verified.getInteger("checked"));
  }

  /**
   * The chain's format, pinned: docs/versions.md promises anyone can recompute it, so its bytes must not
   * drift. The expected values were computed outside Java (Python's hashlib over the documented layout).
   */
  @Test
  void theChainFormatIsPinnedByFixedVectors() {
    String text1 = "نحن هنا. We are here.";
    assertEquals("b8853da2a8e4c8f33c274d2a3f095bf9e7d17d260b8005b27231543ba5a9aec5", Chain.sha256(text1));
    String link1 = Chain.link(Chain.GENESIS, Chain.sha256(text1), new Chain.Metadata("Zq3xK9", 1, "Assembly reading",
        "Read aloud on 1 May", 1, java.time.Instant.parse("2025-05-01T09:30:00Z"), "Leila"));
    assertEquals("cf53290dab6cb613e15d75d892b7708e9b9a6a512ab3523d88474afa173f2914", link1);
    String text2 = "We are here, all of us.";
    assertEquals("cea6738ce852a23048940c3e9cbf8addbdc8611dff6a02f5c4f5bde80b0a871e", Chain.sha256(text2));
    assertEquals("77aefb7912041d0050a4908d76471825db64f8851a516833d7b3fb82615b0aef",
        Chain.link(link1, Chain.sha256(text2), new Chain.Metadata("Zq3xK9", 2, "Second", "", 7,
            java.time.Instant.parse("2025-05-02T18:04:05.120Z"), "admin")));
    // The test's own recomputation agrees with the vectors too, so it can check the REST answers below.
    assertEquals(link1, Recompute.link("0".repeat(64), Recompute.sha256Hex(text1), "Zq3xK9", 1, "Assembly reading",
        "Read aloud on 1 May", 1, "2025-05-01T09:30:00.000Z", "Leila"));
  }

  /** A verifier with nothing but the REST answers (and the layout in docs/versions.md) gets every link. */
  @Test
  void aStoredChainIsRecomputedFromTheRestAnswersAlone() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Recompute", "Première ligne.");
    api.ok(api.post(versions(m), m.admin(), new JsonObject().put("name", "Draft").put("note", "for the assembly")
        .put("by", "Chen")));
    replace(m, "Première ligne. नमस्ते 👋");
    api.save(m, "Second");
    replace(m, "");
    api.save(m, "Empty");
    JsonArray list = api.okArray(api.get(versions(m), m.viewer()));
    assertEquals(3, list.size());
    String previous = "0".repeat(64);
    for (int i = 0; i < list.size(); i++) {
      JsonObject v = api.ok(api.get(versions(m) + "/" + list.getJsonObject(i).getInteger("number"), m.viewer()));
      assertEquals(Recompute.sha256Hex(v.getString("text")), v.getString("sha256"), "version " + (i + 1));
      String link = Recompute.link(previous, v.getString("sha256"), m.id(), v.getInteger("number"), v.getString("name"),
          v.getString("note"), v.getInteger("revision"), v.getString("createdAt"), v.getString("createdBy"));
      assertEquals(link, v.getString("chain"), "version " + (i + 1));
      previous = link;
    }
  }

  /** The chain as docs/versions.md states it, written out here apart from Chain.java. */
  static final class Recompute {
    static String sha256Hex(String text) {
      return java.util.HexFormat.of().formatHex(digest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static String link(String previous, String textSha256, String manifestoId, int number, String name, String note,
                       int revision, String createdAt, String createdBy) {
      String metadata = manifestoId + "\u001f" + number + "\u001f" + name + "\u001f" + note + "\u001f" + revision
          + "\u001f" + createdAt + "\u001f" + createdBy;
      java.security.MessageDigest d = digest();
      d.update(java.util.HexFormat.of().parseHex(previous));
      d.update(java.util.HexFormat.of().parseHex(textSha256));
      d.update(metadata.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(d.digest());
    }

    private static java.security.MessageDigest digest() {
      try {
        return java.security.MessageDigest.getInstance("SHA-256");
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  }

  /**
   * docs/ARCHITECTURE.md: versions are append-only. The database itself refuses every change to a
   * version but its first publication, any delete, TRUNCATE, and any change to publications.
   */
  @Test
  void theDatabaseRefusesEveryChangeButAFirstPublication() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Append only", "Text A");
    api.save(m, "A");
    api.save(m, "B");
    api.ok(api.post(versions(m) + "/1/publish", m.admin(), null));
    String where = " WHERE manifesto_id = '" + m.id() + "'";
    try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions()); Statement s = c.createStatement()) {
      String[] refused = {
          "UPDATE versions SET name = 'Other'" + where + " AND number = 2",
          "UPDATE versions SET note = 'x'" + where + " AND number = 1",
          "UPDATE versions SET published_at = published_at + interval '1 day'" + where + " AND number = 1",
          "UPDATE versions SET published = false, published_at = NULL" + where + " AND number = 1",
          "DELETE FROM versions" + where + " AND number = 2",
          "TRUNCATE versions CASCADE",
          "UPDATE publications SET published_by = 'x'" + where,
          "DELETE FROM publications" + where,
          "TRUNCATE publications",
      };
      for (String sql : refused) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
        assertTrue(e.getMessage().contains("never changed or deleted"), sql + ": " + e.getMessage());
      }
      // The one change allowed: an unpublished version's first publication.
      assertEquals(1, s.executeUpdate("UPDATE versions SET published = true, published_at = now()" + where + " AND number = 2"));
    }
    assertEquals(2, api.okArray(api.get(versions(m), m.viewer())).size());
    assertTrue(api.ok(api.get(versions(m) + "/2/verify", m.viewer())).getBoolean("valid"));
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
    assertEquals(Recompute.sha256Hex("Text A"), page.getString("sha256"));
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
