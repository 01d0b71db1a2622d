package org.convene.pdf;

import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.convene.pdf.Pages.Align;
import org.convene.pdf.TextLayout.Direction;

/**
 * Lays one request out on pages: the header of page one (title, version, hash, QR code), the
 * text in one column or, for the bilingual edition, two aligned ones, the credits, the
 * signatures appendix, the closing QR code and the page numbers.
 */
final class Composer {
    private final PdfRequest req;
    private final Geometry g;
    private final TextLayout layout;
    private final Pages pages;
    private final Tags tags;
    private final Direction direction;
    /** The captions' own direction: English captions in an Arabic edition still read left to right. */
    private final Direction labelDirection;
    /** Where the edition's lines start: captions are placed there, whatever their direction. */
    private final Align side;

    Composer(PDDocument doc, Fonts fonts, PdfRequest req) {
        this.req = req;
        this.g = Geometry.of(req.edition());
        this.layout = new TextLayout(fonts, req.language());
        this.tags = new Tags(doc, req.language());
        this.pages = new Pages(doc, tags, req.paper(), g.margin(), g.small() * 2.5f);
        this.direction = directionOf(req.language());
        this.labelDirection = directionOf(req.labels().language());
        this.side = direction == Direction.RTL ? Align.RIGHT : Align.LEFT;
    }

    static Direction directionOf(String languageTag) {
        return ULocale.forLanguageTag(languageTag).isRightToLeft() ? Direction.RTL : Direction.LTR;
    }

    void compose() throws IOException {
        pages.newPage();
        header();
        if (req.edition() == Edition.BILINGUAL) {
            new SideBySide(pages, layout, g, req, direction).render();
        } else {
            flow(withoutTitle(req.text().blocks()));
        }
        credits();
        if (req.signatures() != null) {
            new SignaturesAppendix(pages, layout, g, req.labels(), direction).render(req.signatures());
        }
        closingQr();
        pages.finish();
        footers();
        tags.finish();
    }

    /** Title, version, date and hash on the left; the QR code to the signing page on the right. */
    private void header() throws IOException {
        float top = pages.y;
        float qrColumn = 0;
        List<Line> url = List.of();
        if (req.signUrl() != null) {
            Line urlLine = layout.line(req.signUrl(), false, g.small(), Direction.LTR);
            qrColumn = Math.max(g.qr(), Math.min(urlLine.width(), pages.width() * 0.3f));
            url = layout.lines(List.of(Run.plain(req.signUrl())), g.small(), qrColumn, Direction.LTR);
        }
        float textWidth = pages.width() - (qrColumn > 0 ? qrColumn + g.gap() * 2 : 0);
        // In a right-to-left document the text starts on the right, so the code goes left.
        float textX = direction == Direction.RTL && qrColumn > 0 ? pages.left() + qrColumn + g.gap() * 2 : pages.left();
        float qrX = direction == Direction.RTL ? pages.left() : pages.left() + pages.width() - qrColumn;

        pages.color(Pages.INK);
        pages.tag(tags.document(), "H1");
        Direction titleDirection = TextLayout.direction(req.title(), direction);
        for (Line line : layout.lines(List.of(new Run(req.title(), true, false)), g.title(), textWidth, titleDirection)) {
            drawAt(line, textX, textWidth, g.lineHeight(g.title(), true));
        }
        pages.y -= g.gap();
        pages.color(Pages.GREY);
        VersionInfo v = req.version();
        Labels words = req.labels();
        float metaSize = g.small() * 1.15f;
        float metaLh = g.lineHeight(metaSize, false);
        String meta = words.format("pdf.version.meta", "number", v.number(), "name", TextLayout.isolate(v.name()),
                "date", TextLayout.isolate(words.date(v.date())));
        for (String text : List.of(meta, words.format("pdf.text.hash"))) {
            pages.tag(tags.add(tags.document(), "P", words.language()));
            for (Line line : layout.lines(List.of(Run.plain(text)), metaSize, textWidth, labelDirection)) {
                pages.draw(line, textX, textWidth, Geometry.baseline(pages.y, metaLh, metaSize), side);
                pages.y -= metaLh;
            }
        }
        // The hash on one line, smaller if need be: a hash cut in two is hard to compare.
        Line hash = layout.line(v.sha256(), false, metaSize, Direction.LTR);
        float hashSize = Math.max(5.5f, Math.min(metaSize, metaSize * textWidth / hash.width()));
        pages.tag(tags.document(), "P");
        for (Line line : layout.lines(List.of(Run.plain(v.sha256())), hashSize, textWidth, Direction.LTR)) {
            pages.draw(line, textX, textWidth, Geometry.baseline(pages.y, metaLh, hashSize), side);
            pages.y -= metaLh;
        }
        float textBottom = pages.y;

        if (qrColumn > 0) {
            float qrLeft = qrX + (qrColumn - g.qr()) / 2;
            pages.qr(tags.document(), req.signUrl(), words.format("pdf.qr.alt", "url", req.signUrl()), qrLeft,
                    top - g.qr(), g.qr());
            pages.y = top - g.qr();
            pages.color(Pages.GREY);
            PDStructureElement link = pages.tag(tags.document(), "Link");
            for (Line line : url) {
                float lh = g.lineHeight(g.small(), false);
                pages.draw(line, qrX, qrColumn, Geometry.baseline(pages.y, lh, g.small()), Align.CENTER);
                pages.y -= lh;
            }
            pages.link(link, qrX, pages.y, qrColumn, top - pages.y, req.signUrl(),
                    words.format("pdf.link.alt", "url", req.signUrl()));
            pages.y = Math.min(pages.y, textBottom);
        }
        pages.tag(null);
        pages.y -= g.gap();
        pages.rule(pages.left(), pages.width(), pages.y);
        pages.y -= g.gap() * 2;
        pages.color(Pages.INK);
    }

