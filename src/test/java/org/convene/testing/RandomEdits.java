package org.convene.testing;

import java.util.Random;
import org.convene.ot.TextOperation;

/** Random edits such as people make, for convergence tests. */
public final class RandomEdits {
  private RandomEdits() {}

  /** A random insert or delete at code-point boundaries of {@code text} (never splits a surrogate pair). */
  public static TextOperation randomEdit(Random rnd, String text) {
    int pos = rnd.nextInt(text.length() + 1);
    if (pos > 0 && pos < text.length() && Character.isLowSurrogate(text.charAt(pos))) {
      pos--;
    }
    TextOperation.Builder b = TextOperation.builder().retain(pos);
    int rest = text.length() - pos;
    if (rest > 0 && rnd.nextInt(3) == 0) {
      int del = Math.min(rest, 1 + rnd.nextInt(3));
      if (pos + del < text.length() && Character.isLowSurrogate(text.charAt(pos + del))) {
        del++;
      }
      b.delete(del);
      rest -= del;
    } else {
      String[] samples = {"a", "b", "é", "ش", "中", "😀", " ", "xyz"};
      b.insert(samples[rnd.nextInt(samples.length)]);
    }
    return b.retain(rest).build();
  }
}
