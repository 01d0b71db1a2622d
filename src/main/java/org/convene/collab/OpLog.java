package org.convene.collab;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convene.common.Text;
import org.convene.ot.TextOperation;

/** All SQL of live editing: the operation log, snapshots and editing clients. */
final class OpLog {
  private static final String LATEST_SNAPSHOT = """
      SELECT revision, text FROM snapshots WHERE doc = $1 ORDER BY revision DESC LIMIT 1""";
  private static final String OPS_BETWEEN = """
      SELECT revision, op, client_id, seq, author, created_at FROM ops
      WHERE doc = $1 AND revision > $2 AND revision <= $3 ORDER BY revision LIMIT $4""";
  private static final String LAST_SEQS = """
      SELECT DISTINCT ON (client_id) client_id, seq, revision FROM ops
      WHERE doc = $1 AND client_id = ANY($2) ORDER BY client_id, seq DESC""";
  private static final String REVISION_OF = """
      SELECT revision FROM ops WHERE doc = $1 AND client_id = $2 AND seq = $3""";
  private static final String APPEND = """
      INSERT INTO ops (doc, revision, client_id, seq, op, author, created_at)
      SELECT $1, r, c, s, o, a, now()
      FROM unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::text[]) AS t(r, c, s, o, a)""";
  private static final String SNAPSHOT = """
      INSERT INTO snapshots (doc, revision, text) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING""";
  private static final String CREATE_CLIENT = """
      INSERT INTO clients (client_id, doc, resume_hash, name, color) VALUES ($1, $2, $3, $4, $5)""";
  private static final String CLIENT_BY_RESUME = """
      SELECT client_id, doc, name, color FROM clients WHERE resume_hash = $1""";
  private static final String UPDATE_CLIENT_NAME = """
      UPDATE clients SET name = $2 WHERE client_id = $1""";
  /** The warm-up's document (manifesto, document, revision 0), only ever written inside a transaction rolled back. */
  private static final String THROW_AWAY_DOCUMENT = """
      WITH m AS (INSERT INTO manifestos (id, title, language) VALUES ($1, 'warm-up', 'en') RETURNING id),
           d AS (INSERT INTO documents (id, manifesto_id) SELECT id, id FROM m RETURNING id)
      INSERT INTO snapshots (doc, revision, text) SELECT id, 0, $2 FROM d""";

  record Snapshot(int revision, String text) {}

  record StoredOp(int revision, TextOperation op, String clientId, int seq, String author, OffsetDateTime time) {}

  record Mark(int seq, int revision) {
    static final Mark NONE = new Mark(0, 0);
  }

  record Client(String clientId, String doc, String name, String color) {}

  /** One applied operation, as stored. */
  record Entry(int revision, TextOperation op, String clientId, int seq, String author) {}

  private final SqlClient pool;

  /** @param pool the server's pool; or, for the start-up warm-up, one connection inside a transaction */
  OpLog(SqlClient pool) {
    this.pool = pool;
  }

  /** The newest snapshot, or null when the document does not exist (every document has revision 0). */
  Future<Snapshot> latestSnapshot(String doc) {
    return pool.preparedQuery(LATEST_SNAPSHOT).execute(Tuple.of(doc)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Snapshot(row.getInteger("revision"), row.getString("text"));
    });
  }

  /** Operations with after < revision <= upTo, ascending, at most limit of them. */
  Future<List<StoredOp>> between(String doc, int after, int upTo, int limit) {
    return pool.preparedQuery(OPS_BETWEEN).execute(Tuple.of(doc, after, upTo, limit)).map(rows -> {
      List<StoredOp> ops = new ArrayList<>(rows.size());
      for (Row row : rows) {
        ops.add(new StoredOp(row.getInteger("revision"),
            TextOperation.fromComponents(new JsonArray(row.getString("op")).getList()),
            row.getString("client_id"), row.getInteger("seq"), row.getString("author"),
            row.getOffsetDateTime("created_at")));
      }
      return ops;
    });
  }

  /** The last applied seq of each client (clients with none are absent). */
  Future<Map<String, Mark>> lastSeqs(String doc, List<String> clientIds) {
    return pool.preparedQuery(LAST_SEQS).execute(Tuple.tuple().addString(doc).addArrayOfString(clientIds.toArray(String[]::new))).map(rows -> {
      Map<String, Mark> marks = new HashMap<>();
      for (Row row : rows) {
        marks.put(row.getString("client_id"), new Mark(row.getInteger("seq"), row.getInteger("revision")));
      }
      return marks;
    });
  }

  /** The revision a (client, seq) got, or null. */
  Future<Integer> revisionOf(String doc, String clientId, int seq) {
    return pool.preparedQuery(REVISION_OF).execute(Tuple.of(doc, clientId, seq))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getInteger(0));
  }

  /** Stores a batch in one statement: all of it or none. */
  Future<Void> append(String doc, List<Entry> entries) {
    int n = entries.size();
    Integer[] revisions = new Integer[n];
    String[] clients = new String[n];
    Integer[] seqs = new Integer[n];
    String[] ops = new String[n];
    String[] authors = new String[n];
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      revisions[i] = e.revision();
      clients[i] = e.clientId();
      seqs[i] = e.seq();
      ops[i] = e.op().toString(); // the ot.js JSON form, written directly: no JsonArray, no Jackson
      authors[i] = e.author();
    }
    return pool.preparedQuery(APPEND).execute(Tuple.of(doc, revisions, clients, seqs, ops, authors)).mapEmpty();
  }

  /** A U+0000 stored by an edit before edits were checked is snapshotted as U+FFFD (see Text.storable). */
  Future<Void> snapshot(String doc, int revision, String text) {
    return pool.preparedQuery(SNAPSHOT).execute(Tuple.of(doc, revision, Text.storable(text))).mapEmpty();
  }

  Future<Void> createClient(Client client, Buffer resumeHash) {
    return pool.preparedQuery(CREATE_CLIENT)
        .execute(Tuple.of(client.clientId(), client.doc(), resumeHash, client.name(), client.color()))
        .mapEmpty();
  }

  Future<Client> clientByResume(Buffer resumeHash) {
    return pool.preparedQuery(CLIENT_BY_RESUME).execute(Tuple.of(resumeHash)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row row = rows.iterator().next();
      return new Client(row.getString("client_id"), row.getString("doc"), row.getString("name"), row.getString("color"));
    });
  }

  Future<Void> rename(String clientId, String name) {
    return pool.preparedQuery(UPDATE_CLIENT_NAME).execute(Tuple.of(clientId, name)).mapEmpty();
  }

  /** A document at revision 0 for the warm-up ({@link WarmUp}); its caller rolls the transaction back. */
  Future<Void> createThrowAwayDocument(String doc, String text) {
    return pool.preparedQuery(THROW_AWAY_DOCUMENT).execute(Tuple.of(doc, text)).mapEmpty();
  }
}
