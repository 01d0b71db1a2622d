package org.convene.pdf;

/** Page sizes in PDF points (1/72 inch). */
public enum PaperSize {
    A4(595.2756f, 841.8898f),
    LETTER(612f, 792f);

    final float width;
    final float height;

    PaperSize(float width, float height) {
        this.width = width;
        this.height = height;
    }
}
