package org.convene.ot;

/**
 * compose and transform, ported case for case from ot.js 0.0.15 so that results are identical
 * component for component (the builder supplies the same normalisation as ot.js's).
 *
 * <p>Both walk the two component lists with one current component each ({@code null} once a list
 * is exhausted), splitting the longer of two overlapping components and carrying its remainder.
 */
final class Algebra {

    private Algebra() {}

    /** apply(apply(S, first), second) = apply(S, compose(first, second)). */
    static TextOperation compose(TextOperation first, TextOperation second) {
        if (second == null) {
            throw new InvalidOperationException("cannot compose with null");
        }
        if (first.targetLength() != second.baseLength()) {
            throw new InvalidOperationException("cannot compose: first operation's target length "
                    + first.targetLength() + " differs from second operation's base length "
                    + second.baseLength());
        }
        TextOperation.Builder out = TextOperation.builder();
        Object[] ops1 = first.ops();
        Object[] ops2 = second.ops();
        int i1 = 0;
        int i2 = 0;
        long steps = 0;
        Object op1 = at(ops1, i1++);
        int off1 = 0; // when op1 is an insert, how much of its text is already used
        Object op2 = at(ops2, i2++);
        while (op1 != null || op2 != null) {
            steps++;
            // first's deletes touch text second never sees; second's inserts consume nothing of first.
            if (TextOperation.isDelete(op1)) {
                out.delete(-(Integer) op1);
                op1 = at(ops1, i1++);
                continue;
            }
            if (op2 instanceof String s2) {
                out.insert(s2);
                op2 = at(ops2, i2++);
                continue;
            }
            // Unreachable while the length check above holds; kept as ot.js has it.
            if (op1 == null) {
                throw new InvalidOperationException("cannot compose: first operation is too short");
            }
            if (op2 == null) {
                throw new InvalidOperationException("cannot compose: first operation is too long");
            }
            // Now op1 is a retain or insert (produces n chars) and op2 a retain or delete (consumes n).
            int len1 = op1 instanceof String s1 ? s1.length() - off1 : (Integer) op1;
            int len2 = Math.abs((Integer) op2);
            int min = Math.min(len1, len2);
            if (op1 instanceof String s1) {
                if (TextOperation.isRetain(op2)) {
                    out.insert(s1, off1, off1 + min);
                } // else: inserted then deleted, nothing survives
                // The rest of the insert is an offset into the same string: never a copy of what is left.
                if (min < len1) {
                    off1 += min;
                } else {
                    op1 = at(ops1, i1++);
                    off1 = 0;
                }
            } else {
                if (TextOperation.isRetain(op2)) {
                    out.retain(min);
                } else {
                    out.delete(min);
                }
                op1 = min < len1 ? (Object) (len1 - min) : at(ops1, i1++);
            }
            op2 = min < len2 ? (Object) (signum(op2) * (len2 - min)) : at(ops2, i2++);
        }
        Work.add(steps);
        return out.build();
    }

    /**
     * apply(apply(S, a), b') = apply(apply(S, b), a'). At every loop step both cursors stand at the
     * same offset of the common base document.
     */
    static TextOperation.Transformed transform(TextOperation a, TextOperation b) {
        if (a == null || b == null) {
            throw new InvalidOperationException("cannot transform a null operation");
        }
        if (a.baseLength() != b.baseLength()) {
            throw new InvalidOperationException("cannot transform: base lengths differ ("
                    + a.baseLength() + " and " + b.baseLength() + ")");
        }
        TextOperation.Builder aPrime = TextOperation.builder();
        TextOperation.Builder bPrime = TextOperation.builder();
        Object[] ops1 = a.ops();
        Object[] ops2 = b.ops();
        int i1 = 0;
        int i2 = 0;
        Object op1 = at(ops1, i1++);
        Object op2 = at(ops2, i2++);
        long steps = 0;
        while (op1 != null || op2 != null) {
            steps++;
            // a's insert is handled first, so on a tie a's text ends up before b's (ot.js rule).
            if (op1 instanceof String s1) {
                aPrime.insert(s1);
                bPrime.retain(s1.length());
                op1 = at(ops1, i1++);
                continue;
            }
            if (op2 instanceof String s2) {
                aPrime.retain(s2.length());
                bPrime.insert(s2);
                op2 = at(ops2, i2++);
                continue;
            }
            // Unreachable while the base lengths agree; kept as ot.js has it.
            if (op1 == null || op2 == null) {
                throw new InvalidOperationException("cannot transform: operations are incompatible");
            }
            int n1 = (Integer) op1;
            int n2 = (Integer) op2;
            int min = Math.min(Math.abs(n1), Math.abs(n2));
            if (n1 > 0 && n2 > 0) {
                aPrime.retain(min);
                bPrime.retain(min);
            } else if (n1 < 0 && n2 > 0) {
                aPrime.delete(min);
            } else if (n1 > 0) {
                bPrime.delete(min);
            } // both delete the same text: neither side has anything left to do
            op1 = Math.abs(n1) > min ? (Object) (n1 - Integer.signum(n1) * min) : at(ops1, i1++);
            op2 = Math.abs(n2) > min ? (Object) (n2 - Integer.signum(n2) * min) : at(ops2, i2++);
        }
        Work.add(steps);
        return new TextOperation.Transformed(aPrime.build(), bPrime.build());
    }

