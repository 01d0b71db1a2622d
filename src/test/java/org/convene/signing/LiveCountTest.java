package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.convene.collab.Addresses;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The live count on the public bridge address, and the cacheable count endpoint. */
class LiveCountTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;

  /** Registers without a token; a request after it on the same connection proves it was handled. */
  static BridgeClient follow(String address, List<JsonObject> into) throws Exception {
    return follow(server.connect().await(10, TimeUnit.SECONDS), address, into);
  }

  static BridgeClient follow(BridgeClient client, String address, List<JsonObject> into) throws Exception {
    client.register(address, null, into::add);
    client.request(Addresses.OPEN, new JsonObject(), null).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    return client;
  }

  @Test
  void aClientWithoutTokenFollowsTheCountAtMostOnceASecond() throws Exception {
    TestServer.Manifesto m = api.published("Live", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(),
        new JsonObject().put("goal", 1000)
            .put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
    List<JsonObject> seen = new CopyOnWriteArrayList<>();
    List<JsonObject> other = new CopyOnWriteArrayList<>();
    BridgeClient client = follow(Addresses.signatures(m.id()), seen);
    BridgeClient second = follow(Addresses.signatures(m.id()), other);
    // As browsers follow it: SockJS's WebSocket transport, whose frames the gate writes as a["..."] itself.
    List<JsonObject> browser = new CopyOnWriteArrayList<>();
    BridgeClient sockJs = follow(BridgeClient.connectSockJs(server.vertx(), server.port()).await(10, TimeUnit.SECONDS),
        Addresses.signatures(m.id()), browser);
    assertTrue(client.errors.isEmpty(), "registering needs no token: " + client.errors);

    long start = System.nanoTime();
    // Email signers first (pending, not counted), then a burst counted at once.
    api.sign(m, Signatures.signer("Mail Signer", "live@example.org", "SN", "full"));
    String confirm = Signatures.token(api.await("live@example.org", 1), Signatures.CONFIRM);
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    for (int i = 0; i < 20; i++) {
      assertEquals(201, api.sign(m, Signatures.signer("Burst " + i, "burst" + i + "@example.org", i % 2 == 0 ? "FR" : "MA",
          "full")).statusCode());
    }
    Wait.until(15, () -> !seen.isEmpty() && seen.get(seen.size() - 1).getLong("confirmed") == 20,
        () -> "the count of 20 on the bridge: " + seen);
    Signatures.ok(api.get("/api/signatures/confirm?token=" + confirm));
    Wait.until(15, () -> seen.get(seen.size() - 1).getLong("confirmed") == 21, () -> "21 after the confirmation: " + seen);
    long elapsedSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);

    JsonObject last = seen.get(seen.size() - 1);
    assertEquals(1000, last.getInteger("goal"));
    assertEquals(new JsonObject().put("FR", 10).put("MA", 10).put("SN", 1), last.getJsonObject("byCountry"));
    assertTrue(seen.size() <= elapsedSeconds + 2, "at most one message a second: " + seen.size() + " in "
        + elapsedSeconds + " s");
    long previous = -1;
    for (JsonObject each : seen) {
      assertTrue(each.getLong("confirmed") >= previous, "the count only grows here: " + seen);
      previous = each.getLong("confirmed");
      assertFalse(each.encode().contains("@"), "no email on the public address");
    }
    Wait.until(15, () -> !other.isEmpty() && other.get(other.size() - 1).getLong("confirmed") == 21,
        () -> "every open page gets the count");
    Wait.until(15, () -> !browser.isEmpty() && browser.get(browser.size() - 1).equals(last),
        () -> "over SockJS too, the same message: " + browser + " against " + last);
    assertTrue(sockJs.errors.isEmpty() && sockJs.unclaimed.isEmpty(), sockJs.errors + " " + sockJs.unclaimed);
    client.close();
    second.close();
    sockJs.close();
  }

  /**
   * More open pages than the bridge writes in one go (FanOut.CHUNK per event loop, two loops): every
   * page still hears every count published after it registered, in order, and the last one.
   */
  @Test
  void manyOpenPagesEachHearTheCountsInOrder() throws Exception {
    TestServer.Manifesto m = api.published("Many pages", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)
        .put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
    int pages = 4 * org.convene.collab.FanOut.CHUNK + 7;
    io.vertx.core.http.WebSocketClient ws = server.vertx().createWebSocketClient(
        new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(pages + 10));
    String register = new JsonObject().put("type", "register").put("address", Addresses.signatures(m.id())).encode();
    List<List<Long>> heard = new java.util.ArrayList<>();
    List<io.vertx.core.Future<?>> opening = new java.util.ArrayList<>();
    List<io.vertx.core.http.WebSocket> sockets = new CopyOnWriteArrayList<>();
    for (int i = 0; i < pages; i++) {
      List<Long> counts = new CopyOnWriteArrayList<>();
      heard.add(counts);
      opening.add(ws.connect(new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1")
              .setPort(server.port()).setURI("/eventbus/websocket"))
          .onSuccess(socket -> {
            sockets.add(socket);
            socket.textMessageHandler(text -> counts.add(new JsonObject(text).getJsonObject("body").getLong("confirmed")));
            socket.binaryMessageHandler(b -> counts.add(new JsonObject(b.toString()).getJsonObject("body")
                .getLong("confirmed")));
            socket.writeTextMessage(register);
          }));
    }
    io.vertx.core.Future.all(opening).await(120, TimeUnit.SECONDS);
    // A request on one more connection after all the registrations: the gates have handled them.
    follow(Addresses.signatures(m.id()), new CopyOnWriteArrayList<>()).close();
    for (int round = 1; round <= 3; round++) {
      for (int i = 0; i < 5; i++) {
        assertEquals(201, api.sign(m, Signatures.signer("Page " + round + " " + i, "p" + round + "-" + i + "@example.org",
            "FR", "full")).statusCode());
      }
      long expected = 5L * round;
      Wait.until(30, () -> heard.stream().allMatch(c -> !c.isEmpty() && c.get(c.size() - 1) == expected),
          () -> "every page hears " + expected + "; behind: " + heard.stream().filter(c -> c.isEmpty()
              || c.get(c.size() - 1) != expected).count());
    }
    for (List<Long> counts : heard) {
      for (int i = 1; i < counts.size(); i++) {
        assertTrue(counts.get(i) >= counts.get(i - 1), "in order: " + counts);
      }
    }
    sockets.forEach(io.vertx.core.http.WebSocket::close);
    ws.close();
  }

  /**
   * The count adds what batches stored to the last full read (LiveCount.added) instead of counting
   * everything every second: under concurrent signing, with counts asked for while batches are being
   * written, and around an invalidation and its undo, it is always the database's count.
   */
  @Test
  void theCountKeptInMemoryIsTheDatabases() throws Exception {
    TestServer.Manifesto m = api.published("Counted in memory", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)
        .put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
    String counted = "SELECT count(*) FROM signatures WHERE manifesto_id = '" + m.id()
        + "' AND state = 'confirmed' AND invalidation_id IS NULL";
    for (int round = 0; round < 4; round++) {
      List<io.vertx.core.Future<HttpResponse<Buffer>>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        all.add(server.http().post("/api/manifestos/" + m.id() + "/signatures").sendJsonObject(Signatures.signer(
            "R" + round + " " + i, "r" + round + "-" + i + (i % 3 == 0 ? "@spam.test" : "@example.org"),
            i % 2 == 0 ? "FR" : "SN", "full")));
        if (i % 10 == 0) { // counts asked for while batches are in flight
          all.add(server.http().get("/api/manifestos/" + m.id() + "/signatures/count").send());
        }
      }
      for (var f : all) {
        assertTrue(f.await(60, TimeUnit.SECONDS).statusCode() / 100 == 2);
      }
      assertEquals(Long.parseLong(api.sqlValue(counted)), api.count(m).getLong("confirmed"), "after round " + round);
    }
    assertEquals(240, api.count(m).getLong("confirmed"));
    JsonObject invalidated = Signatures.ok(api.post("/api/manifestos/" + m.id() + "/signatures/invalidate", m.admin(),
        new JsonObject().put("domain", "spam.test")));
    assertEquals(160, api.count(m).getLong("confirmed"), "the invalidation counts at once");
    assertEquals(Long.parseLong(api.sqlValue(counted)), api.count(m).getLong("confirmed"));
    assertEquals(201, api.sign(m, Signatures.signer("After", "after@example.org", "FR", "full")).statusCode());
    assertEquals(161, api.count(m).getLong("confirmed"));
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/signatures/invalidations/" + invalidated.getLong("id") + "/undo",
        m.admin(), new JsonObject()));
    assertEquals(241, api.count(m).getLong("confirmed"), "and its undo");
    JsonObject byCountry = api.count(m).getJsonObject("byCountry");
    assertEquals(Long.parseLong(api.sqlValue(counted + " AND country = 'FR'")), byCountry.getLong("FR"));
    assertEquals(Long.parseLong(api.sqlValue(counted + " AND country = 'SN'")), byCountry.getLong("SN"));
  }

  @Test
  void theDocumentAddressesStillNeedAToken() throws Exception {
    TestServer.Manifesto m = api.published("Still guarded", "Text.");
    BridgeClient client = server.connect().await(10, TimeUnit.SECONDS);
    client.register(Addresses.doc(m.id()), null, b -> { });
    client.register("manifesto.signatures.bad id!", null, b -> { });
    Wait.until(15, () -> client.errors.size() >= 2, () -> "two refusals: " + client.errors);
    client.close();
  }

  @Test
  void theCountIsCacheableWithAnETag() throws Exception {
    TestServer.Manifesto m = api.published("ETag", "Text.");
    HttpResponse<Buffer> first = api.get("/api/manifestos/" + m.id() + "/signatures/count");
    String etag = first.getHeader("ETag");
    assertTrue(first.getHeader("Cache-Control").contains("max-age="), first.getHeader("Cache-Control"));
    assertTrue(first.bodyAsJsonObject().getString("updatedAt").endsWith("Z"));
    assertEquals(new JsonObject().put("confirmed", 0).put("goal", 0).put("byCountry", new JsonObject()),
        without(first.bodyAsJsonObject()));
    HttpResponse<Buffer> same = server.http().get("/api/manifestos/" + m.id() + "/signatures/count")
        .putHeader("If-None-Match", etag).send().await(10, TimeUnit.SECONDS);
    assertEquals(304, same.statusCode());
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    assertEquals(201, api.sign(m, Signatures.signer("One", "one@example.org", "FR", "full")).statusCode());
    HttpResponse<Buffer> changed = server.http().get("/api/manifestos/" + m.id() + "/signatures/count")
        .putHeader("If-None-Match", etag).send().await(10, TimeUnit.SECONDS);
    assertEquals(200, changed.statusCode(), "a new signature changes the count at once");
    assertEquals(1, changed.bodyAsJsonObject().getLong("confirmed"));
    assertFalse(etag.equals(changed.getHeader("ETag")));
    assertEquals(404, api.get("/api/manifestos/nosuch/signatures/count").statusCode());
  }

  static JsonObject without(JsonObject o) {
    JsonObject copy = o.copy();
    copy.remove("updatedAt");
    return copy;
  }
}
