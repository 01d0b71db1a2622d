package org.convene.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Renders a manifesto version as a tagged PDF/A-2a and PDF/UA-1 file. Blocking and CPU-bound:
 * callers on an event loop run it on a worker thread. Stateless and thread-safe; each call builds
 * its own document.
 */
public final class PdfRenderer {

    public void render(PdfRequest request, OutputStream out) throws IOException {
        byte[] saved;
        Map<String, Map<Integer, String>> missing;
        // The fonts close after the document is saved: subsetting reads them while saving.
        try (Fonts fonts = new Fonts(); PDDocument doc = new PDDocument()) {
            new Composer(doc, fonts, request).compose();
            PdfA.finish(doc, request);
            if (fonts.faces().stream().allMatch(f -> f.unmapped().isEmpty())) {
                doc.save(out);
                return;
            }
            ByteArrayOutputStream first = new ByteArrayOutputStream(1 << 16);
            doc.save(first);
            missing = ToUnicode.missing(fonts);
            saved = first.toByteArray();
        }
        // Completed once the first document is let go: two of them at once would double the heap.
        ToUnicode.complete(saved, missing, out);
    }
}
