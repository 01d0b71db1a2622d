package org.convene.pdf;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Renders a manifesto version as a PDF/A-2b file. Blocking and CPU-bound: callers on an event
 * loop run it on a worker thread. Stateless and thread-safe; each call builds its own document.
 */
public final class PdfRenderer {

    public void render(PdfRequest request, OutputStream out) throws IOException {
        // The fonts close after the document is saved: subsetting reads them while saving.
        try (Fonts fonts = new Fonts(); PDDocument doc = new PDDocument()) {
            new Composer(doc, fonts, request).compose();
            PdfA.finish(doc, request);
            doc.save(out);
        }
    }
}
