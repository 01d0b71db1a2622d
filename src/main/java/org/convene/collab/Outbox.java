package org.convene.collab;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.convene.common.Metrics;

/**
 * Publishes a document's committed operations, pacing messages by what they cost to fan out: the
 * interval between two messages is 50 µs per participant, at most {@link #MAX_INTERVAL_MS} (25 ms
 * at 500 participants). A lone typist, who waits for its own operation before sending the next, is
 * never held back; a crowded document coalesces what was committed meanwhile into one
 * {@code {ops:[...]}} message, so the frames the server writes stay bounded however many type.
 * Order is kept: entries leave in the order they were committed. A message carries at most
 * {@link #MAX_OPS_PER_MESSAGE} operations, the rest following at the same pace, so that no turn of
 * an event loop (here, and in each gate writing the message to its sockets) is held by one huge
 * message when a long backlog commits at once. Confined to one event loop.
 */
final class Outbox {
  static final long MAX_INTERVAL_MS = 25;
  static final long NANOS_PER_PARTICIPANT = 50_000;
  static final int MAX_OPS_PER_MESSAGE = 500;

  private final Vertx vertx;
  private final String doc;
  private final IntSupplier participants;
  private final Metrics metrics;
  private final List<JsonObject> pending = new ArrayList<>();
  private long lastPublish = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(MAX_INTERVAL_MS);
  private boolean scheduled;

  Outbox(Vertx vertx, String doc, IntSupplier participants, Metrics metrics) {
    this.vertx = vertx;
    this.doc = doc;
    this.participants = participants;
    this.metrics = metrics;
  }

  /** How many take part in the document now. */
  int participants() {
    return participants.getAsInt();
  }

  void add(List<JsonObject> entries) {
    pending.addAll(entries);
    if (!scheduled) {
      publishOrSchedule();
    }
  }

  private void publishOrSchedule() {
    long interval = Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_INTERVAL_MS),
        NANOS_PER_PARTICIPANT * participants.getAsInt());
    long waitMs = TimeUnit.NANOSECONDS.toMillis(interval - (System.nanoTime() - lastPublish));
    if (waitMs <= 0) {
      publishOne();
    } else {
      scheduled = true;
      vertx.setTimer(waitMs, id -> {
        scheduled = false;
        publishOne();
      });
    }
  }

  /** One message of what is pending; a remainder goes out after the interval. */
  private void publishOne() {
    if (pending.isEmpty()) {
      return;
    }
    List<JsonObject> first = pending.subList(0, Math.min(pending.size(), MAX_OPS_PER_MESSAGE));
    JsonObject message = first.size() == 1
        ? first.get(0)
        : new JsonObject().put("ops", new JsonArray(new ArrayList<>(first)));
    first.clear();
    lastPublish = System.nanoTime();
    vertx.eventBus().publish(Addresses.fanout(doc), RecFrame.of(doc, message));
    metrics.published();
    if (!pending.isEmpty() && !scheduled) {
      publishOrSchedule();
    }
  }

  /** Publishes everything pending now (on stop and unload). */
  void flush() {
    while (!pending.isEmpty()) {
      publishOne();
    }
  }
}
