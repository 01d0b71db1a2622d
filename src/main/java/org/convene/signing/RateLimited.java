package org.convene.signing;

/** A 429 with its own Retry-After (the common error form says 1 second). */
final class RateLimited extends RuntimeException {
  final long retryAfterSeconds;
  /** The kiosk's own limit, rather than one client address's. */
  final boolean kiosk;

  RateLimited(String message, long retryAfterSeconds, boolean kiosk) {
    super(message, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
    this.kiosk = kiosk;
  }
}
