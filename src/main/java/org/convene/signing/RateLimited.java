package org.convene.signing;

/** A 429 with its own Retry-After (the common error form says 1 second). */
final class RateLimited extends RuntimeException {
  final long retryAfterSeconds;

  RateLimited(String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
