package org.convene.collab;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Publishes a document's committed operations, at most one message per {@link #MIN_INTERVAL_MS}.
 * A quiet document publishes at once; a busy one coalesces what was committed meanwhile into one
 * {@code {ops:[...]}} message, so frames per connection stay bounded however many authors type.
 * Order is kept: entries leave in the order they were committed. Confined to one event loop.
 */
final class Outbox {
  static final long MIN_INTERVAL_MS = 25;

  private final Vertx vertx;
  private final String address;
  private final List<JsonObject> pending = new ArrayList<>();
  private long lastPublish = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MIN_INTERVAL_MS);
  private boolean scheduled;

  Outbox(Vertx vertx, String address) {
    this.vertx = vertx;
    this.address = address;
  }

  void add(List<JsonObject> entries) {
    pending.addAll(entries);
    if (scheduled) {
      return;
    }
    long waitMs = MIN_INTERVAL_MS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastPublish);
    if (waitMs <= 0) {
      flush();
    } else {
      scheduled = true;
      vertx.setTimer(waitMs, id -> {
        scheduled = false;
        flush();
      });
    }
  }

  /** Publishes what is pending now (also on stop). */
  void flush() {
    if (pending.isEmpty()) {
      return;
    }
    JsonObject message = pending.size() == 1
        ? pending.get(0)
        : new JsonObject().put("ops", new JsonArray(new ArrayList<>(pending)));
    pending.clear();
    lastPublish = System.nanoTime();
    vertx.eventBus().publish(address, PreEncoded.of(message));
  }
}
