package org.convene.pdf;

import io.nayuki.qrcodegen.QrCode;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDPageContentStream;

/** A QR code drawn as filled rectangles: sharp at any size, a few hundred bytes, no image. */
final class QrCodes {
    private QrCodes() {}

    /** Draws {@code url} as a QR code in the square [x, x + side] x [y, y + side], quiet zone included. */
    static void draw(PDPageContentStream cs, String url, float x, float y, float side) throws IOException {
        QrCode qr = QrCode.encodeText(url, QrCode.Ecc.MEDIUM);
        int quiet = 2; // modules of margin each side; the page around it is white anyway
        float module = side / (qr.size + 2 * quiet);
        cs.setNonStrokingColor(0f, 0f, 0f);
        for (int row = 0; row < qr.size; row++) {
            float top = y + side - (quiet + row) * module;
            int col = 0;
            while (col < qr.size) {
                if (!qr.getModule(col, row)) {
                    col++;
                    continue;
                }
                int start = col;
                while (col < qr.size && qr.getModule(col, row)) {
                    col++;
                }
                // One rectangle per horizontal run of dark modules.
                cs.addRect(x + (quiet + start) * module, top - module, (col - start) * module, module);
            }
        }
        cs.fill();
    }
}
