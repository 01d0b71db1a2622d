package org.convene.pdf;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A manifesto's text as blocks. The source is what people type in the editor: plain text with a
 * little Markdown: {@code # } and {@code ## } headings, paragraphs separated by blank lines,
 * {@code - } and {@code 1. } list items, {@code *emphasis*} and {@code **strong**}. Nothing else
 * is interpreted, so a stray character never turns into markup the authors did not mean; a
 * backslash keeps the next punctuation mark literal.
 *
 * <p>A single line break stays a line break ({@code \n} inside the block's runs), as the public
 * page shows the text ({@code white-space: pre-wrap}): a manifesto's lines are often meant as
 * lines, a poem's or a list of demands' without markers. Unlike Markdown, which joins them.
 */
public record ManifestoText(List<Block> blocks) {
    private static final Pattern HEADING = Pattern.compile("(#{1,6})\\s+(.*)");
    private static final Pattern BULLET = Pattern.compile("[-*+]\\s+(.*)");
    private static final Pattern NUMBERED = Pattern.compile("(\\d{1,9})[.)]\\s+(.*)");

    public ManifestoText {
        blocks = List.copyOf(blocks);
    }

    public static ManifestoText parse(String source) {
        // NFC: precomposed letters render with their accents in place (the fonts have no GPOS).
        String text = Normalizer.normalize(source, Normalizer.Form.NFC);
        List<Block> blocks = new ArrayList<>();
        Pending pending = null;
        for (String rawLine : text.split("\\r\\n|\\r|\\n", -1)) {
            String line = rawLine.strip();
            if (line.isEmpty()) {
                pending = flush(pending, blocks);
                continue;
            }
            Matcher m;
            if ((m = HEADING.matcher(line)).matches()) {
                flush(pending, blocks);
                pending = null;
                int level = Math.min(m.group(1).length(), 3);
                blocks.add(new Block(Block.Kind.HEADING, level, inline(m.group(2).strip())));
            } else if ((m = BULLET.matcher(line)).matches()) {
                flush(pending, blocks);
                pending = new Pending(Block.Kind.BULLET, 0, m.group(1));
            } else if ((m = NUMBERED.matcher(line)).matches()) {
                flush(pending, blocks);
                pending = new Pending(Block.Kind.NUMBERED, Integer.parseInt(m.group(1)), m.group(2));
            } else if (pending == null) {
                pending = new Pending(Block.Kind.PARAGRAPH, 0, line);
            } else {
                pending.append(line);
            }
        }
        flush(pending, blocks);
        return new ManifestoText(blocks);
    }

    /** The whole text without markup, blocks separated by blank lines. */
    public String plainText() {
        StringBuilder out = new StringBuilder();
        for (Block block : blocks) {
            if (out.length() > 0) {
                out.append("\n\n");
            }
            out.append(block.plainText());
        }
        return out.toString();
    }

    private static Pending flush(Pending pending, List<Block> blocks) {
        if (pending != null) {
            blocks.add(new Block(pending.kind, pending.number, inline(pending.text.toString())));
        }
        return null;
    }

    /** A block still collecting its lines. */
    private static final class Pending {
        final Block.Kind kind;
        final int number;
        final StringBuilder text;

        Pending(Block.Kind kind, int number, String first) {
            this.kind = kind;
            this.number = number;
            this.text = new StringBuilder(first);
        }

        void append(String line) {
            text.append('\n').append(line);
        }
    }

    /**
     * Inline styles. A delimiter opens only if a matching one follows and it is not followed by a
     * space, and closes only if it is not preceded by one (Markdown's flanking rule), so
     * "5 * 3 * 2" stays arithmetic.
     */
    static List<Run> inline(String s) {
        List<Run> runs = new ArrayList<>();
        StringBuilder buf = new StringBuilder();
        boolean strong = false;
        boolean em = false;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && isAsciiPunctuation(s.charAt(i + 1))) {
                buf.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            if (s.startsWith("**", i)) {
                if (strong && !spaceBefore(s, i)) {
                    emit(runs, buf, true, em);
                    strong = false;
                    i += 2;
                    continue;
                }
                if (!strong && !spaceAt(s, i + 2) && hasCloser(s, i + 2, "**")) {
                    emit(runs, buf, false, em);
                    strong = true;
                    i += 2;
                    continue;
                }
            }
            if (c == '*') {
                if (em && !spaceBefore(s, i)) {
                    emit(runs, buf, strong, true);
                    em = false;
                    i++;
                    continue;
                }
                if (!em && !spaceAt(s, i + 1) && hasCloser(s, i + 1, "*")) {
                    emit(runs, buf, strong, false);
                    em = true;
                    i++;
                    continue;
                }
            }
            buf.append(c);
            i++;
        }
        emit(runs, buf, strong, em);
        return runs;
    }

    private static void emit(List<Run> runs, StringBuilder buf, boolean strong, boolean em) {
        if (buf.length() == 0) {
            return;
        }
        Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (last != null && last.strong() == strong && last.emphasis() == em) {
            runs.set(runs.size() - 1, new Run(last.text() + buf, strong, em));
        } else {
            runs.add(new Run(buf.toString(), strong, em));
        }
        buf.setLength(0);
    }

    private static boolean hasCloser(String s, int from, String delimiter) {
        for (int j = s.indexOf(delimiter, from); j >= 0; j = s.indexOf(delimiter, j + 1)) {
            if (j > from && !spaceBefore(s, j)) {
                return true;
            }
        }
        return false;
    }

    private static boolean spaceBefore(String s, int i) {
        return i == 0 || Character.isWhitespace(s.charAt(i - 1));
    }

    private static boolean spaceAt(String s, int i) {
        return i >= s.length() || Character.isWhitespace(s.charAt(i));
    }

    private static boolean isAsciiPunctuation(char c) {
        return c < 128 && !Character.isLetterOrDigit(c) && !Character.isWhitespace(c);
    }
}
