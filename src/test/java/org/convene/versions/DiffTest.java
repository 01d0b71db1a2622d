package org.convene.versions;

import org.convene.testing.Seed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.convene.versions.Diff.Change;
import org.convene.versions.Diff.Kind;
import org.junit.jupiter.api.Test;

/** The word diff on fixed examples (several scripts, right-to-left, moves) and on random texts. */
class DiffTest {
  static Change eq(String t) {
    return new Change(Kind.EQUAL, t, 0);
  }

  static Change del(String t) {
    return new Change(Kind.DELETE, t, 0);
  }

  static Change ins(String t) {
    return new Change(Kind.INSERT, t, 0);
  }

  @Test
  void replacedWordsAreOneChange() {
    assertEquals(List.of(eq("The "), del("quick brown"), ins("slow red"), eq(" fox")),
        Diff.between("The quick brown fox", "The slow red fox"));
  }

  @Test
  void arabicWordsAreComparedWhole() {
    assertEquals(List.of(eq("نحن نطالب "), del("بالحقوق"), ins("بالعدالة"), eq(" للجميع.")),
        Diff.between("نحن نطالب بالحقوق للجميع.", "نحن نطالب بالعدالة للجميع."));
  }

  @Test
  void persianWordsKeepTheirZeroWidthNonJoiner() {
    assertEquals(List.of(eq("ما "), del("می‌خواهیم"), ins("نمی‌خواهیم"), eq(" که فراموش شویم")),
        Diff.between("ما می‌خواهیم که فراموش شویم", "ما نمی‌خواهیم که فراموش شویم"));
  }

  @Test
  void chineseIsComparedCharacterByCharacter() {
    assertEquals(List.of(eq("我们要求"), del("平等"), ins("自由"), eq("。")),
        Diff.between("我们要求平等。", "我们要求自由。"));
  }

  @Test
  void emojiAndAccentsAreWholeUnits() {
    assertEquals(List.of(eq("Wir sind "), del("😀"), ins("😢"), eq(" hier in Zürich")),
        Diff.between("Wir sind 😀 hier in Zürich", "Wir sind 😢 hier in Zürich"));
    assertEquals(List.of(eq("Nous "), del("étions"), ins("sommes"), eq(" là.")),
        Diff.between("Nous étions là.", "Nous sommes là."));
  }

  @Test
  void aMovedParagraphIsReportedAsAMove() {
    String a = "First we arrived in the city.\nThen we found work together.\nNow we write this manifesto.";
    String b = "Then we found work together.\nNow we write this manifesto.\nFirst we arrived in the city.";
    List<Change> changes = Diff.between(a, b);
    assertEquals(List.of(
        new Change(Kind.DELETE, "First we arrived in the city.", 1),
        del("\n"),
        eq("Then we found work together.\nNow we write this manifesto."),
        ins("\n"),
        new Change(Kind.INSERT, "First we arrived in the city.", 1)), changes);
  }

  @Test
  void aMovedRightToLeftParagraphNextToAnEditedOne() {
    String p1 = "نحن المهاجرين نكتب هذا البيان معاً";
    String p2 = "ما برای حقوق برابر برای همه ایستاده‌ایم";
    String p3 = "We stand for equal rights for everyone";
    String a = p1 + "\n" + p2 + "\n" + p3 + "\n";
    String b = p2 + "\n" + p3.replace("everyone", "all of us") + "\n" + p1 + "\n";
    List<Change> changes = Diff.between(a, b);
    assertEquals(reconstruct(changes, Kind.DELETE), a);
    assertEquals(reconstruct(changes, Kind.INSERT), b);
    assertTrue(changes.contains(new Change(Kind.DELETE, p1, 1)), changes.toString());
    assertTrue(changes.contains(new Change(Kind.INSERT, p1, 1)), changes.toString());
    assertTrue(changes.contains(del("everyone")), changes.toString());
    assertTrue(changes.stream().anyMatch(c -> c.kind() == Kind.INSERT && c.text().startsWith("all of us")),
        changes.toString());
  }

  @Test
  void identicalAndEmptyTexts() {
    assertEquals(List.of(eq("same\ntext")), Diff.between("same\ntext", "same\ntext"));
    assertEquals(List.of(), Diff.between("", ""));
    assertEquals(List.of(ins("new")), Diff.between("", "new"));
    assertEquals(List.of(del("old")), Diff.between("old", ""));
  }

  @Test
  void randomTextsAreReconstructedFromTheirDiff() {
    long seed = Seed.of("diff.seed");
    Random rnd = new Random(seed);
    String[] pieces = {"we ", "are ", "here", ". ", "\n", "نحن ", "هنا", "، ", "中", "文", "😀", "é", "  ", "\n\n",
        "a long paragraph that could move around\n"};
    for (int round = 0; round < 2_000; round++) {
      String a = random(rnd, pieces);
      String b = rnd.nextBoolean() ? random(rnd, pieces) : mutate(rnd, a, pieces);
      List<Change> changes = Diff.between(a, b);
      assertEquals(a, reconstruct(changes, Kind.DELETE), Seed.replay("diff.seed", seed));
      assertEquals(b, reconstruct(changes, Kind.INSERT), Seed.replay("diff.seed", seed));
      for (Change c : changes) {
        assertTrue(!c.text().isEmpty(), Seed.replay("diff.seed", seed));
      }
    }
  }

  /**
   * A hundred-page text with scattered edits diffs back exactly. How fast is the benchmark's business
   * (docs/BENCHMARKS.md, "Diff of two versions of a 100-page text"): a time limit here would fail on a
   * busy machine, not on slow code.
   */
  @Test
  void aHundredPageTextDiffsExactly() {
    String a = Texts.pages(100, 7);
    String b = Texts.edit(a, 11);
    List<Change> changes = Diff.between(a, b);
    assertEquals(a, reconstruct(changes, Kind.DELETE));
    assertEquals(b, reconstruct(changes, Kind.INSERT));
  }

  static String random(Random rnd, String[] pieces) {
    StringBuilder s = new StringBuilder();
    for (int i = rnd.nextInt(12); i > 0; i--) {
      s.append(pieces[rnd.nextInt(pieces.length)]);
    }
    return s.toString();
  }

  static String mutate(Random rnd, String a, String[] pieces) {
    List<String> parts = new ArrayList<>(List.of(a.split("(?<=\n)")));
    for (int i = rnd.nextInt(4); i > 0; i--) {
      int at = rnd.nextInt(parts.size() + 1);
      switch (rnd.nextInt(3)) {
        case 0 -> parts.add(at, pieces[rnd.nextInt(pieces.length)]);
        case 1 -> {
          if (!parts.isEmpty()) {
            parts.remove(Math.min(at, parts.size() - 1));
          }
        }
        default -> {
          if (parts.size() > 1) {
            String moved = parts.remove(rnd.nextInt(parts.size()));
            parts.add(rnd.nextInt(parts.size() + 1), moved);
          }
        }
      }
    }
    return String.join("", parts);
  }

  static String reconstruct(List<Change> changes, Kind side) {
    StringBuilder s = new StringBuilder();
    for (Change c : changes) {
      if (c.kind() == Kind.EQUAL || c.kind() == side) {
        s.append(c.text());
      }
    }
    return s.toString();
  }
}
