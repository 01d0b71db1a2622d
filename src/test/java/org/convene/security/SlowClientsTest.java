package org.convene.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow and silent clients are let go: each test trickles for far longer than the configured timeouts
 * (two seconds here) and asserts the server hung up before the client was done, whatever the clock.
 */
class SlowClientsTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of(
      "IDLE_TIMEOUT", "2", "HEADER_TIMEOUT", "2", "REQUEST_TIMEOUT", "2"));

  /** Bytes trickled one per 250 ms: 30 s of trickling, fifteen times the timeouts. */
  static final int TRICKLE = 120;

  /** What a trickling client saw: the server's bytes, and whether it hung up before the trickle ended. */
  record Outcome(boolean hungUp, String answer) {}

  static Outcome trickle(String head, int bytes) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(250);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      for (int i = 0; i < bytes; i++) {
        try {
          out.write('a');
          out.flush();
        } catch (IOException reset) {
          return new Outcome(true, answer.toString(StandardCharsets.UTF_8));
        }
        try {
          int n;
          byte[] buf = new byte[4096];
          while ((n = in.read(buf)) > 0) {
            answer.write(buf, 0, n);
          }
          if (n < 0) {
            return new Outcome(true, answer.toString(StandardCharsets.UTF_8));
          }
        } catch (SocketTimeoutException stillOpen) {
          // the server is still waiting for us: trickle on
        } catch (IOException reset) {
          return new Outcome(true, answer.toString(StandardCharsets.UTF_8));
        }
      }
      return new Outcome(false, answer.toString(StandardCharsets.UTF_8));
    }
  }

  /** After a first request, the next one's headers (a WebSocket handshake's too) are trickled. */
  @ParameterizedTest
  @ValueSource(strings = {"/health", "/eventbus/websocket", "/eventbus/000/slowheads/websocket"})
  void headersTrickledOnAKeptAliveConnectionAreCutOff(String path) throws Exception {
    String head = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        + "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Version: 13\r\nX-Slow: ";
    Outcome o = trickle(head, TRICKLE);
    assertTrue(o.hungUp(), "a client trickling its headers was kept for the whole trickle");
    assertTrue(o.answer().startsWith("HTTP/1.1 200"), o.answer());
    assertEquals(1, o.answer().split("HTTP/1.1 ", -1).length - 1, "only the first request was served: " + o.answer());
  }

  /** A fresh connection's first request line or headers, trickled: nothing was served before, so nothing to reuse. */
  @ParameterizedTest
  @ValueSource(strings = {"GET /health?slow=", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
      "GET /eventbus/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nX-Slow: "})
  void aFreshConnectionTricklingItsFirstHeadersIsCutOff(String head) throws Exception {
    Outcome o = trickle(head, TRICKLE);
    assertTrue(o.hungUp(), "a client trickling its first request was kept for the whole trickle");
    assertEquals("", o.answer(), "nothing was answered to a request never completed");
  }

  @Test
  void aBodyTrickledIsCutOffWith408() throws Exception {
    String head = "POST /api/manifestos HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + (TRICKLE + 10) + "\r\n\r\n";
    Outcome o = trickle(head, TRICKLE);
    assertTrue(o.hungUp(), "a client trickling its body was kept for the whole trickle");
    assertTrue(o.answer().startsWith("HTTP/1.1 408"), o.answer());
    assertTrue(o.answer().contains("\"error\":\"timeout\""), o.answer());
  }

  @Test
  void aSilentConnectionIsClosed() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000); // a bound for a broken server, fifteen times the timeout
      assertEquals(-1, socket.getInputStream().read(), "closed without a word");
    }
  }

  @Test
  void aKeptAliveConnectionIsClosedOnceIdle() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      for (int c = in.read(); c >= 0; c = in.read()) {
        answer.write(c);
      }
      assertTrue(answer.toString(StandardCharsets.UTF_8).startsWith("HTTP/1.1 200"), answer.toString());
    }
  }

  /** SockJS sends a heartbeat every 25 s; a silent client is closed by the idle timeout long before. */
  @ParameterizedTest
  @ValueSource(strings = {"raw", "sockjs"})
  void aSilentWebSocketIsClosedBeforeItsFirstHeartbeat(String kind) throws Exception {
    String path = kind.equals("raw") ? "/eventbus/websocket" : "/eventbus/000/" + UUID.randomUUID().toString().substring(0, 8) + "/websocket";
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path)) {
      assertEquals(101, ws.status);
      for (RawWebSocket.Frame f = ws.read(); f != null && f.opcode() != RawWebSocket.CLOSE; f = ws.read()) {
        assertEquals("o", f.text(), "only SockJS's open frame comes before the close");
      }
      assertTrue(ws.endOfStream());
    }
  }

  /** A SockJS session nobody polls is forgotten: its frames are refused afterwards. */
  @Test
  void anAbandonedXhrSessionEnds() throws Exception {
    String session = "/eventbus/000/" + UUID.randomUUID().toString().substring(0, 8);
    HttpResponse<Buffer> open = server.http().post(session + "/xhr").send().await(10, TimeUnit.SECONDS);
    assertEquals("o\n", open.bodyAsString());
    Wait.until(30, () -> sendStatus(session) == 404, () -> "the abandoned session still takes frames");
  }

  static int sendStatus(String session) {
    try {
      return server.http().post(session + "/xhr_send").putHeader("Content-Type", "text/plain")
          .sendBuffer(Buffer.buffer("[\"{\\\"type\\\":\\\"ping\\\"}\"]")).await(10, TimeUnit.SECONDS).statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
