package org.convene.pdf;

import java.io.IOException;
import com.ibm.icu.text.NumberFormat;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.documentinterchange.logicalstructure.PDStructureElement;
import org.convene.pdf.Pages.Align;
import org.convene.pdf.TextLayout.Direction;

/**
 * The signatures appendix: how many signed, how many of them chose not to be named, the count per
 * country, then every named signer as they chose to appear. Signers are drawn as they arrive from
 * the source and then dropped, so memory does not grow with their number.
 */
final class SignaturesAppendix {
    private final Pages pages;
    private final TextLayout layout;
    private final Geometry g;
    private final Labels labels;
    private final Direction direction;
    private final Direction labelDirection;
    private final Align side;
    private final NumberFormat numbers;
    private final Map<String, String> countryNames = new HashMap<>();
    /** Rows per column of the country table, so a short table spreads across the columns. */
    private static final int COUNTRY_COLUMNS = 3;

    SignaturesAppendix(Pages pages, TextLayout layout, Geometry g, Labels labels, Direction direction) {
        this.pages = pages;
        this.layout = layout;
        this.g = g;
        this.labels = labels;
        this.direction = direction;
        this.labelDirection = Composer.directionOf(labels.language());
        this.side = direction == Direction.RTL ? Align.RIGHT : Align.LEFT;
        this.numbers = labels.integers();
    }

    void render(SignatureSource source) throws IOException {
        Map<String, Long> counts = source.countsByCountry();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long hidden = source.hiddenCount();

        pages.newPage();
        pages.color(Pages.INK);
        Tags tags = pages.tags;
        // Its own section, so the headings inside it nest under the document's title.
        PDStructureElement section = tags.add(tags.document(), "Sect", labels.language());
        pages.tag(section, "H2");
        heading(labels.format("pdf.signatures.heading"), g.h1());
        pages.tag(section, "P");
        paragraph(labels.format("pdf.signatures.summary", "total", total, "hidden", hidden), g.body());
        pages.y -= g.gap();

        pages.tag(section, "H3");
        heading(labels.format("pdf.signatures.byCountry"), g.h3());
        PDStructureElement countryList = tags.add(section, "L");
        List<Map.Entry<String, Long>> byCountry = new ArrayList<>(counts.entrySet());
        byCountry.sort(Comparator.comparing((Map.Entry<String, Long> e) -> -e.getValue())
                .thenComparing(e -> countryName(e.getKey())));
        float size = g.appendix();
        float lh = g.lineHeight(size, false);
        int rows = (byCountry.size() + COUNTRY_COLUMNS - 1) / COUNTRY_COLUMNS;
        Columns countries = new Columns(COUNTRY_COLUMNS, Math.max(rows, 1));
        for (Map.Entry<String, Long> e : byCountry) {
            Line name = layout.line(countryName(e.getKey()), false, size, direction);
            Line count = layout.line(numbers.format(e.getValue()), false, size, direction);
            PDStructureElement item = tags.add(tags.add(countryList, "LI"), "LBody");
            countries.next(lh, (x, w, top) -> {
                pages.tag(item);
                float baseline = Geometry.baseline(top, lh, size);
                pages.draw(name, x, w - count.width() - size, baseline, Align.START);
                pages.draw(count, x, w, baseline, Align.END);
            });
        }
        pages.y = countries.bottom() - g.gap() * 2;

        Columns signers = new Columns(g.columns(), Integer.MAX_VALUE);
        // One P per page of names, not an element per signer: PDFBox holds the tree until the end.
        PDPage[] namesPage = {null};
        for (Iterator<SignerLine> it = source.named(); it.hasNext(); ) {
            SignerLine s = it.next();
            if (s.displayName().isBlank()) {
                continue; // nothing to print; the signer is still in the country counts
            }
            // Each field isolated: an Arabic name beside an Arabic city must not read as one phrase.
            String country = s.country().isBlank() ? "" : TextLayout.isolate(countryName(s.country()));
            String city = s.city().isBlank() ? "" : TextLayout.isolate(s.city());
            String where = city.isEmpty() ? country : country.isEmpty() ? city : city + ", " + country;
            String name = TextLayout.isolate(s.displayName());
            List<Run> runs = List.of(Run.plain(where.isEmpty() ? name : name + " \u2014 " + where));
            List<Line> lines = layout.lines(runs, size, signers.width(), direction);
            signers.next(lines.size() * lh, (x, w, top) -> {
                if (namesPage[0] != pages.page()) {
                    namesPage[0] = pages.page();
                    pages.tag(section, "P");
                }
                float y = top;
                for (Line line : lines) {
                    pages.draw(line, x, w, Geometry.baseline(y, lh, size), Align.START);
                    y -= lh;
                }
            });
        }
        pages.y = signers.bottom();
        pages.tag(null);
    }

