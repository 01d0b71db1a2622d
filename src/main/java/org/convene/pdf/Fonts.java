package org.convene.pdf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.pdfbox.io.RandomAccessReadBuffer;

/**
 * The shipped fonts (src/main/resources/fonts) for one document, in fallback order: a character
 * is drawn with the first family whose cmap has it. Files are read from the class path once per
 * process; each document parses only the faces it touches and embeds only those it draws with.
 */
final class Fonts implements AutoCloseable {
    enum Style {
        REGULAR, BOLD, ITALIC, BOLD_ITALIC;

        static Style of(boolean strong, boolean emphasis) {
            return strong ? (emphasis ? BOLD_ITALIC : BOLD) : (emphasis ? ITALIC : REGULAR);
        }
    }

    /** Families in fallback order; per style the file to use (a family without italics repeats). */
    private static final String[][] FAMILIES = {
        {"NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"},
        {"NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", "NotoNaskhArabic-Regular.ttf",
            "NotoNaskhArabic-Bold.ttf"},
        {"NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf", "NotoSansDevanagari-Regular.ttf",
            "NotoSansDevanagari-Bold.ttf"},
        {"DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf",
            "DroidSansFallbackFull.ttf"},
    };

    /**
     * Naskh has a small x-height beside Noto Sans: at the same nominal size Arabic looks a size
     * smaller than the Latin around it, so it is drawn larger.
     */
    private static final float[] SIZE_FACTORS = {1f, 1.15f, 1f, 1f};

    private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();

    /** This document's parsed faces by file; a document is rendered by one thread. */
    private final Map<String, Face> faces = new HashMap<>();

    /** Faces by style and family, filled as they are first asked for. */
    private final Face[][] byStyle = new Face[Style.values().length][FAMILIES.length];

    /** The face for family {@code index} in {@code style}. */
    Face face(int index, Style style) {
        Face known = byStyle[style.ordinal()][index];
        if (known != null) {
            return known;
        }
        String file = FAMILIES[index][style.ordinal()];
        Face face = faces.get(file);
        if (face == null) {
            try {
                face = new Face(file, new TTFParser().parse(new RandomAccessReadBuffer(bytes(file))),
                        SIZE_FACTORS[index]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot parse the font " + file, e);
            }
            faces.put(file, face);
        }
        byStyle[style.ordinal()][index] = face;
        return face;
    }

    /** The primary face of a style (Noto Sans), for text known to be Latin: numbers, URLs. */
    Face primary(Style style) {
        return face(0, style);
    }

    /**
     * The face to draw {@code codePoint} with, or null if no shipped font has it. A character
     * shared by all scripts (space, digits, punctuation, combining marks) stays in {@code current}
     * when that has it, so an Arabic sentence keeps its own spaces and marks.
     */
    Face pick(int codePoint, Style style, Face current) {
        if (current != null && isShared(codePoint) && current.has(codePoint)) {
            return current;
        }
        for (int i = 0; i < FAMILIES.length; i++) {
            Face face = face(i, style);
            if (face.has(codePoint)) {
                return face;
            }
        }
        return null;
    }

    private static boolean isShared(int codePoint) {
        if (codePoint < 0x80) {
            return !Character.isLetter(codePoint);
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.COMMON || script == Character.UnicodeScript.INHERITED;
    }

    static byte[] bytes(String file) {
        return FILES.computeIfAbsent(file, name -> {
            try (InputStream in = Fonts.class.getResourceAsStream("/fonts/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("font missing from the class path: /fonts/" + name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Closes the parsed fonts; only after the document has been saved (subsetting reads them). */
    /** The faces this document has parsed. */
    java.util.Collection<Face> faces() {
        return faces.values();
    }

    @Override
    public void close() throws IOException {
        for (Face face : faces.values()) {
            face.close();
        }
    }
}
