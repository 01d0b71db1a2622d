package org.convene.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
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
      case SOCKJS_WS -> new SockJsWebSocket(ws, http, port, random, deflate);
      case XHR_STREAMING -> new XhrStreaming(http, port, random);
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

  /** SockJS's WebSocket transport, the one browsers use through the official client. */
  static final class SockJsWebSocket extends Link {
    private final WebSocketClient client;
    private final HttpClient http;
    private final int port;
    private final SplittableRandom random;
    private final boolean offerDeflate;
    private WebSocket socket;

    SockJsWebSocket(WebSocketClient client, HttpClient http, int port, SplittableRandom random, boolean offerDeflate) {
      this.client = client;
      this.http = http;
      this.port = port;
      this.random = random;
      this.offerDeflate = offerDeflate;
    }

    @Override
    Future<Void> open(Handler<Buffer> messages, Handler<Void> closed) {
      this.messages = messages;
      this.closed = closed;
      Promise<Void> opened = Promise.promise();
      info(http, port, random)
          .compose(v -> client.connect(webSocket(port, sockJsBase(random) + "/websocket", offerDeflate)))
          .onFailure(opened::tryFail)
          .onSuccess(ws -> {
            socket = ws;
            ws.textMessageHandler(frame -> {
              if (!sockJsFrame(frame, opened::tryComplete)) {
                ws.close();
              }
            });
            ws.closeHandler(v -> {
              opened.tryFail("closed before SockJS's open frame");
              gone();
            });
          });
      return opened.future();
    }

    @Override
    void send(String message) {
      if (socket != null && !isGone()) {
        socket.writeTextMessage(sockJsMessage(message));
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

  /**
   * SockJS's XHR streaming transport: a POST whose answer streams frames, one per line after a 2 KB
   * prelude, ended by the server after 128 KB and then posted again for the same session; messages go
   * out by POST to xhr_send, one request at a time (what is queued meanwhile goes in the next).
   */
  static final class XhrStreaming extends Link {
    private final HttpClient http;
    private final int port;
    private final SplittableRandom random;
    private String base;
    private Promise<Void> opened;
    private boolean everOpened;
    private boolean closing;
    private final List<String> queued = new ArrayList<>();
    private boolean sending;
    private HttpClientResponse current;
    /** A request that fails on a kept-alive connection the server had closed is sent again, on another. */
    private static final int RETRIES = 3;

    XhrStreaming(HttpClient http, int port, SplittableRandom random) {
      this.http = http;
      this.port = port;
      this.random = random;
    }

    @Override
    Future<Void> open(Handler<Buffer> messages, Handler<Void> closed) {
      this.messages = messages;
      this.closed = closed;
      this.base = sockJsBase(random);
      opened = Promise.promise();
      info(http, port, random).onFailure(opened::tryFail).onSuccess(v -> receive());
      return opened.future();
    }

    private RequestOptions post(String what) {
      return new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
          .setURI(base + "/" + what).putHeader("content-type", "text/plain;charset=UTF-8");
    }

    /** One streaming request; when the server ends it, the next (sockjs-client's receiver loop). */
    private void receive() {
      receive(RETRIES);
    }

    private void receive(int retries) {
      if (closing || isGone()) {
        return;
      }
      http.request(post("xhr_streaming"))
          .compose(req -> req.send())
          .onFailure(err -> {
            if (retries > 0 && closedUnderIt(err)) {
              receive(retries - 1); // a pooled connection closed by the server as it was reused: again
            } else {
              fail("xhr_streaming request: " + err.getMessage());
            }
          })
          .onSuccess(resp -> {
            if (resp.statusCode() != 200) {
              fail("xhr_streaming answered " + resp.statusCode());
              return;
            }
            stream(resp);
          });
    }

    private void stream(HttpClientResponse resp) {
      current = resp;
      StringBuilder line = new StringBuilder();
      boolean[] open = {true};
      resp.handler(chunk -> {
        String s = chunk.toString();
        for (int i = 0; i < s.length() && open[0]; i++) {
          char c = s.charAt(i);
          if (c != '\n') {
            line.append(c);
            continue;
          }
          String frame = line.toString();
          line.setLength(0);
          if (frame.length() == 2048 && frame.charAt(0) == 'h' && frame.charAt(2047) == 'h') {
            continue; // the prelude
          }
          open[0] = sockJsFrame(frame, this::openFrame);
        }
        if (!open[0]) {
          fail("closed by the server");
        }
      });
      resp.exceptionHandler(err -> fail("xhr_streaming answer: " + err.getMessage()));
      resp.endHandler(v -> {
        if (open[0]) {
          receive();
        }
      });
    }

    /** The first 'o' opens; a second one means the server lost the session (sockjs-client closes then). */
    private void openFrame() {
      if (everOpened) {
        fail("server lost the session");
      } else {
        everOpened = true;
        opened.tryComplete();
      }
    }

    private void fail(String why) {
      if (!isGone()) {
        this.why = why;
      }
      opened.tryFail(why);
      gone();
    }

    @Override
    void send(String message) {
      if (isGone() || closing) {
        return;
      }
      queued.add(message);
      if (!sending) {
        flush();
      }
    }

    private void flush() {
      if (queued.isEmpty() || isGone()) {
        sending = false;
        return;
      }
      sending = true;
      JsonArray batch = new JsonArray(new ArrayList<>(queued));
      queued.clear();
      xhrSend(batch.encode(), RETRIES);
    }

    /**
     * One xhr_send. A pooled connection the server closed just before it was reused fails the request
     * before any answer; a browser sends it again on a new connection, and so does this.
     */
    private void xhrSend(String body, int retries) {
      http.request(post("xhr_send"))
          .compose(req -> req.send(body))
          .compose(resp -> resp.body().map(b -> resp.statusCode()))
          .onComplete(ar -> {
            if (ar.failed() && retries > 0 && closedUnderIt(ar.cause())) {
              xhrSend(body, retries - 1);
            } else if (ar.failed()) {
              fail("xhr_send: " + ar.cause().getMessage());
            } else if (ar.result() / 100 != 2) {
              fail("xhr_send answered " + ar.result()); // 404: the server no longer knows the session
            } else {
              flush();
            }
          });
    }

    /** The kept-alive connection the request went on was closed or reset by the server (HEADER_TIMEOUT). */
    private static boolean closedUnderIt(Throwable err) {
      return err instanceof io.vertx.core.http.HttpClosedException || err instanceof java.io.IOException;
    }

    @Override
    Future<Void> close() {
      closing = true;
      if (current != null) {
        current.request().reset(); // the streaming request: the server's session times out without it
      }
      gone();
      return Future.succeededFuture();
    }
  }
}