    private void drawAt(Line line, float x, float width, float lineHeight) throws IOException {
        pages.draw(line, x, width, Geometry.baseline(pages.y, lineHeight, line.size()), Align.START);
        pages.y -= lineHeight;
    }

    // ---- one column: print and reading ----

    /** The text usually opens with its title as a heading, which page one already shows. */
    private List<Block> withoutTitle(List<Block> blocks) {
        if (!blocks.isEmpty() && blocks.get(0).kind() == Block.Kind.HEADING && blocks.get(0).number() == 1
                && blocks.get(0).plainText().strip().equals(req.title().strip())) {
            return blocks.subList(1, blocks.size());
        }
        return blocks;
    }

    private void flow(List<Block> blocks) throws IOException {
        BlockTags structure = new BlockTags(tags, tags.document(), req.language());
        for (int i = 0; i < blocks.size(); i++) {
            Block block = blocks.get(i);
            BlockTags.Tagged tagged = structure.open(block);
            boolean heading = block.kind() == Block.Kind.HEADING;
            float size = heading ? g.headingSize(block.number()) : g.body();
            float lh = g.lineHeight(size, heading);
            float indent = isListItem(block) ? g.body() * 1.8f : 0;
            // Each paragraph (each line the author typed) takes its own direction; the edition's
            // only decides for one without a letter.
            List<Line> lines = layout.lines(runs(block), size, pages.width() - indent, direction);
            Direction d = lines.isEmpty() ? direction : lines.get(0).direction();
            Line marker = marker(block, d);
            if (heading) {
                pages.skip(g.gap() * 1.5f);
            }
            // A heading keeps two lines of what follows; the reading edition never splits a
            // paragraph that fits on a page, the print edition leaves no line alone.
            float keepNext = heading ? 2 * g.lineHeight(g.body(), false) : 0;
            boolean together = heading || req.edition() == Edition.READING;
            place(lines.size(), lh, together, keepNext, (k, top) -> {
                if (k == 0 && marker != null) {
                    pages.tag(tagged.label());
                    float mx = d == Direction.RTL ? pages.left() + pages.width() - indent + g.body() * 0.5f : pages.left();
                    pages.draw(marker, mx, indent - g.body() * 0.5f, Geometry.baseline(top, lh, size), Align.END);
                }
                pages.tag(tagged.body());
                float x = lines.get(k).rtl() ? pages.left() : pages.left() + indent;
                pages.draw(lines.get(k), x, pages.width() - indent, Geometry.baseline(top, lh, size), Align.START);
            });
            pages.skip(heading ? g.gap() * 0.6f : g.gap() * (continuesList(blocks, i) ? 0.4f : 1f));
        }
    }

