package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signing's SQL (db/migration/V3__signing.sql): signing, the links, the counts and the outbox. The
 * organisers' tools have theirs in {@link OrganiserRepository}.
 */
final class SigningRepository {
  /** A manifesto as signing needs it: title, language, the version published last (null: none) and settings. */
  record Context(String id, String title, String language, Integer version, String sha256, Settings settings) {}

  /** A signature to store; {@code mail} null when none is sent. */
  record NewSignature(String manifestoId, Signer signer, int version, String sha256, boolean confirmed, boolean kiosk,
                      String ip, Buffer confirmHash, int confirmDays, Buffer withdrawHash, Queued mail,
                      String interfaceLanguage) {}

  /** A mail as it is sent. */
  record Mail(String messageId, String recipient, String subject, String text, String html) {}

  /** A mail as the outbox keeps it: its draft ({@link Messages#write} writes it when it is sent). */
  record Queued(String messageId, String recipient, String draft) {}

  /**
   * A due message, claimed for one attempt: its draft, or (queued before drafts, db/migration V17) the
   * mail written out, {@code draft} null.
   */
  record Due(long id, String messageId, String recipient, String draft, String subject, String text, String html,
             int attempts) {}

  /** The confirmed count: total and by country, and what it saw ({@code seen}; null when not known). */
  record Counts(long confirmed, Map<String, Long> byCountry, Seen seen) {}

  /**
   * A PostgreSQL snapshot ({@code xmin:xmax:xip,...} of {@code pg_current_snapshot()}): which
   * transactions' work a read saw. A transaction committed later is not seen; one seen by a read is
   * seen by every later one.
   */
  record Seen(long xmin, long xmax, long[] inProgress) {
    static Seen parse(String text) {
      String[] parts = text.split(":", -1);
      long[] xip = parts[2].isEmpty() ? new long[0]
          : java.util.Arrays.stream(parts[2].split(",")).mapToLong(Long::parseLong).sorted().toArray();
      return new Seen(Long.parseLong(parts[0]), Long.parseLong(parts[1]), xip);
    }

    /** True when the work of transaction {@code xid} (committed) is in what this snapshot saw. */
    boolean saw(long xid) {
      return xid < xmin || (xid < xmax && java.util.Arrays.binarySearch(inProgress, xid) < 0);
    }
  }

  /** What {@link #insertBatch} did with each row, and the transaction that did it. */
  record Batch(Inserted[] rows, long xid) {}

  /** What a repeated signature finds: its row's state. */
  record Existing(long id, String state, boolean invalidated, boolean recentlyMailed) {}

  private static final String CONTEXT = """
      SELECT m.id, m.title, m.language, v.number, v.sha256,
             s.require_email, s.goal, s.deadline, s.open, s.per_ip_burst, s.per_ip_per_hour,
             s.kiosk, s.kiosk_per_minute, s.kiosk_key
        FROM manifestos m
        LEFT JOIN signing_settings s ON s.manifesto_id = m.id
        LEFT JOIN LATERAL (SELECT p.number FROM publications p WHERE p.manifesto_id = m.id
                            ORDER BY p.id DESC LIMIT 1) p ON true
        LEFT JOIN versions v ON v.manifesto_id = m.id AND v.number = p.number
       WHERE m.id = $1""";

  private static final String SAVE_SETTINGS = """
      INSERT INTO signing_settings (manifesto_id, require_email, goal, deadline, open, per_ip_burst, per_ip_per_hour,
                                    kiosk, kiosk_per_minute, kiosk_key, updated_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
      ON CONFLICT (manifesto_id) DO UPDATE SET
          require_email = EXCLUDED.require_email, goal = EXCLUDED.goal, deadline = EXCLUDED.deadline,
          open = EXCLUDED.open, per_ip_burst = EXCLUDED.per_ip_burst, per_ip_per_hour = EXCLUDED.per_ip_per_hour,
          kiosk = EXCLUDED.kiosk, kiosk_per_minute = EXCLUDED.kiosk_per_minute, kiosk_key = EXCLUDED.kiosk_key,
          updated_at = now()""";

