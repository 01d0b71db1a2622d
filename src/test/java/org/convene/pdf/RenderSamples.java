package org.convene.pdf;

import java.io.File;
import java.io.FileOutputStream;
import java.io.OutputStream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * Writes every sample in every edition, and PNGs of their first, second and last pages, into a
 * directory, to look at after a change of layout (tests check structure; eyes check beauty).
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.convene.pdf.RenderSamples out/}
 */
final class RenderSamples {
    private RenderSamples() {}

    public static void main(String[] args) throws Exception {
        File dir = new File(args.length > 0 ? args[0] : "target/pdf-samples");
        dir.mkdirs();
        for (Samples.Script script : Samples.ALL) {
            for (Edition edition : Edition.values()) {
                PdfRequest request = Samples.request(script, edition);
                if (script == Samples.LATIN && edition == Edition.PRINT) {
                    request = request.withSignatures(Samples.signers(2000, 10));
                }
                String name = script.name() + "-" + edition.name().toLowerCase();
                File pdf = new File(dir, name + ".pdf");
                try (OutputStream out = new FileOutputStream(pdf)) {
                    new PdfRenderer().render(request, out);
                }
                try (PDDocument doc = Loader.loadPDF(pdf)) {
                    PDFRenderer renderer = new PDFRenderer(doc);
                    int last = doc.getNumberOfPages() - 1;
                    for (int page : new int[] {0, 1, last}) {
                        if (page >= 0 && page <= last) {
                            ImageIO.write(renderer.renderImageWithDPI(page, 100), "png",
                                    new File(dir, name + "-p" + (page + 1) + ".png"));
                        }
                    }
                }
            }
        }
    }
}
