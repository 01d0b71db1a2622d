package org.convene.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.util.SplittableRandom;

/** SockJS's WebSocket transport, the one browsers use through the official client. */
final class SockJsLink extends Link {
  private final WebSocketClient client;
  private final HttpClient http;
  private final int port;
  private final SplittableRandom random;
  private final boolean offerDeflate;
  private WebSocket socket;

  SockJsLink(WebSocketClient client, HttpClient http, int port, SplittableRandom random, boolean offerDeflate) {
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
