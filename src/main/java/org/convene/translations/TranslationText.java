package org.convene.translations;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text of a translation document ({@code {id}:{lang}}), as co-edited live: for each source unit a
 * marker line, U+E000 (private use, never typed) followed by the unit's id, then that unit's
 * translation up to the next marker line. Text before the first marker belongs to no unit; a
 * marker repeated (two translators adding the same unit at once) adds its text to the first one's.
 * Pure: no Vert.x, no I/O.
 */
public final class TranslationText {
  private TranslationText() {}

  public static final char MARK = '\uE000';

  /** The document a new language starts with: a marker and an empty line per unit. */
  public static String initial(List<Units.Unit> units) {
    StringBuilder out = new StringBuilder();
    for (Units.Unit u : units) {
      out.append(MARK).append(u.id()).append("\n\n");
    }
    return out.toString();
  }

  /** Each unit's translation (stripped), in the order of their first markers. */
  public static Map<Integer, String> blocks(String text) {
    Map<Integer, StringBuilder> raw = new LinkedHashMap<>();
    StringBuilder current = null;
    int start = 0;
    while (start <= text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      int id = markerId(text, start, end);
      if (id >= 0) {
        current = raw.get(id);
        if (current == null) {
          current = new StringBuilder();
          raw.put(id, current);
        } else {
          current.append("\n\n");
        }
      } else if (current != null) {
        current.append(text, start, end).append('\n');
      }
      if (nl < 0) {
        break;
      }
      start = nl + 1;
    }
    Map<Integer, String> out = new LinkedHashMap<>();
    raw.forEach((id, b) -> out.put(id, b.toString().strip()));
    return out;
  }

  /**
   * The unit whose block holds position {@code pos}, or -1 before the first marker: the id of the
   * last marker line starting at or before the line of {@code pos}.
   */
  static int unitAt(String text, int pos) {
    for (int p = Math.min(pos, text.length() - 1); p >= 0; ) {
      int m = text.lastIndexOf(MARK, p);
      if (m < 0) {
        return -1;
      }
      if (m == 0 || text.charAt(m - 1) == '\n') {
        int id = markerIdAtLine(text, m);
        if (id >= 0) {
          return id;
        }
      }
      p = m - 1;
    }
    return -1;
  }

  private static int markerIdAtLine(String text, int lineStart) {
    int nl = text.indexOf('\n', lineStart);
    return markerId(text, lineStart, nl < 0 ? text.length() : nl);
  }

  /** The id on a marker line [start, end), or -1 when the line is not a marker. */
  static int markerId(String text, int start, int end) {
    while (end > start && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == ' ')) {
      end--;
    }
    if (end - start < 2 || end - start > 10 || text.charAt(start) != MARK) {
      return -1;
    }
    int id = 0;
    for (int i = start + 1; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      id = id * 10 + (c - '0');
    }
    return id;
  }

  /** The published text: each unit's translation in the given order, separated by blank lines. */
  public static String joined(List<String> translations) {
    return String.join("\n\n", translations);
  }
}
