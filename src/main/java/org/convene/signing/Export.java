package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.function.Function;

/**
 * The export of confirmed signatures, streamed: rows come from a cursor a few hundred at a time and
 * go out as they come; when the client reads slower than the database answers, the cursor waits
 * (backpressure), so memory stays flat whatever the number of signatures.
 */
final class Export {
  static final int FETCH = 500;
  static final String[] COLUMNS = {"id", "name", "email", "country", "city", "comment", "display", "language",
      "updates", "version", "versionSha256", "signedAt", "confirmedAt", "kiosk"};

  private Export() {}

  /** Streams the rows of {@code sql} with {@code args} to the response, each through {@code format}. */
  static Future<Void> stream(Pool pool, String sql, Tuple args, HttpServerResponse response, String head,
      Function<Row, String> format, String separator, String tail) {
    return pool.getConnection().compose(conn -> conn.begin().compose(tx -> conn.prepare(sql).compose(ps -> {
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      RowStream<Row> rows = ps.createStream(FETCH, args);
      boolean[] first = {true};
      response.setChunked(true).write(head);
      response.closeHandler(v -> {
        rows.close();
        done.tryFail("the client went away");
      });
      rows.exceptionHandler(done::tryFail);
      rows.endHandler(v -> response.end(tail).onComplete(ar -> done.tryComplete()));
      rows.handler(row -> {
        String line = format.apply(row);
        response.write(first[0] ? line : separator + line);
        first[0] = false;
        if (response.writeQueueFull()) {
          rows.pause();
          response.drainHandler(d -> rows.resume());
        }
      });
      return done.future();
    }).eventually(() -> close(conn, tx))));
  }

  private static Future<Void> close(SqlConnection conn, Transaction tx) {
    return tx.rollback().otherwiseEmpty().eventually(conn::close).mapEmpty();
  }

  static String csvHeader() {
    return "\uFEFF" + String.join(",", COLUMNS) + "\r\n"; // the BOM lets spreadsheets read UTF-8 names
  }

  static String csvRow(Row r) {
    StringBuilder out = new StringBuilder(160);
    Object[] cells = cells(r);
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(csvCell(cells[i] == null ? "" : cells[i].toString()));
    }
    return out.append("\r\n").toString();
  }

  static String jsonRow(Row r) {
    Object[] cells = cells(r);
    JsonObject o = new JsonObject();
    for (int i = 0; i < COLUMNS.length; i++) {
      o.put(COLUMNS[i], cells[i]);
    }
    return o.encode();
  }

  private static Object[] cells(Row r) {
    return new Object[] {r.getLong("id"), r.getString("name"), r.getString("email"), r.getString("country"),
        r.getString("city"), r.getString("comment"), r.getString("display"), r.getString("language"),
        r.getBoolean("updates"), r.getInteger("version"), r.getString("version_sha256"),
        iso(r.getOffsetDateTime("created_at")), iso(r.getOffsetDateTime("confirmed_at")), r.getBoolean("kiosk")};
  }

  private static String iso(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  /**
   * A CSV cell, quoted, safe against formula injection: a cell a spreadsheet would take for a formula
   * (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe, which shows it
   * as text.
   */
  static String csvCell(String s) {
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) {
      s = "'" + s;
    }
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

}
