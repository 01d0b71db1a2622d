package org.convene.common;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import java.util.Locale;

/**
 * What text may hold, wherever it enters (edits, REST bodies, names): one rule, checked at each door.
 *
 * <p>Refused: U+0000 (PostgreSQL's {@code text} cannot store it, so one would block every snapshot and
 * version) and the other C0 controls except tab, line feed and carriage return; DEL and the C1
 * controls (U+007F to U+009F: no manifesto needs them, nothing draws them, and pasted ones are
 * leftovers of a broken conversion); the 66 noncharacters (U+FDD0 to U+FDEF and the last two code
 * points of every plane, U+FFFE, U+FFFF, ... U+10FFFF), which Unicode reserves for a program's own
 * use; and lone surrogates (half of a UTF-16 pair, which is no character at all).
 * Everything else is text: any script, emoji, private use, bidi controls and joiners (Persian and
 * Arabic need U+200C and the marks), characters not yet assigned.
 */
public final class Text {
  private Text() {}

  /** The initial text's credit, as the web app and the PDFs label it; no participant may take it. */
  public static final String INITIAL_TEXT_LABEL = "Initial text";

  private static final Normalizer2 FOLD = Normalizer2.getNFKCCasefoldInstance();
  private static final SpoofChecker SPOOF = new SpoofChecker.Builder().build();
  private static final String RESERVED = key(INITIAL_TEXT_LABEL);

  /** Whether text may hold this code point (a surrogate code point is a lone one here). */
  public static boolean allowed(int cp) {
    if (cp < 0x20) {
      return cp == '\t' || cp == '\n' || cp == '\r';
    }
    if (cp >= 0x7F && cp <= 0x9F) {
      return false;
    }
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
      return false;
    }
    return cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE;
  }

  /** The UTF-16 index of the first unit text may not hold (a lone surrogate counts), or -1. */
  public static int firstRefused(CharSequence s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        continue; // printable ASCII, most of most texts
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        if (!allowed(Character.toCodePoint(c, s.charAt(++i)))) {
          return i - 1;
        }
      } else if (!allowed(c)) {
        return i;
      }
    }
    return -1;
  }

  /** Null when {@code s} is acceptable text, else words saying which character is refused and where. */
  public static String problem(CharSequence s) {
    int at = firstRefused(s);
    return at < 0 ? null : "contains " + codePoint(Character.codePointAt(s, at)) + " at position " + at
        + " (control characters other than tab and line breaks, noncharacters and lone surrogates are refused)";
  }

  /** "U+0000". */
  public static String codePoint(int cp) {
    return String.format(Locale.ROOT, "U+%04X", cp);
  }

  /**
   * Text as PostgreSQL can store it: U+0000, which only text written before these checks can hold,
   * becomes U+FFFD (the replacement character: same length in UTF-16, so positions do not move).
   */
  public static String storable(String s) {
    return s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
  }

  /** A display name, cleaned, or why it is refused. */
  public record Name(String value, String problem) {}

  /**
   * A person's display name (a participant, whoever saved a version): one line, at most {@code max}
   * UTF-16 units. Bidi controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) are
   * removed, so a name cannot reorder what follows it; runs of white space (tabs and line breaks
   * included) become one space; then anything {@link #allowed} refuses is refused, as are names with
   * no visible character (only spaces, joiners, format characters, fillers or marks) and names that
   * read as the initial text's credit.
   */
  public static Name name(String raw, int max) {
    StringBuilder out = new StringBuilder(raw.length());
    boolean space = false;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (isBidiControl(cp)) {
        continue;
      }
      if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
        space = true;
        continue;
      }
      if (space && out.length() > 0) {
        out.append(' ');
      }
      space = false;
      out.appendCodePoint(cp);
    }
    String name = out.toString();
    String problem = problem(name);
    if (problem != null) {
      return new Name(null, problem);
    }
    if (name.isEmpty() || name.length() > max) {
      return new Name(null, "1 to " + max + " characters");
    }
    if (name.codePoints().noneMatch(Text::visible)) {
      return new Name(null, "has no visible character");
    }
    if (key(name).equals(RESERVED)) {
      return new Name(null, "\"" + INITIAL_TEXT_LABEL + "\" is how the text a manifesto starts with is credited");
    }
    return new Name(name, null);
  }

  static boolean isBidiControl(int cp) {
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069);
  }

  /** A letter, digit, punctuation or symbol that is not one of Unicode's default-ignorable (blank) ones. */
  static boolean visible(int cp) {
    if (UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT) || cp == 0x2800) {
      return false; // U+2800, the blank Braille pattern, is a symbol that draws nothing
    }
    return switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL -> true;
      default -> false;
    };
  }

  /** How a name reads: case, compatibility forms, invisible characters, spaces and look-alike letters folded. */
  private static String key(String name) {
    String folded = FOLD.normalize(name).replaceAll("[\\s\\p{Z}\\p{P}]+", "");
    return SPOOF.getSkeleton(folded);
  }
}
