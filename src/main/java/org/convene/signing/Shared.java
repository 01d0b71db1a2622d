package org.convene.signing;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicBoolean;

/** What the HTTP verticles of one process share for signing: limits, counts, the form key, signing contexts, the worker. */
final class Shared implements Shareable {
  private static final String MAP = "org.convene.signing";

  final RateLimits limits = new RateLimits();
  final LiveCount counts = new LiveCount();
  final Csrf csrf = new Csrf();
  final Batcher batcher = new Batcher(counts);
  final Contexts contexts = new Contexts();

  /** Set once the worker (mail sender, count publisher, IP purge) is deployed for this process. */
  final AtomicBoolean worker = new AtomicBoolean();
  /** The mail sender, once started: signing nudges it so a new mail goes out without waiting for its poll. */
  volatile Runnable nudge = () -> { };

  static Shared of(Vertx vertx) {
    return vertx.sharedData().<String, Shared>getLocalMap(MAP).computeIfAbsent("shared", k -> new Shared());
  }
}
