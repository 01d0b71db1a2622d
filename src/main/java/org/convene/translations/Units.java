package org.convene.translations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.convene.versions.Myers;

/**
 * The source cut into paragraph units with stable ids (docs/translations.md, "Units"). Pure: no
 * Vert.x, no I/O. {@link #assign} carries the ids of one cut over to the next, in this order:
 * <ol>
 *   <li>paragraphs equal in both, in the same order (Myers' alignment), keep their id: so a unit
 *       keeps its id when paragraphs are inserted or deleted around it;</li>
 *   <li>a paragraph that disappears in one place and appears unchanged in another has moved: it
 *       keeps its id (the same rule as the versions diff's moves);</li>
 *   <li>between two kept paragraphs: several new paragraphs whose concatenation is close to one old
 *       paragraph are its split (the first part keeps the id); one new paragraph close to the
 *       concatenation of several old ones is their merge (the first id survives);</li>
 *   <li>between two kept paragraphs: the rest are paired in order, most similar first, as edits
 *       (one paragraph replaced by one paragraph in place is always an edit);</li>
 *   <li>anywhere: a paragraph nearly identical to an old one left unpaired elsewhere has moved and
 *       been touched;</li>
 *   <li>everything else is a new unit, with an id never used before.</li>
 * </ol>
 */
public final class Units {
  private Units() {}

  /** A unit of the source: its id and its text (without the blank lines around it). */
  public record Unit(int id, String text) {}

  /** A new cut: the units in order, and the next free id. */
  public record Cut(List<Unit> units, int nextId) {}

  /** A split or merge counts when the parts together are at least this similar to the whole. */
  static final double WHOLE = 0.8;
  /** Two paragraphs between the same kept neighbours are one edited unit from this similarity. */
  static final double EDITED = 0.3;
  /** A paragraph that moved and was touched: nearly identical. */
  static final double MOVED = 0.85;
  private static final int MAX_EDITS = 5_000;
  /** Beyond this many pairs in one stretch, only the in-order pairing of step 4 is tried. */
  static final int MAX_PAIRS = 40_000;

  /** The paragraphs of a text, as the PDF editions read them ({@link Paragraphs#of}). */
  public static List<String> paragraphs(String text) {
    return Paragraphs.of(text);
  }

  /** The first cut of a text: ids from {@code firstId} in order. */
  public static Cut first(String text, int firstId) {
    return assign(List.of(), paragraphs(text), firstId);
  }

  /** Carries the ids of {@code before} over to {@code now} (see the class comment). */
  public static Cut assign(List<Unit> before, List<String> now, int nextId) {
    int n = before.size();
    int m = now.size();
    int[] ids = new int[m];
    Arrays.fill(ids, -1);
    boolean[] usedOld = new boolean[n];
    int[] anchorOld = new int[m]; // the old index of a paragraph kept in order (step 1), else -1
    Arrays.fill(anchorOld, -1);

    // 1. equal paragraphs in order
    Map<String, Integer> intern = new HashMap<>();
    int[] a = new int[n];
    int[] b = new int[m];
    for (int i = 0; i < n; i++) {
      a[i] = intern.computeIfAbsent(before.get(i).text(), t -> intern.size());
    }
    for (int j = 0; j < m; j++) {
      b[j] = intern.computeIfAbsent(now.get(j), t -> intern.size());
    }
    byte[] script = Myers.script(a, b, MAX_EDITS);
    if (script != null) {
      int i = 0;
      int j = 0;
      for (byte step : script) {
        if (step == Myers.EQ) {
          ids[j] = before.get(i).id();
          usedOld[i] = true;
          anchorOld[j] = i;
        }
        if (step != Myers.INS) {
          i++;
        }
        if (step != Myers.DEL) {
          j++;
        }
      }
    }

    // 2. moved unchanged: unpaired on both sides with the same text, paired in order
    Map<String, List<Integer>> leftOld = new HashMap<>();
    for (int i = 0; i < n; i++) {
      if (!usedOld[i]) {
        leftOld.computeIfAbsent(before.get(i).text(), t -> new ArrayList<>()).add(i);
      }
    }
    for (int j = 0; j < m; j++) {
      List<Integer> same = ids[j] < 0 ? leftOld.get(now.get(j)) : null;
      if (same != null && !same.isEmpty()) {
        int i = same.remove(0);
        ids[j] = before.get(i).id();
        usedOld[i] = true;
      }
    }

    // 3 and 4: within each stretch between kept paragraphs
    int prevOld = -1;
    int j0 = 0;
    for (int j = 0; j <= m; j++) {
      if (j < m && anchorOld[j] < 0) {
        continue;
      }
      // New paragraphs [j0, j) lie between two kept in order; their old counterparts lie between
      // the old positions of those two.
      int nextOld = j < m ? anchorOld[j] : n;
      if (j > j0) {
        Stretch.pair(before, now, usedOld, ids, prevOld + 1, nextOld, j0, j);
      }
      prevOld = nextOld;
      j0 = j + 1;
    }

    // 5. nearly identical, anywhere
    List<Profile> oldProfiles = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      oldProfiles.add(usedOld[i] ? null : Profile.of(before.get(i).text()));
    }
    for (int j = 0; j < m; j++) {
      if (ids[j] >= 0) {
        continue;
      }
      Profile p = Profile.of(now.get(j));
      int best = -1;
      double bestSim = MOVED;
      for (int i = 0; i < n; i++) {
        if (!usedOld[i]) {
          double s = p.similarity(oldProfiles.get(i));
          if (s >= bestSim) {
            best = i;
            bestSim = s;
          }
        }
      }
      if (best >= 0) {
        ids[j] = before.get(best).id();
        usedOld[best] = true;
      }
    }

    // 6. new units
    List<Unit> out = new ArrayList<>(m);
    for (int j = 0; j < m; j++) {
      if (ids[j] < 0) {
        ids[j] = nextId++;
      }
      out.add(new Unit(ids[j], now.get(j)));
    }
    return new Cut(out, nextId);
  }

  /** The ids of a cut, for checks. */
  static Set<Integer> ids(List<Unit> units) {
    Set<Integer> out = new HashSet<>();
    units.forEach(u -> out.add(u.id()));
    return out;
  }
}
