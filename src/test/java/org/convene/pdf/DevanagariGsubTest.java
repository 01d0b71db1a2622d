package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.fontbox.ttf.gsub.GsubWorker;
import org.apache.fontbox.ttf.gsub.GsubWorkerFactory;
import org.apache.fontbox.ttf.model.GsubData;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our linear-time Devanagari GSUB gives PDFBox's glyphs, word for word. */
class DevanagariGsubTest {
    /** Reph, rakaar, short i, half forms, nukta, conjuncts of three: the cases the steps exist for. */
    private static final List<String> WORDS = List.of("प्रवासी", "सभा", "घोषणापत्र", "प्रत्येक", "क्षत्रिय", "द्वार", "श्री",
            "स्थान", "किताब", "धर्म", "कर्म", "पूर्ण", "सर्वोच्च", "राष्ट्रीय", "ज़िंदगी", "फ़िल्म", "हिन्दी", "शक्ति", "स्त्री",
            "आर्थिक", "विद्यार्थी", "कृष्ण", "ट्रक", "ड्राइवर", "मुद्दा", "उद्घाटन", "श्रृंखला", "हृदय", "अर्द्ध", "कार्यक्रम",
            "निर्णय", "प्राप्त", "स्वतंत्रता", "ज्ञान", "दृष्टि", "लक्ष्मी", "रिश्ते", "मंत्री", "संविधान", "नागरिकता", "शरणार्थी",
            "अधिकार", "श्रमिक", "हैं।", "माँगते", "र्", "दिल्ली", "शर्मा", "राहुल", "कीर्ति", "पार्टी", "ऊर्जा");

    @ParameterizedTest
    @ValueSource(strings = {"NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"})
    void sameGlyphsAsPdfBox(String file) throws Exception {
        try (TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBuffer(Fonts.bytes(file)))) {
            CmapLookup cmap = ttf.getUnicodeCmapLookup();
            GsubData data = ttf.getGsubData();
            GsubWorker pdfbox = new GsubWorkerFactory().getGsubWorker(cmap, data);
            DevanagariGsub ours = new DevanagariGsub(data, cmap);
            int changed = 0;
            for (String word : WORDS) {
                List<Integer> glyphs = new ArrayList<>();
                word.codePoints().forEach(cp -> glyphs.add(cmap.getGlyphId(cp)));
                List<Integer> expected = pdfbox.applyTransforms(glyphs);
                assertEquals(expected, ours.apply(glyphs), word);
                if (!expected.equals(glyphs)) {
                    changed++;
                }
            }
            // The words do exercise GSUB: most of them change.
            assertNotEquals(0, changed);
            assertEquals(true, changed > WORDS.size() / 2, "only " + changed + " words changed");
        }
    }
}
