package org.convene.common;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per client address: {@code perHour} on average, {@code burst} at once. One per
 * Vert.x instance and name (shared by the HTTP verticles of every event loop, hence synchronized).
 * It remembers at most {@link #MAX_ADDRESSES} addresses, forgetting the least recently seen: an
 * address forgotten starts again with a full bucket, which only a client holding that many addresses
 * can cause.
 */
public final class AddressLimiter implements Shareable {
  static final int MAX_ADDRESSES = 100_000;

  private final double perNano;
  private final int burst;
  private static final class Bucket {
    double tokens;
    long at;
  }

  private final Map<String, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  AddressLimiter(int perHour, int burst) {
    this.perNano = perHour / 3.6e12;
    this.burst = burst;
  }

  /** The limiter of that name on this Vert.x, created with these settings the first time. */
  public static AddressLimiter shared(Vertx vertx, String name, int perHour, int burst) {
    LocalMap<String, AddressLimiter> map = vertx.sharedData().getLocalMap("convene.address-limiters");
    AddressLimiter fresh = new AddressLimiter(perHour, burst);
    AddressLimiter existing = map.putIfAbsent(name, fresh);
    return existing == null ? fresh : existing;
  }

  /** 0 when the address may go ahead (and it is counted), else the seconds until it may. */
  public synchronized long take(String address) {
    if (perNano == 0) {
      return 0;
    }
    long now = System.nanoTime();
    Bucket b = buckets.computeIfAbsent(address, a -> {
      Bucket fresh = new Bucket();
      fresh.tokens = burst;
      fresh.at = now;
      return fresh;
    });
    double available = Math.min(burst, b.tokens + (now - b.at) * perNano);
    b.at = now;
    b.tokens = available >= 1 ? available - 1 : available;
    if (available >= 1) {
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - available) / perNano / 1e9));
  }

  @Override
  public Shareable copy() {
    return this;
  }
}
