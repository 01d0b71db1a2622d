package org.convene.signing;

import io.vertx.core.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.convene.common.Futures;

/**
 * Runs a round (publishing the changed live counts) as soon as something changes, and rounds at least
 * an interval apart: a change after a quiet interval goes out at once, one that comes sooner waits
 * for the interval since the last round's start to end, and everything changed meanwhile goes out in
 * that one round. A plain periodic tick keeps the "at most once a second" too, but makes every change
 * wait up to a second; so does a signer's confirmation, which then shows on the open pages up to a
 * second late for nothing.
 *
 * <p>Not thread-safe: {@link #changed} is called on one context (the signing worker's), as are the
 * timers it sets and the completions of its rounds.
 */
final class Pacer {
  /** Sets a one-shot timer; returns nothing the pacer needs. */
  interface Timers {
    void after(long millis, Runnable action);
  }

  private final long intervalNanos;
  private final LongSupplier clock;
  private final Timers timers;
  private final Supplier<Future<Void>> round;
  private boolean ran;
  private long lastStart;
  private boolean running;
  private boolean waiting;
  private boolean pending;

  Pacer(long intervalNanos, LongSupplier clock, Timers timers, Supplier<Future<Void>> round) {
    this.intervalNanos = intervalNanos;
    this.clock = clock;
    this.timers = timers;
    this.round = round;
  }

  /** Something changed: a round now, or when the interval since the last round's start ends. */
  void changed() {
    pending = true;
    if (running || waiting) {
      return; // the round in flight, or the one set for later, takes it
    }
    long wait = ran ? lastStart + intervalNanos - clock.getAsLong() : 0;
    if (wait <= 0) {
      start();
      return;
    }
    waiting = true;
    timers.after(Math.max(1, (wait + 999_999) / 1_000_000), () -> {
      waiting = false;
      start();
    });
  }

  private void start() {
    pending = false;
    running = true;
    ran = true;
    lastStart = clock.getAsLong();
    Futures.attempt(round).onComplete(ar -> {
      running = false;
      if (pending) {
        changed(); // what changed during the round: at the interval's end
      }
    });
  }
}
