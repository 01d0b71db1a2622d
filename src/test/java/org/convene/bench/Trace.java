package org.convene.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.convene.ot.TextOperation;

/**
 * An editing trace ({startContent, endContent, txns:[{time, patches:[[pos, delCount, insText]]}]}) as
 * one TextOperation per patch, each on the document as the patches before it left it.
 */
record Trace(String start, String end, List<TextOperation> ops) {
  static final Path DEFAULT = Path.of("/work/shared/data/automerge-paper.json.gz");

  static Trace load(Path file) throws IOException {
    JsonObject json;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      json = new JsonObject(Buffer.buffer(in.readAllBytes()));
    }
    String start = json.getString("startContent");
    String end = json.getString("endContent");
    List<TextOperation> ops = new ArrayList<>(260_000);
    int len = start.length();
    for (Object t : json.getJsonArray("txns")) {
      for (Object p : ((JsonObject) t).getJsonArray("patches")) {
        JsonArray patch = (JsonArray) p;
        int pos = patch.getInteger(0);
        int del = patch.getInteger(1);
        String ins = patch.getString(2);
        // Positions count code points; they equal UTF-16 units only where nothing is outside the BMP.
        for (int i = 0; i < ins.length(); i++) {
          if (Character.isSurrogate(ins.charAt(i))) {
            throw new IllegalArgumentException("trace inserts a character outside the BMP; positions would need mapping");
          }
        }
        ops.add(TextOperation.builder().retain(pos).delete(del).insert(ins).retain(len - pos - del).build());
        len += ins.length() - del;
      }
    }
    if (len != end.length()) {
      throw new IllegalArgumentException("trace replays to " + len + " characters, endContent has " + end.length());
    }
    return new Trace(start, end, ops);
  }
}
