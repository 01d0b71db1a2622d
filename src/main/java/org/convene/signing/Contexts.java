package org.convene.signing;

import io.vertx.core.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The signing contexts of published manifestos (title, published version, settings), kept for a
 * second so that a burst of signatures does not read the same row once per signature. What keeps it
 * exact: a change of settings in this process drops the manifesto's context before the change is
 * answered (and a read that began before the change is never kept); a publication is caught by the
 * batch insert itself, which stores only rows given the latest version and has the others taken
 * again with a fresh context ({@link SigningRepository.Inserted#STALE}); a change of title reaches
 * the mail within the second. A manifesto that is not published, or not found, is never kept: its
 * first publication is seen by the next signature. One per process.
 */
final class Contexts {
  static final long FRESH_NANOS = 1_000_000_000L;
  private static final int MAX = 10_000;

  private record Entry(SigningRepository.Context context, long readAtNanos) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  /** Bumped by every invalidation: a read that began before one is not kept. */
  private final AtomicLong generation = new AtomicLong();

  /**
   * The context, from memory when read less than a second ago. The future has no context of its own
   * when answered from memory, so the caller goes on on its own event loop.
   */
  Future<SigningRepository.Context> get(SigningRepository repository, String manifestoId) {
    long now = System.nanoTime();
    Entry e = entries.get(manifestoId);
    if (e != null && now - e.readAtNanos() < FRESH_NANOS) {
      return Future.succeededFuture(e.context());
    }
    long before = generation.get();
    return repository.context(manifestoId).map(c -> {
      if (c != null && c.version() != null && generation.get() == before) {
        if (entries.size() > MAX) {
          entries.clear(); // forgetting only makes the next signatures read again
        }
        entries.put(manifestoId, new Entry(c, now));
      }
      return c;
    });
  }

  /** Forgets a manifesto's context (its settings changed, or a signature found its version stale). */
  void invalidate(String manifestoId) {
    generation.incrementAndGet();
    entries.remove(manifestoId);
  }
}
