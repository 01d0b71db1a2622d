package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;

/**
 * Arabic lines read right to left with numbers and Latin names inside them left to right: checked
 * on where the glyphs land on the page, not on what a text extractor reconstructs.
 */
class ArabicOrderTest {

    @Test
    void rightToLeftLineWithDigitsAndALatinName() throws Exception {
        // "250 people signed with Maria Lopez in 2024", in logical (reading) order.
        String line = "وقع 250 شخصا مع Maria Lopez عام 2024";
        // Written out by hand from right to left reading: the words land left to right as
        // 2024, عام, Maria Lopez, مع, شخصا, 250, وقع, each Arabic word's letters in reverse.
        String expected = String.join(" ", "2024", reversed("عام"), "Maria", "Lopez", reversed("مع"), reversed("شخصا"),
                "250", reversed("وقع"));
        assertEquals(expected, visualLineContaining(render("ar", line), "Maria"));
    }

    @Test
    void arabicInsideAnEnglishLine() throws Exception {
        // In a left-to-right paragraph the Arabic phrase is one right-to-left island.
        String line = "The assembly met in بيروت الجميلة on 12 May.";
        String expected = "The assembly met in " + reversed("الجميلة") + " " + reversed("بيروت") + " on 12 May.";
        assertEquals(expected, visualLineContaining(render("en", line), "assembly"));
    }

    @Test
    void persianDigitsStayInOrder() throws Exception {
        String line = "۱۲۰ نفر امضا کردند";
        String visual = visualLineContaining(render("fa", line), "۱۲۰"); // not the header's date
        assertTrue(visual.endsWith("۱۲۰"), visual); // the number starts the line, at its right end
        assertTrue(visual.contains("۱۲۰") && !visual.contains("۰۲۱"), visual);
    }

    private static byte[] render(String language, String paragraph) {
        ManifestoText text = new ManifestoText(List.of(Block.paragraph(paragraph)));
        return Rendered.render(PdfRequest.of("Test", language, text, Samples.version(paragraph), Edition.PRINT,
                PaperSize.A4));
    }

    private static String reversed(String word) {
        return new StringBuilder(word).reverse().toString();
    }

    /** The glyphs of the line holding {@code marker}, left to right, NFKC-normalised. */
    private static String visualLineContaining(byte[] pdf, String marker) throws IOException {
        Map<Integer, List<TextPosition>> lines = new TreeMap<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper collector = new PDFTextStripper() {
                @Override
                protected void processTextPosition(TextPosition text) {
                    lines.computeIfAbsent(Math.round(text.getYDirAdj()), y -> new ArrayList<>()).add(text);
                }
            };
            collector.getText(doc);
        }
        for (List<TextPosition> glyphs : lines.values()) {
            glyphs.sort(Comparator.comparingDouble(TextPosition::getXDirAdj));
            StringBuilder visual = new StringBuilder();
            glyphs.forEach(g -> visual.append(g.getUnicode()));
            String normalised = Normalizer.normalize(visual.toString(), Normalizer.Form.NFKC);
            if (normalised.contains(marker)) {
                return normalised;
            }
        }
        throw new AssertionError("no line with " + marker + " in " + lines.size() + " lines");
    }
}