  /**
   * A batch of new signatures and their mail in one statement; returns the rows inserted (not signed
   * before) and, once per manifesto in the batch, the number of its latest publication: a row given a
   * version that is no longer the latest (the context it was built from was read before a publication)
   * is not inserted, and its signer is taken again with the new version.
   */
  private static final String INSERT_BATCH = """
      WITH input AS (
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                             $8::text[], $9::text[], $10::boolean[], $11::int[], $12::text[], $13::boolean[],
                             $14::boolean[], $15::text[], $16::bytea[], $17::int[], $18::bytea[], $19::text[],
                             $20::text[], $21::text[]) WITH ORDINALITY
          AS t(manifesto_id, email_key, email, name, city, comment, country, display, language, updates, version,
               version_sha256, confirmed, kiosk, ip, confirm_hash, confirm_days, withdraw_hash, message_id, draft,
               interface_language, n)
      ), latest AS (
        SELECT ids.manifesto_id AS latest_manifesto,
               (SELECT p.number FROM publications p WHERE p.manifesto_id = ids.manifesto_id
                 ORDER BY p.id DESC LIMIT 1) AS latest_number
          FROM (SELECT DISTINCT manifesto_id FROM input) ids
      ), s AS (
        INSERT INTO signatures (manifesto_id, email_key, email, name, city, comment, country, display, language,
                                updates, version, version_sha256, state, kiosk, ip, confirmed_at,
                                confirm_hash, confirm_expires, withdraw_hash, mailed_at, interface_language)
        SELECT manifesto_id, email_key, email, name, city, comment, country, display, language, updates, version,
               version_sha256, CASE WHEN confirmed THEN 'confirmed' ELSE 'pending' END, kiosk, ip::inet,
               CASE WHEN confirmed THEN now() END, confirm_hash, now() + make_interval(days => confirm_days),
               withdraw_hash, CASE WHEN message_id IS NOT NULL THEN now() END, interface_language
          FROM input JOIN latest ON latest_manifesto = manifesto_id AND latest_number = version
         ORDER BY n
        ON CONFLICT (manifesto_id, email_key) WHERE email_key IS NOT NULL DO NOTHING
        RETURNING id, manifesto_id, email_key
      ), o AS (
        INSERT INTO mail_outbox (message_id, manifesto_id, recipient, draft)
        SELECT i.message_id, i.manifesto_id, i.email, i.draft
          FROM s JOIN input i ON i.manifesto_id = s.manifesto_id AND i.email_key = s.email_key
         WHERE i.message_id IS NOT NULL
         ORDER BY i.n
      )
      SELECT manifesto_id, email_key, NULL::int AS latest, NULL::text AS xid FROM s
      UNION ALL
      SELECT latest_manifesto, NULL, coalesce(latest_number, 0), pg_current_xact_id()::text FROM latest""";

  private static final String EXISTING = """
      SELECT id, state, invalidation_id IS NOT NULL AS invalidated,
             coalesce(mailed_at > now() - make_interval(mins => $3), false) AS recently_mailed
        FROM signatures WHERE manifesto_id = $1 AND email_key = $2 FOR UPDATE""";

  /** A repeat that is mailed again: new details and tokens, pending again (or confirmed without email). */
  private static final String RESIGN = """
      UPDATE signatures SET email = $2, name = $3, city = $4, comment = $5, country = $6, display = $7, language = $8,
             updates = $9, version = $10, version_sha256 = $11,
             state = CASE WHEN $12 THEN 'confirmed' ELSE 'pending' END,
             confirmed_at = CASE WHEN $12 THEN now() END, withdrawn_at = NULL, ip = $13::text::inet,
             confirm_hash = $14, confirm_expires = now() + make_interval(days => $15), withdraw_hash = $16,
             mailed_at = CASE WHEN $14::bytea IS NOT NULL THEN now() ELSE mailed_at END, interface_language = $17
       WHERE id = $1""";

  private static final String NEW_WITHDRAW_LINK =
      "UPDATE signatures SET withdraw_hash = $2, mailed_at = now() WHERE id = $1";

  private static final String OUTBOX_INSERT = """
      INSERT INTO mail_outbox (message_id, manifesto_id, recipient, draft)
      VALUES ($1, $2, $3, $4)""";

  private static final String CONFIRM = """
      UPDATE signatures SET state = 'confirmed', confirmed_at = now()
       WHERE confirm_hash = $1 AND state = 'pending' AND confirm_expires > now()
      RETURNING manifesto_id""";

  private static final String CONFIRM_STATE =
      "SELECT manifesto_id, state, confirm_expires > now() AS live FROM signatures WHERE confirm_hash = $1";

