package org.convene.signing;

import static org.convene.signing.SigningRepository.instant;
import static org.convene.signing.SigningRepository.time;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;

/**
 * The organisers' tools' SQL (docs/signing.md, "Organisers"): the export, erasing one signature, the
 * busiest addresses, invalidations and their undoing, the counts by day and by language.
 */
final class OrganiserRepository {
  /** What the export streams: confirmed, counted, not erased signatures, oldest first. */
  static final String EXPORT = """
      SELECT id, name, email, country, city, comment, display, language, updates, version, version_sha256,
             created_at, confirmed_at, kiosk
        FROM signatures
       WHERE manifesto_id = $1 AND state = 'confirmed' AND invalidation_id IS NULL AND erased_at IS NULL
       ORDER BY id""";

  /**
   * Erase on request: personal data gone for good (name, email, city, comment, IP, link tokens, mail
   * not yet sent); an anonymous tombstone stays (country, version, the day), counted as before.
   */
  private static final String ERASE = """
      WITH target AS (
        SELECT id, email FROM signatures
         WHERE manifesto_id = $1 AND erased_at IS NULL AND (id = $2 OR email_key = $3)
         FOR UPDATE
      ), unsent AS (
        DELETE FROM mail_outbox WHERE manifesto_id = $1 AND recipient IN (SELECT email FROM target)
      ), erased AS (
        UPDATE signatures s SET email = NULL, email_key = NULL, name = NULL, city = NULL, comment = NULL, ip = NULL,
               confirm_hash = NULL, withdraw_hash = NULL, confirm_expires = NULL, mailed_at = NULL,
               display = 'hidden', updates = false, language = '',
               created_at = date_trunc('day', s.created_at), confirmed_at = date_trunc('day', s.confirmed_at),
               withdrawn_at = date_trunc('day', s.withdrawn_at), erased_at = date_trunc('day', now())
          FROM target t WHERE s.id = t.id
        RETURNING s.id
      )
      SELECT count(*) FROM erased""";

  private static final String BUSIEST_IPS = """
      SELECT host(ip) AS ip, count(*) AS n FROM signatures
       WHERE manifesto_id = $1 AND created_at > now() - make_interval(mins => $2) AND ip IS NOT NULL
       GROUP BY ip ORDER BY n DESC, ip LIMIT $3""";

  private static final String BUSIEST_DOMAINS = """
      SELECT split_part(email_key, '@', 2) AS domain, count(*) AS n FROM signatures
       WHERE manifesto_id = $1 AND created_at > now() - make_interval(mins => $2) AND email_key IS NOT NULL
       GROUP BY domain ORDER BY n DESC, domain LIMIT $3""";

  /** The filter of an invalidation: $2 an IP or prefix, $3 an email domain, $4..$5 a time range (each optional). */
  private static final String FILTER = """
      manifesto_id = $1 AND invalidation_id IS NULL
        AND ($2::text IS NULL OR ip <<= $2::text::inet)
        AND ($3::text IS NULL OR split_part(email_key, '@', 2) = $3)
        AND ($4::timestamptz IS NULL OR created_at >= $4)
        AND ($5::timestamptz IS NULL OR created_at < $5)""";
  private static final String FILTER_COUNT = "SELECT count(*) FROM signatures WHERE " + FILTER;
  private static final String INVALIDATION_INSERT = """
      INSERT INTO signature_invalidations (manifesto_id, filter, reason, matched) VALUES ($1, $2, $3, 0) RETURNING id""";
  private static final String INVALIDATE = "UPDATE signatures SET invalidation_id = $6 WHERE " + FILTER;
  private static final String INVALIDATION_MATCHED = "UPDATE signature_invalidations SET matched = $2 WHERE id = $1";
  private static final String UNDO = """
      UPDATE signature_invalidations SET undone_at = now()
       WHERE id = $1 AND manifesto_id = $2 AND undone_at IS NULL RETURNING id""";
  private static final String RESTORE = "UPDATE signatures SET invalidation_id = NULL WHERE invalidation_id = $1";
  private static final String INVALIDATIONS = """
      SELECT id, filter, reason, matched, created_at, undone_at FROM signature_invalidations
       WHERE manifesto_id = $1 ORDER BY id DESC""";

  private static final String BY_DAY = """
      SELECT to_char(date_trunc('day', confirmed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, count(*) AS n
        FROM signatures WHERE manifesto_id = $1 AND state = 'confirmed' AND invalidation_id IS NULL
       GROUP BY day ORDER BY day""";

