package org.convene.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convene.ot.OpsSince;
import org.convene.ot.TextOperation;

/**
 * In-process, no server: what bringing an edit up to date costs per edit, at a given lag, through
 * the shared {@link OpsSince} (shapes and composed blocks) and by transforming against each operation
 * since the base in turn (the simplest linear way). Appends (every author types at the end) and
 * scattered typing (inserts and deletes anywhere). Both ways must give the same operations.
 */
final class CatchUpMicro {
  private CatchUpMicro() {}

  static int run(Results res, int repeat) {
    int status = 0;
    for (int rep = 0; rep < repeat; rep++) {
      for (boolean scattered : new boolean[] {false, true}) {
        for (int lag : new int[] {10, 100, 1_000, 5_000}) {
          int ops = 20_000;
          long[] ns = new long[2];
          List<TextOperation> viaBlocks = replay(ops, lag, scattered, true, ns);
          List<TextOperation> inTurn = replay(ops, lag, scattered, false, ns);
          if (!viaBlocks.equals(inTurn)) {
            status = 1;
            Bench.log("catchup-micro: the two ways DIFFER at lag " + lag);
          }
          String what = (scattered ? "scattered" : "appends") + "_lag" + lag;
          res.add("-", what + "_blocks", ns[0] / 1e3 / ops, "us/op (OpsSince: shapes, composed blocks)");
          res.add("-", what + "_in_turn", ns[1] / 1e3 / ops, "us/op (transform against each op since the base)");
        }
      }
    }
    return status;
  }

  /** The committed operations; ns[0] or ns[1] gets the time spent bringing edits up to date. */
  private static List<TextOperation> replay(int ops, int lag, boolean scattered, boolean blocks, long[] ns) {
    Random rnd = new Random(lag);
    OpsSince since = new OpsSince(0);
    List<TextOperation> log = new ArrayList<>(ops);
    int[] lengthAt = new int[ops + 1];
    lengthAt[0] = 1_000;
    long spent = 0;
    for (int r = 0; r < ops; r++) {
      int base = Math.max(0, r - lag + rnd.nextInt(Math.max(1, lag / 10)));
      int length = lengthAt[base];
      TextOperation mine;
      if (!scattered) {
        mine = TextOperation.builder().retain(length).insert("abcd").build();
      } else {
        int at = rnd.nextInt(length);
        TextOperation.Builder b = TextOperation.builder().retain(at);
        if (rnd.nextInt(5) == 0) {
          b.delete(1).retain(length - at - 1);
        } else {
          b.insert("ab").retain(length - at);
        }
        mine = b.build();
      }
      long t0 = System.nanoTime();
      TextOperation now;
      if (blocks) {
        now = since.transform(mine, base);
        since.add(now);
      } else {
        now = mine;
        for (int i = base; i < r; i++) {
          now = TextOperation.transform(now, log.get(i)).a();
        }
      }
      spent += System.nanoTime() - t0;
      log.add(now);
      lengthAt[r + 1] = now.targetLength();
    }
    ns[blocks ? 0 : 1] += spent;
    return log;
  }
}