    /** Items of one list sit closer together than paragraphs. */
    private static boolean continuesList(List<Block> blocks, int i) {
        return isListItem(blocks.get(i)) && i + 1 < blocks.size() && isListItem(blocks.get(i + 1));
    }

    interface LineSink {
        void draw(int index, float top) throws IOException;
    }

    /**
     * Places {@code n} lines of height {@code lh}, breaking pages as needed: at least two lines
     * at the foot of a page and two at the head of the next, {@code together} blocks moved whole
     * when they fit on a page, and {@code keepNext} more room wanted below (headings).
     */
    private void place(int n, float lh, boolean together, float keepNext, LineSink sink) throws IOException {
        float whole = n * lh;
        boolean keep = together && whole + keepNext <= pages.capacity();
        float need = (keep ? whole : Math.min(whole, 2 * lh)) + keepNext;
        if (!pages.atTop() && need > pages.room() + 0.01f) {
            pages.newPage();
        }
        int i = 0;
        while (i < n) {
            int fit = (int) Math.floor((pages.room() + 0.01f) / lh);
            int rest = n - i;
            if (fit >= rest) {
                drawLines(i, rest, lh, sink);
                return;
            }
            int take = rest - fit < 2 ? rest - 2 : fit;
            if (take < 1 || (take < 2 && !pages.atTop())) {
                pages.newPage();
                continue;
            }
            drawLines(i, take, lh, sink);
            i += take;
            pages.newPage();
        }
    }

    private void drawLines(int from, int count, float lh, LineSink sink) throws IOException {
        for (int k = from; k < from + count; k++) {
            sink.draw(k, pages.y);
            pages.y -= lh;
        }
    }

    static boolean isListItem(Block block) {
        return block.kind() == Block.Kind.BULLET || block.kind() == Block.Kind.NUMBERED;
    }

    private Line marker(Block block, Direction d) {
        return marker(layout, g, block, d);
    }

    /** The bullet or number of a list item, laid out in the item's direction; null for others. */
    static Line marker(TextLayout layout, Geometry g, Block block, Direction d) {
        return switch (block.kind()) {
            case BULLET -> layout.line("\u2022", false, g.body(), d);
            case NUMBERED -> layout.line(block.number() + ".", false, g.body(), d);
            default -> null;
        };
    }

    /** A block's runs; a heading's all strong. */
    static List<Run> runs(Block block) {
        if (block.kind() != Block.Kind.HEADING) {
            return block.runs();
        }
        List<Run> bold = new ArrayList<>();
        for (Run run : block.runs()) {
            bold.add(new Run(run.text(), true, run.emphasis()));
        }
        return bold;
    }

    // ---- credits, closing code, page numbers ----

