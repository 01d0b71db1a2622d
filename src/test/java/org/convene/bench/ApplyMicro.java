package org.convene.bench;

import java.nio.file.Path;
import java.util.List;
import org.convene.ot.TextOperation;

/**
 * In-process, no server: what applying the trace's 259,778 operations to the document costs, as the
 * sequencer does it (TextOperation.applyTo: one StringBuilder edited in place) and as it did before
 * (TextOperation.apply: a new String per op). Both must give endContent.
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
      StringBuilder doc = new StringBuilder(trace.start());
      for (TextOperation op : ops) {
        op.applyTo(doc);
      }
      String inPlace = doc.toString();
      long t2 = System.nanoTime();
      if (!text.equals(trace.end()) || !inPlace.equals(trace.end())) {
        status = 1;
        Bench.log("apply-micro: a replay DIFFERS from endContent");
      }
      res.add("-", "apply_string_per_op", (t1 - t0) / 1e3 / ops.size(), "us/op (TextOperation.apply, new String)");
      res.add("-", "apply_in_place_per_op", (t2 - t1) / 1e3 / ops.size(), "us/op (TextOperation.applyTo, one StringBuilder)");
    }
    return status;
  }
}
