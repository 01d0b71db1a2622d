package org.convene.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser keeps authorship itself (web/src/authorship.js) and must colour the text as the server
 * would after a reload. Both are held to one table, web/test/authorship-cases.json: here each history
 * goes through the real server (each edit by a participant of that name, over the bridge) and every
 * revision's runs from GET .../revisions/{r}?authors=true must equal the table's; the node tests hold
 * authorship.js to the same lists.
 */
class AuthorshipCasesTest {
  static final Path CASES = Path.of(System.getProperty("basedir", "."), "web", "test", "authorship-cases.json");

  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Api api = new Api(server);

  @Test
  void theServerAttributesEveryCaseAsTheTableSays() throws Exception {
    JsonArray cases = new JsonObject(Files.readString(CASES)).getJsonArray("cases");
    assertEquals(3, cases.size(), "the table's cases");
    for (int i = 0; i < cases.size(); i++) {
      replay(cases.getJsonObject(i));
    }
  }

  private void replay(JsonObject c) throws Exception {
    String title = c.getString("title");
    TestServer.Manifesto m = server.createManifesto(title, c.getString("text"));
    Map<String, BridgeClient> bridges = new HashMap<>(); // one connection per participant
    Map<String, String> clientIds = new HashMap<>();
    Map<String, Integer> seqs = new HashMap<>();
    JsonArray edits = c.getJsonArray("edits");
    try {
      for (int r = 1; r <= edits.size(); r++) {
        JsonObject edit = edits.getJsonObject(r - 1);
        String name = edit.getString("name");
        if (!bridges.containsKey(name)) {
          bridges.put(name, server.connect().await(10, TimeUnit.SECONDS));
          JsonObject open = bridges.get(name).request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", name), m.editor())
              .await(10, TimeUnit.SECONDS);
          clientIds.put(name, open.getString("clientId"));
        }
        int seq = seqs.merge(name, 1, Integer::sum);
        // Based on the revision just before: the server stores the op exactly as given.
        JsonObject reply = bridges.get(name).request("manifesto.edit", new JsonObject().put("doc", m.id())
                .put("clientId", clientIds.get(name)).put("seq", seq).put("revision", r - 1).put("op", edit.getJsonArray("op")),
            m.editor()).await(10, TimeUnit.SECONDS);
        assertEquals(r, reply.getInteger("revision"), title + ": edit " + r);

        JsonObject at = api.ok(api.get("/api/manifestos/" + m.id() + "/revisions/" + r + "?authors=true", m.viewer()));
        assertEquals(edit.getString("text"), at.getString("text"), title + ": text at revision " + r);
        assertEquals(edit.getJsonArray("runs"), at.getJsonArray("runs"), title + ": runs at revision " + r);
      }
    } finally {
      for (BridgeClient b : bridges.values()) {
        b.close().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
