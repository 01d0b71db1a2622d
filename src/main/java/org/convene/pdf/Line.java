package org.convene.pdf;

import java.util.List;

/**
 * One laid-out line: pieces in visual order (left to right), each in one face, with the
 * width in points. {@code direction} is the paragraph's, which decides the alignment.
 */
record Line(List<Piece> pieces, float width, float size, TextLayout.Direction direction) {
    /** Text in one face, already shaped and in visual order; {@code width} in points. */
    record Piece(Face face, String text, float width) {}

    boolean rtl() {
        return direction == TextLayout.Direction.RTL;
    }
}
