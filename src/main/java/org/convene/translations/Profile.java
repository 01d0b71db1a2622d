package org.convene.translations;

import java.util.HashMap;
import java.util.Map;
import org.convene.versions.Words;

/**
 * A paragraph as a bag of its words (the versions diff's words: whole words in alphabetic and
 * Arabic scripts, single characters in Han and kana), case folded, spaces left out.
 */
final class Profile {
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
