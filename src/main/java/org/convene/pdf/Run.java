package org.convene.pdf;

import java.util.Objects;

/** A stretch of text in one style: plain, {@code *emphasis*}, {@code **strong**} or both. */
public record Run(String text, boolean strong, boolean emphasis) {
    public Run {
        Objects.requireNonNull(text, "text");
    }

    public static Run plain(String text) {
        return new Run(text, false, false);
    }
}
