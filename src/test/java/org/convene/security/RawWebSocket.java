package org.convene.security;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written by hand over a plain socket, so a test can send what a well-behaved
 * library never would: frames with RSV1 set when no extension was agreed, handshakes with any
 * headers, half a frame, or a client that never answers the server's close frame.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 1;
  static final int CONTINUATION = 0;
  public static final int CLOSE = 8;

  /** A frame as read: its opcode, RSV1 bit and payload. */
  public record Frame(int opcode, boolean rsv1, byte[] payload) {
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }
  }

  public final Socket socket;
  final int status;
  final Map<String, String> headers;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket, int status, Map<String, String> headers) throws IOException {
    this.socket = socket;
    this.status = status;
    this.headers = headers;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Opens a socket and sends the upgrade request with the extra header lines given (e.g. "Origin: x"). */
  public static RawWebSocket connect(int port, String path, String... extraHeaders) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(30_000); // a bound so a broken server fails the test rather than hanging it
    StringBuilder request = new StringBuilder()
        .append("GET ").append(path).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\n")
        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
        .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(new byte[16])).append("\r\n")
        .append("Sec-WebSocket-Version: 13\r\n");
    for (String h : extraHeaders) {
      request.append(h).append("\r\n");
    }
    request.append("\r\n");
    socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream raw = socket.getInputStream();
    String statusLine = line(raw);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(raw); !l.isEmpty(); l = line(raw)) {
      int colon = l.indexOf(':');
      headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    return new RawWebSocket(socket, status, headers);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        throw new EOFException("connection closed during the handshake");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Writes one masked client frame. */
  public void frame(boolean fin, boolean rsv1, int opcode, byte[] payload) throws IOException {
    out.write(header(fin, rsv1, opcode, payload.length));
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(mask);
    byte[] masked = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    out.write(masked);
    out.flush();
  }

  /** Writes a frame's header and mask announcing {@code length} payload bytes, and no payload. */
  void frameHeaderOnly(boolean rsv1, int opcode, int length) throws IOException {
    out.write(header(true, rsv1, opcode, length));
    out.write(new byte[4]); // an all-zero mask: the payload goes out as is
    out.flush();
  }

  /** Writes bytes as they are (a frame's payload after frameHeaderOnly). */
  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  private static byte[] header(boolean fin, boolean rsv1, int opcode, int length) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
    if (length < 126) {
      h.write(0x80 | length);
    } else if (length < 65536) {
      h.write(0x80 | 126);
      h.write(length >>> 8);
      h.write(length);
    } else {
      h.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        h.write((int) ((long) length >>> shift));
      }
    }
    return h.toByteArray();
  }

  /** Reads the next server frame (unmasked), or null at the end of the stream. */
  public Frame read() throws IOException {
    int b0 = in.read();
    if (b0 < 0) {
      return null;
    }
    int b1 = in.readUnsignedByte();
    long length = b1 & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, (b0 & 0x40) != 0, payload);
  }

  /** Reads until the server's close frame, and returns it; null when the stream ends without one. */
  public Frame readUntilClose() throws IOException {
    long deadline = System.nanoTime() + 30_000_000_000L; // heartbeats must not keep a broken test waiting
    try {
      for (Frame f = read(); f != null; f = read()) {
        if (f.opcode() == CLOSE) {
          return f;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no close within 30 s");
        }
      }
    } catch (java.net.SocketException | EOFException reset) {
      return null;
    }
    return null;
  }

  /** True when the server has closed the TCP connection: a read meets the end of the stream (or a reset). */
  public boolean endOfStream() throws IOException {
    try {
      while (true) {
        if (in.read() < 0) {
          return true;
        }
      }
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
