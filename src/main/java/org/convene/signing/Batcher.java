package org.convene.signing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Group commit of new signatures, as the sequencer batches edits: whatever arrives while a batch is
 * being written goes into the next one, written by one multi-row statement (signatures and their
 * mail), so the cost of a commit is shared by everyone who signed meanwhile and throughput grows with
 * load, while a lone signer waits for nothing but their own insert. One per process.
 */
final class Batcher {
  static final int MAX = 1_000;

  private record Pending(SigningRepository.NewSignature signature, Promise<Boolean> answer, Context context) {}

  private final Object lock = new Object();
  private List<Pending> queue = new ArrayList<>();
  private boolean writing;

  /** True when stored, false when the email has signed (before, or earlier in the same batch). */
  Future<Boolean> insert(SigningRepository repository, SigningRepository.NewSignature n) {
    Promise<Boolean> answer = Promise.promise();
    boolean start;
    synchronized (lock) {
      queue.add(new Pending(n, answer, Vertx.currentContext()));
      start = !writing;
      writing = true;
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
        writing = false;
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
    // An email twice in one batch: the first goes in, the second is a repeat like any other.
    Set<String> seen = new HashSet<>();
    List<SigningRepository.NewSignature> rows = new ArrayList<>();
    List<Pending> written = new ArrayList<>();
    for (Pending p : batch) {
      String key = p.signature().signer().emailKey();
      if (key == null || seen.add(p.signature().manifestoId() + " " + key)) {
        rows.add(p.signature());
        written.add(p);
      } else {
        answer(p, Future.succeededFuture(false));
      }
    }
    repository.insertBatch(rows).onComplete(ar -> {
      if (ar.failed() && written.size() > 1) {
        alone(repository, written).onComplete(v -> write(repository));
        return;
      }
      for (int i = 0; i < written.size(); i++) {
        answer(written.get(i), ar.succeeded() ? Future.succeededFuture(ar.result()[i]) : Future.failedFuture(ar.cause()));
      }
      write(repository);
    });
  }

  /** After a failed batch, each signature on its own: one bad row must not fail everyone else's. */
  private static Future<Void> alone(SigningRepository repository, List<Pending> written) {
    Future<Void> chain = Future.succeededFuture();
    for (Pending p : written) {
      chain = chain.eventually(() -> repository.insertBatch(List.of(p.signature()))
          .andThen(ar -> answer(p, ar.succeeded() ? Future.succeededFuture(ar.result()[0])
              : Future.failedFuture(ar.cause())))
          .<Void>mapEmpty().otherwiseEmpty());
    }
    return chain;
  }

  /** Each answer on the context of the request that asked. */
  private static void answer(Pending p, Future<Boolean> outcome) {
    if (p.context() == null) {
      p.answer().handle(outcome);
    } else {
      p.context().runOnContext(v -> p.answer().handle(outcome));
    }
  }
}
