package org.convene.pdf;

import io.nayuki.qrcodegen.QrCode;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDPageContentStream;

/**
 * A QR code drawn as filled rectangles: sharp at any size, a few hundred bytes, no image. The same
 * code, as SVG, for the web page that shows the public address ({@link #svg}).
 */
public final class QrCodes {
    private QrCodes() {}

    /** Draws {@code url} as a QR code in the square [x, x + side] x [y, y + side], quiet zone included. */
    static void draw(PDPageContentStream cs, String url, float x, float y, float side) throws IOException {
        QrCode qr = QrCode.encodeText(url, QrCode.Ecc.MEDIUM);
        int quiet = 2; // modules of margin each side; the page around it is white anyway
        float module = side / (qr.size + 2 * quiet);
        cs.setNonStrokingColor(0f, 0f, 0f);
        IOException[] failed = new IOException[1];
        runs(qr, (row, start, end) -> {
            try {
                // One rectangle per horizontal run of dark modules.
                float top = y + side - (quiet + row) * module;
                cs.addRect(x + (quiet + start) * module, top - module, (end - start) * module, module);
            } catch (IOException e) {
                failed[0] = e;
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        cs.fill();
    }

    /**
     * {@code url} as a standalone SVG QR code, the same error correction as the PDFs': one path of
     * dark modules on white, with a quiet zone of four modules (a screen around it may be dark).
     */
    public static String svg(String url) {
        QrCode qr = QrCode.encodeText(url, QrCode.Ecc.MEDIUM);
        int quiet = 4;
        int side = qr.size + 2 * quiet;
        StringBuilder path = new StringBuilder();
        runs(qr, (row, start, end) -> path.append('M').append(quiet + start).append(' ').append(quiet + row)
            .append('h').append(end - start).append("v1h-").append(end - start).append('z'));
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side
            + "\" shape-rendering=\"crispEdges\"><rect width=\"" + side + "\" height=\"" + side
            + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>\n";
    }

    /** A horizontal run of dark modules: row, first column, column after the last. */
    private interface Run {
        void at(int row, int start, int end);
    }

    /** Every horizontal run of dark modules, row by row. */
    private static void runs(QrCode qr, Run run) {
        for (int row = 0; row < qr.size; row++) {
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
                run.at(row, start, col);
            }
        }
    }
}
