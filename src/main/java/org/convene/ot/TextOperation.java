package org.convene.ot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Immutable, normalised ot.js {@code TextOperation} (npm {@code ot} 0.0.15). Lengths are in UTF-16
 * code units, exactly as JavaScript string lengths, so operations exchanged with ot.js clients
 * mean the same thing on both sides.
 *
 * <p>Components are held as in ot.js: a positive {@link Integer} retains, a negative one deletes,
 * a non-empty {@link String} inserts. Invariants of every instance (guaranteed by {@link Builder}):
 * no two adjacent components are of the same kind, no component is zero or empty, and an insert
 * never directly follows a delete (ot.js places the insert first, which does not change the
 * effect). Hence two operations with the same effect on every valid document are {@code equals}.
 */
public final class TextOperation {

    private final Object[] ops;
    private final int baseLength;
    private final int targetLength;

    private TextOperation(Object[] ops, int baseLength, int targetLength) {
        this.ops = ops;
        this.baseLength = baseLength;
        this.targetLength = targetLength;
    }

    /** Result of {@link #transform}: {@code a} and {@code b} are a' and b'. */
    public record Transformed(TextOperation a, TextOperation b) {}

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Parses the ot.js JSON array form (as produced by any JSON library). Unlike ot.js it rejects
     * zero, non-integral and out-of-int-range numbers, empty strings and other types, since those
     * would otherwise give meaningless lengths.
     */
    public static TextOperation fromComponents(List<?> components) {
        return Components.parse(components);
    }

    /** Unmodifiable normalised components: Integer (retain &gt; 0, delete &lt; 0) or String. */
    public List<Object> toComponents() {
        return Collections.unmodifiableList(Arrays.asList(ops.clone()));
    }

    /** Length every document this operation applies to must have. */
    public int baseLength() {
        return baseLength;
    }

    /** Length of every document this operation produces. */
    public int targetLength() {
        return targetLength;
    }

    /** True when applying leaves every valid document unchanged. */
    public boolean isNoop() {
        return ops.length == 0 || (ops.length == 1 && isRetain(ops[0]));
    }

    public int componentCount() {
        return ops.length;
    }

    /** Sum of the UTF-16 lengths of all insert components. */
    public int insertedLength() {
        int total = 0;
        for (Object op : ops) {
            if (op instanceof String s) {
                total += s.length();
            }
        }
        return total;
    }