  private static final String WITHDRAW = """
      UPDATE signatures SET state = 'withdrawn', withdrawn_at = coalesce(withdrawn_at, now())
       WHERE withdraw_hash = $1
      RETURNING manifesto_id""";

  /** The count by country, and the snapshot it was read in (LiveCount adds up what it did not see). */
  private static final String COUNTS = """
      WITH c AS (
        SELECT country, count(*) AS n FROM signatures
         WHERE manifesto_id = $1 AND state = 'confirmed' AND invalidation_id IS NULL
         GROUP BY country
      )
      SELECT country, n, NULL::text AS seen FROM c
      UNION ALL
      SELECT NULL, NULL, pg_current_snapshot()::text""";

  private static final String PUBLIC_LIST = """
      SELECT name, display, city, country, comment, confirmed_at FROM signatures
       WHERE manifesto_id = $1 AND state = 'confirmed' AND invalidation_id IS NULL AND display <> 'hidden'
       ORDER BY confirmed_at DESC, id DESC
       LIMIT $2 OFFSET $3""";

  /** Claims due messages for one attempt: the lease (next_attempt_at) keeps a second sender off them. */
  private static final String CLAIM = """
      UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2),
             claimed_by = $3
       WHERE id IN (SELECT id FROM mail_outbox WHERE failed_at IS NULL AND next_attempt_at <= now()
                     ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
      RETURNING id, message_id, recipient, draft, subject, text_body, html_body, attempts""";

  private static final String SENT = "DELETE FROM mail_outbox WHERE id = $1";
  private static final String RETRY = """
      UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3, claimed_by = NULL
       WHERE id = $1""";
  /**
   * At start-up: messages a previous process had claimed when it died are due now (one process sends;
   * a cluster would need the lease renewed instead). Some may have been sent: same Message-ID.
   */
  private static final String RELEASE = """
      UPDATE mail_outbox SET next_attempt_at = now(), claimed_by = NULL
       WHERE claimed_by IS NOT NULL AND claimed_by <> $1 AND failed_at IS NULL""";
  /** Given up: the bodies (they hold links) are cleared, the row stays for the operator to see. */
  private static final String FAILED = """
      UPDATE mail_outbox SET failed_at = now(), last_error = $2, draft = NULL, text_body = '', html_body = '' WHERE id = $1""";
  private static final String BACKLOG = """
      SELECT count(*) AS n, extract(epoch FROM now() - min(created_at)) AS oldest
        FROM mail_outbox WHERE failed_at IS NULL""";

  private static final String FORGET_ADDRESSES = """
      UPDATE signatures SET ip = NULL WHERE ip IS NOT NULL AND created_at < now() - make_interval(days => $1)""";

  private final Pool pool;

