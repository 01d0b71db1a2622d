package org.convene.collab;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.convene.common.Config;
import org.convene.common.Metrics;
import org.convene.ot.InvalidOperationException;
import org.convene.ot.OpsSince;
import org.convene.ot.TextOperation;

/**
 * The one owner of a document's order. Edits queue here; each turn takes everything queued, transforms
 * and applies it in memory, stores the whole batch in one statement (group commit), and only after the
 * commit publishes the batch and answers each sender.
 *
 * <p>Invariants: {@code revision} is always that of the committed history, and so is {@code text} except
 * while a batch is being committed ({@code uncommitted}): the batch is applied to the text in place,
 * and readers of the text wait for the commit ({@link #current()}). Nothing is published or
 * acknowledged before it is committed; batches are published in revision order. After a failed or
 * uncertain commit the sequencer is {@code broken}: it answers 503 and its owner reloads the document
 * from the database, so memory never drifts from the stored history.
 *
 * <p>An op made at an older revision is transformed against what was committed since through one
 * {@link OpsSince} shared by every op in flight, whatever its base: it keeps the shapes of the recent
 * operations and composed blocks of them, so bringing an op up to date costs at most the operations
 * since its base, and about 2 log2(lag) small transforms when authors append.
 *
 * <p>Confined to the collab verticle's event loop.
 */
final class Sequencer {
  private static final Logger LOG = Logger.getLogger(Sequencer.class.getName());

