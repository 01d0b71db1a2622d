package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;

/**
 * Page one of the mixed-script print edition, rasterised, against a committed image a person has
 * looked at: Arabic joined and right to left, Devanagari conjuncts, Chinese, the QR code.
 * After an intended change of layout, look at the new page and regenerate the image with
 * {@code mvn -Dskip.web=true test -Dtest=ReferenceImageTest -Dpdf.updateReference=true}.
 */
class ReferenceImageTest {
    private static final Path REFERENCE = Path.of("src", "test", "resources", "pdf", "mixed-print-page1.png");
    private static final int DPI = 80;
    /** A pixel differs when a channel moves by more than this (anti-aliasing varies a little). */
    private static final int CHANNEL_TOLERANCE = 64;
    /** Share of differing pixels allowed; one line of text moved is well above it. */
    private static final double MAX_DIFFERING = 0.002;

    @Test
    void firstPageLooksAsCommitted() throws Exception {
        BufferedImage actual;
        try (PDDocument doc = Loader.loadPDF(Rendered.sample(Samples.MIXED, Edition.PRINT))) {
            actual = new PDFRenderer(doc).renderImageWithDPI(0, DPI, ImageType.RGB);
        }
        if (Boolean.getBoolean("pdf.updateReference")) {
            Files.createDirectories(REFERENCE.getParent());
            ImageIO.write(actual, "png", REFERENCE.toFile());
        }
        BufferedImage expected = ImageIO.read(REFERENCE.toFile());
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        double differing = differingFraction(expected, actual, CHANNEL_TOLERANCE);
        if (differing >= MAX_DIFFERING) {
            Path out = Path.of("target", "pdf-reference", "mixed-print-page1-actual.png");
            Files.createDirectories(out.getParent());
            ImageIO.write(actual, "png", out.toFile());
            throw new AssertionError(String.format("%.4f%% of pixels differ (limit %.2f%%); see %s",
                    differing * 100, MAX_DIFFERING * 100, out));
        }
    }

    @Test
    void theComparatorSeesASmallChange() throws Exception {
        // Guards the tolerance: a change of one word in the version line must count as a difference.
        PdfRequest changed = Samples.request(Samples.MIXED, Edition.PRINT);
        changed = new PdfRequest(changed.title(), changed.language(), changed.text(), null, null,
                new VersionInfo(3, "Geneva rereading", changed.version().date(), changed.version().sha256()),
                changed.credits(), changed.signUrl(), Edition.PRINT, PaperSize.A4, null, null);
        BufferedImage a;
        BufferedImage b;
        try (PDDocument doc = Loader.loadPDF(Rendered.sample(Samples.MIXED, Edition.PRINT))) {
            a = new PDFRenderer(doc).renderImageWithDPI(0, DPI, ImageType.RGB);
        }
        try (PDDocument doc = Loader.loadPDF(Rendered.render(changed))) {
            b = new PDFRenderer(doc).renderImageWithDPI(0, DPI, ImageType.RGB);
        }
        double differing = differingFraction(a, b, CHANNEL_TOLERANCE);
        assertTrue(differing > 0 && differing < MAX_DIFFERING * 5, "differing " + differing);
        assertTrue(differingFraction(a, a, CHANNEL_TOLERANCE) == 0);
    }

    /** The share of pixels where some channel differs by more than {@code tolerance}. */
    static double differingFraction(BufferedImage a, BufferedImage b, int tolerance) {
        long differing = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    if (Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)) > tolerance) {
                        differing++;
                        break;
                    }
                }
            }
        }
        return (double) differing / ((long) a.getWidth() * a.getHeight());
    }
}
