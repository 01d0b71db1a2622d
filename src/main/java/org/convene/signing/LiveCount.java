package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.convene.collab.Addresses;

/**
 * The confirmed count of each manifesto, for {@code GET .../signatures/count} and the public bridge
 * address {@code manifesto.signatures.<id>}. Whatever changes a count marks the manifesto dirty;
 * the worker then publishes each dirty manifesto's count once, at once after a quiet second and at
 * most once a second ({@link Pacer}), so a lone confirmation shows at once and a burst of them
 * becomes one message per second per manifesto. The last count is kept for the REST answer for up
 * to a second, unless it is known to be stale.
 *
 * <p>Counting all of a manifesto's signatures costs time in proportion to their number (a second or
 * more at a million, before vacuum has marked the new rows visible), so the count is not read in full
 * every second: the signatures a batch stores confirmed are added in memory, with the transaction
 * that stored them, to the last full read ({@link #added}); the transactions that read saw
 * ({@link SigningRepository.Seen}) say exactly which of them it already counted. Any other change
 * (a confirmation link, a withdrawal, an invalidation and its undo, an erasure, a repeat counted at
 * once, the goal) asks for a full read ({@link #changed}), and so does a count older than
 * {@link #RECOUNT_NANOS}, which bounds what a change made outside this process takes to show.
 */
final class LiveCount {
  /** A count as answered: the body, and its ETag (of everything but updatedAt). */
  record Snapshot(JsonObject body, String etag, long readAtNanos, long generation) {}

  static final long FRESH_NANOS = 1_000_000_000L;
  static final long RECOUNT_NANOS = 10_000_000_000L;
  private static final int CACHED = 10_000;

  /** One manifesto's count: the last full read and what batches added since (guarded by itself). */
  private static final class Tally {
    /** The last full read (null before the first), the goal read with it, and when it began. */
    SigningRepository.Counts base;
    int goal;
    long baseAtNanos;
    /** Batches' additions not seen by {@link #base}: transaction id, then count by country. */
    final List<Map.Entry<Long, Map<String, Long>>> added = new ArrayList<>();
    /** A change that only a full read can count happened since the last one began. */
    boolean recount = true;
    /** The full read in flight: one at a time, so each one sees at least what the one before saw. */
    Future<Void> reading;
  }

  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  /** Bumped by every change: a snapshot made before the last change is never served. */
  private final Map<String, java.util.concurrent.atomic.AtomicLong> generations = new ConcurrentHashMap<>();

  /** Told of every change (the worker publishes at once, or when a second since its last round ends: {@link Pacer}). */
  volatile Runnable onChange = () -> { };

  /** A change only a full read can count. */
  void changed(String manifestoId) {
    Tally t = tally(manifestoId);
    synchronized (t) {
      t.recount = true;
    }
    generation(manifestoId).incrementAndGet();
    dirty.add(manifestoId);
    onChange.run();
  }

  /**
   * Signatures stored confirmed by transaction {@code xid} (committed), by country: added to the
   * count unless the last full read saw that transaction already.
   */
  void added(String manifestoId, long xid, Map<String, Long> byCountry) {
    Tally t = tally(manifestoId);
    synchronized (t) {
      if (t.base == null || t.base.seen() == null || !t.base.seen().saw(xid)) {
        t.added.add(Map.entry(xid, byCountry));
      }
    }
    generation(manifestoId).incrementAndGet();
    dirty.add(manifestoId);
    onChange.run();
  }

  private Tally tally(String manifestoId) {
    if (tallies.size() > CACHED) {
      tallies.clear(); // forgetting only makes the next count a full read
    }
    return tallies.computeIfAbsent(manifestoId, k -> new Tally());
  }

  private java.util.concurrent.atomic.AtomicLong generation(String manifestoId) {
    if (generations.size() > CACHED) {
      generations.clear(); // forgetting only makes the next reads go to the database
      snapshots.clear();
    }
    return generations.computeIfAbsent(manifestoId, k -> new java.util.concurrent.atomic.AtomicLong());
  }

