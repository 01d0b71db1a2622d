package org.convene.translations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.translations.Units.Unit;

/**
 * Steps 3 and 4 of {@link Units#assign}, within one stretch of paragraphs that lies between two
 * kept in order: splits and merges first, then the rest paired as edits. Pure.
 */
final class Stretch {
  private Stretch() {}

  /** Splits, merges and edits among old [i0, i1) and new [j0, j1), none of them paired yet. */
  static void pair(List<Unit> before, List<String> now, boolean[] usedOld, int[] ids,
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
      take(before, usedOld, ids, olds.get(0), news.get(0));
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
          if (Profile.of(joined.toString()).similarity(whole) >= Units.WHOLE) {
            take(before, usedOld, ids, i, news.get(s));
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
          if (Profile.of(joined.toString()).similarity(part) >= Units.WHOLE) {
            take(before, usedOld, ids, olds.get(oi), j);
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
      take(before, usedOld, ids, restOld.get(0), restNew.get(0));
      return;
    }
    if ((long) restOld.size() * restNew.size() > Units.MAX_PAIRS) {
      return;
    }
    List<double[]> candidates = new ArrayList<>();
    for (int x = 0; x < restOld.size(); x++) {
      int i = restOld.get(x);
      Profile po = profiles.computeIfAbsent(-1 - i, k -> Profile.of(before.get(i).text()));
      for (int y = 0; y < restNew.size(); y++) {
        int j = restNew.get(y);
        double s = po.similarity(profiles.computeIfAbsent(j, k -> Profile.of(now.get(j))));
        if (s >= Units.EDITED) {
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
        take(before, usedOld, ids, restOld.get(x), restNew.get(y));
      }
    }
  }

  private static void take(List<Unit> before, boolean[] usedOld, int[] ids, int i, int j) {
    ids[j] = before.get(i).id();
    usedOld[i] = true;
  }
}
