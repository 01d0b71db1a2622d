package org.convene.versions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Long manifesto-like texts for tests and benchmarks: words of several scripts, in paragraphs. */
public final class Texts {
  private static final String[] WORDS = {
      "we", "the", "migrants", "of", "this", "city", "demand", "rights", "work", "housing", "dignity",
      "and", "for", "all", "who", "live", "here", "together", "نحن", "حقوق", "للجميع", "العمل", "کرامت",
      "برای", "همه", "ما", "人人", "平等", "Zürich", "élus", "voix", "language", "school", "children"};

  private Texts() {}

  /** About 3,000 characters a page, paragraphs of 40 to 120 words. */
  public static String pages(int pages, long seed) {
    Random rnd = new Random(seed);
    StringBuilder s = new StringBuilder(pages * 3_100);
    while (s.length() < pages * 3_000) {
      int words = 40 + rnd.nextInt(80);
      for (int w = 0; w < words; w++) {
        s.append(WORDS[rnd.nextInt(WORDS.length)]);
        s.append(rnd.nextInt(12) == 0 ? ". " : " ");
      }
      s.setLength(s.length() - 1);
      s.append(".\n\n");
    }
    return s.toString();
  }

  /**
   * A later draft: about one paragraph in twenty edited (a word replaced, one inserted, one
   * deleted), two paragraphs deleted, one added, and one moved to the end.
   */
  public static String edit(String text, long seed) {
    Random rnd = new Random(seed);
    List<String> paragraphs = new ArrayList<>(List.of(text.split("\n\n", -1)));
    for (int i = 0; i < paragraphs.size(); i++) {
      if (rnd.nextInt(20) == 0) {
        String[] words = paragraphs.get(i).split(" ");
        words[rnd.nextInt(words.length)] = WORDS[rnd.nextInt(WORDS.length)];
        int at = rnd.nextInt(words.length);
        words[at] = words[at] + " " + WORDS[rnd.nextInt(WORDS.length)];
        words[rnd.nextInt(words.length)] = "";
        paragraphs.set(i, String.join(" ", words).replace("  ", " "));
      }
    }
    paragraphs.remove(paragraphs.size() / 3);
    paragraphs.remove(paragraphs.size() / 2);
    paragraphs.add(paragraphs.size() / 4, "A new paragraph written at the assembly: everyone here has a voice.");
    paragraphs.add(paragraphs.size() - 1, paragraphs.remove(paragraphs.size() / 5));
    return String.join("\n\n", paragraphs);
  }
}