  /** The count by the language of the text signed; an erased signature's is unknown ('und'). */
  private static final String BY_LANGUAGE = """
      SELECT coalesce(nullif(language, ''), 'und') AS language, count(*) AS n
        FROM signatures WHERE manifesto_id = $1 AND state = 'confirmed' AND invalidation_id IS NULL
       GROUP BY 1 ORDER BY 1""";

  private final Pool pool;

  OrganiserRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** Erases a signature by id or by (normalised) email; how many were erased (0 or 1). */
  Future<Long> erase(String manifestoId, Long id, String emailKey) {
    return pool.preparedQuery(ERASE).execute(Tuple.of(manifestoId, id, emailKey)).map(SigningRepository::count);
  }

  /** The busiest IPs and email domains of the last minutes, most signatures first. */
  Future<JsonObject> report(String manifestoId, int minutes, int top) {
    Tuple args = Tuple.of(manifestoId, minutes, top);
    return Future.all(pool.preparedQuery(BUSIEST_IPS).execute(args), pool.preparedQuery(BUSIEST_DOMAINS).execute(args))
        .map(all -> {
          JsonArray ips = new JsonArray();
          for (Row r : all.<RowSet<Row>>resultAt(0)) {
            ips.add(new JsonObject().put("ip", r.getString("ip")).put("signatures", r.getLong("n")));
          }
          JsonArray domains = new JsonArray();
          for (Row r : all.<RowSet<Row>>resultAt(1)) {
            domains.add(new JsonObject().put("domain", r.getString("domain")).put("signatures", r.getLong("n")));
          }
          return new JsonObject().put("minutes", minutes).put("ips", ips).put("domains", domains);
        });
  }

  /** An invalidation's filter: each part optional, at least one given (checked by the caller). */
  record Filter(String ip, String domain, Instant from, Instant to) {
    Tuple args(String manifestoId) {
      return Tuple.of(manifestoId, ip, domain, time(from), time(to));
    }

    JsonObject json() {
      return new JsonObject().put("ip", ip).put("domain", domain).put("from", from == null ? null : from.toString())
          .put("to", to == null ? null : to.toString());
    }
  }

  Future<Long> matching(String manifestoId, Filter f) {
    return pool.preparedQuery(FILTER_COUNT).execute(f.args(manifestoId)).map(SigningRepository::count);
  }

  /** Invalidates what the filter matches, logged as one invalidation; {id, invalidated}. */
  Future<JsonObject> invalidate(String manifestoId, Filter f, String reason) {
    return pool.withTransaction(conn -> conn.preparedQuery(INVALIDATION_INSERT)
        .execute(Tuple.of(manifestoId, f.json(), reason))
        .compose(rows -> {
          long id = rows.iterator().next().getLong(0);
          return conn.preparedQuery(INVALIDATE).execute(f.args(manifestoId).addLong(id))
              .compose(updated -> conn.preparedQuery(INVALIDATION_MATCHED).execute(Tuple.of(id, updated.rowCount()))
                  .map(v -> new JsonObject().put("id", id).put("invalidated", updated.rowCount())));
        }));
  }

  /** Undoes an invalidation: its signatures count again. Null when there is none to undo. */
  Future<JsonObject> undo(String manifestoId, long id) {
    return pool.withTransaction(conn -> conn.preparedQuery(UNDO).execute(Tuple.of(id, manifestoId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      return conn.preparedQuery(RESTORE).execute(Tuple.of(id))
          .map(restored -> new JsonObject().put("id", id).put("restored", restored.rowCount()));
    }));
  }

  Future<JsonArray> invalidations(String manifestoId) {
    return pool.preparedQuery(INVALIDATIONS).execute(Tuple.of(manifestoId)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        Instant undone = instant(r.getOffsetDateTime("undone_at"));
        out.add(new JsonObject().put("id", r.getLong("id")).put("filter", r.getJsonObject("filter"))
            .put("reason", r.getString("reason")).put("matched", r.getInteger("matched"))
            .put("createdAt", instant(r.getOffsetDateTime("created_at")).toString())
            .put("undoneAt", undone == null ? null : undone.toString()));
      }
      return out;
    });
  }

  /** Confirmed signatures per day (UTC), oldest first. */
  Future<JsonArray> byDay(String manifestoId) {
    return pool.preparedQuery(BY_DAY).execute(Tuple.of(manifestoId)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("day", r.getString("day")).put("confirmed", r.getLong("n")));
      }
      return out;
    });
  }

  Future<JsonObject> byLanguage(String manifestoId) {
    return pool.preparedQuery(BY_LANGUAGE).execute(Tuple.of(manifestoId)).map(rows -> {
      JsonObject out = new JsonObject();
      for (Row r : rows) {
        out.put(r.getString("language"), r.getLong("n"));
      }
      return out;
    });
  }
}
