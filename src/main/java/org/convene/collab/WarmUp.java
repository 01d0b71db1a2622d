package org.convene.collab;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.convene.common.Config;
import org.convene.common.Futures;
import org.convene.common.Metrics;
import org.convene.common.Tokens;

/**
 * Runs the edit path before the server listens, so that its first authors do not meet a cold JIT: a
 * throw-away document typed on by {@link #AUTHORS} simulated authors whose bases lag, as on a
 * crowded document, through the same code as a bridged edit: the frame's JSON decoded, a request
 * over the event bus, {@link Requests.Edit#parse}, the {@link Sequencer} (transform against what was
 * committed since, apply, group commit, acknowledgement) and the {@link Outbox}'s publications.
 *
 * <p>Nothing is stored: the document and every operation on it live in one transaction on one
 * connection, rolled back at the end (a crash in between leaves nothing either). Its publications go
 * to an address nobody can subscribe to (the document is in no manifesto a token names), and it
 * records into no meter. Bounded by time and by edits, whichever comes first.
 */
final class WarmUp {
  static final int AUTHORS = 64;
  /** About what the JIT needs to compile the path fully (C2 thresholds are around 10,000 calls). */
  static final int MAX_EDITS = 40_000;
  private static final int MAX_LAG = 200;
  private static final String ADDRESS = "collab.internal.warm-up.edit";
  private static final String INITIAL = "Warm-up text.\n";

  /** What a run did, for the log. */
  record Report(int edits, int refused, long millis) {}

  private final Vertx vertx;
  private final Config.Limits limits;
  private final String doc = "warm-up_" + Tokens.randomId(9);
  private final SplittableRandom random = new SplittableRandom(12);
  /** The newest revision acknowledged; every edit inserts 4 letters, so revision r is 4r longer than the start. */
  private int head;
  private final int[] seqs = new int[AUTHORS];
  private int edits;
  private int refused;

  private WarmUp(Vertx vertx, Config.Limits limits) {
    this.vertx = vertx;
    this.limits = limits;
  }

  /** Runs on the caller's event loop (the collab verticle's), for at most {@code budget}. */
  static Future<Report> run(Vertx vertx, Pool pool, Config.Limits limits, Duration budget) {
    return new WarmUp(vertx, limits).run(pool, budget);
  }

  private Future<Report> run(Pool pool, Duration budget) {
    long began = System.nanoTime();
    long deadline = began + budget.toNanos();
    return pool.getConnection().compose(conn -> conn.begin()
        .compose(tx -> type(conn, deadline).eventually(tx::rollback))
        .eventually(conn::close))
        .map(v -> new Report(edits, refused, (System.nanoTime() - began) / 1_000_000));
  }

  private Future<Void> type(SqlConnection conn, long deadline) {
    OpLog log = new OpLog(conn);
    Metrics none = Metrics.none();
    Outbox outbox = new Outbox(vertx, doc, () -> AUTHORS, none);
    return log.createThrowAwayDocument(doc, INITIAL)
        .compose(v -> Sequencer.load(doc, log, limits, outbox, none))
        .compose(seq -> {
          MessageConsumer<JsonObject> consumer = vertx.eventBus().localConsumer(ADDRESS, m -> {
            // a refused request is answered at once: one left unanswered would hold its round
            Futures.attempt(() -> seq.submit(Requests.Edit.parse(m.body(), limits), "warm-up")).onComplete(ar -> {
              if (ar.succeeded()) {
                m.reply(ar.result());
              } else {
                m.fail(ar.cause() instanceof CollabException e ? e.code() : 500, String.valueOf(ar.cause().getMessage()));
              }
            });
          });
          return rounds(deadline).eventually(consumer::unregister).compose(v -> seq.quiesce());
        });
  }

  /** Every author sends one edit per round; the next round starts when all are answered. */
  private Future<Void> rounds(long deadline) {
    if (edits >= MAX_EDITS || System.nanoTime() > deadline) {
      return Future.succeededFuture();
    }
    List<Future<?>> round = new ArrayList<>(AUTHORS);
    for (int author = 0; author < AUTHORS; author++) {
      round.add(vertx.eventBus().<JsonObject>request(ADDRESS, frame(author)).transform(ar -> {
        if (ar.succeeded()) {
          head = Math.max(head, ar.result().body().getInteger("revision"));
        } else {
          refused++;
        }
        return Future.succeededFuture();
      }));
      edits++;
    }
    return Future.join(round).transform(ar -> rounds(deadline));
  }

  /**
   * An author's next edit as the bridge receives it, decoded from its text: four letters typed at the
   * end or in the middle of the text as it was up to {@link #MAX_LAG} revisions ago.
   */
  private JsonObject frame(int author) {
    int base = head - random.nextInt(Math.min(MAX_LAG, head) + 1);
    int length = INITIAL.length() + 4 * base;
    int at = random.nextInt(4) == 0 ? random.nextInt(length + 1) : length;
    JsonArray op = new JsonArray();
    if (at > 0) {
      op.add(at);
    }
    op.add(String.valueOf((char) ('a' + author % 26)).repeat(4));
    if (length - at > 0) {
      op.add(length - at);
    }
    JsonObject edit = new JsonObject()
        .put("doc", doc)
        .put("clientId", "warm-up-" + author)
        .put("seq", ++seqs[author])
        .put("revision", base)
        .put("op", op);
    return new JsonObject(edit.encode());
  }
}
