package org.convene.common;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** What every asynchronous caller here needs of a piece of work that may throw before it returns its future. */
public final class Futures {
  private Futures() {}

  /**
   * The future {@code work} returns, or a failed one when it throws instead (a refusal raised while
   * checking, before anything asynchronous started), so that callers answer both the same way.
   */
  public static <T> Future<T> attempt(Supplier<Future<T>> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