    /** True if some insert string contains a surrogate that is not half of a well-formed pair. */
    public boolean hasUnpairedSurrogate() {
        for (Object op : ops) {
            if (op instanceof String s && Components.hasUnpairedSurrogate(s)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Applies this operation to {@code doc}. Beyond ot.js, a retain/delete boundary inside a
     * surrogate pair of {@code doc} is rejected: it would leave a lone surrogate in the result.
     */
    public String apply(String doc) {
        checkApplicable(doc);
        StringBuilder out = new StringBuilder(targetLength);
        int pos = 0;
        for (Object op : ops) {
            if (op instanceof String s) {
                out.append(s);
                continue;
            }
            int n = (Integer) op;
            if (n > 0) {
                out.append(doc, pos, pos + n);
                pos += n;
            } else {
                pos -= n;
            }
            checkBoundary(doc, pos);
        }
        return out.toString();
    }

    /** Past this many components, applying in place (each edit moves the rest of the text) costs more than one copy. */
    private static final int IN_PLACE_MAX_COMPONENTS = 8;

    /**
     * Applies this operation to {@code doc} in place, with the same checks as {@link #apply(String)};
     * when it throws, {@code doc} is unchanged. Far cheaper than a new String for a long document
     * and a small operation: only the characters after an edit move, not the whole text.
     */
    public void applyTo(StringBuilder doc) {
        checkApplicable(doc);
        if (ops.length > IN_PLACE_MAX_COMPONENTS) {
            String result = apply(doc.toString());
            doc.setLength(0);
            doc.append(result);
            return;
        }
        int pos = 0;
        for (Object op : ops) {
            if (op instanceof Integer n) {
                pos += Math.abs(n);
                checkBoundary(doc, pos);
            }
        }
        int at = 0;
        for (Object op : ops) {
            if (op instanceof String s) {
                doc.insert(at, s);
                at += s.length();
            } else {
                int n = (Integer) op;
                if (n > 0) {
                    at += n;
                } else {
                    doc.delete(at, at - n);
                }
            }
        }
    }

    private void checkApplicable(CharSequence doc) {
        if (doc == null) {
            throw new InvalidOperationException("document is null");
        }
        if (doc.length() != baseLength) {
            throw new InvalidOperationException("document length " + doc.length()
                    + " does not match the operation's base length " + baseLength);
        }
    }

    /** A retain or delete ending at {@code pos} must not end between the halves of a surrogate pair. */
    private static void checkBoundary(CharSequence doc, int pos) {
        if (pos > 0 && pos < doc.length()
                && Character.isHighSurrogate(doc.charAt(pos - 1))
                && Character.isLowSurrogate(doc.charAt(pos))) {
            throw new InvalidOperationException("operation boundary at offset " + pos + " splits a surrogate pair");
        }
    }

    /** True if some component deletes. */
    public boolean hasDeletes() {
        for (Object op : ops) {
            if (isDelete(op)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the single operation equivalent to this followed by {@code after}:
     * apply(apply(S, this), after) = apply(S, this.compose(after)).
     */
    public TextOperation compose(TextOperation after) {
        return Algebra.compose(this, after);
    }

    /**
     * For {@code a} and {@code b} made concurrently on the same document, returns a' and b' with
     * apply(apply(S, a), b') = apply(apply(S, b), a'). Inserts at the same position put a's first.
     */
    public static Transformed transform(TextOperation a, TextOperation b) {
        return Algebra.transform(a, b);
    }

    Object[] ops() {
        return ops;
    }

    static boolean isRetain(Object op) {
        return op instanceof Integer n && n > 0;
    }

    static boolean isDelete(Object op) {
        return op instanceof Integer n && n < 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TextOperation other && Arrays.equals(ops, other.ops);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ops);
    }

    /** The ot.js JSON form, e.g. {@code [3,"ab",-2]}, escaped as JSON.stringify does. */
    @Override
    public String toString() {
        return Components.toJson(ops);
    }

    /**
     * Accumulates components with ot.js's normalisation: zero counts and empty strings are
     * ignored, adjacent same-kind components merge, and an insert after a delete goes before it.
     */
    public static final class Builder {
        // Integer, String, or StringBuilder once a second insert merges into one: repeated inserts stay linear.
        private final List<Object> ops = new ArrayList<>();
        private int baseLength;
        private int targetLength;

        private Builder() {}

        public Builder retain(int n) {
            if (n < 0) {
                throw new InvalidOperationException("retain count must not be negative: " + n);
            }
            if (n == 0) {
                return this;
            }
            baseLength = add(baseLength, n);
            targetLength = add(targetLength, n);
            int last = ops.size() - 1;
            if (last >= 0 && isRetain(ops.get(last))) {
                ops.set(last, (Integer) ops.get(last) + n); // bounded by baseLength, cannot overflow
            } else {
                ops.add(n);
            }
            return this;
        }

        public Builder insert(String s) {
            if (s == null) {
                throw new InvalidOperationException("insert string is null");
            }
            return insert(s, 0, s.length());
        }

        /**
         * Inserts {@code s.substring(from, to)}. A whole string that starts a new insert is kept as it
         * is, not copied: a large insert carried through many transforms costs nothing per transform.
         */
        Builder insert(String s, int from, int to) {
            if (from == to) {
                return this;
            }
            int n = to - from;
            targetLength = add(targetLength, n);
            int last = ops.size() - 1;
            Object lastOp = last >= 0 ? ops.get(last) : null;
            int at;
            if (lastOp instanceof String || lastOp instanceof StringBuilder) {
                at = last;
            } else if (isDelete(lastOp) && last >= 1
                    && (ops.get(last - 1) instanceof String || ops.get(last - 1) instanceof StringBuilder)) {
                at = last - 1;
            } else {
                String piece = from == 0 && to == s.length() ? s : s.substring(from, to);
                if (piece != s) {
                    Work.add(n);
                }
                if (isDelete(lastOp)) {
                    ops.add(last, piece);
                } else {
                    ops.add(piece);
                }
                return this;
            }
            Object prev = ops.get(at);
            StringBuilder sb;
            if (prev instanceof StringBuilder b) {
                sb = b;
            } else {
                String p = (String) prev;
                sb = new StringBuilder(Math.max(16, 2 * (p.length() + n))).append(p);
                ops.set(at, sb);
                Work.add(p.length());
            }
            sb.append(s, from, to);
            Work.add(n);
            return this;
        }

        /** Deletes the next {@code n} characters ({@code n} is a count, not ot.js's negative form). */
        public Builder delete(int n) {
            if (n < 0) {
                throw new InvalidOperationException("delete count must not be negative: " + n);
            }
            if (n == 0) {
                return this;
            }
            baseLength = add(baseLength, n);
            int last = ops.size() - 1;
            if (last >= 0 && isDelete(ops.get(last))) {
                ops.set(last, (Integer) ops.get(last) - n); // bounded by baseLength, cannot overflow
            } else {
                ops.add(-n);
            }
            return this;
        }

        /** Snapshot of the components so far; the builder stays usable. */
        public TextOperation build() {
            Object[] out = new Object[ops.size()];
            for (int i = 0; i < out.length; i++) {
                Object op = ops.get(i);
                if (op instanceof StringBuilder sb) {
                    out[i] = sb.toString();
                    Work.add(sb.length());
                } else {
                    out[i] = op;
                }
            }
            return new TextOperation(out, baseLength, targetLength);
        }

        private static int add(int length, int n) {
            int sum = length + n;
            if (sum < 0) {
                throw new InvalidOperationException("operation length exceeds " + Integer.MAX_VALUE);
            }
            return sum;
        }
    }
}
