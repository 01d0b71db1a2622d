package org.convene.ot;

import java.util.concurrent.atomic.LongAdder;

/**
 * What compose and transform have done in this JVM: components visited plus characters copied, one
 * count. It grows with the work, not with time, so a test can tell linear from quadratic behaviour
 * without a clock; one {@link LongAdder} update per call keeps it cheap enough to leave in production.
 */
public final class Work {
    private static final LongAdder UNITS = new LongAdder();

    private Work() {}

    /** Units of work done so far (monotonic; take differences). */
    public static long units() {
        return UNITS.sum();
    }

    static void add(long units) {
        UNITS.add(units);
    }
}
