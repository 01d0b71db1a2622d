package org.convene.pdf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Presentation forms chosen by the joining rules, for Arabic and for the letters Persian adds. */
class ArabicShaperTest {

    @Test
    void persianLettersJoin() {
        // آمدید: alef madda (joins nothing after it), meem initial, dal final, farsi yeh initial, dal final.
        assertEquals("\u0622\uFEE3\uFEAA\uFBFE\uFEAA", ArabicShaper.shape("آمدید"));
        // گ ک پ چ between two joining letters take their medial forms, farsi yeh its final one.
        assertEquals("\uFEB3\uFB95\uFBFD", ArabicShaper.shape("سگی"));
        assertEquals('\uFB91', ArabicShaper.shape("سکی").charAt(1));
        assertEquals('\uFB59', ArabicShaper.shape("سپی").charAt(1));
        assertEquals('\uFB7D', ArabicShaper.shape("سچی").charAt(1));
    }

    @Test
    void zeroWidthNonJoinerBreaksTheJoin() {
        // می‌خواهیم: yeh ends its word part (final) and khah starts a new one (initial).
        String shaped = ArabicShaper.shape("می\u200Cخواهیم");
        assertEquals("\uFEE3\uFBFD\u200C\uFEA7", shaped.substring(0, 4));
    }

    @Test
    void lamAlefBecomesTheLigature() {
        assertEquals("\uFEFB", ArabicShaper.shape("لا"));
        assertEquals("\uFEB3\uFEFC\u0645", ArabicShaper.shape("سلام"));
        assertEquals("\uFEF7", ArabicShaper.shape("لأ"));
    }

    @Test
    void marksAreTransparent() {
        // وقّع: the shadda does not stop qaf and ain from joining.
        assertEquals("\u0648\uFED7\u0651\uFECA", ArabicShaper.shape("وقّع"));
    }

    @Test
    void otherTextIsUntouched() {
        assertEquals("Maria 2024 Жанна", ArabicShaper.shape("Maria 2024 Жанна"));
    }
}
