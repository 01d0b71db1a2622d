package org.convene.translations;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.translations.Translations.Row;

/**
 * What publishing a translation with a source version checks and records. The version's paragraphs
 * get the ids of the current units (the same rules as the live cut); a paragraph is translated when
 * its unit's translation was made from (or confirmed against) exactly that paragraph's text. Pure.
 */
record Publishing(String text, List<Map<String, Object>> missing) {
  static Publishing of(String versionText, List<Row> rows) {
    List<Units.Unit> current = rows.stream().map(Row::unit).toList();
    int unused = current.stream().mapToInt(Units.Unit::id).max().orElse(0) + 1;
    Units.Cut cut = Units.assign(current, Units.paragraphs(versionText), unused);
    List<String> parts = new ArrayList<>();
    List<Map<String, Object>> missing = new ArrayList<>();
    for (Units.Unit u : cut.units()) {
      Row row = rows.stream().filter(r -> r.unit().id() == u.id()).findFirst().orElse(null);
      boolean done = row != null && row.translated() != null && !row.translation().isBlank()
          && u.text().equals(row.translated().sourceText());
      if (done) {
        parts.add(row.translation());
      } else {
        missing.add(Map.of("unit", u.id(), "source", u.text(),
            "state", row == null ? "missing" : row.state().equals("current") ? "outdated" : row.state()));
      }
    }
    return new Publishing(TranslationText.joined(parts), missing);
  }
}
