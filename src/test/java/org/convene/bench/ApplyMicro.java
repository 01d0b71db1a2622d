package org.convene.bench;

import java.nio.file.Path;
import java.util.List;
import org.convene.ot.TextOperation;

/**
 * In-process, no server: what applying the trace's 259,778 operations to the document costs, as the
 * sequencer does it today (TextOperation.apply: a new String per op) and as it could (one
 * StringBuilder kept across ops, edited in place). Both must give endContent.
 */
final class ApplyMicro {
  private ApplyMicro() {}

  static int run(Path tracePath, Results res, int repeat) throws Exception {
    Trace trace = Trace.load(tracePath);
    List<TextOperation> ops = trace.ops();
    int status = 0;
    for (int rep = 0; rep < repeat; rep++) {
      long t0 = System.nanoTime();
      String text = trace.start();
      for (TextOperation op : ops) {
        text = op.apply(text);
      }
      long t1 = System.nanoTime();
      String viaSubstring = trace.start();
      for (TextOperation op : ops) {
        viaSubstring = applyBulk(op, viaSubstring);
      }
      long t1b = System.nanoTime();
      StringBuilder doc = new StringBuilder(trace.start());
      for (TextOperation op : ops) {
        applyInPlace(op, doc);
      }
      String inPlace = doc.toString();
      long t2 = System.nanoTime();
      if (!text.equals(trace.end()) || !inPlace.equals(trace.end()) || !viaSubstring.equals(trace.end())) {
        status = 1;
        Bench.log("apply-micro: a replay DIFFERS from endContent");
      }
      res.add("-", "apply_string_per_op", (t1 - t0) / 1e3 / ops.size(), "us/op (TextOperation.apply, new String)");
      res.add("-", "apply_bulk_copy_per_op", (t1b - t1) / 1e3 / ops.size(), "us/op (new String, retains copied via substring)");
      res.add("-", "apply_in_place_per_op", (t2 - t1b) / 1e3 / ops.size(), "us/op (one StringBuilder, insert/delete)");
    }
    return status;
  }

  /**
   * TextOperation.apply with one change: retained runs are appended as substrings. In JDK 17,
   * StringBuilder.append(CharSequence, start, end) copies char by char; append(String) is an arraycopy.
   */
  static String applyBulk(TextOperation op, String doc) {
    if (doc.length() != op.baseLength()) {
      throw new IllegalArgumentException("length " + doc.length() + " is not the op's base length " + op.baseLength());
    }
    StringBuilder out = new StringBuilder(op.targetLength());
    int pos = 0;
    for (Object c : op.toComponents()) {
      if (c instanceof String s) {
        out.append(s);
      } else {
        int n = (Integer) c;
        if (n > 0) {
          out.append(doc.substring(pos, pos + n));
          pos += n;
        } else {
          pos -= n;
        }
      }
    }
    return out.toString();
  }

  /** The op's effect on doc, in place: inserts and deletes move the tail with one arraycopy each. */
  static void applyInPlace(TextOperation op, StringBuilder doc) {
    if (doc.length() != op.baseLength()) {
      throw new IllegalArgumentException("length " + doc.length() + " is not the op's base length " + op.baseLength());
    }
    int pos = 0;
    for (Object c : op.toComponents()) {
      if (c instanceof String s) {
        doc.insert(pos, s);
        pos += s.length();
      } else {
        int n = (Integer) c;
        if (n > 0) {
          pos += n;
        } else {
          doc.delete(pos, pos - n);
        }
      }
    }
  }
}
