package org.convene.translations;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** All SQL of translations: the source's units, languages, translated units, memory, publications. */
public final class TranslationsRepository {
  private static final String MANIFESTO = "SELECT language FROM manifestos WHERE id = $1";
  private static final String SOURCE_STATE = """
      INSERT INTO translation_sources (manifesto_id, revision, next_unit) VALUES ($1, -1, 1)
      ON CONFLICT (manifesto_id) DO UPDATE SET revision = translation_sources.revision
      RETURNING revision, next_unit""";
  private static final String ACTIVE_UNITS = """
      SELECT unit_id, text, previous_text, changed_at FROM source_units
      WHERE manifesto_id = $1 AND ordinal IS NOT NULL ORDER BY ordinal""";
  private static final String SAVE_UNITS = """
      INSERT INTO source_units (manifesto_id, unit_id, ordinal, text, changed_at)
      SELECT $1, u, o, t, coalesce($5, now()) FROM unnest($2::int[], $3::int[], $4::text[]) AS x(u, o, t)
      ON CONFLICT (manifesto_id, unit_id) DO UPDATE SET
          ordinal = EXCLUDED.ordinal,
          text = EXCLUDED.text,
          previous_text = CASE WHEN source_units.text = EXCLUDED.text THEN source_units.previous_text
                               ELSE source_units.text END,
          changed_at = CASE WHEN source_units.text = EXCLUDED.text THEN source_units.changed_at
                            ELSE EXCLUDED.changed_at END""";
  private static final String OP_TIME = "SELECT created_at FROM ops WHERE doc = $1 AND revision = $2";
  private static final String DROP_UNITS = """
      UPDATE source_units SET ordinal = NULL
      WHERE manifesto_id = $1 AND ordinal IS NOT NULL AND NOT (unit_id = ANY($2::int[]))""";
  private static final String SAVE_SOURCE_STATE = """
      UPDATE translation_sources SET revision = $2, next_unit = $3 WHERE manifesto_id = $1""";

  private static final String LANGUAGES = """
      SELECT language, doc, revision, NULL AS text FROM translation_languages
      WHERE manifesto_id = $1 AND removed_at IS NULL ORDER BY language""";
  private static final String LOCK_LANGUAGE = """
      SELECT language, doc, revision, NULL AS text FROM translation_languages
      WHERE manifesto_id = $1 AND language = $2 AND removed_at IS NULL FOR UPDATE""";
  private static final String LANGUAGE_TEXT = """
      SELECT text FROM translation_languages WHERE manifesto_id = $1 AND language = $2""";
  private static final String ADD_DOCUMENT = """
      INSERT INTO documents (id, manifesto_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING""";
  private static final String ADD_SNAPSHOT = """
      INSERT INTO snapshots (doc, revision, text) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING""";
  private static final String ADD_LANGUAGE = """
      INSERT INTO translation_languages (manifesto_id, language, doc, revision, text) VALUES ($1, $2, $3, 0, $4)
      ON CONFLICT (manifesto_id, language) DO UPDATE SET removed_at = NULL
      WHERE translation_languages.removed_at IS NOT NULL
      RETURNING language""";
  private static final String REMOVE_LANGUAGE = """
      UPDATE translation_languages SET removed_at = now()
      WHERE manifesto_id = $1 AND language = $2 AND removed_at IS NULL""";
  private static final String SAVE_LANGUAGE_STATE = """
      UPDATE translation_languages SET revision = $3, text = $4 WHERE manifesto_id = $1 AND language = $2""";
  private static final String OPS = """
      SELECT op, author, created_at FROM ops WHERE doc = $1 AND revision > $2 AND revision <= $3 ORDER BY revision""";

