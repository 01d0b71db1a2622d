package org.convene.versions;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the units a reader compares: words, runs of spaces, punctuation. Word boundaries
 * come from the JDK's Unicode word-break rules (Arabic and Persian words keep their marks and
 * zero-width non-joiners); scripts written without spaces between words (Han, kana) are split into
 * single characters, so a changed character does not mark a whole sentence as changed.
 * Concatenating the tokens gives back the text exactly.
 */
public final class Words {
  private Words() {}

  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>(text.length() / 4 + 1);
    BreakIterator words = BreakIterator.getWordInstance();
    words.setText(text);
    int start = words.first();
    for (int end = words.next(); end != BreakIterator.DONE; start = end, end = words.next()) {
      if (hasIdeograph(text, start, end)) {
        splitIdeographs(text, start, end, out);
      } else {
        out.add(text.substring(start, end));
      }
    }
    return out;
  }

  private static boolean hasIdeograph(String text, int start, int end) {
    for (int i = start; i < end; ) {
      int cp = text.codePointAt(i);
      if (isIdeographic(cp)) {
        return true;
      }
      i += Character.charCount(cp);
    }
    return false;
  }

  /** Each ideograph on its own; anything between them (Latin in a Chinese sentence) stays together. */
  private static void splitIdeographs(String text, int start, int end, List<String> out) {
    int run = start;
    for (int i = start; i < end; ) {
      int cp = text.codePointAt(i);
      int next = i + Character.charCount(cp);
      if (isIdeographic(cp)) {
        if (run < i) {
          out.add(text.substring(run, i));
        }
        out.add(text.substring(i, next));
        run = next;
      }
      i = next;
    }
    if (run < end) {
      out.add(text.substring(run, end));
    }
  }

  private static boolean isIdeographic(int cp) {
    if (cp < 0x2E80) {
      return false;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }
}
