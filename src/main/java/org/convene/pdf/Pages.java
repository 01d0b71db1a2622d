package org.convene.pdf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfwriter.COSWriter;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureNode;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.action.PDActionURI;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationLink;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDBorderStyleDictionary;

/**
 * The page being filled: a cursor {@code y} moving down from the top margin, and the drawing
 * primitives the editions need. Pages are added as the cursor runs out; nothing is kept per page
 * beyond what PDFBox holds for the file.
 *
 * <p>Nothing is drawn unmarked (PDF/UA): what is drawn belongs to the structure element last
 * given to {@link #tag}, or is an artifact (rules, page footers) when that is null.
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
    final Tags tags;
    private PDStructureElement element;

    Pages(PDDocument doc, Tags tags, PaperSize paper, float margin, float footer) {
        this.doc = doc;
        this.tags = tags;
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
        tags.page(page);
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

    /** What is drawn from now on belongs to {@code next}; null: it is an artifact. */
    void tag(PDStructureElement next) {
        element = next;
    }

    /** A new element under {@code parent}, which what is drawn from now on belongs to. */
    PDStructureElement tag(PDStructureNode parent, String type) {
        element = tags.add(parent, type);
        return element;
    }

    PDStructureElement element() {
        return element;
    }

    private void begin(PDPageContentStream to, PDStructureElement of) throws IOException {
        if (of == null) {
            to.beginMarkedContent(COSName.ARTIFACT);
        } else {
            to.beginMarkedContent(COSName.getPDFName(of.getStructureType()), tags.mark(of));
        }
    }

    /** Draws a line with its baseline at {@code baseline} inside [x, x + w]. */
    void draw(Line line, float x, float w, float baseline, Align align) throws IOException {
        if (line.pieces().isEmpty()) {
            return;
        }
        begin(cs, element);
        draw(cs, line, x, w, baseline, align);
        cs.endMarkedContent();
    }

    /** Draws a line that is not part of the text (running footers) on {@code to}. */
    void drawArtifact(PDPageContentStream to, Line line, float x, float w, float baseline, Align align)
            throws IOException {
        if (line.pieces().isEmpty()) {
            return;
        }
        to.beginMarkedContent(COSName.ARTIFACT);
        draw(to, line, x, w, baseline, align);
        to.endMarkedContent();
    }

    private void draw(PDPageContentStream to, Line line, float x, float w, float baseline, Align align)
            throws IOException {
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
                List<Integer> glyphs = current.glyphs(piece.text());
                current.drawn(glyphs);
                showGlyphs(to, current.embed(doc), glyphs, piece.text());
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
        // Conjunct glyphs have no character of their own: /ActualText gives assistive
        // technology (and copy) the letters they stand for.
        ByteArrayOutputStream span = new ByteArrayOutputStream(text.length() * 4 + 32);
        span.write("/Span <</ActualText ".getBytes(StandardCharsets.US_ASCII));
        COSWriter.writeString(new COSString(text), span);
        span.write(">> BDC\n".getBytes(StandardCharsets.US_ASCII));
        to.appendRawCommands(span.toByteArray());
        ByteArrayOutputStream tj = new ByteArrayOutputStream(glyphs.size() * 4 + 4);
        ByteArrayOutputStream codes = new ByteArrayOutputStream(glyphs.size() * 2);
        for (int gid : glyphs) {
            codes.write(font.encodeGlyphId(gid));
        }
        font.addGlyphsToSubset(new HashSet<>(glyphs));
        text.codePoints().forEach(font::addToSubset);
        COSWriter.writeString(codes.toByteArray(), tj);
        tj.write(" Tj\nEMC\n".getBytes(StandardCharsets.US_ASCII));
        to.appendRawCommands(tj.toByteArray());
    }

    /** The QR code of {@code url} in the square [x, x + side] x [y, y + side], as a Figure saying {@code alt}. */
    PDStructureElement qr(PDStructureNode parent, String url, String alt, float x, float yBottom, float side)
            throws IOException {
        PDStructureElement figure = tags.add(parent, "Figure");
        figure.setAlternateDescription(alt);
        Tags.bbox(figure, new PDRectangle(x, yBottom, side, side));
        begin(cs, figure);
        QrCodes.draw(cs, url, x, yBottom, side);
        cs.endMarkedContent();
        color = null; // the code is drawn in black: the next text sets its colour again
        return figure;
    }

    /** A hairline rule across [x, x + w] at height {@code at}. */
    void rule(float x, float w, float at) throws IOException {
        cs.beginMarkedContent(COSName.ARTIFACT);
        cs.setStrokingColor(GREY[0], GREY[1], GREY[2]);
        cs.setLineWidth(0.5f);
        cs.moveTo(x, at);
        cs.lineTo(x + w, at);
        cs.stroke();
        cs.endMarkedContent();
    }

    /**
     * Makes a rectangle of the current page a link (allowed in PDF/A: a URI action, printable),
     * belonging to the Link element {@code of}, described by {@code contents}.
     */
    void link(PDStructureElement of, float x, float yBottom, float w, float h, String url, String contents)
            throws IOException {
        PDAnnotationLink link = new PDAnnotationLink();
        link.setContents(contents);
        link.setRectangle(new PDRectangle(x, yBottom, w, h));
        PDActionURI action = new PDActionURI();
        action.setURI(url);
        link.setAction(action);
        link.setPrinted(true);
        PDBorderStyleDictionary border = new PDBorderStyleDictionary();
        border.setWidth(0);
        link.setBorderStyle(border);
        page.getAnnotations().add(link);
        tags.link(of, link);
    }

    void finish() throws IOException {
        if (cs != null) {
            cs.close();
            cs = null;
        }
    }
}
