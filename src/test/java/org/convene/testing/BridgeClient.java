package org.convene.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A minimal event-bus bridge client over SockJS's raw WebSocket endpoint, speaking the same frames as
 * {@code @vertx/eventbus-bridge-client.js}: send (with a reply address), register, rec, err.
 */
public final class BridgeClient {
  /** A failed request, as the bridge reports it: an err frame with failureCode, or a bare err body. */
  public static final class BridgeError extends RuntimeException {
    public final int code;

    BridgeError(int code, String message) {
      super(code + " " + message, null, false, false);
      this.code = code;
    }
  }

  private final WebSocketClient client;
  private final WebSocket socket;
  private final Map<String, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<JsonObject>>> handlers = new ConcurrentHashMap<>();
  /** err frames without an address (access_denied and the like), in arrival order. */
  public final List<String> errors = new CopyOnWriteArrayList<>();
  /** rec frames for an address this client has no handler for (e.g. after unregistering it). */
  public final List<JsonObject> unclaimed = new CopyOnWriteArrayList<>();
  private static final long PING_MILLIS = 5_000;
  private volatile boolean closed;
  private final AtomicLong receivedBytes = new AtomicLong();

  /** True on the SockJS WebSocket transport (what sockjs-client uses), false on the raw endpoint. */
  private final boolean sockJs;
  /** The SockJS close frame the server sent ({@code c[code,"reason"]}), or null. */
  private volatile String sockJsClose;

  private BridgeClient(Vertx vertx, WebSocketClient client, WebSocket socket, boolean sockJs) {
    this.client = client;
    this.socket = socket;
    this.sockJs = sockJs;
    // As the official client does: the bridge closes a socket that has not pinged for 10 s.
    long pinger = vertx.setPeriodic(PING_MILLIS, id -> {
      if (!closed) {
        out(new JsonObject().put("type", "ping").encode());
      }
    });
    socket.textMessageHandler(text -> {
      receivedBytes.addAndGet(text.length());
      if (sockJs) {
        sockJsMessage(text);
      } else {
        frame(text);
      }
    });
    socket.binaryMessageHandler(b -> {  // the raw endpoint writes frames as binary
      String text = b.toString();
      receivedBytes.addAndGet(text.length());
      frame(text);
    });
    socket.closeHandler(v -> {
      closed = true;
      vertx.cancelTimer(pinger);
      pending.values().forEach(p -> p.tryFail(new BridgeError(-1, "connection closed")));
    });
  }

  public static Future<BridgeClient> connect(Vertx vertx, int port) {
    return connect(vertx, port, "/eventbus/websocket", false);
  }

  /**
   * Connects over the SockJS protocol's WebSocket transport, as browsers with the official client do:
   * {@code /eventbus/<server>/<session>/websocket}, frames wrapped in SockJS arrays ({@code a[...]}).
   */
  public static Future<BridgeClient> connectSockJs(Vertx vertx, int port) {
    String session = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    return connect(vertx, port, "/eventbus/000/" + session + "/websocket", true);
  }

  private static Future<BridgeClient> connect(Vertx vertx, int port, String uri, boolean sockJs) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 24).setMaxFrameSize(1 << 20));
    // No Origin header, as a script or another server connects (a browser's origin is checked: OriginTest).
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri).setAllowOriginHeader(false))
        .map(ws -> new BridgeClient(vertx, client, ws, sockJs));
  }

  private void out(String frame) {
    socket.writeTextMessage(sockJs ? new JsonArray().add(frame).encode() : frame);
  }

  /** A SockJS message: o (open), h (heartbeat), a[...] (frames), c[...] (close). */
  private void sockJsMessage(String message) {
    if (message.startsWith("a")) {
      for (Object frame : new JsonArray(message.substring(1))) {
        frame((String) frame);
      }
    } else if (message.startsWith("c")) {
      sockJsClose = message;
    }
  }

  public boolean isClosed() {
    return closed;
  }

  /** Stops reading from the socket, as a phone in a tunnel does: the server's writes back up. */
  public void pause() {
    socket.pause();
  }

  public void resume() {
    socket.resume();
  }

  /** The WebSocket close status: the server's close frame's, or 1006 when the connection ended without one. */
  public Short closeStatusCode() {
    return socket.closeStatusCode();
  }

  /** The SockJS close frame received ({@code c[3000,"Go away!"]}), or null: none, or not on SockJS. */
  public String sockJsClose() {
    return sockJsClose;
  }

  /** Characters of all frames received so far. */
  public long receivedBytes() {
    return receivedBytes.get();
  }

  public Future<JsonObject> request(String address, JsonObject body, String token) {
    if (closed) {
      return Future.failedFuture(new BridgeError(-1, "connection closed"));
    }
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> p = Promise.promise();
    pending.put(replyAddress, p);
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body)
        .put("replyAddress", replyAddress);
    if (token != null) {
      frame.put("headers", new JsonObject().put("token", token));
    }
    out(frame.encode());
    return p.future();
  }

  public void send(String address, JsonObject body, String token) {
    JsonObject frame = new JsonObject().put("type", "send").put("address", address).put("body", body);
    if (token != null) {
      frame.put("headers", new JsonObject().put("token", token));
    }
    out(frame.encode());
  }

  /** Sends any text as a frame, for tests of malformed input. */
  public void raw(String text) {
    out(text);
  }

  /** Sends a frame as given (headers and all) expecting a reply. */
  public Future<JsonObject> requestFrame(JsonObject frame) {
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> p = Promise.promise();
    pending.put(replyAddress, p);
    out(frame.copy().put("type", "send").put("replyAddress", replyAddress).encode());
    return p.future();
  }

  /** Sends a frame written by hand (for bytes a JSON library would not produce); it gets the reply address. */
  public Future<JsonObject> requestText(java.util.function.Function<String, String> frameForReplyAddress) {
    String replyAddress = UUID.randomUUID().toString();
    Promise<JsonObject> p = Promise.promise();
    pending.put(replyAddress, p);
    out(frameForReplyAddress.apply(replyAddress));
    return p.future();
  }

  public void register(String address, String token, Consumer<JsonObject> handler) {
    handlers.computeIfAbsent(address, a -> new CopyOnWriteArrayList<>()).add(handler);
    JsonObject frame = new JsonObject().put("type", "register").put("address", address);
    if (token != null) {
      frame.put("headers", new JsonObject().put("token", token));
    }
    out(frame.encode());
  }

  /** Stops the server sending this address's messages (and forgets the local handlers). */
  public void unregister(String address) {
    handlers.remove(address);
    out(new JsonObject().put("type", "unregister").put("address", address).encode());
  }

  public Future<Void> close() {
    return socket.close().eventually(client::close);
  }

  private void frame(String text) {
    JsonObject frame = new JsonObject(text);
    String type = frame.getString("type");
    String address = frame.getString("address");
    if ("rec".equals(type)) {
      Promise<JsonObject> p = address == null ? null : pending.remove(address);
      if (p != null) {
        p.tryComplete(frame.getJsonObject("body"));
        return;
      }
      List<Consumer<JsonObject>> hs = address == null ? null : handlers.get(address);
      if (hs != null) {
        hs.forEach(h -> h.accept(frame.getJsonObject("body")));
      } else {
        unclaimed.add(frame);
      }
    } else if ("err".equals(type)) {
      Promise<JsonObject> p = address == null ? null : pending.remove(address);
      if (p != null) {
        p.tryFail(new BridgeError(frame.getInteger("failureCode", -1), frame.getString("message", "")));
      } else {
        errors.add(String.valueOf(frame.getValue("body")));
      }
    }
  }
}
