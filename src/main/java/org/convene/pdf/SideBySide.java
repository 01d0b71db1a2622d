package org.convene.pdf;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.convene.pdf.Pages.Align;
import org.convene.pdf.TextLayout.Direction;

/**
 * The bilingual edition's body: the text and its translation in two columns, block beside block,
 * so a reader (or an interpreter at the lectern) finds each paragraph's translation level with
 * it. The source takes the side where reading starts.
 */
final class SideBySide {
    private final Pages pages;
    private final TextLayout layout;
    private final Geometry g;
    private final PdfRequest req;
    private final Direction direction;

    SideBySide(Pages pages, TextLayout layout, Geometry g, PdfRequest req, Direction direction) {
        this.pages = pages;
        this.layout = layout;
        this.g = g;
        this.req = req;
        this.direction = direction;
    }

    /** Block i of the text beside block i of the translation, each row starting level. */
    void render() throws IOException {
        float gutter = g.gap() * 3;
        float colWidth = (pages.width() - gutter) / 2;
        // The source stands where reading starts: on the left, or on the right in an RTL edition.
        float sourceX = direction == Direction.RTL ? pages.left() + colWidth + gutter : pages.left();
        float translationX = direction == Direction.RTL ? pages.left() : pages.left() + colWidth + gutter;
        Direction left = direction;
        Direction right = Composer.directionOf(req.translationLanguage());
        pages.color(Pages.GREY);
        Line leftName = layout.line(languageName(req.language()), true, g.small() * 1.15f, left);
        Line rightName = layout.line(languageName(req.translationLanguage()), true, g.small() * 1.15f, right);
        float capLh = g.lineHeight(g.small() * 1.15f, false);
        Tags tags = pages.tags;
        pages.tag(tags.add(tags.document(), "P", req.language()));
        pages.draw(leftName, sourceX, colWidth, Geometry.baseline(pages.y, capLh, g.small() * 1.15f), Align.START);
        pages.tag(tags.add(tags.document(), "P", req.translationLanguage()));
        pages.draw(rightName, translationX, colWidth, Geometry.baseline(pages.y, capLh, g.small() * 1.15f), Align.START);
        pages.y -= capLh + g.gap();
        pages.color(Pages.INK);

        List<Block> a = req.text().blocks();
        List<Block> b = req.translation().blocks();
        // Each block is followed in reading order by its translation, each tagged in its language.
        BlockTags sourceTags = new BlockTags(tags, tags.document(), req.language());
        BlockTags translationTags = new BlockTags(tags, tags.document(), req.translationLanguage());
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            Column l = column(i < a.size() ? a.get(i) : null, colWidth, left, sourceX, sourceTags);
            Column r = column(i < b.size() ? b.get(i) : null, colWidth, right, translationX, translationTags);
            boolean heading = l.heading || r.heading;
            if (heading) {
                pages.skip(g.gap() * 1.5f);
            }
            float height = Math.max(l.height(), r.height());
            float keepNext = heading ? 2 * g.lineHeight(g.body(), false) : 0;
            if (!pages.atTop() && height + keepNext > pages.room() && height + keepNext <= pages.capacity()) {
                pages.newPage();
            }
            // A row taller than a page continues on the next, each column where it stopped.
            while (!l.done() || !r.done()) {
                float rowTop = pages.y;
                float used = Math.max(l.drawWhatFits(rowTop), r.drawWhatFits(rowTop));
                pages.y = rowTop - used;
                if (!l.done() || !r.done()) {
                    pages.newPage();
                }
            }
            pages.skip(heading ? g.gap() * 0.6f : g.gap());
        }
    }

    private Column column(Block block, float width, Direction fallback, float x, BlockTags structure) {
        if (block == null) {
            return new Column(List.of(), 0, 0, x, width, false, null, 0, null);
        }
        BlockTags.Tagged tagged = structure.open(block);
        boolean heading = block.kind() == Block.Kind.HEADING;
        float size = heading ? g.headingSize(block.number()) : g.body();
        float indent = Composer.isListItem(block) ? g.body() * 1.8f : 0;
        List<Line> lines = layout.lines(Composer.runs(block), size, width - indent, fallback);
        Direction d = lines.isEmpty() ? fallback : lines.get(0).direction();
        return new Column(lines, g.lineHeight(size, heading), size, x, width, heading,
                Composer.marker(layout, g, block, d), indent, tagged);
    }

    /** One side of a bilingual row, drawn a page at a time. */
    private final class Column {
        final List<Line> lines;
        final float lh;
        final float size;
        final float x;
        final float width;
        final boolean heading;
        final Line marker;
        final float indent;
        final BlockTags.Tagged tagged;
        int next;

        Column(List<Line> lines, float lh, float size, float x, float width, boolean heading, Line marker,
                float indent, BlockTags.Tagged tagged) {
            this.tagged = tagged;
            this.lines = lines;
            this.lh = lh;
            this.size = size;
            this.x = x;
            this.width = width;
            this.heading = heading;
            this.marker = marker;
            this.indent = indent;
        }

        float height() {
            return lines.size() * lh;
        }

        boolean done() {
            return next >= lines.size();
        }

        /** Draws the lines that fit below {@code top}; returns the height used. */
        float drawWhatFits(float top) throws IOException {
            float y = top;
            while (!done() && y - lh >= pages.bottom() - 0.01f) {
                Line line = lines.get(next);
                boolean rtl = line.rtl();
                float lx = rtl ? x : x + indent;
                float baseline = Geometry.baseline(y, lh, size);
                if (next == 0 && marker != null) {
                    pages.tag(tagged.label());
                    float mx = rtl ? x + width - indent + g.body() * 0.5f : x;
                    pages.draw(marker, mx, indent - g.body() * 0.5f, baseline, Align.END);
                }
                pages.tag(tagged.body());
                pages.draw(line, lx, width - indent, baseline, Align.START);
                y -= lh;
                next++;
            }
            return top - y;
        }
    }

    private static String languageName(String tag) {
        Locale l = Locale.forLanguageTag(tag);
        String name = l.getDisplayLanguage(l);
        if (name.isEmpty()) {
            return tag;
        }
        return name.substring(0, 1).toUpperCase(l) + name.substring(1);
    }
}
