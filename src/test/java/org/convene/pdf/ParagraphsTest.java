package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a reader copies out of the PDF: the author's lines, and mixed-script paragraphs in order. */
class ParagraphsTest {
    private static final String ENGLISH = "We met in Geneva";
    private static final String ARABIC = "اجتمعنا في مدينة جنيف الجميلة وقررنا أن نكتب معا";
    private static final String CHINESE = "我们在日内瓦见面";

    @Test
    void singleLineBreaksStayLineBreaks() throws Exception {
        String text = Rendered.text(render("en", "We stay.\nWe work.\nWe vote.\n\nThe end."));
        assertTrue(text.contains("We stay.\nWe work.\nWe vote.\n"), text);
    }

    @Test
    void aMixedParagraphKeepsItsSentencesInOrder() throws Exception {
        // More Arabic letters than Latin ones, in an Arabic edition: the paragraph still starts
        // with an English sentence, so it reads left to right, Arabic as one island inside it.
        String paragraph = ENGLISH + ". " + ARABIC + ". " + CHINESE + "。";
        String text = Rendered.text(render("ar", paragraph));
        int english = text.indexOf(ENGLISH);
        int arabic = text.indexOf(ARABIC);
        int chinese = text.indexOf(CHINESE);
        assertTrue(english >= 0 && english < arabic && arabic < chinese,
                "order " + english + " " + arabic + " " + chinese + " in " + text);
    }

    @Test
    void eachTypedLineOfAParagraphTakesItsOwnDirection() throws Exception {
        try (Fonts fonts = new Fonts()) {
            TextLayout layout = new TextLayout(fonts, "en");
            List<Line> lines = layout.lines(List.of(Run.plain(ARABIC + " " + ENGLISH + "\n" + ENGLISH + " " + ARABIC
                    + "\n\u2068" + ARABIC + "\u2069 2024\n1998")), 11, 2000, TextLayout.Direction.LTR);
            assertEquals(List.of(TextLayout.Direction.RTL, TextLayout.Direction.LTR, TextLayout.Direction.LTR,
                    TextLayout.Direction.LTR), lines.stream().map(Line::direction).toList());
            // Without a strong letter (or with letters only inside an isolate) the fallback decides.
            List<Line> neutral = layout.lines(List.of(Run.plain("\u2068" + ENGLISH + "\u2069 2024")), 11, 2000,
                    TextLayout.Direction.RTL);
            assertEquals(TextLayout.Direction.RTL, neutral.get(0).direction());
        }
    }

    static byte[] render(String language, String source) {
        return Rendered.render(PdfRequest.of("Test", language, ManifestoText.parse(source), Samples.version(source),
                Edition.PRINT, PaperSize.A4));
    }
}
