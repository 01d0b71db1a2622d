package org.convene.collab;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.convene.common.Config;
import org.convene.common.Metrics;
import org.convene.collab.BridgeGate.Connection;

/**
 * A gate's delivery of publications ({@link BridgeGate} decides who may subscribe): for each document or
 * public address its sockets here subscribe to, one local consumer of the frames the collab verticle
 * (or signing's live count) encodes once, and each frame written to every socket, many sockets a round
 * when there are many, with the backlog limit applied per socket. Confined to the gate's event loop.
 */
public final class FanOut {
  private final EventBus eventBus;
  private final Config.Limits limits;
  private final Metrics metrics;
  /** Told of a socket that stopped reading: the gate forgets it and drops it. */
  private final Consumer<SockJSSocket> evict;
  private final Map<String, Subscribers> subscribers = new HashMap<>();

  FanOut(EventBus eventBus, Config.Limits limits, Metrics metrics, Consumer<SockJSSocket> evict) {
    this.eventBus = eventBus;
    this.limits = limits;
    this.metrics = metrics;
    this.evict = evict;
  }

  /**
   * Every socket forgotten at the stop; the consumers stay registered, with no socket, until the
   * verticle is undeployed (one unregistered now would log a warning for each frame on its way to it).
   */
  void forgetAll() {
    subscribers.values().forEach(s -> s.sockets.clear());
  }

  void subscribe(String doc, SockJSSocket socket, Connection conn) {
    subscribers.computeIfAbsent(doc, d -> {
      Subscribers s = new Subscribers(Addresses.isPublic(d));
      s.consumer = s.wholeState
          ? eventBus.<Buffer>localConsumer(Addresses.publicFanout(d), m -> publish(s, new SharedFrame(m.body().getBytes())))
          : eventBus.<RecFrame>localConsumer(Addresses.fanout(d), m -> publish(s, new SharedFrame(m.body().bytes())));
      return s;
    }).sockets.put(socket, conn);
  }

  /**
   * Writes one publication to each subscribed socket. A socket whose reader stopped reading (a phone
   * in a tunnel, a frozen tab) keeps getting frames, held by the server, until what it holds for that
   * socket (written but not yet passed to the operating system) passes the backlog limit; then it is
   * closed, so that no reader holds the server's memory without bound. Its client reconnects and
   * catches up from the history. What is held is counted from the writes' own completions, the one
   * signal every SockJS transport gives: the SockJS WebSocket transport that browsers use hands
   * frames to the WebSocket whatever its state, so its {@code writeQueueFull()} stays false.
   */
  private void publish(Subscribers s, SharedFrame frame) {
    if (s.queue.isEmpty() && s.sockets.size() <= s.chunk) {
      write(s, frame, s.sockets.keySet());
      return;
    }
    // Many readers (the live count on thousands of open pages): written CHUNK sockets at a time, the
    // next chunk on a timer (a task queued at once would run in the same pass over the loop's tasks,
    // before any I/O), so that the loop serves its other connections in between instead of stalling
    // for the whole fan-out; publications stay in order, each socket gets them as they were published.
    s.queue.add(frame);
    if (s.queue.size() == 1) {
      writeRound(s, new ArrayList<>(s.sockets.keySet()), 0, io.vertx.core.Vertx.currentContext());
    }
  }

  /**
   * Sockets written at a time when the live count goes to more than that many. A write is a system
   * call (with its frame, about 18 µs of the server here): 64 hold the loop about a millisecond. With
   * 10,000 pages open, 256 at a time gave signers a p99 of 44 ms, 64 one of 22 ms (docs/BENCHMARKS.md).
   */
  public static final int CHUNK = 64;
  /**
   * The same for a document's publications, which come dozens of times a second: each further round
   * waits for a timer, so small rounds let them queue behind each other. At 500 authors (about 250
   * per event loop), rounds of 64 cut the accepted edits by a third (790-890 a second instead of
   * 1,260) and raised the acknowledgement p99 to 1.2-1.6 s; 256 writes them in one go, as before.
   */
  static final int DOC_CHUNK = 256;

  /** Writes the oldest queued publication to {@code round} from {@code from}, a chunk at a time. */
  private void writeRound(Subscribers s, List<SockJSSocket> round, int from, io.vertx.core.Context context) {
    int to = Math.min(round.size(), from + s.chunk);
    SharedFrame frame = s.queue.peek();
    List<SockJSSocket> chunk = new ArrayList<>(to - from);
    for (SockJSSocket each : round.subList(from, to)) {
      if (s.sockets.containsKey(each)) { // not gone meanwhile
        chunk.add(each);
      }
    }
    write(s, frame, chunk);
    if (to < round.size()) {
      context.owner().setTimer(1, id -> writeRound(s, round, to, context));
      return;
    }
    s.queue.poll();
    if (!s.queue.isEmpty()) {
      context.owner().setTimer(1, id -> writeRound(s, new ArrayList<>(s.sockets.keySet()), 0, context));
    }
  }

  private void write(Subscribers s, SharedFrame frame, java.util.Collection<SockJSSocket> sockets) {
    List<SockJSSocket> stalled = null;
    int written = 0;
    byte[] bytes = frame.message;
    for (SockJSSocket each : sockets) {
      Connection conn = s.sockets.get(each);
      boolean direct = s.wholeState && conn.direct != null;
      // Written directly, what the socket holds is in its channel's buffer (and may include what went
      // through Vert.x, which conn.held counts too): the larger of the two.
      long held = direct ? Math.max(conn.held, conn.direct.pending()) : conn.held;
      // A socket holding nothing always takes the frame, however large (a paste of a whole chapter,
      // or many ops coalesced): the limit is on what a reader leaves behind, not on one publication.
      if (held > 0 && held + frame.length() > limits.socketBacklogBytes()) {
        if (stalled == null) {
          stalled = new ArrayList<>();
        }
        stalled.add(each);
        continue;
      }
      if (direct) {
        written += conn.direct.write(frame) ? 1 : 0;
        continue;
      }
      try {
        conn.held += bytes.length;
        each.write(Buffer.buffer(bytes)).onComplete((ok, err) -> conn.held -= bytes.length);
        written++;
      } catch (IllegalStateException closing) {
        // A WebSocket that is closing (its SOCKET_CLOSED event still to come) may refuse the
        // write by throwing; the other subscribers must still get the frame.
        conn.held -= bytes.length;
      }
    }
    metrics.framesWritten(written);
    if (stalled != null) {
      stalled.forEach(evict);
    }
  }

  void unsubscribe(String doc, SockJSSocket socket) {
    Subscribers s = subscribers.get(doc);
    if (s != null && s.sockets.remove(socket) != null && s.sockets.isEmpty()) {
      subscribers.remove(doc);
      s.consumer.unregister();
    }
  }

  /** The sockets of this gate that receive a document's publications, with their connections. */
  private static final class Subscribers {
    final Map<SockJSSocket, Connection> sockets = new IdentityHashMap<>();
    /** A public address: each message is the whole state, written below SockJS where it can be. */
    final boolean wholeState;
    /** Sockets written per round: {@link #CHUNK} for the live count, {@link #DOC_CHUNK} for a document. */
    final int chunk;
    MessageConsumer<?> consumer;
    /** Publications still being written a chunk at a time, oldest first (empty when none is). */
    final java.util.ArrayDeque<SharedFrame> queue = new java.util.ArrayDeque<>();

    Subscribers(boolean wholeState) {
      this.wholeState = wholeState;
      this.chunk = wholeState ? CHUNK : DOC_CHUNK;
    }
  }
}
