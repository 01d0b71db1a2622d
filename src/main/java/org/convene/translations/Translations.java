package org.convene.translations;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.convene.collab.Addresses;
import org.convene.ot.TextOperation;
import org.convene.translations.TranslationsRepository.Change;
import org.convene.translations.TranslationsRepository.LanguageRow;
import org.convene.translations.TranslationsRepository.SourceUnit;
import java.time.OffsetDateTime;
import org.convene.translations.TranslationsRepository.StoredOp;
import org.convene.translations.TranslationsRepository.Translated;

/**
 * Brings the stored units up to the live documents, then answers from them. The source's cut is
 * recomputed when its revision moved; a language's translated units are read from its document
 * when that revision moved: a unit whose translation changed now follows the source unit's current
 * text (editing a translation brings it up to date), credited to whoever last edited inside it.
 * Each step runs in a transaction holding the row it advances, so two readers never both apply it.
 */
final class Translations {
  /** A unit of the source beside its stored translation (null when never translated). */
  record Row(Units.Unit unit, Translated translated) {
    String translation() {
      return translated == null ? "" : translated.text();
    }

    String state() {
      if (translation().isBlank()) {
        return "missing";
      }
      return Objects.equals(translated.sourceText(), unit.text()) ? "current" : "outdated";
    }

    boolean reviewed() {
      return state().equals("current") && translated.reviewedBy() != null
          && translated.text().equals(translated.reviewedText());
    }
  }

  /** A language as it stands: its document's revision, the source's, and every unit in source order. */
  record View(String language, String doc, int revision, int sourceRevision, List<Row> rows) {}

  /** The current cut: its units in order, and each unit's text before its last change and when that was. */
  record Source(int revision, List<SourceUnit> cut) {
    List<Units.Unit> units() {
      return cut.stream().map(SourceUnit::unit).toList();
    }
  }

  private final EventBus eventBus;
  private final TranslationsRepository repository;

  Translations(EventBus eventBus, TranslationsRepository repository) {
    this.eventBus = eventBus;
    this.repository = repository;
  }

  /** The source's current units, recut when the source moved since the last cut. */
  Future<Source> source(String manifestoId) {
    return read(manifestoId).compose(now -> repository.pool().withTransaction(conn ->
        repository.lockSource(conn, manifestoId).compose(state -> repository.activeUnits(conn, manifestoId)
            .compose(units -> {
              int revision = now.getInteger("revision");
              if (revision <= state.revision()) {
                return Future.succeededFuture(new Source(state.revision(), units));
              }
              Units.Cut cut = Units.assign(units.stream().map(SourceUnit::unit).toList(),
                  Units.paragraphs(now.getString("text")), state.nextUnit());
              return repository.opTime(conn, manifestoId, revision)
                  .compose(at -> repository.saveCut(conn, manifestoId, cut, revision, at))
                  .compose(v -> repository.activeUnits(conn, manifestoId))
                  .map(saved -> new Source(revision, saved));
            }))));
  }

  /** A language brought up to its document and the source; fails 404 when it is not there. */
  Future<View> view(String manifestoId, String language) {
    return source(manifestoId).compose(source -> view(manifestoId, language, source));
  }

  Future<View> view(String manifestoId, String language, Source source) {
    String doc = manifestoId + ":" + language;
    return read(doc).compose(now -> repository.pool().withTransaction(conn ->
        repository.lockLanguage(conn, manifestoId, language).compose(row -> {
          if (row == null) {
            throw org.convene.common.ApiError.of(404, "no translation into " + language);
          }
          int revision = now.getInteger("revision");
          Future<Integer> caughtUp = revision <= row.revision()
              ? Future.succeededFuture(row.revision())
              : repository.ops(conn, doc, row.revision(), revision)
                  .compose(ops -> repository.languageText(conn, manifestoId, language).compose(was ->
                      repository.translated(conn, manifestoId, language).compose(stored -> {
                        String text = now.getString("text");
                        LanguageRow before = new LanguageRow(row.language(), row.doc(), row.revision(), was);
                        List<Change> changes = changes(before, ops, text, stored, source.cut());
                        return repository.saveTranslated(conn, manifestoId, language, changes)
                            .compose(v -> repository.saveLanguageState(conn, manifestoId, language, revision, text));
                      })))
                  .map(v -> revision);
          return caughtUp.compose(rev -> repository.translated(conn, manifestoId, language).map(stored -> {
            List<Row> rows = new ArrayList<>(source.units().size());
            source.units().forEach(u -> rows.add(new Row(u, stored.get(u.id()))));
            return new View(language, doc, rev, source.revision(), rows);
          }));
        })));
  }

