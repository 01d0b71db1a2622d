package org.convene.signing;

import io.vertx.core.Future;
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
import java.util.concurrent.ConcurrentHashMap;
import org.convene.collab.Addresses;

/**
 * The confirmed count of each manifesto, for {@code GET .../signatures/count} and the public bridge
 * address {@code manifesto.signatures.<id>}. Whatever changes a count marks the manifesto dirty;
 * once a second the worker reads each dirty manifesto's count once and publishes it, so a burst of
 * confirmations becomes one message per second per manifesto. The last count read is kept for the
 * REST answer for up to a second, unless it is known to be stale.
 */
final class LiveCount {
  /** A count as answered: the body, and its ETag (of everything but updatedAt). */
  record Snapshot(JsonObject body, String etag, long readAtNanos) {}

  static final long FRESH_NANOS = 1_000_000_000L;
  private static final int CACHED = 10_000;

  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();

  void changed(String manifestoId) {
    dirty.add(manifestoId);
  }

  /** The count, from memory when read less than a second ago and not changed since. */
  Future<Snapshot> current(SigningRepository repository, String manifestoId) {
    Snapshot s = snapshots.get(manifestoId);
    if (s != null && !dirty.contains(manifestoId) && System.nanoTime() - s.readAtNanos() < FRESH_NANOS) {
      return Future.succeededFuture(s);
    }
    return read(repository, manifestoId);
  }

  /** Publishes the count of every manifesto marked since the last call (the worker calls it each second). */
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
          bus.publish(Addresses.signatures(id), s.body());
        }
      }).onFailure(err -> dirty.add(id)));
    }
    return Future.join(all).mapEmpty();
  }

  private Future<Snapshot> read(SigningRepository repository, String manifestoId) {
    long at = System.nanoTime();
    return Future.all(repository.counts(manifestoId), repository.context(manifestoId)).map(both -> {
      SigningRepository.Context ctx = both.resultAt(1);
      if (ctx == null) {
        return null;
      }
      SigningRepository.Counts counts = both.resultAt(0);
      JsonObject byCountry = new JsonObject();
      counts.byCountry().forEach(byCountry::put);
      JsonObject body = new JsonObject().put("confirmed", counts.confirmed()).put("goal", ctx.settings().goal())
          .put("byCountry", byCountry);
      String etag = "W/\"" + sha256(body.encode()).substring(0, 32) + "\"";
      body.put("updatedAt", Instant.now().toString());
      Snapshot s = new Snapshot(body, etag, at);
      if (snapshots.size() > CACHED) {
        snapshots.clear();
      }
      snapshots.put(manifestoId, s);
      return s;
    });
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
