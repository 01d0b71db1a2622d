package org.convene.ot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bringing an operation up to date must cost work linear (at most) in the operations since its base
 * and in their size, however far bases lag and however many distinct bases are in flight. Counted,
 * not timed: {@link Work} adds up the components visited and the characters copied by compose and
 * transform, so quadratic behaviour (copying a growing insert at every operation, rebuilding a
 * structure per base) shows as a count orders of magnitude over the bound, on any machine.
 */
class CatchUpWorkTest {
    private static final int OPS = 10_000;
    private static final int LAG = 1_000;

    /** Work allowed per operation since the base, per component of the op brought up to date. */
    private static final int PER_OP_SINCE = 16;

    @Test
    void appendsAgainstBasesLaggingByAThousand() {
        OpsSince since = new OpsSince(0);
        int[] lengthAt = new int[OPS + 1];
        lengthAt[0] = 100;
        long allowed = 0;
        long before = Work.units();
        for (int r = 0; r < OPS; r++) {
            int base = Math.max(0, r - LAG);
            TextOperation mine = TextOperation.builder().retain(lengthAt[base]).insert("abcd").build();
            TextOperation now = since.transform(mine, base);
            since.add(now);
            lengthAt[r + 1] = now.targetLength();
            allowed += (long) PER_OP_SINCE * ((r - base) + mine.componentCount() + mine.insertedLength());
        }
        long work = Work.units() - before;
        assertEquals(100 + 4 * OPS, lengthAt[OPS]);
        assertTrue(work <= allowed, "work " + work + " over the linear bound " + allowed);
    }

    /**
     * 500 authors typing and deleting anywhere, each on its own base (0 to 2,000 revisions behind),
     * with a paste of 100,000 characters carried through: still linear, and the result the same as
     * transforming in turn (checked on a sample, so the check's own work stays out of the count).
     */
    @Test
    void scatteredEditsOnManyDistinctBases() {
        Random rnd = new Random(12);
        OpsSince since = new OpsSince(0);
        List<TextOperation> log = new ArrayList<>();
        int[] lengthAt = new int[4_001];
        lengthAt[0] = 2_000;
        long allowed = 0;
        long work = 0;
        String paste = "p".repeat(100_000);
        for (int r = 0; r < 4_000; r++) {
            int base = Math.max(0, r - rnd.nextInt(2_001));
            int length = lengthAt[base];
            int at = rnd.nextInt(length + 1);
            TextOperation.Builder b = TextOperation.builder().retain(at);
            if (r == 1_500) {
                b.insert(paste);
            } else if (rnd.nextInt(4) == 0 && at < length) {
                b.delete(1);
                at++;
            } else {
                b.insert("ab");
            }
            TextOperation mine = b.retain(length - at).build();
            long before = Work.units();
            TextOperation now = since.transform(mine, base);
            since.add(now);
            work += Work.units() - before;
            allowed += (long) PER_OP_SINCE * ((r - base) + mine.componentCount() + mine.insertedLength());
            if (r % 97 == 0) {
                TextOperation inTurn = mine;
                for (TextOperation c : log.subList(base, log.size())) {
                    inTurn = TextOperation.transform(inTurn, c).a();
                }
                assertEquals(inTurn, now, "revision " + r + " base " + base);
            }
            log.add(now);
            lengthAt[r + 1] = now.targetLength();
        }
        assertTrue(work <= allowed, "work " + work + " over the linear bound " + allowed);
    }
}
