package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentCatalog;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tagged PDF: veraPDF's PDF/UA-1 profile passes on every edition, and the structure tree holds
 * what a screen reader needs (read back with PDFBox, so the test does not only trust veraPDF).
 */
class TaggedPdfTest {

    static Stream<Arguments> samples() {
        List<Arguments> all = new ArrayList<>();
        for (Samples.Script script : Samples.ALL) {
            for (Edition edition : Edition.values()) {
                all.add(Arguments.of(script.name() + " " + edition, Rendered.sample(script, edition)));
            }
        }
        all.add(Arguments.of("latin print with signatures",
                Rendered.render(Samples.request(Samples.LATIN, Edition.PRINT).withSignatures(Samples.signers(300, 7)))));
        all.add(Arguments.of("arabic print with signatures",
                Rendered.render(Samples.request(Samples.ARABIC, Edition.PRINT).withSignatures(Samples.signers(300, 7)))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void isPdfUa1AndPdfA2a(String name, byte[] pdf) throws Exception {
        assertEquals(List.of(), PdfA2b.uaViolations(pdf), name);
        assertEquals(List.of(), PdfA2b.level2aViolations(pdf), name);
    }

    @Test
    void theValidatorDoesRejectAnUntaggedFile() throws Exception {
        byte[] plain;
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new org.apache.pdfbox.pdmodel.PDPage());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            doc.save(out);
            plain = out.toByteArray();
        }
        assertFalse(PdfA2b.uaViolations(plain).isEmpty());
    }

    @Test
    void theStructureReadsAsTheDocument() throws Exception {
        byte[] pdf = Rendered.render(Samples.request(Samples.LATIN, Edition.PRINT).withSignatures(Samples.signers(40, 7)));
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDDocumentCatalog catalog = doc.getDocumentCatalog();
            assertTrue(catalog.getMarkInfo().isMarked());
            assertEquals("en", catalog.getLanguage());
            List<PDStructureElement> all = new ArrayList<>();
            walk(catalog.getStructureTreeRoot(), all);
            List<String> types = all.stream().map(PDStructureElement::getStructureType).toList();
            assertEquals("Document", types.get(0));
            assertEquals("H1", types.get(1), types.toString()); // the title
            // Lists with labels and bodies, headings below the title, the appendix as a section.
            for (String type : List.of("H2", "P", "L", "LI", "Lbl", "LBody", "Figure", "Link", "Sect", "H3")) {
                assertTrue(types.contains(type), type + " in " + types);
            }
            List<PDStructureElement> figures = all.stream().filter(e -> e.getStructureType().equals("Figure")).toList();
            assertEquals(2, figures.size()); // the QR code on page one and on the last page
            for (PDStructureElement figure : figures) {
                assertNotNull(figure.getAlternateDescription());
                assertTrue(figure.getAlternateDescription().contains("https://convene.example.org/m/7f3a9c/sign"));
            }
            // Every element that draws something is reachable from the parent tree of its page.
            assertNotNull(catalog.getStructureTreeRoot().getParentTree());
            assertTrue(doc.getPage(0).getStructParents() >= 0);
        }
    }

    @Test
    void otherLanguagesAreMarkedWhereTheyAre() throws Exception {
        // The bilingual edition: the Arabic column's elements say so, the English ones inherit.
        try (PDDocument doc = Loader.loadPDF(Rendered.sample(Samples.LATIN, Edition.BILINGUAL))) {
            List<PDStructureElement> all = new ArrayList<>();
            walk(doc.getDocumentCatalog().getStructureTreeRoot(), all);
            long arabic = all.stream().filter(e -> "ar".equals(e.getLanguage()) && e.getStructureType().equals("P")).count();
            long english = all.stream().filter(e -> e.getLanguage() == null && e.getStructureType().equals("P")).count();
            assertTrue(arabic >= 3 && english >= 3, arabic + " / " + english);
        }
        // Captions in English inside a Hindi edition (no Hindi catalog yet) are marked English.
        try (PDDocument doc = Loader.loadPDF(Rendered.sample(Samples.DEVANAGARI, Edition.PRINT))) {
            assertEquals("hi", doc.getDocumentCatalog().getLanguage());
            List<PDStructureElement> all = new ArrayList<>();
            walk(doc.getDocumentCatalog().getStructureTreeRoot(), all);
            assertTrue(all.stream().anyMatch(e -> "en".equals(e.getLanguage())));
        }
    }

    @Test
    void conjunctsAreMappedToTheirLetters() throws Exception {
        // Conjunct glyphs (द्व, स्थ, श्र) have no character in the font's cmap: /ActualText on
        // their span gives the letters to extraction and screen readers (the ToUnicode entries
        // added for PDF/UA 7.21.7 are checked by veraPDF above).
        String text = Rendered.text(Rendered.sample(Samples.DEVANAGARI, Edition.PRINT));
        for (String word : List.of("द्वार", "स्थान", "श्री", "प्रवासी")) {
            assertTrue(text.contains(word), word + " in " + text);
        }
    }

    private static void walk(PDStructureNode node, List<PDStructureElement> out) {
        for (Object kid : node.getKids()) {
            if (kid instanceof PDStructureElement e) {
                out.add(e);
                walk(e, out);
            }
        }
    }
}
