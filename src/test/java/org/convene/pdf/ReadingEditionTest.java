package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;
import org.junit.jupiter.api.Test;

/** The reading edition: large type, and no short paragraph split across two pages. */
class ReadingEditionTest {

    /** Paragraphs of 1 to 7 lines, each starting with "Pnstart" and ending with "Pnend". */
    private static ManifestoText paragraphs(int count) {
        List<Block> blocks = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            String middle = "we stay and we speak ".repeat(1 + (n * 7) % 19);
            blocks.add(Block.paragraph("P" + n + "start " + middle + "P" + n + "end"));
        }
        // And one paragraph longer than a page, which has to break.
        blocks.add(Block.paragraph("Longstart " + "a paragraph longer than a page ".repeat(120) + "Longend"));
        return new ManifestoText(blocks);
    }

    @Test
    void shortParagraphsStayOnOnePage() throws Exception {
        ManifestoText text = paragraphs(40);
        byte[] pdf = Rendered.render(PdfRequest.of("Reading test", "en", text, Samples.version("r"), Edition.READING,
                PaperSize.A4));
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int pages = doc.getNumberOfPages();
            assertTrue(pages >= 8, "pages: " + pages);
            List<String> pageTexts = new ArrayList<>();
            for (int p = 1; p <= pages; p++) {
                pageTexts.add(Rendered.text(pdf, p, p));
            }
            for (int n = 1; n <= 40; n++) {
                int start = pageOf(pageTexts, "P" + n + "start");
                int end = pageOf(pageTexts, "P" + n + "end");
                assertEquals(start, end, "paragraph " + n + " is split across pages " + start + " and " + end);
            }
            int longStart = pageOf(pageTexts, "Longstart");
            int longEnd = pageOf(pageTexts, "Longend");
            assertTrue(longEnd > longStart, "the long paragraph continues on the next page");
        }
    }

    @Test
    void theTextIsSetAtEighteenPointsOrMore() throws Exception {
        byte[] pdf = Rendered.render(PdfRequest.of("Reading test", "en", paragraphs(3), Samples.version("r"),
                Edition.READING, PaperSize.A4));
        List<Float> sizes = new ArrayList<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            new PDFTextStripper() {
                @Override
                protected void writeString(String text, List<TextPosition> positions) {
                    if (text.contains("we stay")) {
                        positions.forEach(p -> sizes.add(p.getFontSizeInPt()));
                    }
                }
            }.getText(doc);
        }
        assertTrue(!sizes.isEmpty());
        assertTrue(sizes.stream().allMatch(s -> s >= 18f), "sizes " + sizes.stream().distinct().toList());
    }

    private static int pageOf(List<String> pageTexts, String marker) {
        for (int i = 0; i < pageTexts.size(); i++) {
            if (pageTexts.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker + " not found");
    }
}