  /**
   * What changed in the document since the stored revision: each unit whose translation differs
   * from the stored one, credited to the author of the last operation that touched its block. It
   * follows the source unit's current text when that operation came after the source change the
   * cut saw, else the unit's text before that change (so a translation made before a source edit
   * that reached the cut in the same read is outdated, never wrongly current).
   */
  static List<Change> changes(LanguageRow row, List<StoredOp> ops, String now, Map<Integer, Translated> stored,
                              List<SourceUnit> units) {
    Map<Integer, String> lastAuthor = new HashMap<>();
    Map<Integer, OffsetDateTime> lastTime = new HashMap<>();
    String text = row.text();
    String author = null;
    for (StoredOp stored1 : ops) {
      TextOperation op = TextOperation.fromComponents(new JsonArray(stored1.op()).getList());
      List<Object> parts = op.toComponents();
      int lead = !parts.isEmpty() && parts.get(0) instanceof Integer n && n > 0 ? n : 0;
      int trail = parts.size() > 1 && parts.get(parts.size() - 1) instanceof Integer n && n > 0 ? n : 0;
      text = op.apply(text);
      author = stored1.author();
      int end = text.length() - trail;
      int first = TranslationText.unitAt(text, lead);
      if (first >= 0) {
        lastAuthor.put(first, author);
        lastTime.put(first, stored1.time());
      }
      for (int p = text.indexOf(TranslationText.MARK, lead); p >= 0 && p < end;
           p = text.indexOf(TranslationText.MARK, p + 1)) {
        if (p == 0 || text.charAt(p - 1) == '\n') {
          int nl = text.indexOf('\n', p);
          int id = TranslationText.markerId(text, p, nl < 0 ? text.length() : nl);
          if (id >= 0) {
            lastAuthor.put(id, author);
            lastTime.put(id, stored1.time());
          }
        }
      }
    }
    OffsetDateTime lastOp = ops.isEmpty() ? null : ops.get(ops.size() - 1).time();
    if (!text.equals(now)) {
      text = now; // the stored text was not this document's (it cannot happen; never credit wrongly)
      lastAuthor.clear();
      lastTime.clear();
    }
    Map<Integer, SourceUnit> byId = new HashMap<>();
    units.forEach(u -> byId.put(u.unit().id(), u));
    Map<Integer, String> blocks = TranslationText.blocks(text);
    List<Change> changes = new ArrayList<>();
    for (Map.Entry<Integer, String> block : blocks.entrySet()) {
      Translated before = stored.get(block.getKey());
      String was = before == null ? "" : before.text();
      if (!was.equals(block.getValue())) {
        changes.add(new Change(block.getKey(), block.getValue(),
            followed(byId.get(block.getKey()), lastTime.getOrDefault(block.getKey(), lastOp)),
            lastAuthor.getOrDefault(block.getKey(), author)));
      }
    }
    for (Translated before : stored.values()) {
      if (!blocks.containsKey(before.unit()) && !before.text().isEmpty()) {
        changes.add(new Change(before.unit(), "", null, lastAuthor.getOrDefault(before.unit(), author)));
      }
    }
    return changes;
  }

  /** The source text a translation edited at {@code at} follows; null when the unit left the source. */
  static String followed(SourceUnit u, OffsetDateTime at) {
    if (u == null) {
      return null;
    }
    boolean before = at != null && u.changedAt() != null && at.isBefore(u.changedAt());
    return before && u.previousText() != null ? u.previousText() : u.unit().text();
  }

  /** The committed text and revision of a document, from its sequencer. */
  private Future<JsonObject> read(String doc) {
    return eventBus.<JsonObject>request(Addresses.READ, new JsonObject().put("doc", doc)).map(m -> m.body());
  }
}
