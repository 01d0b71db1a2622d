package org.convene.translations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Unit ids through edits, inserts and deletes around, splits, merges and moves; and on a real edit trace. */
class UnitsTest {
  static final String A = "Everyone who lives here has the right to stay, to work and to be heard.";
  static final String B = "We ask the city to open its services to all, whatever their papers say.";
  static final String C = "Schools, clinics and shelters must not ask for documents at the door.";
  static final String D = "We will meet every month until these demands are met in full.";

  static Units.Cut cut(String... paragraphs) {
    return Units.first(String.join("\n\n", paragraphs), 1);
  }

  static Units.Cut next(Units.Cut before, String... paragraphs) {
    return Units.assign(before.units(), Units.paragraphs(String.join("\n\n", paragraphs)), before.nextId());
  }

  static List<Integer> ids(Units.Cut cut) {
    return cut.units().stream().map(Units.Unit::id).toList();
  }

  @Test
  void paragraphsFollowThePdfReading() {
    assertEquals(List.of("# Title", "First line\nsame paragraph", "- one", "- two", "Last"),
        Units.paragraphs("# Title\nFirst line\nsame paragraph\n\n\n- one\n- two\n\n  Last  \n"));
    assertEquals(List.of(), Units.paragraphs("\n \n"));
  }

  @Test
  void anEditedUnitKeepsItsId() {
    Units.Cut before = cut(A, B, C);
    Units.Cut after = next(before, A, B.replace("all", "everyone"), C);
    assertEquals(List.of(1, 2, 3), ids(after));
    assertEquals(4, after.nextId());
  }

  @Test
  void aShortParagraphRewrittenInPlaceKeepsItsId() {
    assertEquals(List.of(1, 2, 3), ids(next(cut(A, "Yes.", C), A, "No!", C)));
  }

  @Test
  void insertingAndDeletingAroundKeepsIds() {
    Units.Cut before = cut(A, B, C);
    Units.Cut inserted = next(before, D, A, B, "A new paragraph in the middle.", C);
    assertEquals(List.of(4, 1, 2, 5, 3), ids(inserted));
    Units.Cut deleted = next(inserted, A, "A new paragraph in the middle.", C);
    assertEquals(List.of(1, 5, 3), ids(deleted));
    assertEquals(6, deleted.nextId(), "ids are never given out twice");
  }

  @Test
  void aSplitKeepsTheIdOnTheFirstPart() {
    Units.Cut before = cut(A, B + " " + C, D);
    Units.Cut after = next(before, A, B, C, D);
    assertEquals(List.of(1, 2, 4, 3), ids(after));
    // an uneven split: the short first part still keeps it
    Units.Cut uneven = next(cut(A, "Short. " + B + " " + C, D), A, "Short.", B + " " + C, D);
    assertEquals(List.of(1, 2, 4, 3), ids(uneven));
  }

  @Test
  void aMergeKeepsTheFirstId() {
    Units.Cut before = cut(A, B, C, D);
    Units.Cut after = next(before, A, B + " " + C, D);
    assertEquals(List.of(1, 2, 4), ids(after));
  }

  @Test
  void aMoveKeepsTheId() {
    Units.Cut before = cut(A, B, C, D);
    assertEquals(List.of(3, 1, 2, 4), ids(next(before, C, A, B, D)));
    // moved and touched
    assertEquals(List.of(1, 2, 4, 3), ids(next(before, A, B, D, C.replace("door", "front door"))));
  }

  @Test
  void aReplacedParagraphAmongOthersIsNewWhenNothingIsAlike() {
    Units.Cut before = cut(A, B, C);
    Units.Cut after = next(before, A, "Completely different words here.", "And more unrelated text too.", C);
    assertEquals(List.of(1, 4, 5, 3), ids(after), "unit 2 ends: nothing new is like it, and it was not one for one");
  }

  @Test
  void rtlCjkAndCombiningMarksAreComparedAsText() {
    String ar = "نحن نطالب بالحقوق للجميع.";
    String zh = "我们要求所有人享有平等的权利。";
    String hi = "हम सबके लिए अधिकार माँगते हैं।";
    Units.Cut before = cut(ar, zh, hi);
    Units.Cut after = next(before, ar.replace("بالحقوق", "بالعدالة"), "新段落。", zh.replace("平等", "相同"), hi);
    assertEquals(List.of(1, 4, 2, 3), ids(after));
    assertEquals(hi, after.units().get(3).text());
  }

  /**
   * Replays a real keystroke trace (automerge-paper, 259,778 edits), cutting after every edit for the
   * first 6,000 and after every 499th after that. Invariants: ids are unique; a paragraph whose
   * text occurs exactly once before and after keeps its id; an edit that leaves the number of
   * paragraphs alone keeps every id; ids are never reused.
   */
  @Test
  void realEditTraceKeepsIds() throws Exception {
    Path trace = Path.of("/work/shared/data/automerge-paper.json.gz");
    if (!Files.exists(trace)) {
      trace = Path.of("../shared/data/automerge-paper.json.gz");
    }
    JsonObject json;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(trace))) {
      json = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    StringBuilder text = new StringBuilder(json.getString("startContent"));
    Units.Cut cut = Units.first(text.toString(), 1);
    Set<Integer> everUsed = new HashSet<>(Units.ids(cut.units()));
    int edits = 0;
    int checks = 0;
    int keptThroughEdits = 0;
    for (Object t : json.getJsonArray("txns")) {
      for (Object p : ((JsonObject) t).getJsonArray("patches")) {
        JsonArray patch = (JsonArray) p;
        int pos = patch.getInteger(0);
        text.replace(pos, pos + patch.getInteger(1), patch.getString(2));
        edits++;
        if (edits > 6_000 && edits % 499 != 0) {
          continue;
        }
        Units.Cut now = Units.assign(cut.units(), Units.paragraphs(text.toString()), cut.nextId());
        checks++;
        List<Integer> ids = ids(now);
        assertEquals(ids.size(), new HashSet<>(ids).size(), "unique ids after edit " + edits);
        Map<String, Integer> before = uniqueTexts(cut);
        Map<String, Integer> after = uniqueTexts(now);
        before.forEach((s, id) -> {
          if (after.containsKey(s)) {
            assertEquals(id, after.get(s), "an unchanged paragraph keeps its id");
          }
        });
        if (edits <= 6_000 && now.units().size() == cut.units().size()) {
          assertEquals(ids(cut), ids, "an edit inside paragraphs keeps every id (edit " + edits + ")");
          keptThroughEdits++;
        }
        for (int id : ids) {
          if (!Units.ids(cut.units()).contains(id)) {
            assertTrue(everUsed.add(id), "id " + id + " was given out before");
          }
        }
        cut = now;
      }
    }
    assertEquals(json.getString("endContent"), text.toString());
    assertTrue(checks > 6_000 && keptThroughEdits > 3_000, checks + " checks, " + keptThroughEdits);
    assertNotEquals(0, cut.units().size());
  }

  private static Map<String, Integer> uniqueTexts(Units.Cut cut) {
    Map<String, Integer> count = new HashMap<>();
    cut.units().forEach(u -> count.merge(u.text(), 1, Integer::sum));
    Map<String, Integer> out = new HashMap<>();
    cut.units().forEach(u -> {
      if (count.get(u.text()) == 1) {
        out.put(u.text(), u.id());
      }
    });
    return out;
  }
}
