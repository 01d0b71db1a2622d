package org.convene.collab;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * A publication on {@code manifesto.doc.<doc>} as the bridge would write it to each subscribed socket,
 * {@code {"type":"rec","address":...,"body":...}}, encoded once. The bridge builds and encodes that
 * envelope per socket (and raises a hook per socket); at 500 subscribers that was a third of the
 * server's CPU. {@link BridgeGate} writes these bytes to its sockets instead.
 */
record RecFrame(String doc, byte[] bytes) {
  static RecFrame of(String doc, JsonObject body) {
    // A document id is letters, digits, '-', '_' and ':' (Addresses.DOC_ID): nothing to escape.
    String json = "{\"type\":\"rec\",\"address\":\"" + Addresses.doc(doc) + "\",\"body\":" + body.encode() + "}";
    return new RecFrame(doc, json.getBytes(StandardCharsets.UTF_8));
  }

  /** Immutable, so local delivery hands every consumer the same instance. */
  static final class Codec implements MessageCodec<RecFrame, RecFrame> {
    @Override
    public void encodeToWire(Buffer buffer, RecFrame frame) {
      byte[] doc = frame.doc.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(doc.length).appendBytes(doc).appendInt(frame.bytes.length).appendBytes(frame.bytes);
    }

    @Override
    public RecFrame decodeFromWire(int pos, Buffer buffer) {
      int docLength = buffer.getInt(pos);
      String doc = buffer.getString(pos + 4, pos + 4 + docLength, "UTF-8");
      int at = pos + 4 + docLength;
      int length = buffer.getInt(at);
      return new RecFrame(doc, buffer.getBytes(at + 4, at + 4 + length));
    }

    @Override
    public RecFrame transform(RecFrame frame) {
      return frame;
    }

    @Override
    public String name() {
      return "convene-rec-frame";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
