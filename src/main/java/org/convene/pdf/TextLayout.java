package org.convene.pdf;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UCharacterDirection;
import com.ibm.icu.text.Bidi;
import com.ibm.icu.text.BidiRun;
import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns styled runs into lines ready to draw, for every script we ship fonts for. The order of
 * operations is the one that keeps Arabic right (field notes, after openhtmltopdf):
 * <ol>
 * <li>Arabic-script letters are shaped on the logical text ({@link ArabicShaper} picks the
 *     joined form of each letter; PDFBox cannot);</li>
 * <li>each character gets the first font that has it;</li>
 * <li>lines are broken on the logical text at ICU's line-break opportunities (which also
 *     knows where Chinese may break), measured as PDFBox will draw them;</li>
 * <li>only then is each line reordered for display with the Unicode bidi algorithm, RTL runs
 *     reversed with mirroring, so digits and Latin names inside Arabic keep their order.</li>
 * </ol>
 * One instance per document: the ICU objects it holds are not thread-safe.
 */
final class TextLayout {
    enum Direction { LTR, RTL }

    private final Fonts fonts;
    private final BreakIterator lineBreaks;
    private final BreakIterator graphemes;

    TextLayout(Fonts fonts, String languageTag) {
        this.fonts = fonts;
        ULocale locale = ULocale.forLanguageTag(languageTag);
        this.lineBreaks = BreakIterator.getLineInstance(locale);
        this.graphemes = BreakIterator.getCharacterInstance(locale);
    }

    /**
     * The direction of a paragraph by the Unicode bidi algorithm's rules P2-P3: its first strong
     * character outside isolates, {@code fallback} when it has none.
     */
    static Direction direction(CharSequence text, Direction fallback) {
        if (!hasRightToLeft(text)) {
            return hasLeftToRight(text) ? Direction.LTR : fallback;
        }
        Bidi bidi = new Bidi();
        bidi.setPara(text.toString(), fallback == Direction.RTL ? Bidi.LEVEL_DEFAULT_RTL : Bidi.LEVEL_DEFAULT_LTR, null);
        return (bidi.getParaLevel() & 1) == 1 ? Direction.RTL : Direction.LTR;
    }

