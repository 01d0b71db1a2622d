package org.convene.collab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every malformed or forbidden frame gets the contract's error, and the document stays as it was. */
class ProtocolErrorsTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("MAX_OPERATION_LENGTH", "1000", "MAX_DOCUMENT_LENGTH", "2000"));
  TestServer.Manifesto m;
  BridgeClient bridge;
  String clientId;

  @BeforeEach
  void open() throws Exception {
    m = server.createManifesto("Errors", "ab😀cd");
    bridge = await(server.connect());
    clientId = await(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Tester"), m.editor()))
        .getString("clientId");
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  JsonObject edit(int seq, int revision, JsonArray op) {
    return new JsonObject().put("doc", m.id()).put("clientId", clientId).put("seq", seq).put("revision", revision).put("op", op);
  }

  int failureCode(Future<JsonObject> request) {
    Exception e = assertThrows(Exception.class, () -> await(request));
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    assertTrue(cause instanceof BridgeClient.BridgeError, "expected a bridge error, got " + cause);
    return ((BridgeClient.BridgeError) cause).code;
  }

  void assertUnchanged() throws Exception {
    JsonObject stored = server.read(m);
    assertEquals("ab😀cd", stored.getString("text"));
    assertEquals(0, stored.getInteger("revision"));
  }

  @Test
  void tokensAndRolesAreChecked() throws Exception {
    JsonObject ok = edit(1, 0, new JsonArray().add(6).add("!"));
    assertEquals(401, failureCode(bridge.request("manifesto.edit", ok, null)), "no token");
    assertEquals(401, failureCode(bridge.request("manifesto.edit", ok, "not-a-token")), "unknown token");
    assertEquals(403, failureCode(bridge.request("manifesto.edit", ok, m.viewer())), "viewer cannot edit");
    TestServer.Manifesto other = server.createManifesto("Other", "");
    assertEquals(403, failureCode(bridge.request("manifesto.edit", ok, other.editor())), "token of another manifesto");
    assertEquals(403, failureCode(bridge.request("manifesto.open",
        new JsonObject().put("doc", m.id()).put("name", "x"), other.admin())), "open with another manifesto's token");
    assertEquals(404, failureCode(bridge.request("manifesto.open",
        new JsonObject().put("doc", m.id() + ":fr").put("name", "x"), m.viewer())), "no such document");
    assertUnchanged();
  }

  @Test
  void clientHeadersAreReplacedNotTrusted() throws Exception {
    JsonObject frame = new JsonObject().put("address", "manifesto.edit").put("body", edit(1, 0, new JsonArray().add(6).add("!")))
        .put("headers", new JsonObject().put("token", m.viewer()).put("x-role", "admin").put("x-manifesto", m.id())
            .put("x-conn", "someone-else").put("x-reject", "200"));
    assertEquals(403, failureCode(bridge.requestFrame(frame)));
    assertUnchanged();
  }

  @Test
  void aClientIdBelongsToItsConnection() throws Exception {
    BridgeClient intruder = await(server.connect());
    assertEquals(403, failureCode(intruder.request("manifesto.edit", edit(1, 0, new JsonArray().add(6).add("!")), m.editor())));
    assertUnchanged();
  }

  @Test
  void malformedEditsAreRefusedWithTheirCodes() throws Exception {
    List<Object[]> cases = new ArrayList<>();
    cases.add(new Object[] {400, "body not an object", null});
    cases.add(new Object[] {400, "op missing", edit(1, 0, null)});
    cases.add(new Object[] {400, "zero retain", edit(1, 0, new JsonArray().add(0).add(6))});
    cases.add(new Object[] {400, "empty insert", edit(1, 0, new JsonArray().add("").add(6))});
    cases.add(new Object[] {400, "fraction", edit(1, 0, new JsonArray().add(1.5).add(6))});
    cases.add(new Object[] {400, "boolean component", edit(1, 0, new JsonArray().add(true))});
    cases.add(new Object[] {400, "base length too short", edit(1, 0, new JsonArray().add(5).add("x"))});
    cases.add(new Object[] {400, "base length too long", edit(1, 0, new JsonArray().add(7).add("x"))});
    cases.add(new Object[] {400, "splits a surrogate pair", edit(1, 0, new JsonArray().add(3).add("x").add(3))});
    cases.add(new Object[] {400, "deletes half a pair", edit(1, 0, new JsonArray().add(2).add(-1).add(3))});
    cases.add(new Object[] {400, "seq zero", edit(0, 0, new JsonArray().add(6).add("x"))});
    cases.add(new Object[] {400, "seq skips ahead", edit(2, 0, new JsonArray().add(6).add("x"))});
    cases.add(new Object[] {400, "negative revision", edit(1, -1, new JsonArray().add(6).add("x"))});
    cases.add(new Object[] {400, "revision as text", edit(1, 0, new JsonArray().add(6).add("x")).put("revision", "0")});
    cases.add(new Object[] {400, "bad doc id", edit(1, 0, new JsonArray().add(6).add("x")).put("doc", "../etc")});
    cases.add(new Object[] {400, "clientId missing", edit(1, 0, new JsonArray().add(6).add("x")).put("clientId", null)});
    cases.add(new Object[] {409, "revision from the future", edit(1, 5, new JsonArray().add(6).add("x"))});
    cases.add(new Object[] {413, "op too large", edit(1, 0, new JsonArray().add(6).add("x".repeat(1001)))});
    for (Object[] c : cases) {
      int code = (int) c[0];
      Future<JsonObject> request = c[2] == null
          ? bridge.requestFrame(new JsonObject().put("address", "manifesto.edit").put("body", "just text")
              .put("headers", new JsonObject().put("token", m.editor())))
          : bridge.request("manifesto.edit", (JsonObject) c[2], m.editor());
      Exception e = assertThrows(Exception.class, () -> await(request), (String) c[1]);
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      assertEquals(code, ((BridgeClient.BridgeError) cause).code, (String) c[1]);
    }
    // A lone surrogate can only be written as a JSON escape; JSON libraries refuse to encode one.
    String lone = edit(1, 0, new JsonArray().add(6).add("LONE")).encode().replace("LONE", "\\ud83d");
    Future<JsonObject> loneSurrogate = bridge.requestText(reply -> "{\"type\":\"send\",\"address\":\"manifesto.edit\","
        + "\"replyAddress\":\"" + reply + "\",\"headers\":{\"token\":\"" + m.editor() + "\"},\"body\":" + lone + "}");
    assertEquals(400, failureCode(loneSurrogate), "lone surrogate inserted");
    assertUnchanged();
  }

  @Test
  void theDocumentSizeLimitHolds() throws Exception {
    // 1,000 inserted per op is allowed; the third would pass 2,000 characters.
    JsonObject first = await(bridge.request("manifesto.edit", edit(1, 0, new JsonArray().add(6).add("x".repeat(990))), m.editor()));
    JsonObject second = await(bridge.request("manifesto.edit", edit(2, 1, new JsonArray().add(996).add("y".repeat(990))), m.editor()));
    assertEquals(2, second.getInteger("revision"), first.encode());
    assertEquals(413, failureCode(bridge.request("manifesto.edit", edit(3, 2, new JsonArray().add(1986).add("z".repeat(20))), m.editor())));
    assertEquals(1986, server.read(m).getString("text").length());
  }

  @Test
  void malformedOpenHistoryAndPresenceAreRefused() throws Exception {
    assertEquals(400, failureCode(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()), m.viewer())), "no name");
    assertEquals(400, failureCode(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "x".repeat(61)), m.viewer())));
    assertEquals(400, failureCode(bridge.request("manifesto.open",
        new JsonObject().put("doc", m.id()).put("name", "x").put("resume", "forged"), m.viewer())), "unknown resume");
    assertEquals(400, failureCode(bridge.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", -1), m.viewer())));
    assertEquals(400, failureCode(bridge.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 5).put("to", 2), m.viewer())));
    assertEquals(403, failureCode(bridge.request("manifesto.presence", new JsonObject().put("doc", m.id()).put("clientId", clientId)
        .put("selection", new JsonObject().put("ranges", new JsonArray())), m.viewer())), "viewers do not send presence");
    assertEquals(400, failureCode(bridge.request("manifesto.presence", new JsonObject().put("doc", m.id()).put("clientId", clientId)
        .put("selection", "everything"), m.editor())));
    assertUnchanged();
  }

  @Test
  void onlyListedAddressesAndAuthorisedRegistrationsPass() throws Exception {
    bridge.send("collab.internal.read", new JsonObject().put("doc", m.id()), m.admin());
    bridge.raw(new JsonObject().put("type", "publish").put("address", "manifesto.doc." + m.id())
        .put("body", new JsonObject().put("revision", 99).put("op", new JsonArray().add("spoof")))
        .put("headers", new JsonObject().put("token", m.admin())).encode());
    bridge.register("manifesto.doc." + m.id(), null, msg -> { });
    TestServer.Manifesto other = server.createManifesto("Other", "");
    bridge.register("manifesto.doc." + m.id(), other.viewer(), msg -> { });
    bridge.register("some.other.address", m.admin(), msg -> { });
    bridge.raw("{not json");
    org.convene.testing.Wait.until(() -> bridge.errors.size() >= 6);
    // unlisted send, client publish, register without token, with another manifesto's token, unlisted, not JSON
    assertEquals(List.of("access_denied", "invalid_json", "rejected", "rejected", "rejected", "rejected"),
        bridge.errors.subList(0, 6).stream().sorted().toList());
    // The connection still works after all that.
    assertEquals(0, await(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Still here"), m.viewer()))
        .getInteger("revision"));
    assertUnchanged();
  }

  @Test
  void aFloodIsRateLimited() throws Exception {
    // A Vert.x of its own: two servers on one event bus would share their consumers.
    Vertx other = Vertx.vertx();
    try (TestServer limited = TestServer.start(other, Map.of("RATE_LIMIT_FRAMES", "5"))) {
      TestServer.Manifesto lm = limited.createManifesto("Flood", "");
      long start = System.nanoTime(); // before the connection, so before its bucket was filled
      BridgeClient b = await(limited.connect());
      List<Future<JsonObject>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(b.request("manifesto.history", new JsonObject().put("doc", lm.id()).put("from", 0), lm.viewer()));
      }
      int limitedCount = 0;
      for (Future<JsonObject> a : answers) {
        try {
          await(a);
        } catch (Exception e) {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          assertEquals(429, ((BridgeClient.BridgeError) cause).code);
          limitedCount++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // What the bucket guarantees whatever the machine's speed: a burst of 10, then 5 a second.
      int accepted = answers.size() - limitedCount;
      assertTrue(accepted <= 10 + Math.ceil(5 * seconds),
          accepted + " of 40 frames accepted in " + seconds + " s: more than a burst of 10 and 5/s allow");
    } finally {
      other.close().await(10, TimeUnit.SECONDS);
    }
  }
}
