package org.convene.pdf;

import java.util.List;
import java.util.Objects;

/**
 * One block of a manifesto: a heading, a paragraph or a list item, with its inline runs.
 * {@code number} is the heading level (1 to 3) for a heading, the item's number for a numbered
 * item, and 0 otherwise. A {@code \n} inside the runs is a line break the author typed.
 */
public record Block(Kind kind, int number, List<Run> runs) {
    public enum Kind { HEADING, PARAGRAPH, BULLET, NUMBERED }

    public Block {
        Objects.requireNonNull(kind, "kind");
        runs = List.copyOf(runs);
    }

    public static Block paragraph(String text) {
        return new Block(Kind.PARAGRAPH, 0, List.of(Run.plain(text)));
    }

    /** The block's text without styles, as a reader would copy it. */
    public String plainText() {
        StringBuilder text = new StringBuilder();
        for (Run run : runs) {
            text.append(run.text());
        }
        return text.toString();
    }
}
