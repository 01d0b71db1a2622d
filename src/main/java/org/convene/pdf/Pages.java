package org.convene.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.apache.pdfbox.pdfwriter.COSWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDBorderStyleDictionary;

/**
 * The page being filled: a cursor {@code y} moving down from the top margin, and the drawing
 * primitives the editions need. Pages are added as the cursor runs out; nothing is kept per page
 * beyond what PDFBox holds for the file.
 */
final class Pages {
    /** START and END follow the line's own direction; LEFT and RIGHT are absolute. */
    enum Align { START, CENTER, END, LEFT, RIGHT }

    static final float[] INK = {0.08f, 0.08f, 0.1f};
    static final float[] GREY = {0.38f, 0.38f, 0.42f};

    final PDDocument doc;
    final float pageWidth;
    final float pageHeight;
    final float margin;
    /** Space kept free above the bottom margin for the footer. */
    final float footer;
    private PDPage page;
    private PDPageContentStream cs;
    private float[] color;
    float y;

    Pages(PDDocument doc, PaperSize paper, float margin, float footer) {
        this.doc = doc;
        this.pageWidth = paper.width;
        this.pageHeight = paper.height;
        this.margin = margin;
        this.footer = footer;
    }

    float left() {
        return margin;
    }

    float width() {
        return pageWidth - 2 * margin;
    }

    float top() {
        return pageHeight - margin;
    }

    float bottom() {
        return margin + footer;
    }

    /** Height left on this page. */
    float room() {
        return page == null ? 0 : y - bottom();
    }

    /** Height of an empty page's text area. */
    float capacity() {
        return top() - bottom();
    }

    boolean atTop() {
        return page != null && y >= top() - 0.01f;
    }

    PDPage page() {
        return page;
    }

    void newPage() throws IOException {
        finish();
        page = new PDPage(new PDRectangle(pageWidth, pageHeight));
        doc.addPage(page);
        cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.OVERWRITE, true);
        color = null;
        y = top();
    }

    /** Moves down; at the top of a page space before something is dropped, not carried over. */
    void skip(float height) {
        if (!atTop()) {
            y -= height;
        }
    }

    void color(float[] rgb) throws IOException {
        if (rgb != color) {
            cs.setNonStrokingColor(rgb[0], rgb[1], rgb[2]);
            color = rgb;
        }
    }

    /** Draws a line with its baseline at {@code baseline} inside [x, x + w]. */
    void draw(Line line, float x, float w, float baseline, Align align) throws IOException {
        draw(cs, line, x, w, baseline, align);
    }

    void draw(PDPageContentStream to, Line line, float x, float w, float baseline, Align align) throws IOException {
        if (line.pieces().isEmpty()) {
            return;
        }
        float start = switch (align) {
            case CENTER -> x + (w - line.width()) / 2;
            case LEFT -> x;
            case RIGHT -> x + w - line.width();
            default -> (align == Align.END ^ line.rtl()) ? x + w - line.width() : x;
        };
        to.beginText();
        to.newLineAtOffset(start, baseline);
        Face current = null;
        for (Line.Piece piece : line.pieces()) {
            if (piece.face() != current) {
                current = piece.face();
                to.setFont(current.embed(doc), line.size() * current.sizeFactor);
            }
            Object[] positioned = piece.face().withMarksPlaced(piece.text());
            if (current.shapes()) {
                showGlyphs(to, current.embed(doc), current.glyphs(piece.text()), piece.text());
            } else if (positioned == null) {
                to.showText(piece.text());
            } else {
                to.showTextWithPositioning(positioned);
            }
        }
        to.endText();
    }

    /**
     * Shows glyphs chosen by GSUB (Devanagari conjuncts) as one Tj in the current font. PDFBox's
     * showText only takes characters and would run GSUB again, slowly, so the string is written
     * raw. The characters are registered too, so glyphs that stand for one character get a
     * ToUnicode entry and the text stays searchable; conjunct glyphs have no single character.
     */
    @SuppressWarnings("deprecation") // appendRawCommands: the only way to write glyph codes
    private static void showGlyphs(PDPageContentStream to, PDType0Font font, List<Integer> glyphs, String text)
            throws IOException {
        ByteArrayOutputStream tj = new ByteArrayOutputStream(glyphs.size() * 4 + 4);
        ByteArrayOutputStream codes = new ByteArrayOutputStream(glyphs.size() * 2);
        for (int gid : glyphs) {
            codes.write(font.encodeGlyphId(gid));
        }
        font.addGlyphsToSubset(new HashSet<>(glyphs));
        text.codePoints().forEach(font::addToSubset);
        COSWriter.writeString(codes.toByteArray(), tj);
        tj.write(" Tj\n".getBytes(StandardCharsets.US_ASCII));
        to.appendRawCommands(tj.toByteArray());
    }

    /** The QR code of {@code url} in the square [x, x + side] x [y, y + side]. */
    void qr(String url, float x, float yBottom, float side) throws IOException {
        QrCodes.draw(cs, url, x, yBottom, side);
        color = null; // the code is drawn in black: the next text sets its colour again
    }

    /** A hairline rule across [x, x + w] at height {@code at}. */
    void rule(float x, float w, float at) throws IOException {
        cs.setStrokingColor(GREY[0], GREY[1], GREY[2]);
        cs.setLineWidth(0.5f);
        cs.moveTo(x, at);
        cs.lineTo(x + w, at);
        cs.stroke();
    }

    /** Makes a rectangle of the current page a link (allowed in PDF/A: a URI action, printable). */
    void link(float x, float yBottom, float w, float h, String url) throws IOException {
        PDAnnotationLink link = new PDAnnotationLink();
        link.setRectangle(new PDRectangle(x, yBottom, w, h));
        PDActionURI action = new PDActionURI();
        action.setURI(url);
        link.setAction(action);
        link.setPrinted(true);
        PDBorderStyleDictionary border = new PDBorderStyleDictionary();
        border.setWidth(0);
        link.setBorderStyle(border);
        page.getAnnotations().add(link);
    }

    void finish() throws IOException {
        if (cs != null) {
            cs.close();
            cs = null;
        }
    }
}