  SigningRepository(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  Future<Context> context(String manifestoId) {
    return pool.preparedQuery(CONTEXT).execute(Tuple.of(manifestoId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      Settings s = r.getBoolean("require_email") == null ? Settings.DEFAULTS : new Settings(
          r.getBoolean("require_email"), r.getInteger("goal"), instant(r.getOffsetDateTime("deadline")),
          r.getBoolean("open"), r.getInteger("per_ip_burst"), r.getInteger("per_ip_per_hour"), r.getBoolean("kiosk"),
          r.getInteger("kiosk_per_minute"), r.getString("kiosk_key"));
      return new Context(r.getString("id"), r.getString("title"), r.getString("language"), r.getInteger("number"),
          r.getString("sha256"), s);
    });
  }

  Future<Void> saveSettings(String manifestoId, Settings s) {
    return pool.preparedQuery(SAVE_SETTINGS).execute(Tuple.from(new Object[] {manifestoId, s.requireEmail(), s.goal(),
        s.deadline() == null ? null : OffsetDateTime.ofInstant(s.deadline(), java.time.ZoneOffset.UTC), s.open(),
        s.perIpBurst(), s.perIpPerHour(), s.kiosk(), s.kioskPerMinute(), s.kioskKey()})).mapEmpty();
  }

  /** What became of a new signature in {@link #insertBatch}. */
  enum Inserted {
    /** Stored. */
    STORED,
    /** Not stored: that email had signed before. */
    REPEAT,
    /** Not stored: the version it was given is no longer the latest published. */
    STALE
  }

  /**
   * Many new signatures in one statement (no two with the same manifesto and email): for each,
   * whether it was stored.
   */
  Future<Batch> insertBatch(List<NewSignature> batch) {
    int n = batch.size();
    Object[][] cols = new Object[21][];
    cols[0] = new String[n]; cols[1] = new String[n]; cols[2] = new String[n]; cols[3] = new String[n];
    cols[4] = new String[n]; cols[5] = new String[n]; cols[6] = new String[n]; cols[7] = new String[n];
    cols[8] = new String[n]; cols[9] = new Boolean[n]; cols[10] = new Integer[n]; cols[11] = new String[n];
    cols[12] = new Boolean[n]; cols[13] = new Boolean[n]; cols[14] = new String[n]; cols[15] = new Buffer[n];
    cols[16] = new Integer[n]; cols[17] = new Buffer[n]; cols[18] = new String[n]; cols[19] = new String[n];
    cols[20] = new String[n];
    for (int i = 0; i < n; i++) {
      NewSignature r = batch.get(i);
      Signer s = r.signer();
      Queued m = r.mail();
      Object[] row = {r.manifestoId(), s.emailKey(), s.email(), s.name(), s.city(), s.comment(), s.country(),
          s.display().wire(), s.language(), s.updates(), r.version(), r.sha256(), r.confirmed(), r.kiosk(), r.ip(),
          r.confirmHash(), r.confirmDays(), r.withdrawHash(), m == null ? null : m.messageId(),
          m == null ? null : m.draft(), r.interfaceLanguage()};
      for (int c = 0; c < row.length; c++) {
        cols[c][i] = row[c];
      }
    }
    return pool.preparedQuery(INSERT_BATCH).execute(Tuple.from((Object[]) cols)).map(rows -> {
      java.util.Set<String> stored = new java.util.HashSet<>();
      Map<String, Integer> latest = new java.util.HashMap<>();
      long xid = 0;
      for (Row r : rows) {
        Integer number = r.getInteger(2);
        if (number != null) {
          latest.put(r.getString(0), number);
          xid = Long.parseLong(r.getString(3));
        } else if (r.getString(1) != null) {
          stored.add(r.getString(0) + " " + r.getString(1));
        }
      }
      Inserted[] out = new Inserted[n];
      for (int i = 0; i < n; i++) {
        NewSignature r = batch.get(i);
        Integer number = latest.get(r.manifestoId());
        out[i] = number == null || number != r.version() ? Inserted.STALE
            : r.signer().emailKey() == null || stored.contains(r.manifestoId() + " " + r.signer().emailKey())
                ? Inserted.STORED : Inserted.REPEAT;
      }
      return new Batch(out, xid);
    });
  }

  /**
   * A repeat of an email that has signed: inside one transaction, {@code decide} looks at the row and
   * returns the work to do (possibly none).
   */
  Future<Void> repeat(String manifestoId, String emailKey, int resendMinutes,
      java.util.function.BiFunction<SqlConnection, Existing, Future<Void>> decide) {
    return pool.withTransaction(conn -> conn.preparedQuery(EXISTING).execute(Tuple.of(manifestoId, emailKey, resendMinutes))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(); // erased meanwhile: nothing to repeat
          }
          Row r = rows.iterator().next();
          return decide.apply(conn, new Existing(r.getLong("id"), r.getString("state"), r.getBoolean("invalidated"),
              r.getBoolean("recently_mailed")));
        }));
  }

  static Future<Void> resign(SqlConnection conn, long id, NewSignature n) {
    Signer s = n.signer();
    return conn.preparedQuery(RESIGN).execute(Tuple.from(new Object[] {id, s.email(), s.name(), s.city(), s.comment(),
        s.country(), s.display().wire(), s.language(), s.updates(), n.version(), n.sha256(), n.confirmed(), n.ip(),
        n.confirmHash(), n.confirmDays(), n.withdrawHash(), n.interfaceLanguage()})).compose(r -> queue(conn, n.manifestoId(), n.mail()));
  }

  static Future<Void> newWithdrawLink(SqlConnection conn, String manifestoId, long id, Buffer withdrawHash, Queued mail) {
    return conn.preparedQuery(NEW_WITHDRAW_LINK).execute(Tuple.of(id, withdrawHash))
        .compose(r -> queue(conn, manifestoId, mail));
  }

  private static Future<Void> queue(SqlConnection conn, String manifestoId, Queued m) {
    if (m == null) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(OUTBOX_INSERT)
        .execute(Tuple.of(m.messageId(), manifestoId, m.recipient(), m.draft()))
        .mapEmpty();
  }

  /** The outcome of following a confirmation link, with the manifesto it belongs to. */
  record Followed(String manifestoId, String outcome) {}

  /** "confirmed" (now or before), "withdrawn", "expired", or null for an unknown link. */
  Future<Followed> confirm(Buffer hash) {
    return pool.preparedQuery(CONFIRM).execute(Tuple.of(hash)).compose(rows -> {
      if (rows.size() == 1) {
        return Future.succeededFuture(new Followed(rows.iterator().next().getString(0), "confirmed"));
      }
      return pool.preparedQuery(CONFIRM_STATE).execute(Tuple.of(hash)).map(found -> {
        if (found.size() == 0) {
          return null;
        }
        Row r = found.iterator().next();
        String state = r.getString("state");
        String outcome = state.equals("pending") ? "expired" : state;
        return new Followed(r.getString("manifesto_id"), outcome);
      });
    });
  }

  /** The manifesto of the withdrawn signature, or null for an unknown link. */
  Future<String> withdraw(Buffer hash) {
    return pool.preparedQuery(WITHDRAW).execute(Tuple.of(hash))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
  }

  Future<Counts> counts(String manifestoId) {
    return pool.preparedQuery(COUNTS).execute(Tuple.of(manifestoId)).map(rows -> {
      Map<String, Long> by = new TreeMap<>();
      long total = 0;
      Seen seen = null;
      for (Row r : rows) {
        if (r.getString("seen") != null) {
          seen = Seen.parse(r.getString("seen"));
          continue;
        }
        long n = r.getLong("n");
        by.put(r.getString("country"), n);
        total += n;
      }
      return new Counts(total, by, seen);
    });
  }

  Future<JsonArray> publicList(String manifestoId, int page, int size) {
    return pool.preparedQuery(PUBLIC_LIST).execute(Tuple.of(manifestoId, size, (long) page * size)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject()
            .put("displayName", Signer.displayName(r.getString("display"), r.getString("name")))
            .put("city", r.getString("city"))
            .put("country", r.getString("country"))
            .put("comment", r.getString("comment"))
            .put("signedAt", instant(r.getOffsetDateTime("confirmed_at")).toString()));
      }
      return out;
    });
  }

  /** Frees the messages another (dead) process had claimed; how many. */
  Future<Integer> release(String me) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(me)).map(RowSet::rowCount);
  }

  Future<List<Due>> claim(int limit, int leaseSeconds, String me) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(limit, leaseSeconds, me)).map(rows -> {
      List<Due> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(new Due(r.getLong("id"), r.getString("message_id"), r.getString("recipient"), r.getString("draft"),
            r.getString("subject"), r.getString("text_body"), r.getString("html_body"), r.getInteger("attempts")));
      }
      out.sort(java.util.Comparator.comparingLong(Due::id));
      return out;
    });
  }

  Future<Void> sent(long id) {
    return pool.preparedQuery(SENT).execute(Tuple.of(id)).mapEmpty();
  }

  Future<Void> retry(long id, int delaySeconds, String error) {
    return pool.preparedQuery(RETRY).execute(Tuple.of(id, delaySeconds, error)).mapEmpty();
  }

  Future<Void> failed(long id, String error) {
    return pool.preparedQuery(FAILED).execute(Tuple.of(id, error)).mapEmpty();
  }

  /** {backlog, oldestSeconds}: unsent messages and the age of the oldest (0 when none). */
  Future<JsonObject> backlog() {
    return pool.query(BACKLOG).execute().map(rows -> {
      Row r = rows.iterator().next();
      Object oldest = r.getValue("oldest");
      double age = oldest == null ? 0 : ((Number) oldest).doubleValue();
      return new JsonObject().put("backlog", r.getLong("n")).put("oldestSeconds", Math.round(age));
    });
  }

  /** Forgets the IP address of signatures older than the retention; how many. */
  Future<Integer> forgetAddresses(int days) {
    return pool.preparedQuery(FORGET_ADDRESSES).execute(Tuple.of(days)).map(RowSet::rowCount);
  }

  static OffsetDateTime time(Instant t) {
    return t == null ? null : OffsetDateTime.ofInstant(t, java.time.ZoneOffset.UTC);
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static long count(RowSet<Row> rows) {
    return rows.iterator().next().getLong(0);
  }
}
