package org.convene.signing;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

/** What the HTTP verticles and the worker of one process share for signing: limits, counts, the form key, signing contexts. */
final class Shared implements Shareable {
  private static final String MAP = "org.convene.signing";

  final RateLimits limits = new RateLimits();
  final LiveCount counts = new LiveCount();
  final Csrf csrf = new Csrf();
  final Batcher batcher = new Batcher(counts);
  final Contexts contexts = new Contexts();

  /** The mail sender, once started: signing nudges it so a new mail goes out without waiting for its poll. */
  volatile Runnable nudge = () -> { };

  static Shared of(Vertx vertx) {
    return vertx.sharedData().<String, Shared>getLocalMap(MAP).computeIfAbsent("shared", k -> new Shared());
  }
}
