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
 * looked at: Arabic joined and right to left, Devanagari conjuncts, Chinese, the QR code. And the
 * whole file's SHA-256 against a committed value: a PDF is a function of its request, in any JVM.
 * After an intended change of layout, regenerate both with
 * {@code mvn -Dskip.web=true test -Dtest=ReferenceImageTest -Dpdf.updateReference=true}: that run writes
 * them and fails, so nobody mistakes it for a check; look at the new page, commit, run again without it.
 */
class ReferenceImageTest {
    private static final Path REFERENCE = Path.of("src", "test", "resources", "pdf", "mixed-print-page1.png");
    private static final Path REFERENCE_SHA256 = Path.of("src", "test", "resources", "pdf", "mixed-print.sha256");
    private static final boolean UPDATE = Boolean.getBoolean("pdf.updateReference");
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
        if (UPDATE) {
            Files.createDirectories(REFERENCE.getParent());
            ImageIO.write(actual, "png", REFERENCE.toFile());
            throw new AssertionError("wrote " + REFERENCE + ": look at it, commit it, and run without -Dpdf.updateReference");
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

    /** The same request gives the same bytes in every JVM: dates, document ID and subset tags come from the request. */
    @Test
    void theFileIsByteForByteAsCommitted() throws Exception {
        String actual = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(Rendered.sample(Samples.MIXED, Edition.PRINT)));
        if (UPDATE) {
            Files.writeString(REFERENCE_SHA256, actual + "\n");
            throw new AssertionError("wrote " + REFERENCE_SHA256 + ": commit it, and run without -Dpdf.updateReference");
        }
        assertEquals(Files.readString(REFERENCE_SHA256).strip(), actual,
                "the mixed-script print edition's bytes changed; if intended, see the class comment");
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