  /** Recent operations kept in memory for transforms (2 to 4 times this); older bases are read from the log. */
  static final int WINDOW = 10_000;
  static final int SNAPSHOT_EVERY = 1_000;
  static final int MAX_BATCH = 2_000;
  /** A batch stops taking edits after this much time on the event loop; the rest waits for the next. */
  static final long BATCH_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /**
   * Capacity: an edit is refused (429) when the edits queued before it would take longer than
   * {@link #MAX_WAIT_NANOS} to commit, at the cost per edit measured on recent batches, or when the
   * batch in flight has already taken that long (the database stalls); always from {@link #MAX_QUEUE}
   * on, never while fewer than {@link #MIN_REFUSED_QUEUE} are queued nor while there are no more
   * queued edits than participants: a client keeps one edit in flight, and refusing that one would
   * only turn its wait in the queue into a longer pause before it sends it again.
   */
  static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);
  static final int MIN_REFUSED_QUEUE = 256;
  static final int MAX_QUEUE = 10_000;
  /** Batches smaller than this say little about the cost per edit (a commit's fixed cost dominates). */
  private static final int MEASURED_BATCH = 32;

  /** Marks a batch refused before anything was written. */
  private static final class PrepareFailed extends RuntimeException {
    PrepareFailed() {
      super(null, null, false, false);
    }
  }

  /** @param since when it was queued (System.nanoTime), for the acknowledgement latency */
  private record Pending(Requests.Edit edit, String author, Promise<JsonObject> reply, long since) {}

  /** The committed text and its revision. */
  record Current(int revision, String text) {}

  private final String doc;
  private final OpLog log;
  private final Config.Limits limits;
  private final Outbox outbox;
  private final Metrics metrics;

  private final StringBuilder text;
  /** {@code text} as a String, made when first asked for after a commit. */
  private String committedText;
  /** True while {@code text} holds a batch that is not committed yet. */
  private boolean uncommitted;
  private final List<Promise<Current>> waitingForCommit = new ArrayList<>();
  private int revision;
  private int snapshotRevision;
  /**
   * The operations after {@code recent.start()}, up to the text's: during a batch it runs ahead of
   * {@code revision} by the ops applied so far (a failed commit drops the whole sequencer).
   */
  private final OpsSince recent;
  private final Map<String, OpLog.Mark> marks = new HashMap<>();
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private boolean busy;
  /** When the batch in flight began (System.nanoTime), valid while busy. */
  private long batchStarted;
  /** Moving average of the time from a batch's start to its commit, per edit, over batches of MEASURED_BATCH or more. */
  private double nanosPerEdit = 50_000;
  private boolean broken;
  private Promise<Void> idle;
  private long lastUsed = System.nanoTime();

  Sequencer(String doc, OpLog log, Config.Limits limits, Outbox outbox, Metrics metrics,
            OpLog.Snapshot snapshot, List<OpLog.StoredOp> after) {
    this.doc = doc;
    this.log = log;
    this.limits = limits;
    this.outbox = outbox;
    this.metrics = metrics;
    this.text = new StringBuilder(snapshot.text());
    this.revision = snapshot.revision();
    this.snapshotRevision = snapshot.revision();
    this.recent = new OpsSince(snapshot.revision());
    for (OpLog.StoredOp op : after) {
      op.op().applyTo(text);
      revision = op.revision();
      recent.add(op.op());
    }
    trimWindow();
  }

  /** Loads a document: its newest snapshot plus the operations after it. Null when it does not exist. */
  static Future<Sequencer> load(String doc, OpLog log, Config.Limits limits, Outbox outbox, Metrics metrics) {
    return log.latestSnapshot(doc).compose(snapshot -> snapshot == null
        ? Future.succeededFuture(null)
        : log.between(doc, snapshot.revision(), Integer.MAX_VALUE, Integer.MAX_VALUE)
            .map(ops -> new Sequencer(doc, log, limits, outbox, metrics, snapshot, ops)));
  }

  /** The committed text and revision, once the batch being committed (if any) is. */
  Future<Current> current() {
    if (broken) {
      return Future.failedFuture(CollabException.unavailable("document is reloading; retry"));
    }
    if (!uncommitted) {
      return Future.succeededFuture(committed());
    }
    Promise<Current> later = Promise.promise();
    waitingForCommit.add(later);
    return later.future();
  }

  private Current committed() {
    if (committedText == null) {
      committedText = text.toString();
    }
    return new Current(revision, committedText);
  }

  /** The committed revision (always known, even while a batch is being committed). */
  int revision() {
    return revision;
  }

  boolean broken() {
    return broken;
  }

  long idleNanos() {
    return busy || !queue.isEmpty() ? 0 : System.nanoTime() - lastUsed;
  }

  /** A client that was just created has applied nothing: no need to ask the log. */
  void newClient(String clientId) {
    marks.put(clientId, OpLog.Mark.NONE);
  }

  Future<JsonObject> submit(Requests.Edit edit, String author) {
    lastUsed = System.nanoTime();
    if (broken) {
      return Future.failedFuture(CollabException.unavailable("document is reloading; retry with the same seq"));
    }
    if (overloaded()) {
      metrics.editRefused();
      return Future.failedFuture(new CollabException(429, "document is busy; retry with the same seq after a pause"));
    }
    Promise<JsonObject> reply = Promise.promise();
    queue.add(new Pending(edit, author, reply, lastUsed));
    metrics.queued(1);
    drain();
    return reply.future();
  }

  private boolean overloaded() {
    int queued = queue.size();
    if (queued < MIN_REFUSED_QUEUE || queued < outbox.participants()) {
      return false;
    }
    if (queued >= MAX_QUEUE) {
      return true;
    }
    long inFlight = busy ? System.nanoTime() - batchStarted : 0;
    return inFlight > MAX_WAIT_NANOS || queued * nanosPerEdit > MAX_WAIT_NANOS;
  }

  /**
   * The server's own edit: turns the current text into {@code target} as one operation (common prefix
   * and suffix kept), sequenced like any client's, so live clients receive it and history keeps it.
   */
  Future<JsonObject> replaceText(String target, String author) {
    return current().compose(now -> replaceText(now, target, author));
  }

  private Future<JsonObject> replaceText(Current now, String target, String author) {
    String text = now.text();
    String clientId = "server-" + org.convene.common.Tokens.randomId(9);
    newClient(clientId);
    int prefix = 0;
    int max = Math.min(text.length(), target.length());
    while (prefix < max && text.charAt(prefix) == target.charAt(prefix)) {
      prefix++;
    }
    int suffix = 0;
    while (suffix < max - prefix
        && text.charAt(text.length() - 1 - suffix) == target.charAt(target.length() - 1 - suffix)) {
      suffix++;
    }
    // Never cut between the halves of a surrogate pair.
    if (prefix > 0 && Character.isHighSurrogate(text.charAt(prefix - 1))) {
      prefix--;
    }
    if (suffix > 0 && Character.isLowSurrogate(text.charAt(text.length() - suffix))) {
      suffix--;
    }
    TextOperation op = TextOperation.builder()
        .retain(prefix)
        .delete(text.length() - prefix - suffix)
        .insert(target.substring(prefix, target.length() - suffix))
        .retain(suffix)
        .build();
    return submit(new Requests.Edit(doc, clientId, 1, now.revision(), op), author);
  }

  /** Completes once nothing is queued or being committed, then stores a final snapshot. */
  Future<Void> quiesce() {
    Future<Void> settled;
    if (!busy && queue.isEmpty()) {
      settled = Future.succeededFuture();
    } else {
      if (idle == null) {
        idle = Promise.promise();
      }
      settled = idle.future();
    }
    outbox.flush();
    return settled.compose(v -> broken || revision == snapshotRevision
        ? Future.succeededFuture()
        : log.snapshot(doc, revision, committed().text()).onSuccess(x -> snapshotRevision = revision));
  }

  private void drain() {
    if (busy) {
      return;
    }
    if (queue.isEmpty()) {
      if (idle != null) {
        idle.tryComplete();
        idle = null;
      }
      return;
    }
    busy = true;
    long started = System.nanoTime();
    batchStarted = started;
    List<Pending> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(queue.poll());
    }
    metrics.queued(-batch.size());
    prepare(batch)
        .recover(err -> {
          // Only reads failed: memory still matches the log, so answer 503 without reloading.
          CollabException unavailable = CollabException.unavailable("could not read the document's history; retry with the same seq");
          batch.forEach(p -> p.reply.tryFail(unavailable));
          return Future.failedFuture(new PrepareFailed());
        })
        .compose(older -> commit(batch, older))
        .onComplete(ar -> {
          if (ar.failed() && !(ar.cause() instanceof PrepareFailed)) {
            fail(batch, ar.cause());
          }
          busy = false;
          lastUsed = System.nanoTime();
          if (ar.succeeded()) {
            metrics.batch(batch.size());
          }
          if (ar.succeeded() && batch.size() >= MEASURED_BATCH) {
            nanosPerEdit = 0.75 * nanosPerEdit + 0.25 * (lastUsed - started) / batch.size();
          }
          drain();
        });
  }

  /**
   * Reads what the batch needs from the log: the last seq of clients not seen since loading, and the
   * operations after the oldest base revision that the window no longer holds.
   */
  private Future<List<TextOperation>> prepare(List<Pending> batch) {
    List<String> unknown = new ArrayList<>();
    int minBase = revision;
    for (Pending p : batch) {
      if (!marks.containsKey(p.edit.clientId()) && !unknown.contains(p.edit.clientId())) {
        unknown.add(p.edit.clientId());
      }
      minBase = Math.min(minBase, p.edit.revision());
    }
    Future<Void> seqs = unknown.isEmpty()
        ? Future.succeededFuture()
        : log.lastSeqs(doc, unknown).map(found -> {
          unknown.forEach(c -> marks.put(c, found.getOrDefault(c, OpLog.Mark.NONE)));
          return null;
        });
    int windowStart = recent.start();
    if (minBase >= windowStart) {
      return seqs.map(v -> List.of());
    }
    int from = minBase;
    return seqs.compose(v -> log.between(doc, from, windowStart, Integer.MAX_VALUE))
        .map(ops -> ops.stream().map(OpLog.StoredOp::op).toList());
  }

  private Future<Void> commit(List<Pending> batch, List<TextOperation> older) {
    int windowStart = recent.start();
    int olderStart = windowStart - older.size();
    int newRevision = revision;
    List<OpLog.Entry> entries = new ArrayList<>();
    Map<String, OpLog.Mark> newMarks = new HashMap<>();
    List<Runnable> answers = new ArrayList<>();

    long deadline = System.nanoTime() + BATCH_BUDGET_NANOS;
    for (int i = 0; i < batch.size(); i++) {
      if ((i & 15) == 15 && System.nanoTime() > deadline) {
        // Keep the event loop's turn short: the rest goes back to the head of the queue, in order.
        for (int j = batch.size() - 1; j >= i; j--) {
          queue.addFirst(batch.get(j));
        }
        metrics.queued(batch.size() - i);
        batch.subList(i, batch.size()).clear();
        break;
      }
      Pending p = batch.get(i);
      Requests.Edit e = p.edit;
      OpLog.Mark mark = newMarks.getOrDefault(e.clientId(), marks.getOrDefault(e.clientId(), OpLog.Mark.NONE));
      if (e.seq() <= mark.seq()) {
        answerDuplicate(p, mark, answers);
        continue;
      }
      if (e.seq() != mark.seq() + 1) {
        p.reply.fail(CollabException.badRequest("seq " + e.seq() + " skips ahead: the next seq of this client is " + (mark.seq() + 1)));
        continue;
      }
      if (e.revision() > revision) {
        p.reply.fail(new CollabException(409, "revision " + e.revision() + " is newer than the document's " + revision));
        continue;
      }
      if (e.revision() < olderStart) {
        p.reply.fail(CollabException.unavailable("history before revision " + e.revision() + " could not be read; retry"));
        continue;
      }
      try {
        TextOperation op = e.op();
        int base = e.revision();
        // Older than what is kept in memory: in turn through what was read from the log (rare).
        for (; base < windowStart; base++) {
          op = TextOperation.transform(op, older.get(base - olderStart)).a();
        }
        if (base < newRevision) {
          op = recent.transform(op, base);
        }
        // An op that does not fit the text is refused by applyTo (400), whatever its target length.
        if (op.baseLength() == text.length() && op.targetLength() > limits.maxDocumentLength()) {
          p.reply.fail(new CollabException(413, "the document would exceed " + limits.maxDocumentLength() + " characters"));
          continue;
        }
        op.applyTo(text); // changes nothing when it throws
        uncommitted = true;
        newRevision++;
        recent.add(op);
        entries.add(new OpLog.Entry(newRevision, op, e.clientId(), e.seq(), p.author));
        newMarks.put(e.clientId(), new OpLog.Mark(e.seq(), newRevision));
        int given = newRevision;
        answers.add(() -> {
          metrics.acknowledged(p.since);
          p.reply.complete(new JsonObject().put("revision", given));
        });
      } catch (InvalidOperationException ex) {
        p.reply.fail(CollabException.badRequest("op does not fit the document at revision " + e.revision() + ": " + ex.getMessage()));
      }
    }
    if (entries.isEmpty()) {
      answers.forEach(Runnable::run);
      return Future.succeededFuture();
    }
    int committedRevision = newRevision;
    return log.append(doc, entries).map(v -> {
      revision = committedRevision;
      committedText = null;
      uncommitted = false;
      trimWindow();
      marks.putAll(newMarks);
      metrics.editsApplied(entries.size());
      outbox.add(entries.stream().map(Sequencer::published).toList());
      answers.forEach(Runnable::run);
      releaseReaders();
      maybeSnapshot();
      return null;
    });
  }

  private void releaseReaders() {
    if (waitingForCommit.isEmpty()) {
      return;
    }
    List<Promise<Current>> waiting = new ArrayList<>(waitingForCommit);
    waitingForCommit.clear();
    Current now = committed();
    waiting.forEach(w -> w.complete(now));
  }

  private void answerDuplicate(Pending p, OpLog.Mark mark, List<Runnable> answers) {
    Requests.Edit e = p.edit;
    if (e.seq() == mark.seq()) {
      answers.add(() -> p.reply.complete(new JsonObject().put("revision", mark.revision()).put("duplicate", true)));
      return;
    }
    log.revisionOf(doc, e.clientId(), e.seq())
        .onSuccess(r -> {
          if (r == null) {
            p.reply.fail(CollabException.badRequest("seq " + e.seq() + " of this client was never applied"));
          } else {
            p.reply.complete(new JsonObject().put("revision", r).put("duplicate", true));
          }
        })
        .onFailure(err -> p.reply.fail(CollabException.unavailable("cannot check seq now; retry")));
  }

  private static JsonObject published(OpLog.Entry e) {
    return new JsonObject()
        .put("revision", e.revision())
        .put("op", new JsonArray(e.op().toComponents()))
        .put("clientId", e.clientId())
        .put("seq", e.seq())
        .put("name", e.author());
  }

  private void maybeSnapshot() {
    if (revision - snapshotRevision < SNAPSHOT_EVERY) {
      return;
    }
    int at = revision;
    int previous = snapshotRevision;
    snapshotRevision = at;
    log.snapshot(doc, at, committed().text()).onFailure(err -> {
      snapshotRevision = previous;
      LOG.log(Level.WARNING, "snapshot of " + doc + " at " + at + " failed: " + err.getMessage());
    });
  }

  private void fail(List<Pending> batch, Throwable cause) {
    broken = true;
    LOG.log(Level.WARNING, "commit of " + batch.size() + " ops to " + doc + " failed; reloading: " + cause.getMessage());
    CollabException unavailable = CollabException.unavailable("could not store the edit; retry with the same seq");
    batch.forEach(p -> p.reply.tryFail(unavailable));
    queue.forEach(p -> p.reply.tryFail(unavailable));
    metrics.queued(-queue.size());
    queue.clear();
    List<Promise<Current>> waiting = new ArrayList<>(waitingForCommit);
    waitingForCommit.clear();
    waiting.forEach(w -> w.tryFail(CollabException.unavailable("document is reloading; retry")));
  }

  private void trimWindow() {
    if (recent.upTo() - recent.start() > 2 * WINDOW) {
      recent.forgetBefore(recent.upTo() - WINDOW);
    }
  }
}
