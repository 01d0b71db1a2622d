package org.convene.pdf;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import java.util.HashMap;
import java.util.Map;

/**
 * Contextual shaping of Arabic-script letters into Unicode presentation forms, on logical text.
 *
 * <p>ICU4J's {@code ArabicShaping} would do, but it leaves the letters Persian and Urdu add
 * (ی ک گ پ چ ژ ...) in their nominal form, so Persian words fall apart into isolated letters.
 * This shaper follows the Unicode joining rules (joining types from ICU's character database)
 * for every letter, and takes the forms from the presentation-form blocks' own decompositions,
 * so any letter that has presentation forms gets them. Lam followed by alef becomes the
 * mandatory lam-alef ligature. Isolated letters stay nominal: fonts draw that as isolated.
 */
final class ArabicShaper {
    private static final int ISOLATED = 0;
    private static final int FINAL = 1;
    private static final int INITIAL = 2;
    private static final int MEDIAL = 3;

    /** (letter &lt;&lt; 2 | form) -&gt; presentation form. */
    private static final Map<Integer, Character> FORMS = new HashMap<>();
    /** (alef &lt;&lt; 2 | form) -&gt; lam-alef ligature, form ISOLATED or FINAL (of the lam). */
    private static final Map<Integer, Character> LAM_ALEF = new HashMap<>();
    private static final char LAM = '\u0644';

    static {
        Normalizer2 nfkd = Normalizer2.getNFKDInstance();
        for (int c = 0xFB50; c <= 0xFEFC; c++) {
            if (c > 0xFDFF && c < 0xFE70) {
                continue;
            }
            int form = switch (UCharacter.getIntPropertyValue(c, UProperty.DECOMPOSITION_TYPE)) {
                case UCharacter.DecompositionType.ISOLATED -> ISOLATED;
                case UCharacter.DecompositionType.FINAL -> FINAL;
                case UCharacter.DecompositionType.INITIAL -> INITIAL;
                case UCharacter.DecompositionType.MEDIAL -> MEDIAL;
                default -> -1;
            };
            String base = nfkd.getRawDecomposition(c);
            if (form < 0 || base == null) {
                continue;
            }
            if (base.codePointCount(0, base.length()) == 1) {
                FORMS.putIfAbsent(base.codePointAt(0) << 2 | form, (char) c);
            } else if (base.length() == 2 && base.charAt(0) == LAM && isAlef(base.charAt(1))) {
                LAM_ALEF.putIfAbsent(base.charAt(1) << 2 | form, (char) c);
            }
        }
    }

    private ArabicShaper() {}

    static String shape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int type = joiningType(c);
            if (type != UCharacter.JoiningType.DUAL_JOINING && type != UCharacter.JoiningType.RIGHT_JOINING) {
                out.append(c);
                continue;
            }
            boolean joinsBefore = joinsForward(text, previous(text, i));
            int next = next(text, i);
            if (c == LAM && next >= 0 && isAlef(text.charAt(next))) {
                Character ligature = LAM_ALEF.get(text.charAt(next) << 2 | (joinsBefore ? FINAL : ISOLATED));
                if (ligature != null) {
                    out.append(ligature);
                    out.append(text, i + 1, next); // marks between lam and alef stay
                    i = next;
                    continue;
                }
            }
            boolean joinsAfter = type == UCharacter.JoiningType.DUAL_JOINING && joinsBackward(text, next);
            int form = joinsBefore ? (joinsAfter ? MEDIAL : FINAL) : (joinsAfter ? INITIAL : ISOLATED);
            Character shaped = form == ISOLATED ? null : FORMS.get(c << 2 | form);
            out.append(shaped != null ? shaped.charValue() : c);
        }
        return out.toString();
    }

    private static boolean isAlef(char c) {
        return c == '\u0622' || c == '\u0623' || c == '\u0625' || c == '\u0627';
    }

    private static int joiningType(int c) {
        return UCharacter.getIntPropertyValue(c, UProperty.JOINING_TYPE);
    }

    /** Index of the nearest letter before i, skipping transparent marks; -1 if none. */
    private static int previous(String text, int i) {
        for (int k = i - 1; k >= 0; k--) {
            if (joiningType(text.charAt(k)) != UCharacter.JoiningType.TRANSPARENT) {
                return k;
            }
        }
        return -1;
    }

    private static int next(String text, int i) {
        for (int k = i + 1; k < text.length(); k++) {
            if (joiningType(text.charAt(k)) != UCharacter.JoiningType.TRANSPARENT) {
                return k;
            }
        }
        return -1;
    }

    /** Does the character at k connect to the letter after it? */
    private static boolean joinsForward(String text, int k) {
        if (k < 0) {
            return false;
        }
        int t = joiningType(text.charAt(k));
        return t == UCharacter.JoiningType.DUAL_JOINING || t == UCharacter.JoiningType.LEFT_JOINING
                || t == UCharacter.JoiningType.JOIN_CAUSING;
    }

    /** Does the character at k connect to the letter before it? */
    private static boolean joinsBackward(String text, int k) {
        if (k < 0) {
            return false;
        }
        int t = joiningType(text.charAt(k));
        return t == UCharacter.JoiningType.DUAL_JOINING || t == UCharacter.JoiningType.RIGHT_JOINING
                || t == UCharacter.JoiningType.JOIN_CAUSING;
    }
}
