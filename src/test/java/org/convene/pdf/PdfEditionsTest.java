package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDCIDFontType2;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDFontDescriptor;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.xmpbox.XMPMetadata;
import org.apache.xmpbox.xml.DomXmpParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every edition in every script: PDF/A-2b, the words extractable, the fonts embedded and subset. */
class PdfEditionsTest {

    static Stream<Arguments> everyEditionInEveryScript() {
        List<Arguments> all = new ArrayList<>();
        for (Samples.Script script : Samples.ALL) {
            for (Edition edition : Edition.values()) {
                all.add(Arguments.of(script, edition));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyEditionInEveryScript")
    void isPdfA2b(Samples.Script script, Edition edition) throws Exception {
        assertEquals(List.of(), PdfA2b.violations(Rendered.sample(script, edition)));
    }

    @Test
    void theValidatorDoesRejectAPlainPdf() throws Exception {
        // Guards the check above: a PDF without PDF/A metadata and output intent must fail.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.save(out);
        }
        assertFalse(PdfA2b.violations(out.toByteArray()).isEmpty());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyEditionInEveryScript")
    void extractedTextHasTheSourceWords(Samples.Script script, Edition edition) throws Exception {
        String text = Rendered.text(Rendered.sample(script, edition));
        List<String> words = new ArrayList<>(script.words());
        if (edition == Edition.BILINGUAL) {
            words.addAll(Samples.ARABIC_TRANSLATION.words());
        }
        for (String word : words) {
            String expected = Normalizer.normalize(word, Normalizer.Form.NFKC);
            assertTrue(text.contains(expected), () -> "'" + expected + "' missing from:\n" + text);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyEditionInEveryScript")
    void everyFontIsEmbeddedSubsetTrueType(Samples.Script script, Edition edition) throws Exception {
        try (PDDocument doc = Loader.loadPDF(Rendered.sample(script, edition))) {
            int fonts = 0;
            for (PDPage page : doc.getPages()) {
                PDResources resources = page.getResources();
                for (COSName name : resources.getFontNames()) {
                    PDFont font = resources.getFont(name);
                    fonts++;
                    assertTrue(font instanceof PDType0Font, font.getName() + " is " + font.getClass().getSimpleName());
                    PDType0Font type0 = (PDType0Font) font;
                    assertTrue(type0.getDescendantFont() instanceof PDCIDFontType2, font.getName());
                    PDFontDescriptor descriptor = type0.getDescendantFont().getFontDescriptor();
                    assertNotNull(descriptor.getFontFile2(), font.getName() + " has no embedded TrueType program");
                    assertNull(descriptor.getFontFile3(), font.getName() + " embeds CFF");
                    assertTrue(font.getName().matches("[A-Z]{6}\\+.+"), font.getName() + " is not a subset");
                }
            }
            assertTrue(fonts > 0);
        }
    }

    @Test
    void theSameRequestGivesTheSameBytes() {
        for (Edition edition : Edition.values()) {
            PdfRequest request = Samples.request(Samples.MIXED, edition).withSignatures(Samples.signers(500, 7));
            assertArrayEquals(Rendered.render(request), Rendered.render(request), edition.name());
        }
        assertFalse(java.util.Arrays.equals(Rendered.sample(Samples.MIXED, Edition.PRINT),
                Rendered.sample(Samples.MIXED, Edition.READING)));
    }

    @Test
    void rendersInParallelAsItDoesAlone() throws Exception {
        // The endpoint renders on a pool of worker threads: nothing may be shared unsafely.
        List<PdfRequest> requests = new ArrayList<>();
        for (Samples.Script script : List.of(Samples.ARABIC, Samples.DEVANAGARI, Samples.CHINESE, Samples.MIXED)) {
            requests.add(Samples.request(script, Edition.PRINT).withSignatures(Samples.signers(300, 5)));
        }
        List<byte[]> alone = requests.stream().map(Rendered::render).toList();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<byte[]>> together = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (PdfRequest request : requests) {
                    together.add(pool.submit(() -> Rendered.render(request)));
                }
            }
            for (int i = 0; i < together.size(); i++) {
                assertArrayEquals(alone.get(i % requests.size()), together.get(i).get(), "request " + i);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void charactersNoFontHasStillGiveAValidFile() throws Exception {
        // Emoji, hieroglyphs, a tab, a zero-width joiner and a lone combining mark: nothing may
        // reach the page as .notdef (PDF/A forbids it) and nothing may throw.
        String odd = "We rise \u270A\uD83C\uDFFD together\tnow \uD80C\uDC00 a\u200Db \u0301 end.";
        ManifestoText text = new ManifestoText(List.of(Block.paragraph(odd)));
        byte[] pdf = Rendered.render(PdfRequest.of("Odd", "en", text, Samples.version(odd), Edition.PRINT, PaperSize.A4));
        assertEquals(List.of(), PdfA2b.violations(pdf));
        String extracted = Rendered.text(pdf);
        assertTrue(extracted.contains("We rise") && extracted.contains("together") && extracted.contains("end."),
                extracted);
    }

    @Test
    void metadataNamesTitleLanguagesAndVersion() throws Exception {
        try (PDDocument doc = Loader.loadPDF(Rendered.sample(Samples.LATIN, Edition.BILINGUAL))) {
            assertEquals("en", doc.getDocumentCatalog().getLanguage());
            XMPMetadata xmp = new DomXmpParser().parse(doc.getDocumentCatalog().getMetadata().exportXMPMetadata());
            assertEquals("Manifesto of the Migrant Assembly", xmp.getDublinCoreSchema().getTitle());
            assertEquals(List.of("en", "ar"), xmp.getDublinCoreSchema().getLanguages());
            assertEquals("sha256:" + Samples.sha256(Samples.LATIN.source()), xmp.getDublinCoreSchema().getIdentifier());
            assertEquals("3", xmp.getXMPMediaManagementSchema().getVersionID());
            assertEquals(2, xmp.getPDFAIdentificationSchema().getPart());
            assertEquals(Samples.version("").date().toEpochMilli(),
                    doc.getDocumentInformation().getCreationDate().getTimeInMillis());
        }
    }

    @Test
    void firstAndLastPagesLinkToTheSigningPage() throws Exception {
        PdfRequest request = Samples.request(Samples.LATIN, Edition.PRINT).withSignatures(Samples.signers(3000, 9));
        byte[] pdf = Rendered.render(request);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int last = doc.getNumberOfPages() - 1;
            assertTrue(last > 1);
            for (int i = 0; i <= last; i++) {
                List<String> links = links(doc.getPage(i));
                List<String> expected = i == 0 || i == last ? List.of(request.signUrl()) : List.of();
                assertEquals(expected, links, "page " + (i + 1));
            }
            String lastPage = Rendered.text(pdf, last + 1, last + 1);
            assertTrue(lastPage.contains(Labels.ENGLISH.sign()), lastPage);
        }
    }

    private static List<String> links(PDPage page) throws Exception {
        List<String> uris = new ArrayList<>();
        for (PDAnnotation a : page.getAnnotations()) {
            if (a instanceof PDAnnotationLink link && link.getAction() instanceof PDActionURI uri) {
                uris.add(uri.getURI());
            }
        }
        return uris;
    }

    @Test
    void everyPageIsNumberedOutOfTheTotal() throws Exception {
        byte[] pdf = Rendered.render(Samples.request(Samples.LATIN, Edition.PRINT).withSignatures(Samples.signers(1500, 0)));
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            int count = doc.getNumberOfPages();
            assertTrue(count >= 3);
            for (int n = 1; n <= count; n++) {
                assertTrue(Rendered.text(pdf, n, n).contains(n + " / " + count), "page " + n);
            }
        }
    }

    @Test
    void printEditionCarriesVersionDateAndHash() throws Exception {
        String text = Rendered.text(Rendered.sample(Samples.LATIN, Edition.PRINT));
        assertTrue(text.contains("Version 3"), text);
        assertTrue(text.contains("Geneva reading"), text);
        assertTrue(text.contains("March 12, 2026"), text);
        assertTrue(text.contains(Samples.sha256(Samples.LATIN.source())), text);
        assertTrue(text.contains("Amina Haddad") && text.contains("Łukasz Nowak") && text.contains("translation"), text);
    }

    @Test
    void paperSizes() throws Exception {
        PdfRequest a4 = Samples.request(Samples.LATIN, Edition.PRINT);
        PdfRequest letter = new PdfRequest(a4.title(), a4.language(), a4.text(), null, null, a4.version(), a4.credits(),
                a4.signUrl(), Edition.PRINT, PaperSize.LETTER, null, null);
        try (PDDocument doc = Loader.loadPDF(Rendered.render(a4))) {
            PDRectangle box = doc.getPage(0).getMediaBox();
            assertEquals(595.3f, box.getWidth(), 0.1f);
            assertEquals(841.9f, box.getHeight(), 0.1f);
        }
        try (PDDocument doc = Loader.loadPDF(Rendered.render(letter))) {
            PDRectangle box = doc.getPage(0).getMediaBox();
            assertEquals(612f, box.getWidth(), 0.1f);
            assertEquals(792f, box.getHeight(), 0.1f);
        }
    }
}
