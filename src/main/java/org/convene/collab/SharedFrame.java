package org.convene.collab;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.vertx.ext.web.handler.sockjs.impl.JsonCodec;
import java.nio.charset.StandardCharsets;

/**
 * One publication as every subscribed socket gets it: the bridge message ({@code {"type":"rec",...}},
 * encoded once by its publisher) and, built at most once each, the content of the WebSocket frame
 * that carries it on each WebSocket transport. On the raw endpoint that is the message itself (a
 * binary frame, as the bridge writes it); on SockJS's WebSocket transport, which browsers use, it is
 * SockJS's {@code a["..."]}, escaped by SockJS's own codec (its {@code JsonCodec}, public in its
 * implementation package), which would otherwise escape the message again for every socket.
 *
 * <p>The frames share these bytes: a socket's frame is a view of them that its release leaves alone,
 * so no socket copies or frees them (heap memory, collected once the last write is done).
 */
final class SharedFrame {
  final byte[] message;
  private ByteBuf raw;
  private ByteBuf sockJs;

  SharedFrame(byte[] message) {
    this.message = message;
  }

  /** The bytes a socket holds for this frame until the operating system takes them (about). */
  int length() {
    return message.length;
  }

  /** A frame for one socket; call on one thread at a time (a gate's event loop). */
  WebSocketFrame frame(boolean sockJsFraming) {
    if (sockJsFraming) {
      if (sockJs == null) {
        String framed = "a" + JsonCodec.encode(new String[] {new String(message, StandardCharsets.UTF_8)});
        sockJs = shared(framed.getBytes(StandardCharsets.UTF_8));
      }
      return new TextWebSocketFrame(sockJs.duplicate());
    }
    if (raw == null) {
      raw = shared(message);
    }
    return new BinaryWebSocketFrame(raw.duplicate());
  }

  private static ByteBuf shared(byte[] bytes) {
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
  }
}
