package org.convene.versions;

import java.util.Arrays;
import java.util.List;
import org.convene.ot.TextOperation;

/**
 * An operation on authorship: a TextOperation whose inserts carry an author instead of text. The
 * stored operations are already transformed, so replaying them with their authors gives each
 * character's author. Composing first (cost: the operations' components) and applying once (cost:
 * the runs) keeps replaying a thousand operations cheap whatever the length of the text.
 * Invariant, as for TextOperation: apply(apply(A, x), y) = apply(A, compose(x, y)).
 */
final class AuthorOp {
  private static final int RETAIN = 0;
  private static final int DELETE = 1;
  private static final int INSERT = 2;

  private int[] kinds = new int[8];
  private int[] lengths = new int[8];
  private int[] authors = new int[8];
  private int size;
  private int baseLength;
  private int targetLength;

  int baseLength() {
    return baseLength;
  }

  int targetLength() {
    return targetLength;
  }

  /** The stored operation with every inserted character by {@code author}. */
  static AuthorOp of(TextOperation op, int author) {
    AuthorOp out = new AuthorOp();
    for (Object c : op.toComponents()) {
      if (c instanceof String s) {
        out.insert(s.length(), author);
      } else if ((Integer) c > 0) {
        out.retain((Integer) c);
      } else {
        out.delete(-(Integer) c);
      }
    }
    return out;
  }

  /**
   * A restore's operation: its result is the restored version's text, so the whole text takes that
   * version's authorship back (a restore credits nobody; characters that happen to be kept from the
   * current text are credited as in the restored version too).
   */
  static AuthorOp restoring(TextOperation op, Attribution restored, Attribution.Names names) {
    AuthorOp out = new AuthorOp().delete(op.baseLength());
    for (int r = 0; r < restored.runs(); r++) {
      out.insert(restored.lengthAt(r), names.id(restored.authorAt(r)));
    }
    return out;
  }

  AuthorOp retain(int n) {
    baseLength += n;
    targetLength += n;
    return add(RETAIN, n, -1);
  }

  AuthorOp delete(int n) {
    baseLength += n;
    return add(DELETE, n, -1);
  }

  AuthorOp insert(int n, int author) {
    targetLength += n;
    return add(INSERT, n, author);
  }

  private AuthorOp add(int kind, int n, int author) {
    if (n <= 0) {
      return this;
    }
    if (size > 0 && kinds[size - 1] == kind && authors[size - 1] == author) {
      lengths[size - 1] += n;
      return this;
    }
    if (size == kinds.length) {
      kinds = Arrays.copyOf(kinds, size * 2);
      lengths = Arrays.copyOf(lengths, size * 2);
      authors = Arrays.copyOf(authors, size * 2);
    }
    kinds[size] = kind;
    lengths[size] = n;
    authors[size++] = author;
    return this;
  }

  /** This, then {@code next}: the same walk as ot.js's compose. */
  AuthorOp compose(AuthorOp next) {
    if (targetLength != next.baseLength) {
      throw new IllegalArgumentException("cannot compose: lengths " + targetLength + " and " + next.baseLength);
    }
    AuthorOp out = new AuthorOp();
    int i = 0;
    int j = 0;
    int left = size > 0 ? lengths[0] : 0;
    int right = next.size > 0 ? next.lengths[0] : 0;
    while (i < size || j < next.size) {
      if (i < size && kinds[i] == DELETE) {
        out.delete(left);
        left = ++i < size ? lengths[i] : 0;
        continue;
      }
      if (j < next.size && next.kinds[j] == INSERT) {
        out.insert(right, next.authors[j]);
        right = ++j < next.size ? next.lengths[j] : 0;
        continue;
      }
      int n = Math.min(left, right); // both present: the length check guarantees it
      if (kinds[i] == RETAIN) {
        if (next.kinds[j] == RETAIN) {
          out.retain(n);
        } else {
          out.delete(n);
        }
      } else if (next.kinds[j] == RETAIN) {
        out.insert(n, authors[i]);
      } // inserted here, deleted next: nothing remains
      left -= n;
      right -= n;
      if (left == 0) {
        left = ++i < size ? lengths[i] : 0;
      }
      if (right == 0) {
        right = ++j < next.size ? next.lengths[j] : 0;
      }
    }
    return out;
  }

  /** The attribution after this operation; {@code names} must be the one its authors were interned in. */
  Attribution apply(Attribution doc, Attribution.Names names) {
    if (doc.length() != baseLength) {
      throw new IllegalArgumentException("attribution of " + doc.length() + " units, operation on " + baseLength);
    }
    if (doc.names != names.list()) {
      throw new IllegalArgumentException("the attribution's authors were interned elsewhere");
    }
    Attribution.Builder out = new Attribution.Builder(names);
    int run = 0;
    int used = 0; // units of doc's current run already consumed
    for (int c = 0; c < size; c++) {
      if (kinds[c] == INSERT) {
        out.add(lengths[c], authors[c]);
        continue;
      }
      for (int n = lengths[c]; n > 0; ) {
        int take = Math.min(n, doc.lengthAt(run) - used);
        if (kinds[c] == RETAIN) {
          out.add(take, doc.authorIdAt(run));
        }
        n -= take;
        used += take;
        if (used == doc.lengthAt(run)) {
          run++;
          used = 0;
        }
      }
    }
    return out.build();
  }

  /** Composes a list pairwise, so each character of history is walked about log2(n) times. */
  static AuthorOp composeAll(List<AuthorOp> ops) {
    if (ops.isEmpty()) {
      return null;
    }
    AuthorOp[] level = ops.toArray(AuthorOp[]::new);
    for (int n = level.length; n > 1; n = (n + 1) / 2) {
      for (int k = 0; k < n / 2; k++) {
        level[k] = level[2 * k].compose(level[2 * k + 1]);
      }
      if (n % 2 == 1) {
        level[n / 2] = level[n - 1];
      }
    }
    return level[0];
  }
}
