package org.convene.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random checks of the OT laws. Every iteration uses its own seed (printed on failure) so a
 * failing case can be replayed alone with {@code new Random(seed)}.
 */
class TextOperationPropertiesTest {

    private static final long BASE_SEED = Long.getLong("ot.seed", 0x0715_2024L);
    private static final int ITERATIONS = 3000;

    // Astral code points (two UTF-16 units each) are mixed in to exercise surrogate handling.
    private static final String[] CODE_POINTS = {
        "a", "b", "c", "x", "y", "z", " ", "\n", "é", "中", "ش", "\uD83D\uDE00", "\uD834\uDD1E", "\uD83C\uDF89"
    };

    private static String randomText(Random rnd, int maxCodePoints) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(maxCodePoints + 1);
        for (int i = 0; i < n; i++) {
            sb.append(CODE_POINTS[rnd.nextInt(CODE_POINTS.length)]);
        }
        return sb.toString();
    }

    /** Random operation on {@code doc} whose retain/delete boundaries fall on code point boundaries. */
    static TextOperation randomOp(Random rnd, String doc) {
        TextOperation.Builder b = TextOperation.builder();
        int pos = 0;
        while (pos < doc.length()) {
            int leftCodePoints = doc.codePointCount(pos, doc.length());
            int k = 1 + rnd.nextInt(Math.min(leftCodePoints, 6));
            int end = doc.offsetByCodePoints(pos, k);
            int r = rnd.nextInt(10);
            if (r < 2) {
                b.insert(randomText(rnd, 4));
            } else if (r < 5) {
                b.delete(end - pos);
                pos = end;
            } else {
                b.retain(end - pos);
                pos = end;
            }
        }
        if (rnd.nextInt(10) < 3) {
            b.insert(randomText(rnd, 4));
        }
        return b.build();
    }

    private static String ctx(long seed, String doc, TextOperation... ops) {
        StringBuilder sb = new StringBuilder("seed=").append(seed).append(" doc=").append(quote(doc));
        for (TextOperation op : ops) {
            sb.append(' ').append(op);
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return TextOperation.builder().insert(s).build().toString();
    }

    @Test
    void transformConverges() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + i;
            Random rnd = new Random(seed);
            String doc = randomText(rnd, 20);
            TextOperation a = randomOp(rnd, doc);
            TextOperation b = randomOp(rnd, doc);
            TextOperation.Transformed t = TextOperation.transform(a, b);
            String msg = ctx(seed, doc, a, b, t.a(), t.b());
            assertEquals(b.targetLength(), t.a().baseLength(), msg);
            assertEquals(a.targetLength(), t.b().baseLength(), msg);
            String viaA = t.b().apply(a.apply(doc));
            String viaB = t.a().apply(b.apply(doc));
            assertEquals(viaA, viaB, msg);
            // Same convergence at the operation level: a then b' is the same operation as b then a'.
            assertEquals(a.compose(t.b()), b.compose(t.a()), msg);
            assertEquals(a.compose(t.b()).apply(doc), viaA, msg);
            assertFalse(t.a().hasUnpairedSurrogate() || t.b().hasUnpairedSurrogate(), msg);
        }
    }

    @Test
    void composeMatchesSequentialApply() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + 1_000_000 + i;
            Random rnd = new Random(seed);
            String doc = randomText(rnd, 20);
            TextOperation a = randomOp(rnd, doc);
            String afterA = a.apply(doc);
            TextOperation c = randomOp(rnd, afterA);
            TextOperation ac = a.compose(c);
            String msg = ctx(seed, doc, a, c, ac);
            assertEquals(c.apply(afterA), ac.apply(doc), msg);
            assertEquals(a.baseLength(), ac.baseLength(), msg);
            assertEquals(c.targetLength(), ac.targetLength(), msg);
            assertFalse(ac.hasUnpairedSurrogate(), msg);
        }
    }

    @Test
    void lengthBookkeeping() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + 2_000_000 + i;
            Random rnd = new Random(seed);
            String doc = randomText(rnd, 20);
            TextOperation a = randomOp(rnd, doc);
            String msg = ctx(seed, doc, a);
            assertEquals(doc.length(), a.baseLength(), msg);
            String out = a.apply(doc);
            assertEquals(a.targetLength(), out.length(), msg);
            assertEquals(a.targetLength() - a.insertedLength(),
                    a.baseLength() - deletedLength(a), msg);
            // Round trip through the wire form is lossless.
            assertEquals(a, TextOperation.fromComponents(a.toComponents()), msg);
            // Identities: composing or transforming with a no-op changes nothing.
            TextOperation idBefore = TextOperation.builder().retain(a.baseLength()).build();
            TextOperation idAfter = TextOperation.builder().retain(a.targetLength()).build();
            assertEquals(a, idBefore.compose(a), msg);
            assertEquals(a, a.compose(idAfter), msg);
            TextOperation.Transformed t = TextOperation.transform(a, idBefore);
            assertEquals(a, t.a(), msg);
            assertEquals(idAfter, t.b(), msg);
        }
    }

    @Test
    void composeIsAssociative() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + 3_000_000 + i;
            Random rnd = new Random(seed);
            String doc = randomText(rnd, 16);
            TextOperation a = randomOp(rnd, doc);
            String s1 = a.apply(doc);
            TextOperation b = randomOp(rnd, s1);
            String s2 = b.apply(s1);
            TextOperation c = randomOp(rnd, s2);
            String msg = ctx(seed, doc, a, b, c);
            TextOperation left = a.compose(b).compose(c);
            TextOperation right = a.compose(b.compose(c));
            assertEquals(left, right, msg);
            assertEquals(c.apply(s2), left.apply(doc), msg);
        }
    }

    private static int deletedLength(TextOperation op) {
        int total = 0;
        for (Object c : op.toComponents()) {
            if (c instanceof Integer n && n < 0) {
                total -= n;
            }
        }
        return total;
    }
}
