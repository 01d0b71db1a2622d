package org.convene.translations;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.convene.versions.Myers;
import org.convene.versions.Words;

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
  private static final int MAX_PAIRS = 40_000;
  private static final Pattern HEADING = Pattern.compile("#{1,6}\\s.*");
  private static final Pattern ITEM = Pattern.compile("([-*+]|\\d{1,9}[.)])\\s.*");

  /**
   * The paragraphs of a text, as the PDF editions read them: blocks separated by blank lines; a
   * heading line is a block of its own and a list item starts one. Each is stripped of surrounding
   * white space; the lines inside keep theirs.
   */
  public static List<String> paragraphs(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder block = new StringBuilder();
    int start = 0;
    while (start <= text.length()) {
      int end = lineEnd(text, start);
      String raw = text.substring(start, end);
      String line = raw.strip();
      boolean heading = !line.isEmpty() && line.charAt(0) == '#' && HEADING.matcher(line).matches();
      if (line.isEmpty() || heading || startsItem(line)) {
        flush(block, out);
      }
      if (!line.isEmpty()) {
        if (block.length() > 0) {
          block.append('\n');
        }
        block.append(raw.stripTrailing());
        if (heading) {
          flush(block, out);
        }
      }
      if (end == text.length()) {
        break;
      }
      start = end + (text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n' ? 2 : 1);
    }
    flush(block, out);
    return out;
  }

  /** Where the line starting at {@code start} ends: its "\n", "\r" or "\r\n", or the text's end. */
  private static int lineEnd(String text, int start) {
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return text.length();
  }

  private static boolean startsItem(String line) {
    char c = line.charAt(0);
    return (c == '-' || c == '*' || c == '+' || (c >= '0' && c <= '9')) && ITEM.matcher(line).matches();
  }

  private static void flush(StringBuilder block, List<String> out) {
    String p = block.toString().strip();
    if (!p.isEmpty()) {
      out.add(p);
    }
    block.setLength(0);
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
        stretch(before, now, usedOld, ids, prevOld + 1, nextOld, j0, j);
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

  /** Splits, merges and edits among old [i0, i1) and new [j0, j1), none of them paired yet. */
  private static void stretch(List<Unit> before, List<String> now, boolean[] usedOld, int[] ids,
                              int i0, int i1, int j0, int j1) {
    List<Integer> olds = new ArrayList<>();
    for (int i = i0; i < i1; i++) {
      if (!usedOld[i]) {
        olds.add(i);
      }
    }
    if (olds.isEmpty()) {
      return;
    }
    List<Integer> news = new ArrayList<>();
    for (int j = j0; j < j1; j++) {
      if (ids[j] < 0) {
        news.add(j);
      }
    }
    if (news.isEmpty()) {
      return;
    }
    if (olds.size() == 1 && news.size() == 1) {
      pair(before, usedOld, ids, olds.get(0), news.get(0));
      return;
    }
    Map<Integer, Profile> profiles = new HashMap<>();
    // 3. split: consecutive new paragraphs that together are one old one; merge: the reverse
    for (int oi = 0; oi < olds.size(); oi++) {
      int i = olds.get(oi);
      if (usedOld[i]) {
        continue;
      }
      Profile whole = profiles.computeIfAbsent(-1 - i, k -> Profile.of(before.get(i).text()));
      for (int s = 0; s < news.size(); s++) {
        if (ids[news.get(s)] >= 0) {
          continue;
        }
        StringBuilder joined = new StringBuilder(now.get(news.get(s)));
        for (int e = s + 1; e < news.size() && ids[news.get(e)] < 0; e++) {
          joined.append('\n').append(now.get(news.get(e)));
          if (Profile.of(joined.toString()).similarity(whole) >= WHOLE) {
            pair(before, usedOld, ids, i, news.get(s));
            break;
          }
        }
        if (usedOld[i]) {
          break;
        }
      }
    }
    for (int j : news) {
      if (ids[j] >= 0) {
        continue;
      }
      Profile part = Profile.of(now.get(j));
      for (int oi = 0; oi < olds.size(); oi++) {
        if (usedOld[olds.get(oi)]) {
          continue;
        }
        StringBuilder joined = new StringBuilder(before.get(olds.get(oi)).text());
        for (int e = oi + 1; e < olds.size() && !usedOld[olds.get(e)]; e++) {
          joined.append('\n').append(before.get(olds.get(e)).text());
          if (Profile.of(joined.toString()).similarity(part) >= WHOLE) {
            pair(before, usedOld, ids, olds.get(oi), j);
            for (int k = oi + 1; k <= e; k++) {
              usedOld[olds.get(k)] = true; // merged into the first: their ids end here
            }
            break;
          }
        }
        if (ids[j] >= 0) {
          break;
        }
      }
    }
    // 4. edits: the most similar pairs first, keeping both sides in order
    List<Integer> restOld = olds.stream().filter(i -> !usedOld[i]).toList();
    List<Integer> restNew = news.stream().filter(j -> ids[j] < 0).toList();
    if (restOld.isEmpty() || restNew.isEmpty()) {
      return;
    }
    if (restOld.size() == 1 && restNew.size() == 1) {
      pair(before, usedOld, ids, restOld.get(0), restNew.get(0));
      return;
    }
    if ((long) restOld.size() * restNew.size() > MAX_PAIRS) {
      return;
    }
    List<double[]> candidates = new ArrayList<>();
    for (int x = 0; x < restOld.size(); x++) {
      int i = restOld.get(x);
      Profile po = profiles.computeIfAbsent(-1 - i, k -> Profile.of(before.get(i).text()));
      for (int y = 0; y < restNew.size(); y++) {
        int j = restNew.get(y);
        double s = po.similarity(profiles.computeIfAbsent(j, k -> Profile.of(now.get(j))));
        if (s >= EDITED) {
          candidates.add(new double[] {s, x, y});
        }
      }
    }
    candidates.sort((p, q) -> p[0] != q[0] ? Double.compare(q[0], p[0]) : Double.compare(p[1] + p[2], q[1] + q[2]));
    List<int[]> taken = new ArrayList<>();
    for (double[] c : candidates) {
      int x = (int) c[1];
      int y = (int) c[2];
      boolean crosses = false;
      for (int[] t : taken) {
        if (t[0] == x || t[1] == y || (t[0] < x) != (t[1] < y)) {
          crosses = true;
          break;
        }
      }
      if (!crosses) {
        taken.add(new int[] {x, y});
        pair(before, usedOld, ids, restOld.get(x), restNew.get(y));
      }
    }
  }

  private static void pair(List<Unit> before, boolean[] usedOld, int[] ids, int i, int j) {
    ids[j] = before.get(i).id();
    usedOld[i] = true;
  }

  /**
   * A paragraph as a bag of its words (the versions diff's words: whole words in alphabetic and
   * Arabic scripts, single characters in Han and kana), case folded, spaces left out.
   */
  static final class Profile {
    private final Map<String, Integer> counts;
    private final int size;

    private Profile(Map<String, Integer> counts, int size) {
      this.counts = counts;
      this.size = size;
    }

    static Profile of(String text) {
      Map<String, Integer> counts = new HashMap<>();
      int size = 0;
      for (String token : Words.tokens(text)) {
        if (!token.isBlank()) {
          counts.merge(token.toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
          size++;
        }
      }
      return new Profile(counts, size);
    }

    /** Dice's coefficient of the two bags: 1 for the same words, 0 for none in common. */
    double similarity(Profile other) {
      if (size + other.size == 0) {
        return 1;
      }
      Map<String, Integer> small = counts.size() <= other.counts.size() ? counts : other.counts;
      Map<String, Integer> large = small == counts ? other.counts : counts;
      int common = 0;
      for (Map.Entry<String, Integer> e : small.entrySet()) {
        common += Math.min(e.getValue(), large.getOrDefault(e.getKey(), 0));
      }
      return 2.0 * common / (size + other.size);
    }
  }

  /** The ids of a cut, for checks. */
  static Set<Integer> ids(List<Unit> units) {
    Set<Integer> out = new HashSet<>();
    units.forEach(u -> out.add(u.id()));
    return out;
  }
}