    /**
     * transform(a, b).a() where only b's shape is known: the same walk as {@link #transform} with b's
     * inserts as lengths and b' not built. Gives exactly the operation {@code transform} gives.
     */
    static TextOperation transformOver(TextOperation a, long[] b) {
        int bBase = 0;
        for (long c : b) {
            if (Shape.kind(c) != Shape.INSERT) {
                bBase += Shape.count(c);
            }
        }
        if (a.baseLength() != bBase) {
            throw new InvalidOperationException("cannot transform: base lengths differ ("
                    + a.baseLength() + " and " + bBase + ")");
        }
        TextOperation.Builder aPrime = TextOperation.builder();
        Object[] ops1 = a.ops();
        int i1 = 0;
        int i2 = 0;
        // a's current component: an insert (s1 != null), or n1 > 0 retain, n1 < 0 delete, 0 when done
        String s1 = null;
        int n1 = 0;
        int kind2 = -1;
        int len2 = 0;
        // Retains of a' are summed here and handed to the builder only when something else follows.
        int retain = 0;
        long steps = b.length;
        if (i1 < ops1.length) {
            Object c = ops1[i1++];
            if (c instanceof String s) {
                s1 = s;
            } else {
                n1 = (Integer) c;
            }
        }
        if (i2 < b.length) {
            kind2 = Shape.kind(b[i2]);
            len2 = Shape.count(b[i2++]);
        }
        while (s1 != null || n1 != 0 || kind2 >= 0) {
            steps++;
            if (s1 != null) {
                aPrime.retain(retain).insert(s1);
                retain = 0;
                s1 = null;
            } else if (kind2 == Shape.INSERT) {
                retain += len2;
                len2 = 0;
            } else {
                if (n1 == 0 || kind2 < 0) {
                    throw new InvalidOperationException("cannot transform: operations are incompatible");
                }
                int min = Math.min(Math.abs(n1), len2);
                if (kind2 == Shape.RETAIN) {
                    if (n1 > 0) {
                        retain += min;
                    } else {
                        aPrime.retain(retain).delete(min);
                        retain = 0;
                    }
                } // a retains what b deletes, or both delete it: nothing for a' to do
                n1 = n1 > 0 ? n1 - min : n1 + min;
                len2 -= min;
            }
            if (s1 == null && n1 == 0 && i1 < ops1.length) {
                Object c = ops1[i1++];
                if (c instanceof String s) {
                    s1 = s;
                } else {
                    n1 = (Integer) c;
                }
            }
            if (len2 == 0) {
                kind2 = -1;
                if (i2 < b.length) {
                    kind2 = Shape.kind(b[i2]);
                    len2 = Shape.count(b[i2++]);
                }
            }
        }
        Work.add(steps);
        return aPrime.retain(retain).build();
    }

    private static Object at(Object[] ops, int i) {
        return i < ops.length ? ops[i] : null;
    }

    private static int signum(Object count) {
        return Integer.signum((Integer) count);
    }
}
