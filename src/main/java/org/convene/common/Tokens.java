package org.convene.common;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Capability tokens: random, shown once at creation, stored only as SHA-256. Tokens are never
 * changed once issued, so a found grant is cached (bounded); unknown tokens are not cached.
 * Lookups of a token that is not cached yet share one query: after a restart everyone in a room
 * reconnects at once with the same editor link, and one query per participant would queue hundreds
 * of them for the pool's few connections.
 */
public final class Tokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int CACHE_SIZE = 10_000;

  private final Pool pool;
  private final Map<String, Grant> cache = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Grant> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  /** Queries in flight, by token; each entry leaves when its query completes. */
  private final Map<String, Future<Optional<Grant>>> inFlight = new ConcurrentHashMap<>();

  public Tokens(Pool pool) {
    this.pool = pool;
  }

  /** 32 random bytes, URL-safe: 256 bits nobody can guess. */
  public static String newToken() {
    return randomId(32);
  }

  public static String randomId(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static Buffer hash(String secret) {
    try {
      return Buffer.buffer(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JVM", e);
    }
  }

  /** The grant of a token, or empty when the token is unknown. Safe to call from any context. */
  public Future<Optional<Grant>> lookup(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Future.succeededFuture(Optional.empty());
    }
    Grant cached;
    synchronized (cache) {
      cached = cache.get(token);
    }
    if (cached != null) {
      return Future.succeededFuture(Optional.of(cached));
    }
    boolean[] mine = {false};
    Future<Optional<Grant>> shared = inFlight.computeIfAbsent(token, t -> {
      mine[0] = true;
      return query(t);
    });
    if (mine[0]) {
      shared.onComplete(ar -> inFlight.remove(token, shared));
      return shared;
    }
    // Another context's query: hear its answer on this caller's own context, as from a query of its own.
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<Optional<Grant>> answer = Promise.promise();
    shared.onComplete(ar -> caller.runOnContext(v -> answer.handle(ar)));
    return answer.future();
  }

  private Future<Optional<Grant>> query(String token) {
    return pool.preparedQuery("SELECT manifesto_id, role FROM capability_tokens WHERE token_hash = $1")
        .execute(Tuple.of(hash(token)))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.<Grant>empty();
          }
          Row row = rows.iterator().next();
          Grant grant = new Grant(row.getString("manifesto_id"), Role.fromWire(row.getString("role")));
          synchronized (cache) {
            cache.put(token, grant);
          }
          return Optional.of(grant);
        });
  }
}
