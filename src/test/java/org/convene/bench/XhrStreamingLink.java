package org.convene.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SockJS's XHR streaming transport: a POST whose answer streams frames, one per line after a 2 KB
 * prelude, ended by the server after 128 KB and then posted again for the same session; messages go
 * out by POST to xhr_send, one request at a time (what is queued meanwhile goes in the next).
 */
final class XhrStreamingLink extends Link {
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

  XhrStreamingLink(HttpClient http, int port, SplittableRandom random) {
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
