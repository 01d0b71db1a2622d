package org.convene.pdf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.model.GsubData;
import org.apache.fontbox.ttf.model.Language;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * One font file inside one document: answers "do you have this character?" and "how wide is this
 * text?" exactly as it will be drawn, and embeds itself (subset) only once something is drawn.
 */
final class Face {
    final String file;
    /** Drawn at this multiple of the nominal size, so that scripts look equally large. */
    final float sizeFactor;
    private final TrueTypeFont ttf;
    private final CmapLookup cmap;
    /** Non-null only for Devanagari, whose conjuncts need the font's GSUB table. */
    private final DevanagariGsub gsub;
    /** Glyphs per word after GSUB: names and words repeat, in an appendix very much so. */
    private final Map<String, List<Integer>> shapedWords = new HashMap<>();
    private final float scale;
    /** Advance per glyph id in 1/1000 em, rounded as PDFBox rounds the /W array; -1 = not read yet. */
    private final int[] advances;
    private PDType0Font embedded;
    /** What GSUB glyphs stand for, computed on the first shaped word drawn. */
    private Map<Integer, String> glyphTexts;
    private final java.util.TreeMap<Integer, String> unmapped = new java.util.TreeMap<>();
    /** Glyph per BMP character, -1 until looked up: the cmap's own lookup is a hash map. */
    private int[] bmp;

    Face(String file, TrueTypeFont ttf, float sizeFactor) {
        this.file = file;
        this.sizeFactor = sizeFactor;
        this.ttf = ttf;
        try {
            // GSUB is applied here, for Devanagari only, and the glyphs drawn as they are
            // (Pages): PDFBox's own GSUB in showText is off for every font. For Noto Sans it
            // would make fi/fl ligatures whose glyphs have no Unicode mapping (extracted text
            // loses the letters), for Naskh it would run ligature lookups over reversed Arabic,
            // and for Devanagari it costs half a millisecond a word (see DevanagariGsub).
            GsubData data = ttf.getGsubData();
            this.cmap = ttf.getUnicodeCmapLookup();
            this.gsub = data != GsubData.NO_DATA_FOUND && data.getLanguage() == Language.DEVANAGARI
                    ? new DevanagariGsub(data, cmap) : null;
            ttf.setEnableGsub(false);
            this.scale = 1000f / ttf.getHeader().getUnitsPerEm();
            this.advances = new int[ttf.getNumberOfGlyphs()];
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the font " + file, e);
        }
        Arrays.fill(advances, -1);
    }

    /** Whether text in this face is drawn as shaped glyphs ({@link #glyphs}) rather than characters. */
    boolean shapes() {
        return gsub != null;
    }

