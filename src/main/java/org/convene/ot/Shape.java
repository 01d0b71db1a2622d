package org.convene.ot;

import java.util.Arrays;

/**
 * An operation's shape: its components with every insert reduced to its length. Transforming an
 * operation {@code a} against {@code b} to get a' reads nothing of b's inserted text but its length,
 * so shapes are all {@link OpsSince} keeps, and composing shapes never copies text.
 *
 * <p>A component is a {@code long}: the count shifted left by two, the kind in the low two bits.
 * Normalised as a {@link TextOperation} is: no zero counts, no two adjacent components of one kind.
 */
final class Shape {
    static final int RETAIN = 0;
    static final int INSERT = 1;
    static final int DELETE = 2;

    private Shape() {}

    static int kind(long c) {
        return (int) (c & 3);
    }

    static int count(long c) {
        return (int) (c >>> 2);
    }

    static long of(int kind, int count) {
        return ((long) count << 2) | kind;
    }

    static long[] of(TextOperation op) {
        Object[] ops = op.ops();
        long[] out = new long[ops.length];
        for (int i = 0; i < ops.length; i++) {
            Object c = ops[i];
            if (c instanceof String s) {
                out[i] = of(INSERT, s.length());
            } else {
                int n = (Integer) c;
                out[i] = n > 0 ? of(RETAIN, n) : of(DELETE, -n);
            }
        }
        Work.add(ops.length);
        return out;
    }

    static boolean hasDeletes(long[] shape) {
        for (long c : shape) {
            if (kind(c) == DELETE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The shape of compose(first, second) for two operations that do not delete: ot.js's compose
     * with only its retain and insert cases left.
     */
    static long[] composeDeleteFree(long[] first, long[] second) {
        Appender out = new Appender(first.length + second.length);
        int i1 = 0;
        int i2 = 0;
        int kind1 = -1;
        int len1 = 0;
        int len2 = 0;
        int kind2 = -1;
        long steps = 0;
        if (i1 < first.length) {
            kind1 = kind(first[i1]);
            len1 = count(first[i1++]);
        }
        if (i2 < second.length) {
            kind2 = kind(second[i2]);
            len2 = count(second[i2++]);
        }
        while (kind1 >= 0 || kind2 >= 0) {
            steps++;
            if (kind2 == INSERT) {
                out.add(INSERT, len2);
            } else {
                if (kind1 < 0 || kind2 < 0) {
                    throw new InvalidOperationException("cannot compose: lengths differ");
                }
                // kind2 is a retain: it keeps what first produced, inserted or retained.
                int min = Math.min(len1, len2);
                out.add(kind1, min);
                len1 -= min;
                len2 -= min;
                if (len1 == 0) {
                    kind1 = -1;
                    if (i1 < first.length) {
                        kind1 = kind(first[i1]);
                        len1 = count(first[i1++]);
                    }
                }
                if (len2 > 0) {
                    continue;
                }
            }
            kind2 = -1;
            if (i2 < second.length) {
                kind2 = kind(second[i2]);
                len2 = count(second[i2++]);
            }
        }
        Work.add(steps);
        return out.toArray();
    }

    /** Collects components, merging neighbours of one kind. */
    static final class Appender {
        private long[] out;
        private int size;

        Appender(int capacity) {
            out = new long[Math.max(2, capacity)];
        }

        void add(int kind, int count) {
            if (count == 0) {
                return;
            }
            if (size > 0 && kind(out[size - 1]) == kind) {
                long merged = (long) count(out[size - 1]) + count;
                if (merged > Integer.MAX_VALUE) {
                    throw new InvalidOperationException("operation length exceeds " + Integer.MAX_VALUE);
                }
                out[size - 1] = of(kind, (int) merged);
                return;
            }
            if (size == out.length) {
                out = Arrays.copyOf(out, size * 2);
            }
            out[size++] = of(kind, count);
        }

        long[] toArray() {
            return size == out.length ? out : Arrays.copyOf(out, size);
        }
    }
}
