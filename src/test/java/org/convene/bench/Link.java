package org.convene.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import java.util.SplittableRandom;

/**
 * One author's connection to the event-bus bridge, carrying the bridge's JSON messages both ways, over
 * one of the transports browsers reach it by: the raw WebSocket endpoint ({@code /eventbus/websocket}),
 * or SockJS as {@code @vertx/eventbus-bridge-client.js} with sockjs-client uses it: first
 * {@code GET /eventbus/info}, then its WebSocket transport ({@code /eventbus/<server>/<session>/websocket},
 * frames {@code o}, {@code h}, {@code a["msg",...]}, {@code c[code,"reason"]}; each message sent as
 * {@code ["msg"]}) or, behind proxies that refuse WebSockets, XHR streaming (a long POST to
 * {@code .../xhr_streaming} read line by line, renewed when the server ends it, and one POST to
 * {@code .../xhr_send} at a time carrying what was queued meanwhile).
 *
 * <p>Every WebSocket offers {@code permessage-deflate; client_max_window_bits}, as Chromium does,
 * unless told not to; whether the server accepted it is {@link #deflate()}.
 */
abstract class Link {
  enum Kind {
    RAW("raw"), SOCKJS_WS("sockjs-ws"), XHR_STREAMING("xhr-streaming");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** Each bridge message received, in order (on the link's context). */
  protected Handler<Buffer> messages = b -> {};
  /** Called once, when the link is gone (closed by either side, or failed). */
  protected Handler<Void> closed = v -> {};
  private boolean gone;
  /** Why the link is gone, when it knows. */
  String why = "";

  /**
   * Chromium's offer, word for word. Vert.x's client (with {@code setTryUsePerMessageCompression}) would
   * offer a bare {@code permessage-deflate}; this header takes its place in the handshake, and the
   * client's extension handler still handles the answer.
   */
  static final String CHROMIUM_EXTENSIONS = "permessage-deflate; client_max_window_bits";

  static Link create(Kind kind, WebSocketClient ws, HttpClient http, int port, SplittableRandom random, boolean deflate) {
    return switch (kind) {
      case RAW -> new Raw(ws, port, deflate);
      case SOCKJS_WS -> new SockJsLink(ws, http, port, random, deflate);
      case XHR_STREAMING -> new XhrStreamingLink(http, port, random);
    };
  }

  /** Connects; completes once messages may be sent. */
  abstract Future<Void> open(Handler<Buffer> messages, Handler<Void> closed);

  /** Sends one bridge message (dropped once the link is gone). */
  abstract void send(String message);

  /** Closes the link; {@code closed} follows. */
  abstract Future<Void> close();

  /** True when the server accepted permessage-deflate on this link's WebSocket. */
  boolean deflate() {
    return false;
  }

  protected final void gone() {
    if (!gone) {
      gone = true;
      closed.handle(null);
    }
  }

  protected final boolean isGone() {
    return gone;
  }

  static boolean acceptedDeflate(WebSocket socket) {
    String ext = socket.headers() == null ? null : socket.headers().get("sec-websocket-extensions");
    return ext != null && ext.contains("permessage-deflate");
  }

  /** The SockJS path of a new session: a 3-digit server id and a random session id, as sockjs-client makes. */
  static String sockJsBase(SplittableRandom random) {
    StringBuilder session = new StringBuilder();
    String alphabet = "abcdefghijklmnopqrstuvwxyz012345";
    for (int i = 0; i < 8; i++) {
      session.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return "/eventbus/" + random.nextInt(1000) + "/" + session;
  }

  /** sockjs-client's first request: GET /eventbus/info (the server's options, and a check that it is there). */
  static Future<Void> info(HttpClient http, int port, SplittableRandom random) {
    return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
            .setURI("/eventbus/info?t=" + random.nextLong(1L << 40)))
        .compose(req -> req.send())
        .compose(resp -> resp.body().compose(body -> resp.statusCode() == 200
            ? Future.succeededFuture()
            : Future.failedFuture("GET /eventbus/info answered " + resp.statusCode())));
  }

  /**
   * One SockJS frame: {@code o} (open), {@code h} (heartbeat), {@code a[...]} (messages), {@code c[...]}
   * (closed by the server). Returns false when the frame closes the session.
   */
  protected boolean sockJsFrame(String frame, Runnable onOpen) {
    if (frame.isEmpty()) {
      return true;
    }
    switch (frame.charAt(0)) {
      case 'o' -> onOpen.run();
      case 'a' -> {
        for (Object m : new JsonArray(frame.substring(1))) {
          messages.handle(Buffer.buffer((String) m));
        }
      }
      case 'c' -> {
        return false;
      }
      default -> {
        // 'h': heartbeat
      }
    }
    return true;
  }

  static String sockJsMessage(String message) {
    return new JsonArray().add(message).encode();
  }

  static WebSocketConnectOptions webSocket(int port, String uri, boolean deflate) {
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    return deflate ? o.addHeader("Sec-WebSocket-Extensions", CHROMIUM_EXTENSIONS) : o;
  }

  /** The bridge's raw WebSocket endpoint: one bridge message per WebSocket message. */
  static final class Raw extends Link {
    private final WebSocketClient client;
    private final int port;
    private final boolean offerDeflate;
    private WebSocket socket;

    Raw(WebSocketClient client, int port, boolean offerDeflate) {
      this.client = client;
      this.port = port;
      this.offerDeflate = offerDeflate;
    }

    @Override
    Future<Void> open(Handler<Buffer> messages, Handler<Void> closed) {
      this.messages = messages;
      this.closed = closed;
      return client.connect(webSocket(port, "/eventbus/websocket", offerDeflate))
          .map(ws -> {
            socket = ws;
            ws.binaryMessageHandler(messages);
            ws.textMessageHandler(s -> messages.handle(Buffer.buffer(s)));
            ws.closeHandler(v -> gone());
            return null;
          });
    }

    @Override
    void send(String message) {
      if (socket != null && !isGone()) {
        socket.writeTextMessage(message);
      }
    }

    @Override
    Future<Void> close() {
      return socket == null ? Future.succeededFuture() : socket.close();
    }

    @Override
    boolean deflate() {
      return socket != null && acceptedDeflate(socket);
    }
  }
}
