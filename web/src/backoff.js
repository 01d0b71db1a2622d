// Waiting before trying again, for reconnects and for retried requests.

const FIRST_MS = 500;
const MAX_MS = 10000;

/** Delay before reconnect attempt n (0-based): exponential, capped, with jitter. */
export function backoffDelay(attempt, first = FIRST_MS, max = MAX_MS) {
  const ceiling = Math.min(max, first * 2 ** Math.min(attempt, 30));
  // "Equal jitter": at least half the ceiling, so that a crowd of phones that
  // lost the server together does not come back together.
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
