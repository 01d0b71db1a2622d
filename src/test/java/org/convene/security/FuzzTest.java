package org.convene.security;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.convene.app.App;
import org.convene.testing.BridgeClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated input on every way in, for a bounded time: bridge frames (valid JSON and not,
 * every protocol address and some others, every JSON type in every field, oversize, compressed) and
 * REST requests (every route, any method, content type and body). Throughout: no 5xx, no event loop
 * blocked over 100 ms (Vert.x's checker, set tight, must log nothing), /health answering, and the
 * document fuzzed with its viewer token or none unchanged. Editor and admin tokens fuzz another one.
 *
 * <p>Seeded: the seed is printed, and {@code -Dconvene.fuzz.seed=N} replays a run (the same frames and
 * requests in the same order; how many fit in the time may differ). {@code -Dconvene.fuzz.seconds}
 * sets the time (default 25), {@code -Dconvene.fuzz.nul=false} leaves NUL characters out.
 */
class FuzzTest {
  static final long SEED = Long.getLong("convene.fuzz.seed", System.nanoTime());
  static final int SECONDS = Integer.getInteger("convene.fuzz.seconds", 25);
  static final boolean NUL = Boolean.parseBoolean(System.getProperty("convene.fuzz.nul", "true"));
  static final String ORIGINAL = "Fuzz target: this text must survive.\n";

  final Random random = new Random(SEED);
  final List<String> failures = new CopyOnWriteArrayList<>();
  TestServer server;
  TestServer.Manifesto target;
  TestServer.Manifesto other;
  final List<String> clientIds = new ArrayList<>();
  final StallWatch stalls = new StallWatch();
  /** Reconnections depend on timing, so they draw from a generator of their own, not the sequence's. */
  final Random transports = new Random(SEED + 1);

  @Test
  void nothingBreaksTheServer() throws Exception {
    System.out.println("fuzz seed " + SEED + " (replay with -Dconvene.fuzz.seed=" + SEED + ")");
    Vertx vertx = Vertx.vertx(App.vertxOptions()
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(MILLISECONDS)
        .setBlockedThreadCheckInterval(20).setBlockedThreadCheckIntervalUnit(MILLISECONDS)
        .setWarningExceptionTime(50).setWarningExceptionTimeUnit(MILLISECONDS) // log where it was blocked
        .setMaxWorkerExecuteTime(10).setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES)); // PDFs render on workers
    server = TestServer.start(vertx, Map.of("RATE_LIMIT_FRAMES", "0")); // so that frames reach the handlers
    WebClient health = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    try {
      target = server.createManifesto("Target", ORIGINAL);
      other = server.createManifesto("Other", "Editors may change this one.\n");
      warmUp();
      AtomicInteger healthy = new AtomicInteger();
      long healthTimer;
      try (LogCapture blocked = LogCapture.install(r -> String.valueOf(r.getMessage()).contains("has been blocked"))) {
        healthTimer = vertx.setPeriodic(100, id -> health.get("/health").send().onComplete((r, err) -> {
          if (r != null && r.statusCode() == 200) {
            healthy.incrementAndGet();
          } else {
            failures.add("/health: " + (r != null ? r.statusCode() + " " + r.bodyAsString() : err));
          }
        }));
        int rounds = fuzz();
        vertx.cancelTimer(healthTimer);
        System.out.println("fuzz: " + rounds + " rounds, /health answered " + healthy.get() + " times");
        blocked.records.stream().limit(5).forEach(r -> {
          System.out.println("fuzz blocked: " + r.getMessage() + (clientSide(r.getThrown()) ? " (the fuzzer's own client)"
              : ours(r) ? " (the server's)"
              : " (the process was stalled " + stalls.stalledWithin(r.getMillis() - 1000, r.getMillis()) + " ms of the last second)"));
          if (r.getThrown() != null) {
            java.util.Arrays.stream(r.getThrown().getStackTrace()).limit(12).forEach(e -> System.out.println("    at " + e));
          }
        });
        assertTrue(blocked.records.stream().noneMatch(this::ours), "an event loop was blocked over 100 ms in our code"
            + " (seed " + SEED + "; the stacks are on standard output)");
      }
      assertTrue(healthy.get() > 0, "/health answered");
      failures.stream().limit(30).forEach(f -> System.out.println("fuzz failure: " + f));
      assertTrue(failures.isEmpty(), failures.size() + " failures (seed " + SEED + "), listed on standard output");
      JsonObject stored = server.read(target);
      assertEquals(ORIGINAL, stored.getString("text"));
      assertEquals(0, stored.getInteger("revision"));
    } finally {
      stalls.close();
      health.close();
      server.close();
      vertx.close().await(20, TimeUnit.SECONDS);
    }
  }

  /**
   * Whether a blocked-thread warning is the server's doing. On a shared machine a loop is also seen
   * "blocked" while the whole process is held up (a collection pause, cores given to other builds);
   * the stall watcher saw those too. A warning counts when, less what the watcher lost meanwhile,
   * the loop was still held over the limit.
   */
  boolean ours(java.util.logging.LogRecord r) {
    if (clientSide(r.getThrown())) {
      return false;
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("blocked for (\\d+) ms").matcher(String.valueOf(r.getMessage()));
    if (!m.find()) {
      return true;
    }
    long blocked = Long.parseLong(m.group(1));
    long machine = stalls.stalledWithin(r.getMillis() - blocked, r.getMillis());
    return blocked - machine > 100;
  }

  /**
   * Whether the loop was held in an HTTP client's code: the fuzzer's own requests share the server's
   * Vert.x, so their connection pool runs on its loops too; the server itself makes no HTTP requests.
   */
  static boolean clientSide(Throwable stack) {
    if (stack == null) {
      return false;
    }
    for (StackTraceElement frame : stack.getStackTrace()) {
      String c = frame.getClassName();
      if (c.startsWith("io.vertx.core.http.impl.HttpClient") || c.startsWith("io.vertx.core.http.impl.Http1xClient")
          || c.startsWith("io.vertx.core.http.impl.HttpChannelConnector")
          || c.startsWith("io.vertx.core.http.impl.SharedHttpClientConnectionGroup")) {
        return true;
      }
    }
    return false;
  }

  /** One pass down every path with valid input, so classes are loaded before the checker watches. */
  void warmUp() throws Exception {
    BridgeClient bridge = server.connect().await(10, TimeUnit.SECONDS);
    String clientId = bridge.request("manifesto.open", new JsonObject().put("doc", other.id()).put("name", "Warm"), other.editor())
        .await(10, TimeUnit.SECONDS).getString("clientId");
    bridge.request("manifesto.edit", new JsonObject().put("doc", other.id()).put("clientId", clientId).put("seq", 1)
        .put("revision", 0).put("op", new JsonArray().add("x").add(29)), other.editor()).await(10, TimeUnit.SECONDS);
    for (BridgeClient each : List.of(bridge, BridgeClient.connectSockJs(server.vertx(), server.port()).await(10, TimeUnit.SECONDS))) {
      each.register("manifesto.doc." + other.id(), other.viewer(), m -> { });
      each.register("manifesto.presence." + other.id(), other.viewer(), m -> { });
      each.unregister("manifesto.doc." + other.id());
      each.raw("{\"type\":\"ping\"}");
      each.raw("not json");
      each.request("manifesto.history", new JsonObject().put("doc", other.id()).put("from", 0), other.viewer())
          .otherwiseEmpty().await(10, TimeUnit.SECONDS);
      each.request("manifesto.presence", new JsonObject().put("doc", other.id()), "nobody").otherwiseEmpty().await(10, TimeUnit.SECONDS);
      each.close();
    }
    for (int i = 0; i < 200; i++) {
      rest();
    }
    failures.clear();
  }

  int fuzz() throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    int rounds = 0;
    BridgeClient bridge = null;
    List<Future<JsonObject>> replies = new ArrayList<>();
    while (System.nanoTime() < end) {
      rounds++;
      if (bridge == null || bridge.isClosed()) {
        bridge = connect();
      }
      int kind = random.nextInt(1000);
      if (kind < 2) {
        compressed();
      } else if (kind < 4) {
        bridge.raw("[\"" + "a".repeat((1 << 20) + 10) + "\"]"); // over the message limit: closed
      } else if (kind < 600) {
        frame(bridge, replies);
      } else {
        rest();
      }
      if (replies.size() >= 200) {
        settle(replies);
      }
    }
    settle(replies);
    if (bridge != null) {
      bridge.close();
    }
    return rounds;
  }

  BridgeClient connect() throws Exception {
    BridgeClient bridge = (transports.nextBoolean() ? server.connect()
        : BridgeClient.connectSockJs(server.vertx(), server.port())).await(10, TimeUnit.SECONDS);
    for (TestServer.Manifesto m : List.of(target, other)) {
      try {
        clientIds.add(bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Fuzz"),
            m == target ? target.viewer() : other.editor()).await(10, TimeUnit.SECONDS).getString("clientId"));
      } catch (Exception e) {
        failures.add("open " + m.id() + ": " + e);
      }
    }
    return bridge;
  }

  /** Replies that came: none may be a 5xx. Those still missing after a while are let go (no reply is not a failure). */
  void settle(List<Future<JsonObject>> replies) {
    try {
      Future.join(replies).await(1, TimeUnit.SECONDS);
    } catch (Exception stillWaiting) {
      // counted below from those that did complete
    }
    for (Future<JsonObject> f : replies) {
      if (f.failed() && f.cause() instanceof BridgeClient.BridgeError e && e.code >= 500) {
        failures.add("bridge reply " + e.getMessage());
      }
    }
    replies.clear();
  }

  void frame(BridgeClient bridge, List<Future<JsonObject>> replies) {
    JsonObject frame = new JsonObject()
        .put("type", pick("send", "send", "send", "send", "register", "unregister", "publish", "ping", string(8)))
        .put("address", pick("manifesto.open", "manifesto.edit", "manifesto.history", "manifesto.presence",
            "manifesto.doc." + target.id(), "manifesto.presence." + target.id(), "manifesto.doc." + other.id(),
            "collab.internal.read", "collab.internal.replace", "collab.internal.closed", string(20)))
        .put("body", mutate(body()));
    String token = pick(target.viewer(), null, "garbage-token", other.editor(), other.admin(), target.viewer() + "x");
    if (token != null || random.nextInt(10) == 0) {
      frame.put("headers", random.nextInt(10) == 0 ? value(0) : new JsonObject().put("token", token));
    }
    int how = random.nextInt(20);
    if (how < 14 && "send".equals(frame.getValue("type"))) {
      Future<JsonObject> reply = bridge.requestText(replyAddress -> frame.copy().put("replyAddress", replyAddress).encode());
      String sent = frame.encode();
      replies.add(reply.onFailure(err -> {
        if (err instanceof BridgeClient.BridgeError e && e.code >= 500) {
          failures.add("bridge " + e.getMessage() + " for " + abbreviate(sent));
        }
      }));
    } else if (how < 17) {
      bridge.raw(frame.encode());
    } else if (how < 19) {
      bridge.raw(garble(frame.encode()));
    } else {
      bridge.raw("[".repeat(2000) + "]".repeat(random.nextInt(2001)));
    }
  }

  JsonObject body() {
    JsonObject body = new JsonObject()
        .put("doc", pick(target.id(), other.id(), string(10), target.id() + ":fr", ""))
        .put("name", string(12))
        .put("clientId", clientIds.isEmpty() ? string(8) : clientIds.get(random.nextInt(clientIds.size())))
        .put("seq", pickInt())
        .put("revision", pickInt())
        .put("op", op());
    if (random.nextBoolean()) {
      body.put("from", pickInt()).put("to", pickInt()).put("resume", string(16));
    }
    if (random.nextBoolean()) {
      body.put("selection", new JsonObject().put("ranges", new JsonArray().add(new JsonObject()
          .put("anchor", pickInt()).put("head", pickInt()))));
    }
    return body;
  }

  /** Mostly a plausible operation on a short text; sometimes nonsense of any shape. */
  JsonArray op() {
    JsonArray op = new JsonArray();
    for (int i = random.nextInt(5); i >= 0; i--) {
      switch (random.nextInt(4)) {
        case 0 -> op.add(random.nextInt(60));
        case 1 -> op.add(-random.nextInt(60));
        case 2 -> op.add(string(6));
        default -> op.add(value(1));
      }
    }
    return op;
  }

  /** Each field kept, dropped, or replaced by a value of any type; now and then a field added. */
  JsonObject mutate(JsonObject body) {
    JsonObject out = new JsonObject();
    body.forEach(e -> {
      int r = random.nextInt(10);
      if (r == 0) {
        return;
      }
      out.put(e.getKey(), r < 3 ? value(0) : e.getValue());
    });
    if (random.nextInt(5) == 0) {
      out.put(string(6), value(0));
    }
    return out;
  }

  Object value(int depth) {
    switch (random.nextInt(depth > 2 ? 7 : 9)) {
      case 0: return null;
      case 1: return random.nextBoolean();
      case 2: return random.nextInt();
      case 3: return pick(Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, -1L, 0L, 4_000_000_000L);
      case 4: return pick(0.5, -1e308, 1e308, 3.0, -0.0);
      case 5: return string(30);
      case 6: return pick("", " ", "x".repeat(100_000), target.id(), target.viewer(), "manifesto.doc." + target.id());
      case 7: {
        JsonArray a = new JsonArray();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(value(depth + 1));
        }
        return a;
      }
      default: {
        JsonObject o = new JsonObject();
        for (int i = random.nextInt(4); i > 0; i--) {
          o.put(string(5), value(depth + 1));
        }
        return o;
      }
    }
  }

  /** Text of any kind: ASCII, other scripts, emoji, lone surrogates, controls, and (unless turned off) NUL. */
  String string(int maxLength) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
      switch (random.nextInt(8)) {
        case 0 -> s.append((char) (' ' + random.nextInt(95)));
        case 1 -> s.append((char) (0x400 + random.nextInt(0x2000)));
        case 2 -> s.append("😀");
        case 3 -> s.append((char) (0xD800 + random.nextInt(0x800))); // a lone surrogate
        case 4 -> s.append((char) (1 + random.nextInt(31)));
        case 5 -> s.append(pick("\u200B", "\u202E", "\uFEFF", "\uFFFF", "\u2028", "'", "\"", "\\", "<script>"));
        case 6 -> s.append(NUL ? '\u0000' : 'n');
        default -> s.append((char) ('a' + random.nextInt(26)));
      }
    }
    return s.toString();
  }

  String garble(String text) {
    StringBuilder s = new StringBuilder(text);
    for (int i = 1 + random.nextInt(3); i > 0 && s.length() > 0; i--) {
      int at = random.nextInt(s.length());
      switch (random.nextInt(4)) {
        case 0 -> s.setLength(at);
        case 1 -> s.insert(at, pick("{", "}", "\"", ",", ":", "\\u00", "\u0000", "]"));
        case 2 -> s.deleteCharAt(at);
        default -> s.setCharAt(at, (char) random.nextInt(0x10000));
      }
    }
    return s.toString();
  }

  /** A compressed frame on a connection of its own: the connection is dropped and nothing else is hurt. */
  void compressed() throws Exception {
    String path = random.nextBoolean() ? "/eventbus/websocket" : "/eventbus/000/fz" + random.nextInt(1_000_000) + "/websocket";
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path,
        "Sec-WebSocket-Extensions: permessage-deflate")) {
      try {
        ws.frame(true, true, RawWebSocket.TEXT, CompressionBombTest.deflate(1 << 20));
      } catch (java.io.IOException dropped) {
        return; // refused on the header, before the payload was all written
      }
      ws.readUntilClose();
      if (!ws.endOfStream()) {
        failures.add("a compressed frame did not end its connection");
      }
    }
  }

  void rest() throws Exception {
    String id = pick(target.id(), other.id(), string(12), "..%2F..", "x".repeat(300), target.id() + ":fr");
    String n = pick("1", "0", "-1", "2", "99999999999", "x", "%00", string(4));
    String path = pick(
        "/api/manifestos", "/api/manifestos/" + id, "/api/manifestos/" + id + "/versions",
        "/api/manifestos/" + id + "/versions/" + n, "/api/manifestos/" + id + "/versions/" + n + "/publish",
        "/api/manifestos/" + id + "/versions/" + n + "/verify", "/api/manifestos/" + id + "/versions/" + n + "/restore",
        "/api/manifestos/" + id + "/revisions/" + n, "/api/manifestos/" + id + "/published",
        "/api/manifestos/" + id + "/diff?from=" + pick("v1", "r0", n, "") + "&to=" + pick("v2", "r1", n, "r99999"),
        "/api/manifestos/" + id + "/versions/" + n + "/pdf" + pick("", "?edition=reading", "?edition=" + string(5), "?lang=xx"),
        "/api/manifestos/" + id + "/pdf", "/api/" + string(8), "/", "/p/" + id, "/m/" + id + "/" + pick("edit", "view", "admin", n),
        "/assets/" + string(6), "/eventbus/info", "/health");
    HttpMethod method = pick(HttpMethod.GET, HttpMethod.GET, HttpMethod.POST, HttpMethod.POST, HttpMethod.PUT,
        HttpMethod.DELETE, HttpMethod.PATCH, HttpMethod.OPTIONS, HttpMethod.HEAD);
    HttpRequest<Buffer> request;
    try {
      request = server.http().request(method, uriSafe(path));
    } catch (RuntimeException notAUri) {
      return; // the client refused to send it; the path was broken before it reached us
    }
    String token = pick(target.viewer(), null, "garbage", other.editor(), other.admin(), "");
    if (token != null) {
      request.putHeader("Authorization", pick("Bearer ", "Bearer ", "Basic ", "bearer", "") + token);
    }
    String type = pick("application/json", "application/json", "application/json; charset=utf-8", "text/plain",
        "application/x-www-form-urlencoded", null, string(10));
    if (type != null) {
      try {
        request.putHeader("Content-Type", type);
      } catch (IllegalArgumentException badHeader) {
        // a header value the client will not send
      }
    }
    JsonObject json = mutate(new JsonObject().put("title", string(20)).put("text", string(60)).put("name", string(12))
        .put("note", string(20)).put("by", string(8)));
    String body = switch (random.nextInt(5)) {
      case 0 -> "";
      case 1 -> garble(json.encode());
      case 2 -> String.valueOf(value(0));
      default -> json.encode();
    };
    String what = method + " " + uriSafe(path) + " [" + type + "] " + abbreviate(body);
    try {
      HttpResponse<Buffer> r = request.sendBuffer(Buffer.buffer(body)).await(20, TimeUnit.SECONDS);
      if (r.statusCode() >= 500) {
        failures.add(r.statusCode() + " " + abbreviate(r.bodyAsString()) + " for " + what);
      }
    } catch (Exception e) {
      failures.add("no answer (" + e + ") for " + what);
    }
  }

  /** The path with what may not stand in a request line percent-encoded (as UTF-8), so it reaches the server. */
  static String uriSafe(String path) {
    StringBuilder s = new StringBuilder();
    for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c > ' ' && c < 0x7f && "\"<>\\^`{|}#".indexOf(c) < 0) {
        s.append(c);
      } else {
        s.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return s.toString();
  }

  int pickInt() {
    return pick(0, 1, 2, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt(100));
  }

  @SafeVarargs
  final <T> T pick(T... choices) {
    return choices[random.nextInt(choices.length)];
  }

  /** At most 200 characters, those that are not printable ASCII escaped, so a failure reads on one line. */
  static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(s.length(), 200); i++) {
      char c = s.charAt(i);
      out.append(c >= ' ' && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return s.length() <= 200 ? out.toString() : out + "...(" + s.length() + ")";
  }
}
