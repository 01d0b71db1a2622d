package org.convene.versions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Myers' O(ND) difference algorithm on interned units (lines or words): the shortest edit script,
 * keeping the trace of each step (O(D²) memory, bounded by the caller's edit limit) to walk back.
 */
public final class Myers {
  private Myers() {}

  public static final byte EQ = 0;
  public static final byte DEL = 1;
  public static final byte INS = 2;

  /**
   * Myers' shortest edit script: one step per unit (EQ takes one of each side, DEL one of a, INS one
   * of b), or null beyond {@code maxEdits} edits. The common prefix and suffix cost nothing.
   */
  public static byte[] script(int[] a, int[] b, int maxEdits) {
    int pre = 0;
    while (pre < a.length && pre < b.length && a[pre] == b[pre]) {
      pre++;
    }
    int suf = 0;
    while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] == b[b.length - 1 - suf]) {
      suf++;
    }
    int n = a.length - pre - suf;
    int m = b.length - pre - suf;
    byte[] core = core(Arrays.copyOfRange(a, pre, pre + n), Arrays.copyOfRange(b, pre, pre + m), maxEdits);
    if (core == null) {
      return null;
    }
    byte[] out = new byte[pre + core.length + suf];
    System.arraycopy(core, 0, out, pre, core.length); // EQ is 0: prefix and suffix are already EQ
    return out;
  }

  private static byte[] core(int[] a, int[] b, int maxEdits) {
    int n = a.length;
    int m = b.length;
    int max = Math.min(n + m, maxEdits);
    int off = max + 1;
    int[] v = new int[2 * max + 3];
    List<int[]> trace = new ArrayList<>();
    for (int d = 0; d <= max; d++) {
      // v as it was after step d-1, for k in [-d-1, d+1]: what backtracking from step d reads.
      trace.add(Arrays.copyOfRange(v, off - d - 1, off + d + 2));
      for (int k = -d; k <= d; k += 2) {
        int x = k == -d || (k != d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a[x] == b[y]) {
          x++;
          y++;
        }
        v[off + k] = x;
        if (x >= n && y >= m) {
          return backtrack(trace, d, n, m);
        }
      }
    }
    return null;
  }

  private static byte[] backtrack(List<int[]> trace, int depth, int n, int m) {
    byte[] out = new byte[n + m];
    int w = out.length;
    int x = n;
    int y = m;
    for (int d = depth; d > 0; d--) {
      int[] t = trace.get(d);
      int base = d + 1;
      int k = x - y;
      boolean down = k == -d || (k != d && t[k - 1 + base] < t[k + 1 + base]);
      int prevK = down ? k + 1 : k - 1;
      int prevX = t[prevK + base];
      int prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        out[--w] = EQ;
        x--;
        y--;
      }
      out[--w] = down ? INS : DEL;
      x = prevX;
      y = prevY;
    }
    while (x > 0) {
      out[--w] = EQ;
      x--;
    }
    return Arrays.copyOfRange(out, w, out.length);
  }
}
