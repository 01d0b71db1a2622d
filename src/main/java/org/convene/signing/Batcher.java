package org.convene.signing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Group commit of new signatures, as the sequencer batches edits: whatever arrives while a batch is
 * being written goes into the next one, written by one multi-row statement (signatures and their
 * mail), so the cost of a commit is shared by everyone who signed meanwhile and throughput grows with
 * load, while a lone signer waits for nothing but their own insert. One per process. The answers go
 * back to each request's event loop in one task per loop, not one per signature.
 *
 * <p>Up to {@link #IN_FLIGHT} batches are written at once, on different connections: while one waits
 * for its commit's flush to disk, the next is already being inserted, so the database's CPU and its
 * disk work side by side instead of in turn. Two batches may hold the same address (each is ordered by
 * manifesto and address, so they lock rows in the same order and cannot deadlock): the second waits
 * for the first's commit and finds a repeat, as it would one batch later.
 */
final class Batcher {
  static final int MAX = 1_000;
  /** Batches written at once (each on its own connection of the pool). */
  static final int IN_FLIGHT = 2;
  /** Batch order: by manifesto and address, those without an address (counted at once, no email) last. */
  private static final java.util.Comparator<Pending> LOCK_ORDER = java.util.Comparator
      .comparing((Pending p) -> p.signature().manifestoId())
      .thenComparing(p -> p.signature().signer().emailKey(), java.util.Comparator.nullsLast(String::compareTo));

  private record Pending(SigningRepository.NewSignature signature, Promise<SigningRepository.Inserted> answer,
                         Context context) {}

  private final LiveCount counts;
  private final Object lock = new Object();
  private List<Pending> queue = new ArrayList<>();
  /** Batches being written, at most {@link #IN_FLIGHT}. */
  private int writing;

  Batcher(LiveCount counts) {
    this.counts = counts;
  }

  /**
   * Stored, a repeat (the email has signed, before or earlier in the same batch), or stale (its version
   * is no longer the latest published).
   */
  Future<SigningRepository.Inserted> insert(SigningRepository repository, SigningRepository.NewSignature n) {
    Promise<SigningRepository.Inserted> answer = Promise.promise();
    boolean start;
    synchronized (lock) {
      queue.add(new Pending(n, answer, Vertx.currentContext()));
      start = writing < IN_FLIGHT;
      if (start) {
        writing++;
      }
    }
    if (start) {
      write(repository);
    }
    return answer.future();
  }

  private void write(SigningRepository repository) {
    List<Pending> batch;
    synchronized (lock) {
      if (queue.isEmpty()) {
        writing--;
        return;
      }
      if (queue.size() <= MAX) {
        batch = queue;
        queue = new ArrayList<>();
      } else {
        batch = new ArrayList<>(queue.subList(0, MAX));
        queue = new ArrayList<>(queue.subList(MAX, queue.size()));
      }
    }
    batch.sort(LOCK_ORDER); // stable: the same address twice keeps the order it came in
    // An email twice in one batch: the first goes in, the second is a repeat like any other (or
    // stale, taken again, when the first was).
    Map<String, Integer> first = new java.util.HashMap<>();
    List<SigningRepository.NewSignature> rows = new ArrayList<>(batch.size());
    List<Pending> written = new ArrayList<>(batch.size());
    List<Pending> repeats = new ArrayList<>();
    List<Integer> repeated = new ArrayList<>();
    for (Pending p : batch) {
      String key = p.signature().signer().emailKey();
      Integer earlier = key == null ? null : first.putIfAbsent(p.signature().manifestoId() + " " + key, written.size());
      if (earlier == null) {
        rows.add(p.signature());
        written.add(p);
      } else {
        repeats.add(p);
        repeated.add(earlier);
      }
    }
    repository.insertBatch(rows).onComplete(ar -> {
      if (ar.failed() && written.size() > 1) {
        answer(repeats, i -> Future.succeededFuture(SigningRepository.Inserted.REPEAT));
        alone(repository, written).onComplete(v -> write(repository));
        return;
      }
      if (ar.succeeded()) {
        counted(written, ar.result());
      }
      answer(written, i -> ar.succeeded() ? Future.succeededFuture(ar.result().rows()[i]) : Future.failedFuture(ar.cause()));
      answer(repeats, i -> Future.succeededFuture(ar.succeeded()
          && ar.result().rows()[repeated.get(i)] == SigningRepository.Inserted.STALE
          ? SigningRepository.Inserted.STALE : SigningRepository.Inserted.REPEAT));
      write(repository);
    });
  }

  /**
   * The signatures a batch stored confirmed, added to the live count by the batch's transaction
   * (before anyone is answered, so a count read after an answer includes it).
   */
  private void counted(List<Pending> written, SigningRepository.Batch batch) {
    Map<String, Map<String, Long>> byManifesto = new java.util.HashMap<>();
    for (int i = 0; i < written.size(); i++) {
      SigningRepository.NewSignature n = written.get(i).signature();
      if (n.confirmed() && batch.rows()[i] == SigningRepository.Inserted.STORED) {
        byManifesto.computeIfAbsent(n.manifestoId(), k -> new java.util.HashMap<>())
            .merge(n.signer().country(), 1L, Long::sum);
      }
    }
    byManifesto.forEach((id, byCountry) -> counts.added(id, batch.xid(), byCountry));
  }

  /** After a failed batch, each signature on its own: one bad row must not fail everyone else's. */
  private Future<Void> alone(SigningRepository repository, List<Pending> written) {
    Future<Void> chain = Future.succeededFuture();
    for (Pending p : written) {
      chain = chain.eventually(() -> repository.insertBatch(List.of(p.signature()))
          .andThen(ar -> {
            if (ar.succeeded()) {
              counted(List.of(p), ar.result());
            }
          })
          .andThen(ar -> answer(List.of(p), i -> ar.succeeded() ? Future.succeededFuture(ar.result().rows()[0])
              : Future.failedFuture(ar.cause())))
          .<Void>mapEmpty().otherwiseEmpty());
    }
    return chain;
  }

  /**
   * Each answer on the context of the request that asked: one task per event loop for the whole
   * batch, where one per signature would wake the loop (and cost a task) hundreds of times.
   */
  private static void answer(List<Pending> pending, java.util.function.IntFunction<Future<SigningRepository.Inserted>> outcome) {
    Map<Context, List<Runnable>> byContext = new IdentityHashMap<>();
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      Future<SigningRepository.Inserted> o = outcome.apply(i);
      if (p.context() == null) {
        p.answer().handle(o);
      } else {
        byContext.computeIfAbsent(p.context(), c -> new ArrayList<>()).add(() -> p.answer().handle(o));
      }
    }
    byContext.forEach((context, answers) -> context.runOnContext(v -> answers.forEach(Runnable::run)));
  }
}
