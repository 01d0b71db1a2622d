package org.convene.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
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

    /**
     * The sequencer transforms an op against the composition of everything committed after its base
     * instead of against each of those ops in turn; clients (ot.js) transform one op at a time. Both
     * must give the same operation, or a client's text would drift from the server's.
     */
    @Test
    void transformAgainstCompositionEqualsTransformInTurn() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + 3_000_000 + i;
            Random rnd = new Random(seed);
            String doc = randomText(rnd, 20);
            TextOperation a = randomOp(rnd, doc);
            int k = 1 + rnd.nextInt(5);
            TextOperation inTurn = a;
            TextOperation composed = null;
            String current = doc;
            StringBuilder msg = new StringBuilder(ctx(seed, doc, a));
            for (int j = 0; j < k; j++) {
                TextOperation b = withoutDeletes(randomOp(rnd, current));
                msg.append(' ').append(b);
                current = b.apply(current);
                inTurn = TextOperation.transform(inTurn, b).a();
                composed = composed == null ? b : composed.compose(b);
            }
            TextOperation once = TextOperation.transform(a, composed).a();
            assertEquals(inTurn, once, msg.toString());
            assertEquals(inTurn.apply(current), once.apply(current), msg.toString());
        }
    }

    /**
     * OpsSince mixes composed blocks and single ops, whatever the base and wherever the deletes fall;
     * every op made at any base must come out as transforming in turn gives it.
     */
    @Test
    void opsSinceEqualsTransformInTurn() {
        for (int i = 0; i < ITERATIONS / 3; i++) {
            long seed = BASE_SEED + 4_000_000 + i;
            Random rnd = new Random(seed);
            int start = rnd.nextInt(40);
            String doc = randomText(rnd, 20);
            OpsSince since = new OpsSince(start);
            List<String> docs = new ArrayList<>(List.of(doc));
            List<TextOperation> log = new ArrayList<>();
            StringBuilder msg = new StringBuilder("seed=" + seed + " start=" + start);
            int k = 1 + rnd.nextInt(40);
            int deleteShare = rnd.nextInt(4); // from none to most ops deleting
            for (int j = 0; j < k; j++) {
                String current = docs.get(docs.size() - 1);
                TextOperation b = randomOp(rnd, current);
                if (rnd.nextInt(4) >= deleteShare) {
                    b = withoutDeletes(b);
                }
                log.add(b);
                docs.add(b.apply(current));
                since.add(b);
                if (rnd.nextInt(3) == 0) {
                    // an op made at a random base since start, brought up to date now
                    int base = rnd.nextInt(log.size() + 1);
                    TextOperation a = randomOp(rnd, docs.get(base));
                    TextOperation inTurn = a;
                    for (TextOperation c : log.subList(base, log.size())) {
                        inTurn = TextOperation.transform(inTurn, c).a();
                    }
                    String at = msg + " base=" + (start + base) + " a=" + a + " log=" + log;
                    assertEquals(inTurn, since.transform(a, start + base), at);
                }
            }
            assertEquals(start + k, since.upTo(), msg.toString());
            if (rnd.nextBoolean()) {
                int forget = start + rnd.nextInt(k + 1);
                since.forgetBefore(forget);
                int base = forget - start + rnd.nextInt(k - (forget - start) + 1);
                TextOperation a = randomOp(rnd, docs.get(base));
                TextOperation inTurn = a;
                for (TextOperation c : log.subList(base, log.size())) {
                    inTurn = TextOperation.transform(inTurn, c).a();
                }
                assertEquals(inTurn, since.transform(a, start + base), msg + " after forgetting before " + forget);
            }
        }
    }

    @Test
    void appendsComposeIntoBlocks() {
        OpsSince since = new OpsSince(0);
        int length = 5;
        for (int i = 0; i < 1_000; i++) {
            since.add(TextOperation.builder().retain(length).insert("abcd").build());
            length += 4;
        }
        assertEquals(1_000, since.upTo());
        // made at the base, at the point where the others appended: it goes first, as in ot.js
        TextOperation mine = TextOperation.builder().retain(5).insert("!").build();
        assertEquals(TextOperation.builder().retain(5).insert("!").retain(length - 5).build(), since.transform(mine, 0));
        TextOperation early = TextOperation.builder().retain(2).insert("?").retain(3).build();
        assertEquals(TextOperation.builder().retain(2).insert("?").retain(length - 2).build(), since.transform(early, 0));
    }

    @Test
    void applyInPlaceMatchesApply() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + 5_000_000 + i;
            Random rnd = new Random(seed);
            String doc = randomText(rnd, 30);
            TextOperation op = randomOp(rnd, doc);
            StringBuilder inPlace = new StringBuilder(doc);
            op.applyTo(inPlace);
            assertEquals(op.apply(doc), inPlace.toString(), ctx(seed, doc, op));
        }
    }

    /** The same operation with every delete turned into a retain. */
    static TextOperation withoutDeletes(TextOperation op) {
        TextOperation.Builder b = TextOperation.builder();
        for (Object c : op.toComponents()) {
            if (c instanceof String s) {
                b.insert(s);
            } else {
                b.retain(Math.abs((Integer) c));
            }
        }
        return b.build();
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
