package org.convene.common;

import io.vertx.core.Future;
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

/**
 * Capability tokens: random, shown once at creation, stored only as SHA-256. Tokens are never
 * changed once issued, so a found grant is cached (bounded); unknown tokens are not cached.
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
