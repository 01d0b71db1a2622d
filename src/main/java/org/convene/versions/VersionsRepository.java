package org.convene.versions;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** All SQL of versions and history: versions, publications, and reading the op log and snapshots. */
final class VersionsRepository {
  private static final String COLUMNS = """
      manifesto_id, number, name, note, revision, sha256, chain, created_at, created_by, published, published_at""";
  private static final String LOCK_MANIFESTO = "SELECT id FROM manifestos WHERE id = $1 FOR UPDATE";
  private static final String LAST = """
      SELECT number, chain, revision FROM versions WHERE manifesto_id = $1 ORDER BY number DESC LIMIT 1""";
  private static final String INSERT = """
      INSERT INTO versions (manifesto_id, number, name, note, revision, text, sha256, chain, created_at, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""";
  private static final String LIST = "SELECT " + COLUMNS + " FROM versions WHERE manifesto_id = $1 ORDER BY number";
  private static final String FIND = "SELECT " + COLUMNS + ", text FROM versions WHERE manifesto_id = $1 AND number = $2";
  private static final String RANGE = "SELECT " + COLUMNS + ", text FROM versions "
      + "WHERE manifesto_id = $1 AND number >= $2 AND number <= $3 ORDER BY number";
  private static final String REVISIONS_OF = """
      SELECT number, revision FROM versions WHERE manifesto_id = $1 AND number = ANY($2)""";
  private static final String CURRENT = """
      SELECT number FROM publications WHERE manifesto_id = $1 ORDER BY id DESC LIMIT 1""";
  private static final String MARK_PUBLISHED = """
      UPDATE versions SET published = true, published_at = coalesce(published_at, clock_timestamp())
      WHERE manifesto_id = $1 AND number = $2""";
  private static final String PUBLISH = """
      INSERT INTO publications (manifesto_id, number, published_by) VALUES ($1, $2, $3)""";

  private static final String TEXT_SNAPSHOT = """
      SELECT revision, text FROM snapshots WHERE doc = $1 AND revision <= $2 ORDER BY revision DESC LIMIT 1""";
  private static final String OPS = """
      SELECT op, client_id, author FROM ops WHERE doc = $1 AND revision > $2 AND revision <= $3 ORDER BY revision""";
  private static final String LATEST_REVISION = "SELECT coalesce(max(revision), 0) FROM ops WHERE doc = $1";
  private static final String OP_TIME = "SELECT created_at FROM ops WHERE doc = $1 AND revision = $2";
  private static final String DOC_TIME = "SELECT created_at FROM documents WHERE id = $1";
  private static final String CHECKPOINT = """
      SELECT revision, runs FROM attribution_snapshots WHERE doc = $1 AND revision <= $2
      ORDER BY revision DESC LIMIT 1""";
  private static final String STORE_CHECKPOINT = """
      INSERT INTO attribution_snapshots (doc, revision, runs) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""";

  /** A version as stored; {@code text} is null where a listing leaves it out. */
  record Version(String manifestoId, int number, String name, String note, int revision, String text, String sha256,
                 String chain, Instant createdAt, String createdBy, boolean published, Instant publishedAt) {
    Chain.Metadata metadata() {
      return new Chain.Metadata(manifestoId, number, name, note, revision, createdAt, createdBy);
    }
  }

  /** The newest version: what a new one links to. */
  record Last(int number, String chain, int revision) {}

  record Snapshot(int revision, String text) {}

  /** One stored operation, still in its JSON form (parsed off the event loop). */
  record StoredOp(String op, String clientId, String author) {}

  record Checkpoint(int revision, byte[] runs) {}

  private final Pool pool;

  VersionsRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Appends a version in one transaction, the manifesto row locked so numbers and chain links are
   * taken in turn. {@code make} builds the row from the newest version (null for the first).
   */
  Future<Version> append(String manifestoId, java.util.function.Function<Last, Version> make) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_MANIFESTO).execute(Tuple.of(manifestoId))
        .compose(locked -> conn.preparedQuery(LAST).execute(Tuple.of(manifestoId)))
        .map(rows -> rows.size() == 0 ? null : lastOf(rows.iterator().next()))
        .map(make)
        .compose(v -> conn.preparedQuery(INSERT).execute(Tuple.from(List.of(v.manifestoId(), v.number(), v.name(),
                v.note(), v.revision(), v.text(), v.sha256(), v.chain(), utc(v.createdAt()), v.createdBy())))
            .map(done -> v)));
  }

  Future<List<Version>> list(String manifestoId) {
    return pool.preparedQuery(LIST).execute(Tuple.of(manifestoId)).map(rows -> versions(rows, false));
  }

  /** The version, or null. */
  Future<Version> find(String manifestoId, int number) {
    return pool.preparedQuery(FIND).execute(Tuple.of(manifestoId, number))
        .map(rows -> rows.size() == 0 ? null : version(rows.iterator().next(), true));
  }

  Future<List<Version>> range(String manifestoId, int from, int to) {
    return pool.preparedQuery(RANGE).execute(Tuple.of(manifestoId, from, to)).map(rows -> versions(rows, true));
  }

  Future<Map<Integer, Integer>> revisionsOf(String manifestoId, List<Integer> numbers) {
    return pool.preparedQuery(REVISIONS_OF)
        .execute(Tuple.tuple().addString(manifestoId).addArrayOfInteger(numbers.toArray(Integer[]::new)))
        .map(rows -> {
          Map<Integer, Integer> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getInteger("number"), r.getInteger("revision")));
          return out;
        });
  }

  /** The number of the version published last, or null. */
  Future<Integer> current(String manifestoId) {
    return pool.preparedQuery(CURRENT).execute(Tuple.of(manifestoId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
  }

  /** Marks the version published (once) and logs the publication unless it is already the current one. */
  Future<Boolean> publish(String manifestoId, int number, String by) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_MANIFESTO).execute(Tuple.of(manifestoId))
        .compose(locked -> conn.preparedQuery(MARK_PUBLISHED).execute(Tuple.of(manifestoId, number)))
        .compose(marked -> marked.rowCount() == 0 ? Future.succeededFuture(false)
            : currentIn(conn, manifestoId).compose(current -> current != null && current == number
                ? Future.succeededFuture(true)
                : conn.preparedQuery(PUBLISH).execute(Tuple.of(manifestoId, number, by)).map(done -> true))));
  }

  private static Future<Integer> currentIn(SqlConnection conn, String manifestoId) {
    return conn.preparedQuery(CURRENT).execute(Tuple.of(manifestoId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
  }

  Future<Snapshot> textSnapshot(String doc, int atOrBelow) {
    return pool.preparedQuery(TEXT_SNAPSHOT).execute(Tuple.of(doc, atOrBelow)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Snapshot(row.getInteger("revision"), row.getString("text"));
    });
  }

  /** Operations with after < revision <= upTo, ascending. */
  Future<List<StoredOp>> ops(String doc, int after, int upTo) {
    return pool.preparedQuery(OPS).execute(Tuple.of(doc, after, upTo)).map(rows -> {
      List<StoredOp> ops = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ops.add(new StoredOp(row.getString(0), row.getString(1), row.getString(2)));
      }
      return ops;
    });
  }

  Future<Integer> latestRevision(String doc) {
    return pool.preparedQuery(LATEST_REVISION).execute(Tuple.of(doc)).map(rows -> rows.iterator().next().getInteger(0));
  }

  /** When revision r was made: its operation's commit, or the document's creation for 0. */
  Future<Instant> timeOf(String doc, int revision) {
    Future<RowSet<Row>> rows = revision == 0
        ? pool.preparedQuery(DOC_TIME).execute(Tuple.of(doc))
        : pool.preparedQuery(OP_TIME).execute(Tuple.of(doc, revision));
    return rows.map(rs -> rs.size() == 0 ? null : rs.iterator().next().getOffsetDateTime(0).toInstant());
  }

  Future<Checkpoint> checkpoint(String doc, int atOrBelow) {
    return pool.preparedQuery(CHECKPOINT).execute(Tuple.of(doc, atOrBelow)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Checkpoint(row.getInteger(0), row.getBuffer(1).getBytes());
    });
  }

  Future<Void> storeCheckpoints(String doc, List<Checkpoint> checkpoints) {
    if (checkpoints.isEmpty()) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery(STORE_CHECKPOINT)
        .executeBatch(checkpoints.stream().map(c -> Tuple.of(doc, c.revision(), Buffer.buffer(c.runs()))).toList())
        .mapEmpty();
  }

  private static Last lastOf(Row row) {
    return new Last(row.getInteger("number"), row.getString("chain"), row.getInteger("revision"));
  }

  private static List<Version> versions(RowSet<Row> rows, boolean withText) {
    List<Version> out = new ArrayList<>(rows.size());
    rows.forEach(r -> out.add(version(r, withText)));
    return out;
  }

  private static Version version(Row r, boolean withText) {
    OffsetDateTime publishedAt = r.getOffsetDateTime("published_at");
    return new Version(r.getString("manifesto_id"), r.getInteger("number"), r.getString("name"), r.getString("note"),
        r.getInteger("revision"), withText ? r.getString("text") : null, r.getString("sha256"), r.getString("chain"),
        r.getOffsetDateTime("created_at").toInstant(), r.getString("created_by"), r.getBoolean("published"),
        publishedAt == null ? null : publishedAt.toInstant());
  }

  private static OffsetDateTime utc(Instant t) {
    return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
  }
}
