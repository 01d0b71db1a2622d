package org.convene.ot;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations committed after a revision, shared by every operation in flight whatever its base:
 * an operation made at any base from {@link #start()} on is brought up to date by {@link #transform}.
 *
 * <p>The result is the operation ot.js clients get by transforming against each committed operation
 * in turn. Transforming against the composition of a run of operations gives that same operation when
 * no operation of the run deletes ({@code TextOperationPropertiesTest}); with deletes it can differ (an
 * insert next to a deleted range may land on the other side of a concurrent insert). So besides each
 * operation, aligned blocks of 2, 4, 8, ... consecutive operations are kept composed, for blocks in
 * which nothing deletes: an operation made at base {@code b} is transformed against the fewest aligned
 * blocks that cover the revisions after {@code b}, going down to single operations where a block holds
 * a delete. Many authors appending compose into blocks of two or three components, so bringing an
 * operation up to date costs about 2 log2(lag) small transforms; for scattered typing the blocks stop
 * being composed past {@link #MAX_BLOCK_COMPONENTS} components, and the cost is that of transforming in
 * turn. Either way it is linear at most in the operations since the base and in their components.
 *
 * <p>Only shapes are kept ({@link Shape}: inserts as lengths), because a' depends on nothing else of
 * the committed operations: no text is ever copied, however much was inserted. Each operation added
 * completes at most one block per level, and each block is composed once from its two halves, so adding
 * costs amortised O(components) per operation, independent of how many bases are in flight.
 */
public final class OpsSince {
    /** Blocks of up to 2^(LEVELS-1) operations. */
    static final int LEVELS = 16;
    /** A block whose halves hold more components than this is not composed (transforms go below it). */
    static final int MAX_BLOCK_COMPONENTS = 256;

    /** Operation i (0-based over the whole history) made revision i + 1. */
    private int start;
    private int upTo;
    /** levels.get(k).get(j - first[k]) is block j of 2^k operations (indices j*2^k ..), null if not composed. */
    private final List<List<long[]>> levels = new ArrayList<>();
    private final int[] first = new int[LEVELS];

    /** Nothing applied yet after {@code revision}. */
    public OpsSince(int revision) {
        this.start = revision;
        this.upTo = revision;
        for (int k = 0; k < LEVELS; k++) {
            levels.add(new ArrayList<>());
            first[k] = revision >> k;
        }
        // Blocks that would start before `revision` are never used: mark them absent.
        for (int k = 1; k < LEVELS; k++) {
            if ((first[k] << k) < revision) {
                first[k]++;
            }
        }
    }

    /** The oldest base this can bring up to date. */
    public int start() {
        return start;
    }

    /** The revision the operations added so far lead to. */
    public int upTo() {
        return upTo;
    }

    /** Adds the operation that made revision {@code upTo() + 1}. */
    public void add(TextOperation op) {
        int i = upTo;
        levels.get(0).add(Shape.of(op));
        upTo++;
        for (int k = 1; k < LEVELS && ((i + 1) & ((1 << k) - 1)) == 0; k++) {
            int j = ((i + 1) >> k) - 1;
            if (j < first[k]) {
                continue; // the block begins before start: never used
            }
            levels.get(k).add(composeHalves(k, j));
        }
    }

    private long[] composeHalves(int k, int j) {
        long[] left = block(k - 1, 2 * j);
        long[] right = block(k - 1, 2 * j + 1);
        if (left == null || right == null || left.length + right.length > MAX_BLOCK_COMPONENTS) {
            return null;
        }
        if (k == 1 && (Shape.hasDeletes(left) || Shape.hasDeletes(right))) {
            return null;
        }
        return Shape.composeDeleteFree(left, right);
    }

    private long[] block(int k, int j) {
        int at = j - first[k];
        List<long[]> level = levels.get(k);
        return at >= 0 && at < level.size() ? level.get(at) : null;
    }

    /**
     * {@code op}, made at revision {@code base} ({@link #start()} <= base <= {@link #upTo()}),
     * transformed to apply after {@link #upTo()}: the operation ot.js gets by transforming in turn.
     */
    public TextOperation transform(TextOperation op, int base) {
        if (base < start || base > upTo) {
            throw new IllegalArgumentException("base " + base + " outside " + start + ".." + upTo);
        }
        int i = base;
        while (i < upTo) {
            int k = i == 0 ? LEVELS - 1 : Math.min(Integer.numberOfTrailingZeros(i), LEVELS - 1);
            while (k > 0 && (i + (1 << k) > upTo || block(k, i >> k) == null)) {
                k--;
            }
            op = Algebra.transformOver(op, block(k, i >> k));
            i += 1 << k;
        }
        return op;
    }

    /**
     * Forgets what only bases before {@code revision} would need. Amortised: storage is dropped in
     * chunks once at least half of a level is no longer needed.
     */
    public void forgetBefore(int revision) {
        if (revision <= start) {
            return;
        }
        start = Math.min(revision, upTo);
        for (int k = 0; k < LEVELS; k++) {
            int needed = (start + (1 << k) - 1) >> k; // first block starting at or after start
            List<long[]> level = levels.get(k);
            int drop = Math.min(needed - first[k], level.size());
            if (drop > 0 && drop * 2 >= level.size()) {
                level.subList(0, drop).clear();
                first[k] += drop;
            }
        }
    }
}