  private static final String TRANSLATED = """
      SELECT unit_id, text, source_text, translated_by, translated_at, confirmed_by, reviewed_by, reviewed_text,
             reviewed_at
      FROM translation_units WHERE manifesto_id = $1 AND language = $2""";
  private static final String SAVE_TRANSLATED = """
      INSERT INTO translation_units (manifesto_id, language, unit_id, text, source_text, translated_by, translated_at)
      SELECT $1, $2, u, t, s, a, now() FROM unnest($3::int[], $4::text[], $5::text[], $6::text[]) AS x(u, t, s, a)
      ON CONFLICT (manifesto_id, language, unit_id) DO UPDATE SET
          text = EXCLUDED.text,
          source_text = coalesce(EXCLUDED.source_text, translation_units.source_text),
          translated_by = EXCLUDED.translated_by,
          translated_at = EXCLUDED.translated_at,
          confirmed_by = NULL""";
  private static final String CONFIRM = """
      UPDATE translation_units SET source_text = $4, confirmed_by = $5
      WHERE manifesto_id = $1 AND language = $2 AND unit_id = $3 AND btrim(text) <> ''""";
  private static final String REVIEW = """
      UPDATE translation_units SET reviewed_by = $4, reviewed_text = CASE WHEN $4::text IS NULL THEN NULL ELSE text END,
          reviewed_at = CASE WHEN $4::text IS NULL THEN NULL ELSE now() END
      WHERE manifesto_id = $1 AND language = $2 AND unit_id = $3""";
  /**
   * The memory of one half ($4: unit_id % 2) in one round trip: whether the language is the
   * manifesto's, the unit's text as last cut, and the $5 translated units whose source texts are
   * most alike it, searched by trigram count in the stages $6 (db/migration/V14).
   */
  private static final String MEMORY = """
      WITH asked AS (
          SELECT EXISTS (SELECT 1 FROM translation_languages
                         WHERE manifesto_id = $2 AND language = $1 AND removed_at IS NULL) AS known,
                 (SELECT text FROM source_units WHERE manifesto_id = $2 AND unit_id = $3 AND ordinal IS NOT NULL) AS source)
      SELECT asked.known, asked.source, m.manifesto_id, m.source, m.translation, m.similarity FROM asked
      LEFT JOIN LATERAL translation_memory($1, CASE WHEN asked.known THEN asked.source END, $2, $3, $4, $5, $6) m ON true""";
  /**
   * The stages of the memory's search: the windows of trigram counts that can reach each
   * similarity, narrowest first; the last is the least similarity a suggestion needs.
   */
  static final Double[] MEMORY_BOUNDS = {0.9, 0.8, 0.7, 0.5, 0.3};
  /** Best first; equals by the translation's text, as the database orders each half. */
  private static final Comparator<Suggestion> MEMORY_ORDER =
      Comparator.comparingDouble(Suggestion::similarity).reversed().thenComparing(Suggestion::translation);

  private static final String PUBLISH = """
      INSERT INTO translation_publications (manifesto_id, language, number, source_sha256, text, sha256, published_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING published_at""";
  private static final String PUBLISHED = """
      SELECT language, number, source_sha256, text, sha256, published_at, published_by
      FROM translation_publications WHERE manifesto_id = $1 AND number = $2 AND language = $3
      ORDER BY id DESC LIMIT 1""";
  private static final String PUBLISHED_LANGUAGES = """
      SELECT DISTINCT language FROM translation_publications WHERE manifesto_id = $1 AND number = $2
      ORDER BY language""";

  record SourceState(int revision, int nextUnit) {}

  record LanguageRow(String language, String doc, int revision, String text) {}

  record StoredOp(String op, String author, OffsetDateTime time) {}

  /** A unit of the current cut with what it was before its last change, and when that change was seen. */
  record SourceUnit(Units.Unit unit, String previousText, OffsetDateTime changedAt) {}

  /** A unit's translation as stored; {@code sourceText} null until first translated. */
  record Translated(int unit, String text, String sourceText, String translatedBy, OffsetDateTime translatedAt,
                    String confirmedBy, String reviewedBy, String reviewedText, OffsetDateTime reviewedAt) {}

  /** A change read from the document: the unit's new text, the source it now follows, who made it. */
  record Change(int unit, String text, String sourceText, String author) {}

  record Suggestion(String manifestoId, String source, String translation, double similarity) {}

  /** The memory's answer for a unit: whether the language exists, the unit's text (null: no such unit), the suggestions. */
  record Memory(boolean known, String source, List<Suggestion> suggestions) {}

  public record Publication(String language, int number, String sourceSha256, String text, String sha256,
                     OffsetDateTime publishedAt, String publishedBy) {}

  private final Pool pool;

