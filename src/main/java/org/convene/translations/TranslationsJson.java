package org.convene.translations;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.convene.common.ApiError;
import org.convene.translations.Translations.Row;
import org.convene.translations.Translations.View;
import org.convene.versions.Diff;

/** The translations API's answers: a language, its counts, a unit (docs/translations.md). */
final class TranslationsJson {
  private TranslationsJson() {}

  static JsonObject counts(View view) {
    int translated = 0;
    int current = 0;
    int reviewed = 0;
    for (Row r : view.rows()) {
      translated += r.state().equals("missing") ? 0 : 1;
      current += r.state().equals("current") ? 1 : 0;
      reviewed += r.reviewed() ? 1 : 0;
    }
    return language(Languages.parse(view.language())).put("doc", view.doc()).put("units", view.rows().size())
        .put("translated", translated).put("upToDate", current).put("reviewed", reviewed);
  }

  static JsonObject unit(Row r) {
    JsonObject out = new JsonObject().put("unit", r.unit().id()).put("source", r.unit().text())
        .put("translation", r.translation()).put("state", r.state())
        .put("review", r.reviewed() ? "reviewed" : "draft");
    if (r.translated() != null) {
      out.put("translatedBy", r.translated().translatedBy()).put("confirmedBy", r.translated().confirmedBy())
          .put("reviewedBy", r.reviewed() ? r.translated().reviewedBy() : null);
    }
    if (r.state().equals("outdated")) {
      String from = r.translated().sourceText() == null ? "" : r.translated().sourceText();
      JsonArray diff = new JsonArray();
      for (Diff.Change c : Diff.between(from, r.unit().text())) {
        diff.add(new JsonObject().put("op", c.kind().name().toLowerCase(Locale.ROOT)).put("text", c.text()));
      }
      out.put("translatedFrom", from).put("diff", diff);
    }
    return out;
  }

  static JsonObject language(Languages.Language l) {
    return new JsonObject().put("language", l.tag()).put("name", l.name()).put("dir", l.dir());
  }

  static Row row(View view, int unit) {
    return view.rows().stream().filter(r -> r.unit().id() == unit).findFirst()
        .orElseThrow(() -> ApiError.of(404, "no unit " + unit + " in the source"));
  }

  /** The source's language as the translations show it; a tag ICU cannot name keeps its tag as its name. */
  static JsonObject source(String tag) {
    Languages.Language l = Languages.parse(tag);
    return l != null ? language(l) : new JsonObject().put("language", tag).put("name", tag).put("dir", "ltr");
  }
}
