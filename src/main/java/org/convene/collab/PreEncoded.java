package org.convene.collab;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A message body encoded to JSON once. The bridge wraps every message it forwards in an envelope
 * and encodes that envelope per connection; with this body the per-connection work is copying the
 * bytes, not copying and re-encoding the object (500 subscribers = 500 encodes otherwise).
 */
public record PreEncoded(String json) implements JsonSerializable {
  public static PreEncoded of(JsonObject body) {
    return new PreEncoded(body.encode());
  }

  @Override
  public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
    gen.writeRawValue(json);
  }

  @Override
  public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer) throws IOException {
    serialize(gen, serializers);
  }

  /** Immutable, so local delivery hands every consumer the same instance. */
  static final class Codec implements MessageCodec<PreEncoded, PreEncoded> {
    @Override
    public void encodeToWire(Buffer buffer, PreEncoded body) {
      byte[] bytes = body.json.getBytes(StandardCharsets.UTF_8);
      buffer.appendInt(bytes.length).appendBytes(bytes);
    }

    @Override
    public PreEncoded decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return new PreEncoded(buffer.getString(pos + 4, pos + 4 + length, "UTF-8"));
    }

    @Override
    public PreEncoded transform(PreEncoded body) {
      return body;
    }

    @Override
    public String name() {
      return "convene-pre-encoded";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