    private void heading(String text, float size) throws IOException {
        float lh = g.lineHeight(size, true);
        if (pages.room() < lh * 3) {
            pages.newPage();
        }
        for (Line line : layout.lines(List.of(new Run(text, true, false)), size, pages.width(), labelDirection)) {
            pages.draw(line, pages.left(), pages.width(), Geometry.baseline(pages.y, lh, size), side);
            pages.y -= lh;
        }
        pages.y -= g.gap() * 0.6f;
    }

    private void paragraph(String text, float size) throws IOException {
        float lh = g.lineHeight(size, false);
        for (Line line : layout.lines(List.of(Run.plain(text)), size, pages.width(), labelDirection)) {
            if (pages.room() < lh) {
                pages.newPage();
            }
            pages.draw(line, pages.left(), pages.width(), Geometry.baseline(pages.y, lh, size), side);
            pages.y -= lh;
        }
    }

    /** An ISO 3166 code as the country's name in the edition's language; anything else as given. */
    private String countryName(String code) {
        return countryNames.computeIfAbsent(code, c -> {
            if (c.length() == 2 && c.chars().allMatch(ch -> ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z')) {
                String name = ULocale.getDisplayCountry("und_" + c.toUpperCase(Locale.ROOT), labels.locale());
                if (!name.isEmpty() && !name.equalsIgnoreCase(c)) {
                    return name;
                }
            }
            return c;
        });
    }

    interface Cell {
        void draw(float x, float width, float top) throws IOException;
    }

    /**
     * Columns filled top to bottom, then left to right (right to left in an RTL edition), then
     * onto a new page. Only the current position is remembered.
     */
    private final class Columns {
        private final int count;
        private final int maxRows;
        private int rows;
        private final float gutter;
        private float top;
        private int column;
        private float y;
        private float lowest;

        Columns(int count, int maxRows) {
            this.count = count;
            this.maxRows = maxRows;
            this.gutter = g.body() * 1.5f;
            this.top = pages.y;
            this.y = top;
            this.lowest = top;
        }

        float width() {
            return (pages.width() - gutter * (count - 1)) / count;
        }

        void next(float height, Cell cell) throws IOException {
            boolean freshPage = top >= pages.top() - 0.01f;
            boolean full = rows >= maxRows || y - height < pages.bottom() - 0.01f;
            if (full && !(freshPage && y >= top - 0.01f)) {
                column++;
                rows = 0;
                y = top;
                if (column == count) {
                    pages.newPage();
                    top = pages.y;
                    y = top;
                    lowest = top;
                    column = 0;
                }
            }
            int visual = direction == Direction.RTL ? count - 1 - column : column;
            float x = pages.left() + visual * (width() + gutter);
            cell.draw(x, width(), y);
            rows++;
            y -= height;
            lowest = Math.min(lowest, y);
        }

        /** The lowest point drawn on the current page. */
        float bottom() {
            return lowest;
        }
    }
}