  public TranslationsRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** The source language of a manifesto, or null when there is none. */
  Future<String> sourceLanguage(String manifestoId) {
    return pool.preparedQuery(MANIFESTO).execute(Tuple.of(manifestoId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  /** The cut's state, its row locked for the transaction (created on first use). */
  Future<SourceState> lockSource(SqlConnection conn, String manifestoId) {
    return conn.preparedQuery(SOURCE_STATE).execute(Tuple.of(manifestoId)).map(rows -> {
      Row r = rows.iterator().next();
      return new SourceState(r.getInteger(0), r.getInteger(1));
    });
  }

  Future<List<SourceUnit>> activeUnits(SqlConnection conn, String manifestoId) {
    return conn.preparedQuery(ACTIVE_UNITS).execute(Tuple.of(manifestoId)).map(rows -> {
      List<SourceUnit> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(new SourceUnit(new Units.Unit(r.getInteger(0), r.getString(1)), r.getString(2),
          r.getOffsetDateTime(3))));
      return out;
    });
  }

  /** When the operation that made a revision was committed (null for revision 0). */
  Future<OffsetDateTime> opTime(SqlConnection conn, String doc, int revision) {
    return conn.preparedQuery(OP_TIME).execute(Tuple.of(doc, revision))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime(0));
  }

  Future<Void> saveCut(SqlConnection conn, String manifestoId, Units.Cut cut, int revision, OffsetDateTime at) {
    int n = cut.units().size();
    Integer[] ids = new Integer[n];
    Integer[] ordinals = new Integer[n];
    String[] texts = new String[n];
    for (int k = 0; k < n; k++) {
      ids[k] = cut.units().get(k).id();
      ordinals[k] = k;
      texts[k] = cut.units().get(k).text();
    }
    return conn.preparedQuery(DROP_UNITS).execute(Tuple.tuple().addString(manifestoId).addArrayOfInteger(ids))
        .compose(v -> conn.preparedQuery(SAVE_UNITS).execute(Tuple.tuple().addString(manifestoId)
            .addArrayOfInteger(ids).addArrayOfInteger(ordinals).addArrayOfString(texts).addOffsetDateTime(at)))
        .compose(v -> conn.preparedQuery(SAVE_SOURCE_STATE).execute(Tuple.of(manifestoId, revision, cut.nextId())))
        .mapEmpty();
  }

  Future<List<LanguageRow>> languages(String manifestoId) {
    return pool.preparedQuery(LANGUAGES).execute(Tuple.of(manifestoId)).map(rows -> {
      List<LanguageRow> out = new ArrayList<>();
      rows.forEach(r -> out.add(languageRow(r)));
      return out;
    });
  }

  /** The document's text as last read. */
  Future<String> languageText(SqlConnection conn, String manifestoId, String language) {
    return conn.preparedQuery(LANGUAGE_TEXT).execute(Tuple.of(manifestoId, language))
        .map(rows -> rows.iterator().next().getString(0));
  }

  /**
   * The language's row locked for the transaction (without its text: see {@link #languageText}), or
   * null when the language is not (or no longer) there.
   */
  Future<LanguageRow> lockLanguage(SqlConnection conn, String manifestoId, String language) {
    return conn.preparedQuery(LOCK_LANGUAGE).execute(Tuple.of(manifestoId, language))
        .map(rows -> rows.size() == 0 ? null : languageRow(rows.iterator().next()));
  }

  /** Adds a language with its document; false when it is there already. */
  Future<Boolean> addLanguage(String manifestoId, String language, String doc, String initialText) {
    return pool.withTransaction(conn -> conn.preparedQuery(ADD_DOCUMENT).execute(Tuple.of(doc, manifestoId))
        .compose(v -> conn.preparedQuery(ADD_SNAPSHOT).execute(Tuple.of(doc, initialText)))
        .compose(v -> conn.preparedQuery(ADD_LANGUAGE).execute(Tuple.of(manifestoId, language, doc, initialText)))
        .map(rows -> rows.size() == 1));
  }

  Future<Boolean> removeLanguage(String manifestoId, String language) {
    return pool.preparedQuery(REMOVE_LANGUAGE).execute(Tuple.of(manifestoId, language)).map(r -> r.rowCount() == 1);
  }

  Future<Void> saveLanguageState(SqlConnection conn, String manifestoId, String language, int revision, String text) {
    return conn.preparedQuery(SAVE_LANGUAGE_STATE).execute(Tuple.of(manifestoId, language, revision, text)).mapEmpty();
  }

  Future<List<StoredOp>> ops(SqlConnection conn, String doc, int after, int upTo) {
    return conn.preparedQuery(OPS).execute(Tuple.of(doc, after, upTo)).map(rows -> {
      List<StoredOp> out = new ArrayList<>(rows.size());
      rows.forEach(r -> out.add(new StoredOp(r.getString(0), r.getString(1), r.getOffsetDateTime(2))));
      return out;
    });
  }

  Future<Map<Integer, Translated>> translated(SqlConnection conn, String manifestoId, String language) {
    return conn.preparedQuery(TRANSLATED).execute(Tuple.of(manifestoId, language)).map(rows -> {
      Map<Integer, Translated> out = new HashMap<>();
      for (Row r : rows) {
        out.put(r.getInteger("unit_id"), new Translated(r.getInteger("unit_id"), r.getString("text"),
            r.getString("source_text"), r.getString("translated_by"), r.getOffsetDateTime("translated_at"),
            r.getString("confirmed_by"), r.getString("reviewed_by"), r.getString("reviewed_text"),
            r.getOffsetDateTime("reviewed_at")));
      }
      return out;
    });
  }

  Future<Void> saveTranslated(SqlConnection conn, String manifestoId, String language, List<Change> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    Integer[] units = changes.stream().map(Change::unit).toArray(Integer[]::new);
    String[] texts = changes.stream().map(Change::text).toArray(String[]::new);
    String[] sources = changes.stream().map(Change::sourceText).toArray(String[]::new);
    String[] authors = changes.stream().map(Change::author).toArray(String[]::new);
    return conn.preparedQuery(SAVE_TRANSLATED).execute(Tuple.tuple().addString(manifestoId).addString(language)
            .addArrayOfInteger(units).addArrayOfString(texts).addArrayOfString(sources).addArrayOfString(authors))
        .mapEmpty();
  }

  Future<Boolean> confirm(String manifestoId, String language, int unit, String sourceText, String by) {
    return pool.preparedQuery(CONFIRM).execute(Tuple.of(manifestoId, language, unit, sourceText, by))
        .map(r -> r.rowCount() == 1);
  }

  /** Marks a unit reviewed by {@code by}, or back to draft when {@code by} is null. */
  Future<Void> review(String manifestoId, String language, int unit, String by) {
    return pool.preparedQuery(REVIEW).execute(Tuple.of(manifestoId, language, unit, by)).mapEmpty();
  }

  /**
   * The memory for a unit: whether the language exists, the unit's text, and its {@code limit}
   * nearest translations. The two halves of the memory are asked at once, on two connections, so
   * that two cores share the walk; the best of each half's best are the best of all.
   */
  Future<Memory> memory(String language, String manifestoId, int unit, int limit) {
    List<Future<RowSet<Row>>> halves = new ArrayList<>(2);
    for (int half = 0; half < 2; half++) {
      halves.add(pool.preparedQuery(MEMORY).execute(Tuple.tuple().addString(language).addString(manifestoId)
          .addInteger(unit).addInteger(half).addInteger(limit).addArrayOfDouble(MEMORY_BOUNDS)));
    }
    return Future.all(halves).map(all -> {
      List<Suggestion> found = new ArrayList<>();
      boolean known = false;
      String source = null;
      for (Future<RowSet<Row>> half : halves) {
        for (Row r : half.result()) {
          known = r.getBoolean(0);
          source = r.getString(1);
          if (r.getString(2) != null) {
            found.add(new Suggestion(r.getString(2), r.getString(3), r.getString(4), r.getDouble(5)));
          }
        }
      }
      found.sort(MEMORY_ORDER);
      return new Memory(known, source, found.size() > limit ? List.copyOf(found.subList(0, limit)) : found);
    });
  }

  Future<OffsetDateTime> publish(String manifestoId, String language, int number, String sourceSha256, String text,
                                 String sha256, String by) {
    return pool.preparedQuery(PUBLISH).execute(Tuple.tuple().addString(manifestoId).addString(language)
            .addInteger(number).addString(sourceSha256).addString(text).addString(sha256).addString(by))
        .map(rows -> rows.iterator().next().getOffsetDateTime(0));
  }

  /** The translation published last for a version in a language, or null. */
  public Future<Publication> published(String manifestoId, int number, String language) {
    return pool.preparedQuery(PUBLISHED).execute(Tuple.of(manifestoId, number, language)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      return new Publication(r.getString(0), r.getInteger(1), r.getString(2), r.getString(3), r.getString(4),
          r.getOffsetDateTime(5), r.getString(6));
    });
  }

  Future<List<String>> publishedLanguages(String manifestoId, int number) {
    return pool.preparedQuery(PUBLISHED_LANGUAGES).execute(Tuple.of(manifestoId, number)).map(rows -> {
      List<String> out = new ArrayList<>();
      rows.forEach(r -> out.add(r.getString(0)));
      return out;
    });
  }

  private static LanguageRow languageRow(Row r) {
    return new LanguageRow(r.getString("language"), r.getString("doc"), r.getInteger("revision"), r.getString("text"));
  }
}