  /** The count, from memory when made less than a second ago and not changed since it was made. */
  Future<Snapshot> current(SigningRepository repository, String manifestoId) {
    Snapshot s = snapshots.get(manifestoId);
    if (s != null && s.generation() == generation(manifestoId).get()
        && System.nanoTime() - s.readAtNanos() < FRESH_NANOS) {
      return Future.succeededFuture(s);
    }
    return read(repository, manifestoId);
  }

  /** Whether some manifesto's count changed since it was last published. */
  boolean anyChanged() {
    return !dirty.isEmpty();
  }

  /** Publishes the count of every manifesto marked since the last call (the worker's {@link Pacer} calls it). */
  Future<Void> publishChanged(SigningRepository repository, EventBus bus) {
    if (dirty.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> ids = new ArrayList<>(dirty);
    List<Future<?>> all = new ArrayList<>();
    for (String id : ids) {
      dirty.remove(id);
      all.add(read(repository, id).onSuccess(s -> {
        if (s != null) {
          // The frame as the bridge would write it, encoded once for every open page.
          String address = Addresses.signatures(id);
          bus.publish(Addresses.publicFanout(address), io.vertx.core.buffer.Buffer.buffer(
              "{\"type\":\"rec\",\"address\":\"" + address + "\",\"body\":" + s.body().encode() + "}"));
        }
      }).onFailure(err -> dirty.add(id)));
    }
    return Future.join(all).mapEmpty();
  }

  /** The count now: the last full read plus what batches added since, or a new full read when one is due. */
  private Future<Snapshot> read(SigningRepository repository, String manifestoId) {
    Tally t = tally(manifestoId);
    long at = System.nanoTime();
    long generation = generation(manifestoId).get();
    Promise<Void> done;
    synchronized (t) {
      if (t.reading != null) { // after it, from the start: it may or may not have seen the latest change
        return t.reading.transform(ar -> read(repository, manifestoId));
      }
      if (t.base != null && !t.recount && at - t.baseAtNanos < RECOUNT_NANOS) {
        return Future.succeededFuture(snapshot(manifestoId, sum(t), t.goal, at, generation));
      }
      t.recount = false;
      done = Promise.promise();
      t.reading = done.future();
    }
    return Future.all(repository.counts(manifestoId), repository.context(manifestoId)).map(both -> {
      SigningRepository.Context ctx = both.resultAt(1);
      SigningRepository.Counts counts = both.resultAt(0);
      if (ctx == null) {
        return null; // no such manifesto: nothing kept, the next count reads again
      }
      SigningRepository.Counts total;
      int goal = ctx.settings().goal();
      synchronized (t) {
        t.base = counts;
        t.goal = goal;
        t.baseAtNanos = at;
        t.added.removeIf(e -> counts.seen() == null || counts.seen().saw(e.getKey()));
        total = sum(t);
      }
      return snapshot(manifestoId, total, goal, at, generation);
    }).andThen(ar -> {
      synchronized (t) {
        if (ar.failed()) {
          t.recount = true;
        }
        t.reading = null;
      }
      done.complete();
    });
  }

  /** The last full read plus the batches it did not see (call holding the tally). */
  private static SigningRepository.Counts sum(Tally t) {
    if (t.added.isEmpty()) {
      return t.base;
    }
    Map<String, Long> byCountry = new TreeMap<>(t.base.byCountry());
    long confirmed = t.base.confirmed();
    for (Map.Entry<Long, Map<String, Long>> batch : t.added) {
      for (Map.Entry<String, Long> c : batch.getValue().entrySet()) {
        byCountry.merge(c.getKey(), c.getValue(), Long::sum);
        confirmed += c.getValue();
      }
    }
    return new SigningRepository.Counts(confirmed, byCountry, t.base.seen());
  }

  private Snapshot snapshot(String manifestoId, SigningRepository.Counts counts, int goal, long at, long generation) {
    JsonObject byCountry = new JsonObject();
    counts.byCountry().forEach(byCountry::put);
    JsonObject body = new JsonObject().put("confirmed", counts.confirmed()).put("goal", goal).put("byCountry", byCountry);
    String etag = "W/\"" + sha256(body.encode()).substring(0, 32) + "\"";
    body.put("updatedAt", Instant.now().toString());
    Snapshot s = new Snapshot(body, etag, at, generation);
    if (snapshots.size() > CACHED) {
      snapshots.clear();
    }
    snapshots.put(manifestoId, s);
    return s;
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
