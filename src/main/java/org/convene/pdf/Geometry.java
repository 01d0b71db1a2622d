package org.convene.pdf;

/** Sizes in points for one edition. Line heights are multiples of the font size. */
record Geometry(float margin, float body, float leading, float gap, float h1, float h2, float h3, float title,
        float small, float qr, float appendix, int columns) {

    static Geometry of(Edition edition) {
        return switch (edition) {
            case PRINT -> new Geometry(56.7f, 11f, 1.45f, 7f, 17f, 14f, 12f, 24f, 8f, 78f, 8f, 2);
            // Read aloud from a lectern: 18 pt, wide leading, a clear pause between paragraphs.
            case READING -> new Geometry(56.7f, 18f, 1.6f, 16f, 28f, 23f, 20f, 32f, 11f, 96f, 11f, 1);
            case BILINGUAL -> new Geometry(45f, 10f, 1.45f, 7f, 14f, 12.5f, 11f, 22f, 8f, 78f, 8f, 2);
        };
    }

    float headingSize(int level) {
        return level <= 1 ? h1 : level == 2 ? h2 : h3;
    }

    /** Line height for text of {@code size}; headings are set tighter than running text. */
    float lineHeight(float size, boolean heading) {
        return size * (heading ? 1.25f : leading);
    }

    /** Baseline of a line whose box starts at {@code top}: the glyphs centred in the box. */
    static float baseline(float top, float lineHeight, float size) {
        return top - (lineHeight - size) / 2 - size * 0.95f;
    }
}
