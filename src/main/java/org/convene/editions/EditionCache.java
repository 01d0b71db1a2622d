package org.convene.editions;

import io.vertx.core.Future;
import io.vertx.core.shareddata.Shareable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.convene.common.Futures;

/**
 * Rendered PDFs by request, least recently used evicted first once their bytes exceed a bound.
 * Versions never change, so an entry never goes stale. Concurrent identical requests share one
 * render. One instance serves every HTTP verticle (it lives in a local shared map), so it is
 * thread-safe.
 */
final class EditionCache implements Shareable {
  /** Everything a PDF's bytes depend on (besides the server's PUBLIC_URL, fixed for its life). */
  record Key(String manifestoId, int number, String language, String edition, String language2, String paper,
             long signatures) {}

  /** A finished file and its ETag (the SHA-256 of its bytes, hex). */
  record Pdf(byte[] bytes, String sha256) {}

  private final long maxBytes;
  private final LinkedHashMap<Key, Pdf> entries = new LinkedHashMap<>(16, 0.75f, true);
  private final Map<Key, CompletableFuture<Pdf>> rendering = new ConcurrentHashMap<>();
  private final AtomicLong renders = new AtomicLong();
  private long bytes;

  EditionCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * The cached file, the render already under way for the same key, or a new render from
   * {@code render} (called at most once per key at a time).
   */
  CompletableFuture<Pdf> get(Key key, Supplier<Future<Pdf>> render) {
    Pdf hit = lookup(key);
    if (hit != null) {
      return CompletableFuture.completedFuture(hit);
    }
    CompletableFuture<Pdf> mine = new CompletableFuture<>();
    CompletableFuture<Pdf> running = rendering.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    hit = lookup(key); // finished between the first look and putIfAbsent
    if (hit != null) {
      rendering.remove(key, mine);
      mine.complete(hit);
      return mine;
    }
    renders.incrementAndGet();
    Futures.attempt(render).onComplete(ar -> {
      if (ar.succeeded()) {
        store(key, ar.result());
        rendering.remove(key, mine);
        mine.complete(ar.result());
      } else {
        rendering.remove(key, mine);
        mine.completeExceptionally(ar.cause());
      }
    });
    return mine;
  }

  /** How many renders were started (a cache hit or a shared render starts none). */
  long renders() {
    return renders.get();
  }

  synchronized long bytes() {
    return bytes;
  }

  private synchronized Pdf lookup(Key key) {
    return entries.get(key);
  }

  private synchronized void store(Key key, Pdf pdf) {
    long size = pdf.bytes().length;
    if (size > maxBytes) {
      return;
    }
    Pdf old = entries.put(key, pdf);
    bytes += size - (old == null ? 0 : old.bytes().length);
    Iterator<Pdf> eldest = entries.values().iterator();
    while (bytes > maxBytes && eldest.hasNext()) {
      bytes -= eldest.next().bytes().length;
      eldest.remove();
    }
  }
}
