package org.convene.versions;

import org.convene.testing.Seed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convene.ot.TextOperation;
import org.junit.jupiter.api.Test;

/** Run-length authorship against a character-by-character model, on random histories. */
class AttributionTest {
  static final String[] AUTHORS = {"Amal", "Farid", "Leila", "نادیا", "陈"};

  @Test
  void composedReplayMatchesTheCharacterModel() {
    long seed = Seed.of("attribution.seed");
    Random rnd = new Random(seed);
    for (int round = 0; round < 300; round++) {
      String text = "We are here. ";
      List<String> model = new ArrayList<>();
      for (int i = 0; i < text.length(); i++) {
        model.add(Attribution.INITIAL);
      }
      Attribution.Names names = new Attribution.Names();
      Attribution start = Attribution.of(names, text.length(), Attribution.INITIAL);
      Attribution stepwise = start;
      List<AuthorOp> ops = new ArrayList<>();
      for (int step = rnd.nextInt(40); step > 0; step--) {
        String author = AUTHORS[rnd.nextInt(AUTHORS.length)];
        TextOperation op = randomOp(rnd, text);
        model = applyModel(op, model, author);
        text = op.apply(text);
        AuthorOp a = AuthorOp.of(op, names.id(author));
        ops.add(a);
        stepwise = a.apply(stepwise, names);
      }
      Attribution composed = ops.isEmpty() ? start : AuthorOp.composeAll(ops).apply(start, names);
      assertEquals(model, expand(stepwise), Seed.replay("attribution.seed", seed));
      assertEquals(model, expand(composed), Seed.replay("attribution.seed", seed));
      Attribution.Names other = new Attribution.Names();
      assertEquals(model, expand(Attribution.decode(composed.encode(), other)), Seed.replay("attribution.seed", seed));
    }
  }

  @Test
  void aRestoreGivesBackTheRestoredAuthors() {
    Attribution.Names names = new Attribution.Names();
    Attribution.Builder b = new Attribution.Builder(names);
    b.add(4, names.id("Amal"));
    b.add(3, names.id("Farid"));
    Attribution restored = b.build(); // "AAAAFFF"
    // Leila rewrote the text since; the restore keeps four units and re-inserts three.
    TextOperation op = TextOperation.builder().retain(4).delete(2).insert("abc").build();
    Attribution now = Attribution.of(names, 6, "Leila");
    Attribution after = AuthorOp.restoring(op, restored, names).apply(now, names);
    assertEquals(List.of("Amal", "Amal", "Amal", "Amal", "Farid", "Farid", "Farid"), expand(after));
  }

  @Test
  void countsAreSortedByShare() {
    Attribution.Names names = new Attribution.Names();
    Attribution.Builder b = new Attribution.Builder(names);
    b.add(2, names.id("B"));
    b.add(5, names.id("A"));
    b.add(2, names.id("C"));
    b.add(1, names.id("B"));
    Map<String, Integer> expected = new LinkedHashMap<>();
    expected.put("A", 5);
    expected.put("B", 3);
    expected.put("C", 2);
    assertEquals(expected, b.build().counts());
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(b.build().counts().keySet()));
  }

  static List<String> expand(Attribution a) {
    List<String> out = new ArrayList<>();
    for (int r = 0; r < a.runs(); r++) {
      for (int i = 0; i < a.lengthAt(r); i++) {
        out.add(a.authorAt(r));
      }
    }
    return out;
  }

  static List<String> applyModel(TextOperation op, List<String> model, String author) {
    List<String> out = new ArrayList<>();
    int pos = 0;
    for (Object c : op.toComponents()) {
      if (c instanceof String s) {
        for (int i = 0; i < s.length(); i++) {
          out.add(author);
        }
      } else if ((Integer) c > 0) {
        out.addAll(model.subList(pos, pos + (Integer) c));
        pos += (Integer) c;
      } else {
        pos -= (Integer) c;
      }
    }
    return out;
  }

  static TextOperation randomOp(Random rnd, String text) {
    TextOperation.Builder b = TextOperation.builder();
    int i = 0;
    while (i < text.length()) {
      int n = 1 + rnd.nextInt(Math.min(5, text.length() - i));
      int roll = rnd.nextInt(10);
      if (roll < 2) {
        b.insert(rnd.nextBoolean() ? "x" : "شیر");
      }
      if (roll < 7) {
        b.retain(n);
      } else {
        b.delete(n);
      }
      i += n;
    }
    if (rnd.nextInt(3) == 0) {
      b.insert("end");
    }
    return b.build();
  }
}
