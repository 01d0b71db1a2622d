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

  /** A condition that may throw (a query, a request): what it throws fails the wait at once. */
  public interface Check {
    boolean holds() throws Exception;
  }

  /** As {@link #until(long, BooleanSupplier, Supplier)}, for a condition that may throw. */
  public static void untilChecked(long seconds, Check condition, Supplier<String> what) throws InterruptedException {
    until(seconds, () -> {
      try {
        return condition.holds();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, what);
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
