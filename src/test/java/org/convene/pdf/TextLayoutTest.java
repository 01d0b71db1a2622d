package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Line breaking and font fallback, without a PDF. */
class TextLayoutTest {
    private final Fonts fonts = new Fonts();
    private final TextLayout layout = new TextLayout(fonts, "zh");

    @AfterEach
    void close() throws Exception {
        fonts.close();
    }

    @Test
    void chineseBreaksBetweenCharactersWithinTheWidth() {
        String text = "我们要求在我们生活的地方居住、工作和投票的权利。每一种语言都应当在学校里被教授。".repeat(4);
        List<Line> lines = layout.lines(List.of(Run.plain(text)), 11, 200, TextLayout.Direction.LTR);
        assertTrue(lines.size() > 3, "lines: " + lines.size());
        StringBuilder all = new StringBuilder();
        for (Line line : lines) {
            assertTrue(line.width() <= 200.01f, "line of " + line.width());
            line.pieces().forEach(p -> all.append(p.text()));
        }
        assertEquals(text, all.toString());
        // Full lines, not one character each: all but the last use most of the width.
        assertTrue(lines.get(0).width() > 180, "first line " + lines.get(0).width());
    }

    @Test
    void aWordLongerThanTheLineIsCut() {
        String hash = "c86df53a06070614f51be36fec746ad7f9a6ca90d8648a64f082c3c958f7d0bc";
        List<Line> lines = layout.lines(List.of(Run.plain(hash)), 10, 100, TextLayout.Direction.LTR);
        assertTrue(lines.size() >= 3);
        StringBuilder all = new StringBuilder();
        lines.forEach(l -> {
            assertTrue(l.width() <= 100.01f);
            l.pieces().forEach(p -> all.append(p.text()));
        });
        assertEquals(hash, all.toString());
    }

    @Test
    void eachScriptGetsAFontThatHasIt() {
        List<Line> lines = layout.lines(List.of(Run.plain("Zoë Ω Жанна मरियम 李娜")), 10, 1000, TextLayout.Direction.LTR);
        assertEquals(1, lines.size());
        List<String> files = lines.get(0).pieces().stream().map(p -> p.face().file).toList();
        // Spaces stay in the face of the word before them.
        assertEquals(List.of("NotoSans-Regular.ttf", "NotoSansDevanagari-Regular.ttf", "DroidSansFallbackFull.ttf"),
                files);
    }

    @Test
    void strongAndEmphasisUseTheirFaces() {
        Line line = layout.line("x", true, 10, TextLayout.Direction.LTR);
        assertEquals("NotoSans-Bold.ttf", line.pieces().get(0).face().file);
        List<Line> italic = layout.lines(List.of(new Run("y", false, true)), 10, 100, TextLayout.Direction.LTR);
        assertEquals("NotoSans-Italic.ttf", italic.get(0).pieces().get(0).face().file);
    }
}