    private void credits() throws IOException {
        if (req.credits().isEmpty()) {
            return;
        }
        pages.skip(g.gap() * 2);
        float size = g.h3();
        float lh = g.lineHeight(size, true);
        // Credits follow the edition's direction whatever the script of each name, so they line up.
        Line heading = layout.line(req.labels().format("pdf.credits.heading"), true, size, labelDirection);
        pages.tag(tags.add(tags.document(), "H2", req.labels().language()));
        place(1, lh, true, 2 * g.lineHeight(g.body(), false),
                (k, top) -> pages.draw(heading, pages.left(), pages.width(), Geometry.baseline(top, lh, size), side));
        pages.skip(g.gap() * 0.6f);
        float body = g.body();
        float blh = g.lineHeight(body, false);
        for (Credit credit : req.credits()) {
            List<Run> runs = List.of(new Run(TextLayout.isolate(credit.name()), true, false),
                    Run.plain(" \u2014 " + TextLayout.isolate(credit.role())));
            List<Line> lines = layout.lines(runs, body, pages.width(), direction);
            pages.tag(tags.document(), "P");
            place(lines.size(), blh, true, 0, (k, top) ->
                    pages.draw(lines.get(k), pages.left(), pages.width(), Geometry.baseline(top, blh, body), Align.START));
        }
    }

    /** The QR code again at the foot of the last page, unless that page is the first. */
    private void closingQr() throws IOException {
        if (req.signUrl() == null) {
            return;
        }
        float captionSize = g.body();
        float captionLh = g.lineHeight(captionSize, false);
        float urlLh = g.lineHeight(g.small(), false);
        List<Line> url = layout.lines(List.of(Run.plain(req.signUrl())), g.small(), pages.width(), Direction.LTR);
        float height = captionLh + g.qr() + url.size() * urlLh;
        if (pages.room() < height + g.gap() * 2) {
            pages.newPage();
        } else if (pages.doc.getNumberOfPages() == 1) {
            return; // page one already carries the code
        }
        pages.y = pages.bottom() + height;
        Labels words = req.labels();
        Line caption = layout.line(words.sign(), true, captionSize, labelDirection);
        float top = pages.y;
        pages.color(Pages.INK);
        pages.tag(tags.add(tags.document(), "P", words.language()));
        pages.draw(caption, pages.left(), pages.width(), Geometry.baseline(pages.y, captionLh, captionSize), Align.CENTER);
        pages.y -= captionLh;
        float qrX = pages.left() + (pages.width() - g.qr()) / 2;
        pages.qr(tags.document(), req.signUrl(), words.format("pdf.qr.alt", "url", req.signUrl()), qrX,
                pages.y - g.qr(), g.qr());
        pages.y -= g.qr();
        pages.color(Pages.GREY);
        PDStructureElement link = pages.tag(tags.document(), "Link");
        for (Line line : url) {
            pages.draw(line, pages.left(), pages.width(), Geometry.baseline(pages.y, urlLh, g.small()), Align.CENTER);
            pages.y -= urlLh;
        }
        float linkWidth = Math.max(g.qr(), url.get(0).width());
        pages.link(link, pages.left() + (pages.width() - linkWidth) / 2, pages.y, linkWidth, top - pages.y,
                req.signUrl(), words.format("pdf.link.alt", "url", req.signUrl()));
        pages.tag(null);
    }

    /** "n / N" on every page, and the version with the start of its hash, once the count is known. */
    private void footers() throws IOException {
        int count = pages.doc.getNumberOfPages();
        float size = g.small();
        float baseline = g.margin() - size;
        Labels.Formatter words = req.labels().formatter();
        Line version = layout.line(words.format("pdf.footer.version", "number", req.version().number(), "hash",
                req.version().sha256().substring(0, 16)), false, size, labelDirection);
        int n = 0;
        for (PDPage page : pages.doc.getPages()) {
            n++;
            try (PDPageContentStream cs = new PDPageContentStream(pages.doc, page,
                    PDPageContentStream.AppendMode.APPEND, true, true)) {
                cs.setNonStrokingColor(Pages.GREY[0], Pages.GREY[1], Pages.GREY[2]);
                Line number = layout.line(words.format("pdf.footer.page", "page", n, "pages", count), false, size,
                        labelDirection);
                pages.drawArtifact(cs, number, pages.left(), pages.width(), baseline, Align.CENTER);
                pages.drawArtifact(cs, version, pages.left(), pages.width(), baseline, side);
            }
        }
    }
}
