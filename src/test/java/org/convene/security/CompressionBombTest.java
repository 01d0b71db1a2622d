package org.convene.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A compressed WebSocket message must never be inflated: the server agrees no compression extension,
 * so a frame with RSV1 set is a protocol error, refused on its header, before its payload has even
 * arrived. Checked on both WebSocket paths, the raw bridge endpoint and SockJS's WebSocket transport.
 */
class CompressionBombTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final java.util.function.Predicate<java.util.logging.LogRecord> REFUSED =
      LogCapture.thrown("CorruptedWebSocketFrameException", "no extension negotiated");
  /** The bridge's logger, which the server keeps quiet (App): here the test reads the reason from it. */
  static final String BRIDGE_LOG = "io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl";
  static final String OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, x-webkit-deflate-frame";

  static String path(String kind) {
    return kind.equals("raw") ? "/eventbus/websocket"
        : "/eventbus/000/" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "/websocket";
  }

  @ParameterizedTest
  @ValueSource(strings = {"raw", "sockjs"})
  void anOfferOfCompressionIsDeclined(String kind) throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.port(), path(kind), OFFER)) {
      assertEquals(101, ws.status, "the upgrade itself succeeds");
      assertFalse(ws.headers.containsKey("sec-websocket-extensions"), "no extension agreed: " + ws.headers);
    }
  }

  /** 32 MiB of one letter, about 32 KB deflated, sent as a fragmented compressed message. */
  @ParameterizedTest
  @ValueSource(strings = {"raw", "sockjs"})
  void aCompressedMessageIsRefusedOnItsFirstFrame(String kind) throws Exception {
    byte[] bomb = deflate(32 << 20);
    assertTrue(bomb.length < 64 << 10, "the bomb is small on the wire: " + bomb.length);
    long before = heapAfterGc();
    try (LogCapture refusals = LogCapture.install(REFUSED, BRIDGE_LOG);
        RawWebSocket ws = RawWebSocket.connect(server.port(), path(kind), OFFER)) {
      assertEquals(101, ws.status);
      // Only a first frame goes out, one that inflates to less than the message limit: a server that
      // inflated would wait for the rest; one that refuses compression drops the connection at once.
      sendingMayFail(() -> ws.frame(false, true, RawWebSocket.TEXT, Arrays.copyOf(bomb, 256)));
      assertHealthy();
      assertDropped(ws, refusals);
    }
    assertHealthy();
    assertHeapFlat(before);
  }

  /** One frame of 1 MiB (the frame limit) of deflate output, which would inflate to about a gigabyte. */
  @ParameterizedTest
  @ValueSource(strings = {"raw", "sockjs"})
  void aFullCompressedFrameIsRefusedBeforeItsPayload(String kind) throws Exception {
    byte[] frame = deflatedPrefix(1 << 20);
    long before = heapAfterGc();
    try (LogCapture refusals = LogCapture.install(REFUSED, BRIDGE_LOG);
        RawWebSocket ws = RawWebSocket.connect(server.port(), path(kind), OFFER)) {
      assertEquals(101, ws.status);
      ws.frameHeaderOnly(true, RawWebSocket.TEXT, frame.length);
      sendingMayFail(() -> ws.write(Arrays.copyOf(frame, 64 << 10))); // the rest never goes out
      assertHealthy();
      assertDropped(ws, refusals);
    }
    assertHealthy();
    assertHeapFlat(before);
  }

  /** A request body declared gzip is not inflated either: it reaches the JSON parser as the bytes sent. */
  @Test
  void aGzipRequestBodyIsNotInflated() throws Exception {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(("{\"title\":\"t\",\"text\":\"" + "a".repeat(8 << 20) + "\"}").getBytes());
    }
    HttpResponse<Buffer> r = server.http().post("/api/manifestos")
        .putHeader("Content-Type", "application/json").putHeader("Content-Encoding", "gzip")
        .sendBuffer(Buffer.buffer(gz.toByteArray())).await(20, TimeUnit.SECONDS);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertEquals("invalid_input", r.bodyAsJsonObject().getString("error"));
  }

  /**
   * The server refuses the frame on its header ("RSV != 0 and no extension negotiated") and ends the
   * connection. The raw endpoint sends a close frame first (the gate's 1009, as for any socket error),
   * the SockJS transport may not.
   */
  static void assertDropped(RawWebSocket ws, LogCapture refusals) throws Exception {
    // The server says why: the frame's header, before any payload was inflated. A server that inflated
    // would drop the socket later too (on its size limit, or when the bridge's ping timeout runs out).
    Wait.until(15, () -> !refusals.records.isEmpty(), () -> "the refusal of an RSV1 frame in the log");
    RawWebSocket.Frame close = ws.readUntilClose();
    assertTrue(close == null || close.opcode() == RawWebSocket.CLOSE);
    assertTrue(ws.endOfStream(), "the connection is dropped");
  }

  interface Sending {
    void run() throws java.io.IOException;
  }

  /** A write the server may cut short by dropping the connection already: that is the behaviour under test. */
  static void sendingMayFail(Sending sending) {
    try {
      sending.run();
    } catch (java.io.IOException droppedAlready) {
      // checked by assertDropped
    }
  }

  static void assertHealthy() throws Exception {
    HttpResponse<Buffer> health = server.http().get("/health").send().await(30, TimeUnit.SECONDS);
    assertEquals(200, health.statusCode(), health.bodyAsString());
  }

  /** What is left on the heap after a collection grew by a few MB at most (an inflated bomb is 32 MB and up). */
  static void assertHeapFlat(long before) {
    long after = heapAfterGc();
    assertTrue(after - before < 8 << 20, "heap grew from " + (before >> 20) + " MB to " + (after >> 20) + " MB");
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** n bytes of 'a' as a permessage-deflate payload: raw deflate, sync-flushed, the 00 00 ff ff tail removed. */
  static byte[] deflate(int n) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'a');
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 << 10];
    for (int sent = 0; sent < n; sent += chunk.length) {
      d.setInput(chunk);
      while (!d.needsInput()) {
        out.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
      }
    }
    int len;
    while ((len = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
      out.write(buf, 0, len);
    }
    d.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  /** The first {@code size} bytes of deflating zeros for as long as it takes to produce them. */
  static byte[] deflatedPrefix(int size) {
    Deflater d = new Deflater(Deflater.BEST_SPEED, true);
    byte[] zeros = new byte[1 << 20];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 << 10];
    while (out.size() < size) {
      d.setInput(zeros);
      while (!d.needsInput()) {
        out.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
      }
    }
    d.end();
    return Arrays.copyOf(out.toByteArray(), size);
  }
}
