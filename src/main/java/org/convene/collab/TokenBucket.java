package org.convene.collab;

/** Rate limit: {@code rate} per second on average, up to {@code burst} at once. Rate 0 = unlimited. */
final class TokenBucket {
  private final double ratePerNano;
  private final double burst;
  private double available;
  private long last = System.nanoTime();

  TokenBucket(int perSecond, long burst) {
    this.ratePerNano = perSecond / 1e9;
    this.burst = burst;
    this.available = burst;
  }

  boolean take() {
    if (ratePerNano == 0) {
      return true;
    }
    long now = System.nanoTime();
    available = Math.min(burst, available + (now - last) * ratePerNano);
    last = now;
    if (available >= 1) {
      available -= 1;
      return true;
    }
    return false;
  }
}
