package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestoTextTest {

    @Test
    void headingsParagraphsAndListsBecomeBlocks() {
        ManifestoText text = ManifestoText.parse("""
                # Our manifesto
                ## Preamble

                We came from many places
                and stayed.

                - housing
                - work
                  for all
                1. first
                2) second
                ### Deep heading
                Last words.""");
        assertEquals(List.of(
                new Block(Block.Kind.HEADING, 1, List.of(Run.plain("Our manifesto"))),
                new Block(Block.Kind.HEADING, 2, List.of(Run.plain("Preamble"))),
                Block.paragraph("We came from many places\nand stayed."),
                new Block(Block.Kind.BULLET, 0, List.of(Run.plain("housing"))),
                new Block(Block.Kind.BULLET, 0, List.of(Run.plain("work\nfor all"))),
                new Block(Block.Kind.NUMBERED, 1, List.of(Run.plain("first"))),
                new Block(Block.Kind.NUMBERED, 2, List.of(Run.plain("second"))),
                new Block(Block.Kind.HEADING, 3, List.of(Run.plain("Deep heading"))),
                Block.paragraph("Last words.")), text.blocks());
    }

    @Test
    void emphasisAndStrongBecomeRuns() {
        assertEquals(List.of(Run.plain("We "), new Run("demand", true, false), Run.plain(" and "),
                        new Run("hope", false, true), Run.plain(", "), new Run("both", true, true), Run.plain(".")),
                ManifestoText.inline("We **demand** and *hope*, ***both***."));
    }

    @Test
    void strayAsterisksStayText() {
        assertEquals(List.of(Run.plain("5 * 3 * 2 and a * alone and ** too")),
                ManifestoText.inline("5 * 3 * 2 and a * alone and ** too"));
        assertEquals(List.of(Run.plain("*not emphasis*")), ManifestoText.inline("\\*not emphasis\\*"));
        assertEquals(List.of(Run.plain("Dear "), new Run("Zoë Ω Жанна مريم", false, true)),
                ManifestoText.inline("Dear *Zoë Ω Жанна مريم*"));
    }

    @Test
    void textIsComposed() {
        // "e" + combining acute becomes the precomposed letter the fonts draw in one glyph.
        assertEquals("café", ManifestoText.parse("cafe\u0301").plainText());
    }

    @Test
    void aSingleLineBreakStaysALineBreakAsOnThePublicPage() {
        ManifestoText text = ManifestoText.parse("We stay.\r\nWe *work*.\nWe vote.\n\n我们来自四面八方。\n我们留下来了。");
        assertEquals(List.of(
                new Block(Block.Kind.PARAGRAPH, 0, List.of(Run.plain("We stay.\nWe "), new Run("work", false, true),
                        Run.plain(".\nWe vote."))),
                Block.paragraph("我们来自四面八方。\n我们留下来了。")), text.blocks());
        // Emphasis may run across a line break, as in Markdown.
        assertEquals(List.of(new Run("two\nlines", true, false)), ManifestoText.inline("**two\nlines**"));
    }
}