    /** The glyphs to draw for {@code text}, GSUB applied per space-separated word. */
    List<Integer> glyphs(CharSequence text) {
        List<Integer> out = new ArrayList<>(text.length());
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                if (i > start) {
                    out.addAll(shapedWords.computeIfAbsent(text.subSequence(start, i).toString(), this::shapeWord));
                }
                if (i < text.length()) {
                    out.add(cmap.getGlyphId(' '));
                }
                start = i + 1;
            }
        }
        return out;
    }

    private List<Integer> shapeWord(String word) {
        List<Integer> glyphs = new ArrayList<>(word.length());
        word.codePoints().forEach(cp -> glyphs.add(glyph(cp)));
        return List.copyOf(gsub.apply(glyphs));
    }

    boolean has(int codePoint) {
        return glyph(codePoint) > 0;
    }

    /** The cmap's glyph for a character, remembered for the Basic Multilingual Plane. */
    private int glyph(int codePoint) {
        if (codePoint > 0xFFFF) {
            return cmap.getGlyphId(codePoint);
        }
        if (bmp == null) {
            bmp = new int[0x10000];
            Arrays.fill(bmp, -1);
        }
        int gid = bmp[codePoint];
        if (gid < 0) {
            gid = cmap.getGlyphId(codePoint);
            bmp[codePoint] = gid;
        }
        return gid;
    }

    /** Width of {@code text} in 1/1000 of the nominal size; every character must be in the font. */
    float width(CharSequence text) {
        return advances(text) * sizeFactor;
    }

    /** Width of {@code text} in 1/1000 of this face's own size. */
    private float advances(CharSequence text) {
        if (gsub == null) {
            long sum = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = Character.codePointAt(text, i);
                sum += advance(glyph(cp));
                i += Character.charCount(cp);
            }
            return sum;
        }
        long sum = 0;
        for (int gid : glyphs(text)) {
            sum += advance(gid);
        }
        return sum;
    }

    private int advance(int gid) {
        int w = advances[gid];
        if (w < 0) {
            try {
                w = Math.round(ttf.getHorizontalMetrics().getAdvanceWidth(gid) * scale);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            advances[gid] = w;
        }
        return w;
    }

    /**
     * The text for a TJ operator when it holds combining marks, else null. Without GPOS a mark
     * would be drawn where the pen stands, after its base (the fonts' marks have no advance and
     * sit just right of their origin), which in reversed Arabic puts it over the wrong letter.
     * So each mark is moved back to be centred over its base, and the pen restored after it.
     * Devanagari is left to its GSUB, which has its own mark glyphs.
     */
    Object[] withMarksPlaced(String text) {
        if (gsub != null || !hasMark(text)) {
            return null;
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        int base = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK || base < 0) {
                run.appendCodePoint(cp);
                base = cp;
                continue;
            }
            int markGid = cmap.getGlyphId(cp);
            float baseAdvance = advance(cmap.getGlyphId(base));
            float shift = baseAdvance / 2 + markCentre(markGid);
            parts.add(run.toString());
            run.setLength(0);
            parts.add(shift);
            parts.add(new String(Character.toChars(cp)));
            parts.add(-(shift - advance(markGid)));
        }
        if (run.length() > 0) {
            parts.add(run.toString());
        }
        return parts.toArray();
    }

    private static boolean hasMark(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.getType(text.charAt(i)) == Character.NON_SPACING_MARK) {
                return true;
            }
        }
        return false;
    }

    /** Horizontal centre of a glyph's outline in 1/1000 em. */
    private float markCentre(int gid) {
        try {
            var glyph = ttf.getGlyph().getGlyph(gid);
            if (glyph == null) {
                return 0;
            }
            var box = glyph.getBoundingBox();
            return (box.getLowerLeftX() + box.getUpperRightX()) / 2 * scale;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Notes glyphs drawn by GSUB that no character maps to (conjuncts, half forms), with the
     * characters they stand for, for the ToUnicode map ({@link ToUnicode}).
     */
    void drawn(List<Integer> glyphs) {
        if (gsub == null) {
            return;
        }
        if (glyphTexts == null) {
            Map<Integer, String> base = new HashMap<>();
            for (int[] range : new int[][] {{0x0900, 0x097F}, {0xA8E0, 0xA8FF}, {0x1CD0, 0x1CFF}, {0x200C, 0x200D}}) {
                for (int cp = range[0]; cp <= range[1]; cp++) {
                    int gid = glyph(cp);
                    if (gid > 0) {
                        base.putIfAbsent(gid, new String(Character.toChars(cp)));
                    }
                }
            }
            glyphTexts = gsub.glyphTexts(base);
        }
        for (int gid : glyphs) {
            String text = glyphTexts.get(gid);
            if (text != null) {
                unmapped.put(gid, text);
            }
        }
    }

    /** Glyph ids drawn without a character of their own, with the characters they stand for. */
    Map<Integer, String> unmapped() {
        return unmapped;
    }

    /** The font's name in the file, once it has been saved (its subset tag included); null if never drawn. */
    String embeddedName() {
        return embedded == null ? null : embedded.getCOSObject().getNameAsString(COSName.BASE_FONT);
    }

    /** The font as a PDF resource, embedded as a subset when the document is saved. */
    PDType0Font embed(PDDocument doc) throws IOException {
        if (embedded == null) {
            embedded = PDType0Font.load(doc, ttf, true);
        }
        return embedded;
    }

    /** Ascent in 1/1000 em, for placing the first line of a block. */
    float ascent() throws IOException {
        return ttf.getHorizontalHeader().getAscender() * scale;
    }

    void close() throws IOException {
        ttf.close();
    }
}
