package org.convene.testing;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling until something asynchronous has happened, with a bound and a message saying what did not. */
public final class Wait {
  private Wait() {}

  public static void until(BooleanSupplier condition) throws InterruptedException {
    until(15, condition, () -> "condition");
  }

  public static void until(long seconds, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + seconds + " s: " + what.get());
      }
      Thread.sleep(10);
    }
  }
}
