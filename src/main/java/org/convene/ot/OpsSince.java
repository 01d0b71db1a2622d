package org.convene.ot;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations applied after one base revision, kept so that an operation made at that base can
 * be brought up to date in a few transforms instead of one per operation since.
 *
 * <p>Transforming against each operation in turn is what ot.js clients do, so the result must be the
 * same operation. Transforming against the composition of a run gives that same operation when no
 * operation of the run deletes (checked by {@code TextOperationPropertiesTest}); with deletes it can
 * differ (an insert next to a deleted range may land on the other side of a concurrent insert). So
 * runs of delete-free operations are composed into one piece each, and an operation that deletes is
 * a piece of its own. A piece stops growing at {@link #MAX_PIECE_COMPONENTS} components, which bounds
 * what each added operation and each transform costs: many authors appending at the end of a document
 * compose into one small piece, typing scattered across it costs no more than transforming in turn.
 */
public final class OpsSince {
    static final int MAX_PIECE_COMPONENTS = 64;

    private int upTo;
    private final List<TextOperation> pieces = new ArrayList<>();
    private boolean lastComposable;

    /** Nothing applied yet after {@code base}. */
    public OpsSince(int base) {
        this.upTo = base;
    }

    /** The revision the operations added so far lead to. */
    public int upTo() {
        return upTo;
    }

    /** Adds the operation that made revision {@code upTo() + 1}. */
    public void add(TextOperation op) {
        boolean composable = !op.hasDeletes();
        int last = pieces.size() - 1;
        if (composable && lastComposable) {
            TextOperation merged = pieces.get(last).compose(op);
            if (merged.componentCount() <= MAX_PIECE_COMPONENTS) {
                pieces.set(last, merged);
                upTo++;
                return;
            }
        }
        pieces.add(op);
        lastComposable = composable;
        upTo++;
    }

    /** {@code op}, made at the base revision, transformed to apply after {@link #upTo()}. */
    public TextOperation transform(TextOperation op) {
        for (TextOperation piece : pieces) {
            op = TextOperation.transform(op, piece).a();
        }
        return op;
    }

    /** How many transforms {@link #transform} does. */
    public int pieces() {
        return pieces.size();
    }
}
