package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The captions' catalogs, and captions, dates and digits in the edition's language. */
class CaptionsTest {
    private static final Path CATALOGS = Path.of("src", "main", "resources", "messages");
    private static final List<String> PROMISED = List.of("en", "es", "fr", "ar", "fa", "zh");

    @Test
    void everyKeyIsInEveryCatalogAndEveryMessageFormats() throws Exception {
        Set<String> tags;
        try (Stream<Path> files = Files.list(CATALOGS)) {
            tags = files.map(f -> f.getFileName().toString())
                    .filter(n -> n.startsWith("pdf_") && n.endsWith(".properties"))
                    .map(n -> n.substring(4, n.length() - ".properties".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertTrue(tags.containsAll(PROMISED), tags.toString());
        Set<String> reference = Labels.read("en").orElseThrow().keySet();
        assertTrue(reference.size() >= 12, reference.toString());
        for (String tag : tags) {
            Map<String, String> catalog = Labels.read(tag).orElseThrow();
            assertEquals(new TreeSet<>(reference), new TreeSet<>(catalog.keySet()), "keys of pdf_" + tag);
            Labels labels = Labels.forLanguage(tag);
            for (String key : reference) {
                // Every argument any message takes; a pattern that does not parse throws here.
                String text = labels.format(key, "number", 3, "name", "N", "date", "D", "hash", "abc", "page", 2,
                        "pages", 9, "total", 1200, "hidden", 2, "share", 0.625, "url", "https://example.org/p/x");
                assertFalse(text.isBlank() || text.contains("{"), tag + " " + key + ": " + text);
            }
        }
    }

    @Test
    void anArabicEditionHasArabicCaptions() throws Exception {
        PdfRequest request = Samples.request(Samples.ARABIC, Edition.PRINT).withSignatures(Samples.signers(40, 7));
        String text = Rendered.text(Rendered.render(request));
        for (String caption : List.of("الإصدار", "الصياغة والترجمة", "التوقيعات", "الموقّعون حسب البلد",
                "وقّع على هذا البيان", "بصمة SHA-256 للنص")) {
            assertTrue(text.contains(caption), caption + " in " + text);
        }
        for (String english : List.of("Version", "Signatures", "Sign this manifesto", "Drafting")) {
            assertFalse(text.contains(english), english + " in " + text);
        }
    }

    @Test
    void datesAndDigitsFollowTheCaptionsLanguage() {
        var date = Samples.version("").date();
        assertEquals("March 12, 2026", Labels.forLanguage("en").date(date));
        assertEquals("12 de marzo de 2026", Labels.forLanguage("es").date(date));
        // Hindi has no catalog yet: English words, so English dates and digits, never a mix.
        assertEquals("en", Labels.forLanguage("hi").language());
        assertEquals("March 12, 2026", Labels.forLanguage("hi").date(date));
        // Egyptian Arabic writes Arabic-Indic digits, Persian its own, each with its own words.
        assertEquals("الإصدار ١٢ · N · D", Labels.forLanguage("ar-EG").format("pdf.version.meta", "number", 12,
                "name", "N", "date", "D"));
        assertEquals("۲ از ۹", Labels.forLanguage("fa").format("pdf.footer.page", "page", 2, "pages", 9));
        assertEquals("第 2 页，共 9 页", Labels.forLanguage("zh-CN").format("pdf.footer.page", "page", 2, "pages", 9));
        // Traditional Chinese is not served the Simplified catalog.
        assertEquals("en", Labels.forLanguage("zh-TW").language());
    }

    @Test
    void pluralsFollowTheLanguagesRules() {
        Labels ar = Labels.forLanguage("ar");
        String[] expected = {"موقّع واحد", "موقّعان", "5 موقّعين", "11 موقّعًا", "100 موقّع"};
        long[] counts = {1, 2, 5, 11, 100};
        for (int i = 0; i < counts.length; i++) {
            String summary = ar.format("pdf.signatures.summary", "total", counts[i], "hidden", 0);
            assertTrue(summary.startsWith(expected[i]), summary);
        }
        assertEquals("1 signatory · 2 chose not to be named",
                Labels.ENGLISH.format("pdf.signatures.summary", "total", 1, "hidden", 2));
        assertEquals("drafting, 62.5% of the text", Labels.ENGLISH.drafting(0.625));
    }
}
