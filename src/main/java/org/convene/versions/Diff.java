package org.convene.versions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Word-level differences between two texts, the way a reader compares two drafts.
 *
 * <p>Two passes keep it fast on long texts: paragraphs (lines) are aligned first, then the words of
 * each changed stretch are aligned (Myers' shortest edit script, both times). A paragraph deleted in
 * one place and inserted unchanged in another is reported as a move: the delete and the insert carry
 * the same {@code move} number. Invariant: the EQUAL and DELETE texts concatenated give {@code from},
 * the EQUAL and INSERT texts give {@code to}.
 */
public final class Diff {
  public enum Kind { EQUAL, INSERT, DELETE }

  /** One stretch of text; {@code move} is 0, or pairs a moved paragraph's delete with its insert. */
  public record Change(Kind kind, String text, int move) {}

  /** Shorter paragraphs ("1.", "Yes") recur too often for a match to mean they moved. */
  static final int MIN_MOVE_LENGTH = 20;
  /** Beyond this many edits in one stretch a word alignment is no help to a reader (and costs D²). */
  static final int MAX_EDITS = 2_500;

  private Diff() {}

  public static List<Change> between(String from, String to) {
    List<String> pa = paragraphs(from);
    List<String> pb = paragraphs(to);
    Map<String, Integer> ids = new HashMap<>();
    int[] a = intern(pa, ids);
    int[] b = intern(pb, ids);
    byte[] script = Myers.script(a, b, MAX_EDITS);
    List<Change> out = new ArrayList<>();
    if (script == null) {
      words(from, to, out);
      return tidy(out);
    }
    // Stretches: equal paragraphs, or a block of deleted and inserted ones between two equal ones.
    List<int[]> blocks = new ArrayList<>(); // {aFrom, aTo, bFrom, bTo}; equal when aTo - aFrom == -1
    int i = 0;
    int j = 0;
    for (int s = 0; s < script.length; ) {
      if (script[s] == Myers.EQ) {
        int n = 0;
        while (s < script.length && script[s] == Myers.EQ) {
          s++;
          n++;
        }
        blocks.add(new int[] {i, -1, j, n});
        i += n;
        j += n;
      } else {
        int i0 = i;
        int j0 = j;
        while (s < script.length && script[s] != Myers.EQ) {
          if (script[s++] == Myers.DEL) {
            i++;
          } else {
            j++;
          }
        }
        blocks.add(new int[] {i0, i, j0, j});
      }
    }
    Map<Integer, Integer> movedA = new HashMap<>();
    Map<Integer, Integer> movedB = new HashMap<>();
    findMoves(blocks, pa, pb, movedA, movedB);
    for (int[] block : blocks) {
      if (block[1] == -1) {
        out.add(new Change(Kind.EQUAL, String.join("", pa.subList(block[0], block[0] + block[3])), 0));
      } else {
        emitBlock(block, pa, pb, movedA, movedB, out);
      }
    }
    return tidy(out);
  }

  /** Lines and their line breaks as separate units, so a last line without "\n" still matches. */
  static List<String> paragraphs(String text) {
    List<String> units = new ArrayList<>();
    int start = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (nl > start) {
        units.add(text.substring(start, nl));
      }
      units.add("\n");
      start = nl + 1;
    }
    if (start < text.length()) {
      units.add(text.substring(start));
    }
    return units;
  }

  /** A paragraph deleted in one block and inserted in another, each exactly once, has moved. */
  private static void findMoves(List<int[]> blocks, List<String> pa, List<String> pb,
                                Map<Integer, Integer> movedA, Map<Integer, Integer> movedB) {
    Map<String, int[]> deleted = new HashMap<>(); // text → {block, unit}, unit -1 when not unique
    Map<String, int[]> inserted = new HashMap<>();
    for (int k = 0; k < blocks.size(); k++) {
      int[] block = blocks.get(k);
      if (block[1] != -1) {
        candidates(pa, block[0], block[1], k, deleted);
        candidates(pb, block[2], block[3], k, inserted);
      }
    }
    int move = 0;
    for (int k = 0; k < blocks.size(); k++) {
      int[] block = blocks.get(k);
      for (int u = block[0]; u < block[1]; u++) {
        int[] del = deleted.get(pa.get(u));
        int[] ins = del == null || del[1] != u ? null : inserted.get(pa.get(u));
        if (ins != null && ins[1] >= 0 && ins[0] != k) {
          movedA.put(u, ++move);
          movedB.put(ins[1], move);
        }
      }
    }
  }

  private static void candidates(List<String> units, int from, int to, int block, Map<String, int[]> seen) {
    for (int u = from; u < to; u++) {
      String p = units.get(u);
      if (p.strip().length() >= MIN_MOVE_LENGTH) {
        seen.merge(p, new int[] {block, u}, (old, now) -> new int[] {old[0], -1});
      }
    }
  }

  /**
   * A block's moved paragraphs cut its deleted and its inserted units into stretches D0 M1 D1 ... and
   * I0 N1 I1 ...; emitting words(Dk, Ik), Mk+1, Nk+1 in turn keeps both sides in their order.
   */
  private static void emitBlock(int[] block, List<String> pa, List<String> pb,
                                Map<Integer, Integer> movedA, Map<Integer, Integer> movedB, List<Change> out) {
    List<Integer> ma = new ArrayList<>();
    List<Integer> mb = new ArrayList<>();
    for (int u = block[0]; u < block[1]; u++) {
      if (movedA.containsKey(u)) {
        ma.add(u);
      }
    }
    for (int u = block[2]; u < block[3]; u++) {
      if (movedB.containsKey(u)) {
        mb.add(u);
      }
    }
    int ai = block[0];
    int bi = block[2];
    for (int k = 0; k <= Math.max(ma.size(), mb.size()); k++) {
      int aEnd = k < ma.size() ? ma.get(k) : block[1];
      int bEnd = k < mb.size() ? mb.get(k) : block[3];
      words(String.join("", pa.subList(ai, aEnd)), String.join("", pb.subList(bi, bEnd)), out);
      ai = aEnd;
      bi = bEnd;
      if (k < ma.size()) {
        out.add(new Change(Kind.DELETE, pa.get(ai), movedA.get(ai)));
        ai++;
      }
      if (k < mb.size()) {
        out.add(new Change(Kind.INSERT, pb.get(bi), movedB.get(bi)));
        bi++;
      }
    }
  }

  private static void words(String from, String to, List<Change> out) {
    if (from.isEmpty() || to.isEmpty()) {
      add(out, Kind.DELETE, from);
      add(out, Kind.INSERT, to);
      return;
    }
    List<String> ta = Words.tokens(from);
    List<String> tb = Words.tokens(to);
    Map<String, Integer> ids = new HashMap<>();
    byte[] script = Myers.script(intern(ta, ids), intern(tb, ids), MAX_EDITS);
    if (script == null) {
      add(out, Kind.DELETE, from);
      add(out, Kind.INSERT, to);
      return;
    }
    int i = 0;
    int j = 0;
    for (int s = 0; s < script.length; ) {
      byte op = script[s];
      StringBuilder text = new StringBuilder();
      while (s < script.length && script[s] == op) {
        text.append(op == Myers.INS ? tb.get(j) : ta.get(i));
        if (op != Myers.INS) {
          i++;
        }
        if (op != Myers.DEL) {
          j++;
        }
        s++;
      }
      add(out, op == Myers.EQ ? Kind.EQUAL : op == Myers.DEL ? Kind.DELETE : Kind.INSERT, text.toString());
    }
  }

  private static void add(List<Change> out, Kind kind, String text) {
    if (!text.isEmpty()) {
      out.add(new Change(kind, text, 0));
    }
  }

  /**
   * For reading: a lone space between two changes joins them ("quick brown" → "slow red" is one
   * replacement, not two), each group's deletion comes before its insertion, and neighbours of the
   * same kind merge.
   */
  private static List<Change> tidy(List<Change> raw) {
    List<Change> out = new ArrayList<>(raw.size());
    StringBuilder del = new StringBuilder();
    StringBuilder ins = new StringBuilder();
    String held = null;
    for (Change c : raw) {
      boolean change = c.kind() != Kind.EQUAL && c.move() == 0;
      boolean inGroup = del.length() + ins.length() > 0;
      if (change) {
        if (held != null) {
          del.append(held);
          ins.append(held);
          held = null;
        }
        (c.kind() == Kind.DELETE ? del : ins).append(c.text());
      } else if (inGroup && held == null && c.kind() == Kind.EQUAL && c.text().length() <= 3 && c.text().isBlank()
          && c.text().indexOf('\n') < 0) {
        held = c.text();
      } else {
        flush(del, ins, out);
        if (held != null) {
          merge(out, new Change(Kind.EQUAL, held, 0));
          held = null;
        }
        merge(out, c);
      }
    }
    flush(del, ins, out);
    if (held != null) {
      merge(out, new Change(Kind.EQUAL, held, 0));
    }
    return out;
  }

  private static void flush(StringBuilder del, StringBuilder ins, List<Change> out) {
    if (del.length() > 0) {
      merge(out, new Change(Kind.DELETE, del.toString(), 0));
    }
    if (ins.length() > 0) {
      merge(out, new Change(Kind.INSERT, ins.toString(), 0));
    }
    del.setLength(0);
    ins.setLength(0);
  }

  private static void merge(List<Change> out, Change c) {
    int last = out.size() - 1;
    if (last >= 0 && out.get(last).kind() == c.kind() && out.get(last).move() == 0 && c.move() == 0) {
      out.set(last, new Change(c.kind(), out.get(last).text() + c.text(), 0));
    } else {
      out.add(c);
    }
  }

  private static int[] intern(List<String> units, Map<String, Integer> ids) {
    int[] out = new int[units.size()];
    for (int k = 0; k < out.length; k++) {
      Integer id = ids.putIfAbsent(units.get(k), ids.size());
      out[k] = id == null ? ids.size() - 1 : id;
    }
    return out;
  }
}
