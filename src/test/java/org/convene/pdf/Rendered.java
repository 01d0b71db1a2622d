package org.convene.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** Renders requests for the tests, each sample once per test JVM. */
final class Rendered {
    private static final Map<String, byte[]> SAMPLES = new ConcurrentHashMap<>();
    /**
     * Text extraction warns once per conjunct glyph (no single character maps to it): correct,
     * known, and slow to print by the thousand. Held here so the level sticks.
     */
    private static final Logger PDFBOX_FONTS = Logger.getLogger("org.apache.pdfbox.pdmodel.font");

    static {
        PDFBOX_FONTS.setLevel(Level.SEVERE);
    }

    private Rendered() {}

    static byte[] sample(Samples.Script script, Edition edition) {
        return SAMPLES.computeIfAbsent(script.name() + "/" + edition, k -> render(Samples.request(script, edition)));
    }

    static byte[] render(PdfRequest request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new PdfRenderer().render(request, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The text a reader's "copy" would give, NFKC-normalised (Arabic presentation forms to letters). */
    static String text(byte[] pdf) throws IOException {
        return text(pdf, 1, Integer.MAX_VALUE);
    }

    static String text(byte[] pdf, int firstPage, int lastPage) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setStartPage(firstPage);
            stripper.setEndPage(lastPage);
            return Normalizer.normalize(stripper.getText(doc), Normalizer.Form.NFKC);
        }
    }
}
