package org.convene.translations;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The source's paragraphs, the material of {@link Units}: cut as the PDF editions read a text. Pure. */
final class Paragraphs {
  private Paragraphs() {}

  private static final Pattern HEADING = Pattern.compile("#{1,6}\\s.*");
  private static final Pattern ITEM = Pattern.compile("([-*+]|\\d{1,9}[.)])\\s.*");

  /**
   * The paragraphs of a text, as the PDF editions read them: blocks separated by blank lines; a
   * heading line is a block of its own and a list item starts one. Each is stripped of surrounding
   * white space; the lines inside keep theirs.
   */
  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder block = new StringBuilder();
    int start = 0;
    while (start <= text.length()) {
      int end = lineEnd(text, start);
      String raw = text.substring(start, end);
      String line = raw.strip();
      boolean heading = !line.isEmpty() && line.charAt(0) == '#' && HEADING.matcher(line).matches();
      if (line.isEmpty() || heading || startsItem(line)) {
        flush(block, out);
      }
      if (!line.isEmpty()) {
        if (block.length() > 0) {
          block.append('\n');
        }
        block.append(raw.stripTrailing());
        if (heading) {
          flush(block, out);
        }
      }
      if (end == text.length()) {
        break;
      }
      start = end + (text.charAt(end) == '\r' && end + 1 < text.length() && text.charAt(end + 1) == '\n' ? 2 : 1);
    }
    flush(block, out);
    return out;
  }

  /** Where the line starting at {@code start} ends: its "\n", "\r" or "\r\n", or the text's end. */
  private static int lineEnd(String text, int start) {
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        return i;
      }
    }
    return text.length();
  }

  private static boolean startsItem(String line) {
    char c = line.charAt(0);
    return (c == '-' || c == '*' || c == '+' || (c >= '0' && c <= '9')) && ITEM.matcher(line).matches();
  }

  private static void flush(StringBuilder block, List<String> out) {
    String p = block.toString().strip();
    if (!p.isEmpty()) {
      out.add(p);
    }
    block.setLength(0);
  }
}