    /** Whether a strong left-to-right character stands outside every isolate. */
    private static boolean hasLeftToRight(CharSequence text) {
        int depth = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            if (cp >= 0x2066 && cp <= 0x2068) {
                depth++;
            } else if (cp == 0x2069) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && UCharacter.getDirection(cp) == UCharacterDirection.LEFT_TO_RIGHT) {
                return true;
            }
        }
        return false;
    }

    /** One line, never wrapped (captions, page numbers); a line break in it counts as a space. */
    Line line(String text, boolean strong, float size, Direction fallback) {
        List<Line> lines = lines(List.of(new Run(text.replace('\n', ' '), strong, false)), size, Float.MAX_VALUE,
                fallback);
        return lines.isEmpty() ? new Line(List.of(), 0, size, fallback) : lines.get(0);
    }

    /**
     * The runs as lines of at most {@code width} points. A {@code \n} in the runs ends a line and
     * a bidi paragraph (rule P1): each such stretch takes its direction from its own first strong
     * character (P2-P3), as a browser does with {@code unicode-bidi: plaintext}, and
     * {@code fallback} when it has none. So an English sentence opening a paragraph full of
     * Arabic keeps the paragraph left to right and its sentences in order.
     */
    List<Line> lines(List<Run> runs, float size, float width, Direction fallback) {
        Prepared p = prepare(runs);
        if (p.text.length() == 0) {
            return List.of();
        }
        String text = p.text.toString();
        float max = width >= Float.MAX_VALUE / 2 ? Float.MAX_VALUE : width * 1000f / size;
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            paragraph(p, text, start, end, size, max, fallback, lines);
            start = end + 1;
        }
        return lines;
    }

    /** Lays out the bidi paragraph [start, end) of the text. */
    private void paragraph(Prepared p, String text, int start, int end, float size, float max, Direction fallback,
            List<Line> out) {
        if (start == end) {
            out.add(new Line(List.of(), 0, size, fallback)); // an empty line keeps its height
            return;
        }
        String para = text.substring(start, end);
        Direction direction;
        Bidi bidi = null;
        if (hasRightToLeft(para) || (fallback == Direction.RTL && !hasLeftToRight(para))) {
            bidi = new Bidi();
            bidi.setPara(para, fallback == Direction.RTL ? Bidi.LEVEL_DEFAULT_RTL : Bidi.LEVEL_DEFAULT_LTR, null);
            direction = (bidi.getParaLevel() & 1) == 1 ? Direction.RTL : Direction.LTR;
        } else {
            direction = hasLeftToRight(para) ? Direction.LTR : fallback;
        }
        for (int[] range : breakLines(p, text, start, end, max)) {
            out.add(visualLine(p, text, bidi, start, range[0], range[1], size, direction));
        }
    }

    /** Logical text (shaped), with the face each UTF-16 unit is drawn in. */
    private static final class Prepared {
        final StringBuilder text = new StringBuilder();
        Face[] faces = new Face[16];

        void add(int codePoint, Face face) {
            int at = text.length();
            text.appendCodePoint(codePoint);
            if (text.length() > faces.length) {
                faces = java.util.Arrays.copyOf(faces, Math.max(faces.length * 2, text.length()));
            }
            for (int i = at; i < text.length(); i++) {
                faces[i] = face;
            }
        }
    }

    private Prepared prepare(List<Run> runs) {
        Prepared p = new Prepared();
        Face current = null;
        Fonts.Style previous = null;
        for (Run run : runs) {
            Fonts.Style style = Fonts.Style.of(run.strong(), run.emphasis());
            if (style != previous) {
                current = null;
                previous = style;
            }
            String text = hasArabic(run.text()) ? ArabicShaper.shape(run.text()) : run.text();
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                i += Character.charCount(cp);
                if (cp == '\n') {
                    p.add(cp, null); // a line break: ends a line, never drawn
                    continue;
                }
                if (Character.isISOControl(cp)) {
                    cp = ' ';
                }
                if (isBidiControl(cp)) {
                    p.add(cp, null); // steers the bidi algorithm, never drawn
                    continue;
                }
                Face face = fonts.pick(cp, style, current);
                if (face == null) {
                    if (Character.getType(cp) == Character.FORMAT) {
                        continue; // an invisible control no font has: nothing to draw
                    }
                    cp = 0xFFFD;
                    face = fonts.pick(cp, style, null);
                    if (face == null) {
                        cp = '?';
                        face = fonts.primary(style);
                    }
                }
                p.add(cp, face);
                current = face;
            }
        }
        return p;
    }

    /**
     * Whether any character is right-to-left (or an Arabic number). Without one, an LTR paragraph
     * needs no reordering whatever bidi controls it holds, and the bidi algorithm is skipped.
     */
    private static boolean hasRightToLeft(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0590) {
                int d = UCharacter.getDirection(Character.codePointAt(text, i));
                if (d == UCharacterDirection.RIGHT_TO_LEFT || d == UCharacterDirection.RIGHT_TO_LEFT_ARABIC
                        || d == UCharacterDirection.ARABIC_NUMBER) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Marks and isolates of the bidi algorithm (ALM, LRM, RLM, embeddings, isolates). */
    static boolean isBidiControl(int cp) {
        return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069);
    }

    /**
     * Wraps a field (a name, a city) in a first-strong isolate, so that its direction neither
     * leaks into nor borrows from the text around it: an Arabic name next to an Arabic city stay
     * two fields in their places instead of merging into one right-to-left run.
     */
    static String isolate(String field) {
        return "\u2068" + field + "\u2069";
    }

    private static boolean hasArabic(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF)) {
                return true;
            }
        }
        return false;
    }

    /** Line ranges within [from, to) of the logical text, greedy, at ICU's break opportunities. */
    private List<int[]> breakLines(Prepared p, String text, int from, int to, float max) {
        List<int[]> ranges = new ArrayList<>();
        if (width(p, from, to) <= max) {
            ranges.add(new int[] {from, to}); // most lines of an appendix: no breaking needed
            return ranges;
        }
        lineBreaks.setText(text.substring(from, to));
        int lineStart = from;
        float lineWidth = 0;
        int segStart = from + lineBreaks.first();
        for (int b = lineBreaks.next(); b != BreakIterator.DONE; b = lineBreaks.next()) {
            int segEnd = from + b;
            float visible = width(p, segStart, trimEnd(text, segStart, segEnd));
            if (segStart > lineStart && lineWidth + visible > max) {
                ranges.add(new int[] {lineStart, segStart});
                lineStart = segStart;
                lineWidth = 0;
            }
            if (segStart == lineStart && visible > max) {
                lineStart = splitLongWord(p, text, segStart, segEnd, max, ranges);
                lineWidth = width(p, lineStart, segEnd);
            } else {
                lineWidth += width(p, segStart, segEnd);
            }
            segStart = segEnd;
        }
        if (lineStart < to) {
            ranges.add(new int[] {lineStart, to});
        }
        return ranges;
    }

    /** A word wider than the line (a long URL, a hash) is cut between graphemes. */
    private int splitLongWord(Prepared p, String text, int start, int end, float max, List<int[]> ranges) {
        graphemes.setText(text);
        int lineStart = start;
        int previous = start;
        for (int b = graphemes.following(start); b != BreakIterator.DONE && b <= end; b = graphemes.next()) {
            if (b > lineStart && previous > lineStart && width(p, lineStart, trimEnd(text, lineStart, b)) > max) {
                ranges.add(new int[] {lineStart, previous});
                lineStart = previous;
            }
            previous = b;
        }
        return lineStart;
    }

    private static int trimEnd(String text, int start, int end) {
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return end;
    }

    /** Width of [start, end) in 1/1000 of the font size. */
    private static float width(Prepared p, int start, int end) {
        float sum = 0;
        int i = start;
        while (i < end) {
            Face face = p.faces[i];
            int j = i + 1;
            while (j < end && p.faces[j] == face) {
                j++;
            }
            if (face != null) {
                sum += face.width(p.text.subSequence(i, j));
            }
            i = j;
        }
        return sum;
    }

    /** The line [start, end) in visual order; {@code paragraph} is the bidi of the paragraph from {@code paraStart}. */
    private static Line visualLine(Prepared p, String text, Bidi paragraph, int paraStart, int start, int end,
            float size, Direction direction) {
        end = trimEnd(text, start, end);
        List<Line.Piece> pieces = new ArrayList<>();
        if (end > start) {
            if (paragraph == null) {
                addPieces(p, start, end, false, size, pieces);
            } else {
                Bidi line = paragraph.setLine(start - paraStart, end - paraStart);
                for (int i = 0, n = line.countRuns(); i < n; i++) {
                    BidiRun run = line.getVisualRun(i);
                    addPieces(p, start + run.getStart(), start + run.getLimit(), run.isOddRun(), size, pieces);
                }
            }
        }
        float width = 0;
        for (Line.Piece piece : pieces) {
            width += piece.width();
        }
        return new Line(List.copyOf(pieces), width, size, direction);
    }

    /**
     * Pieces for one bidi run. An RTL run's face runs go right to left and each one's text is
     * reversed, mirrored (brackets) and with combining marks kept after their base letter, which
     * is where the fonts' zero-width marks expect to be drawn.
     */
    private static void addPieces(Prepared p, int start, int end, boolean rtl, float size, List<Line.Piece> out) {
        List<int[]> byFace = new ArrayList<>();
        int i = start;
        while (i < end) {
            int j = i + 1;
            while (j < end && p.faces[j] == p.faces[i]) {
                j++;
            }
            byFace.add(new int[] {i, j});
            i = j;
        }
        for (int k = 0; k < byFace.size(); k++) {
            int[] r = byFace.get(rtl ? byFace.size() - 1 - k : k);
            Face face = p.faces[r[0]];
            if (face == null) {
                continue;
            }
            String text = p.text.substring(r[0], r[1]);
            if (rtl) {
                text = Bidi.writeReverse(text, Bidi.DO_MIRRORING | Bidi.KEEP_BASE_COMBINING);
            }
            float width = face.width(text) * size / 1000f;
            Line.Piece last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.face() == face) {
                out.set(out.size() - 1, new Line.Piece(face, last.text() + text, last.width() + width));
            } else {
                out.add(new Line.Piece(face, text, width));
            }
        }
    }
}
