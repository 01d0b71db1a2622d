package org.convene.collab;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.convene.common.Config;
import org.convene.common.Grant;
import org.convene.common.Metrics;
import org.convene.common.Role;
import org.convene.common.Tokens;

/**
 * The bridge's gatekeeper. For every frame a client sends it checks the rate, looks up the token and
 * replaces the frame's headers with what the server derived (connection, manifesto, role, or a
 * refusal). A refused send still reaches its consumer, which answers with the refusal's failure code:
 * that is the only way a bridge client gets a failureCode rather than a bare "access_denied".
 * Registrations are checked here and refused outright.
 *
 * <p>It also delivers the documents' publications: a socket whose registration on
 * {@code manifesto.doc.<doc>} it accepted gets each publication's frame, encoded once by the collab
 * verticle ({@link RecFrame}), written as is. The bridge's own consumer for that registration stays
 * (it keeps the bridge's bookkeeping and limits) but nothing is published on that address. The
 * public addresses ({@link Addresses#isPublic}, no token needed) are delivered the same way, and
 * below SockJS on the WebSocket transports: one shared frame per publication written to each
 * socket's channel ({@link SharedFrame}, {@link Sockets.Direct}), since each of their messages is
 * the whole state and its order against the connection's other frames does not matter.
 *
 * <p>When the server stops it refuses every frame (503: resend once reconnected) and closes every socket
 * at once ({@link #stop}), so that nothing reaches a document after its last commit has begun.
 *
 * <p>One instance per HTTP verticle instance; its state is touched only on that verticle's event loop.
 */
public final class BridgeGate implements Handler<BridgeEvent> {
  private static final Logger LOG = Logger.getLogger(BridgeGate.class.getName());
  private static final Set<String> SEND_ADDRESSES =
      Set.of(Addresses.OPEN, Addresses.EDIT, Addresses.HISTORY, Addresses.PRESENCE);

  private final EventBus eventBus;
  private final Tokens tokens;
  private final Config.Limits limits;
  private final Metrics metrics;
  private final Map<SockJSSocket, Connection> connections = new IdentityHashMap<>();
  private final Map<String, Subscribers> subscribers = new HashMap<>();
  private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
  /** WebSocket status 1012, Service Restart: the server is restarting, reconnect (RFC 6455's registry). */
  static final short RESTARTING = 1012;
  /**
   * Publication bytes held for a socket past which its close frame is not sent at the stop, the socket
   * is dropped: Netty's default write-buffer high-water mark, past which a channel reports that it is
   * written to faster than it writes. A reader that keeps up holds at most the frames being flushed.
   */
  private static final long STALLED_AT_STOP = 64 * 1024;
  /**
   * Set when the server's stop begins (by {@code App}, for every gate at once, whatever their event
   * loops are busy with) and by {@link #stop}: from then on every frame is refused, no socket accepted.
   */
  private final AtomicBoolean stopping;

  /** @param stopping the server's stop has begun: shared by all its gates */
  public BridgeGate(EventBus eventBus, Tokens tokens, Config.Limits limits, Metrics metrics, AtomicBoolean stopping) {
    this.eventBus = eventBus;
    this.stopping = stopping;
    this.tokens = tokens;
    this.limits = limits;
    this.metrics = metrics;
  }

  /** Only the protocol's addresses: four to send to, two families to register on. */
  public static SockJSBridgeOptions bridgeOptions() {
    SockJSBridgeOptions options = new SockJSBridgeOptions()
        .setMaxHandlersPerSocket(100)
        .setMaxAddressLength(120)
        .setReplyTimeout(30_000)
        .setPingTimeout(30_000);
    SEND_ADDRESSES.forEach(a -> options.addInboundPermitted(new PermittedOptions().setAddress(a)));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.DOC_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.PRESENCE_REGEX));
    options.addOutboundPermitted(new PermittedOptions().setAddressRegex(Addresses.SIGNATURES_REGEX)); // public
    return options;
  }

  @Override
  public void handle(BridgeEvent event) {
    try {
      dispatch(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, tag(connections.get(event.socket())) + "bridge event " + event.type() + " failed", e);
      event.tryComplete(false);
    }
  }

  /**
   * A connection's id on its log lines ({@code conn=c1a2 ...}), like HTTP's {@code req=}; the same id
   * is its CONNECTION header, so the collab verticle's lines about it carry it too. Short, and unique
   * in this process: a counter, not a secret (clients never see or send it).
   */
  static String tag(Connection conn) {
    return conn == null ? "conn=? " : "conn=" + conn.id + " ";
  }

  private static String newId() {
    return "c" + Long.toString(IDS.incrementAndGet(), 36);
  }

  /** The transport a socket came by (websocket, xhr_streaming, xhr...): the last step of its address. */
  private static String transport(SockJSSocket socket) {
    String uri = socket.uri() == null ? "" : socket.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private void dispatch(BridgeEvent event) {
    // Vert.x's bridge reads a frame's headers as an object after the gate lets it through (to refuse an
    // unlisted address, for one); headers of another type would throw there, logged with a stack per frame.
    if (event.getRawMessage() != null && event.getRawMessage().containsKey("headers")
        && !(event.getRawMessage().getValue("headers") instanceof JsonObject)) {
      event.getRawMessage().remove("headers");
    }
    switch (event.type()) {
      case SOCKET_CREATED -> {
        if (stopping.get()) {
          event.complete(false); // the bridge closes it
          return;
        }
        Connection conn = new Connection(newId(), limits.framesPerSecond(), Sockets.direct(event.socket()));
        connections.put(event.socket(), conn);
        LOG.fine(() -> tag(conn) + "opened (" + transport(event.socket()) + ")");
        event.complete(true);
      }
      case SOCKET_CLOSED -> {
        Connection conn = forget(event.socket());
        if (conn != null) {
          LOG.fine(() -> tag(conn) + "closed after " + (System.nanoTime() - conn.opened) / 1_000_000_000 + " s");
        }
        event.complete(true);
      }
      case UNREGISTER -> {
        JsonObject frame = event.getRawMessage();
        Connection conn = connections.get(event.socket());
        String address = frame == null ? "" : frame.getString("address", "");
        String doc = Addresses.isPublic(address) ? address : Addresses.docOfPublications(address);
        if (conn != null && doc != null && conn.docs.remove(doc)) {
          unsubscribe(doc, event.socket());
        }
        event.complete(true);
      }
      case SEND -> inbound(event);
      case REGISTER -> register(event);
      case PUBLISH -> event.complete(false); // clients only send; the server alone publishes
      case SOCKET_ERROR -> {
        // A message over the size limit (split into frames that each fit) or a broken socket: the
        // bridge has already dropped the socket's registrations (and logged the error), so close it
        // rather than leave it open and deaf; the client hears why and reconnects. A socket forgotten
        // already (dropped, or closed by the stop) is being closed: its reset is no news.
        Connection conn = forget(event.socket());
        if (conn != null) {
          LOG.info(tag(conn) + "closing after a socket error or a message over 1 MiB");
        }
        event.socket().close(1009, "a message over 1 MiB, or a socket error: reconnect");
        event.complete(true);
      }
      default -> event.complete(true);
    }
  }

  private void inbound(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    Connection conn = connections.get(event.socket());
    if (conn == null || frame == null || !SEND_ADDRESSES.contains(frame.getString("address"))) {
      event.complete(conn != null); // the bridge itself refuses unlisted addresses
      return;
    }
    JsonObject derived = new JsonObject().put(Headers.CONNECTION, conn.id);
    if (stopping.get()) {
      complete(event, frame, stopping(derived));
      return;
    }
    if (!conn.bucket.take()) {
      LOG.fine(() -> tag(conn) + "over its frame rate: a frame refused with 429");
      complete(event, frame, reject(derived, 429, "too many frames on this connection; slow down"));
      return;
    }
    String token = tokenOf(frame);
    // Keep the connection's frames in the order they came, whatever each token lookup costs.
    conn.tail = conn.tail.transform(ignored -> token == null
            ? Future.succeededFuture(reject(derived, 401, "headers.token is missing"))
            : tokens.lookup(token).map(grant -> withGrant(derived, grant)))
        .otherwise(err -> {
          LOG.fine(() -> tag(conn) + "could not check a token: " + err);
          return reject(derived, 503, "cannot check the token now; retry");
        })
        .onSuccess(headers -> {
          // The stop may have begun during its token's look-up.
          complete(event, frame, stopping.get() ? stopping(derived) : headers);
        })
        .mapEmpty();
  }

  private void register(BridgeEvent event) {
    JsonObject frame = event.getRawMessage();
    if (stopping.get()) {
      event.complete(false);
      return;
    }
    if (frame != null && Addresses.isPublic(frame.getString("address")) && connections.containsKey(event.socket())) {
      // A public address (the live signature count): no token needed; its frames come encoded once,
      // like a document's publications (Addresses.publicFanout), and are written to each socket.
      Connection conn = connections.get(event.socket());
      if (conn.docs.add(frame.getString("address"))) {
        subscribe(frame.getString("address"), event.socket(), conn);
      }
      event.complete(true);
      return;
    }
    String doc = frame == null ? null : Addresses.docOfSubscription(frame.getString("address", ""));
    String token = frame == null ? null : tokenOf(frame);
    Connection conn = connections.get(event.socket());
    if (doc == null || token == null || conn == null) {
      event.complete(false);
      return;
    }
    boolean publications = Addresses.docOfPublications(frame.getString("address")) != null;
    conn.tail = conn.tail.transform(ignored -> tokens.lookup(token))
        .map(grant -> grant.isPresent()
            && grant.get().manifestoId().equals(Addresses.manifestoOf(doc))
            && grant.get().role().allows(Role.VIEWER))
        .otherwise(false)
        .onSuccess(allowed -> {
          if (allowed && !stopping.get() && publications && connections.get(event.socket()) == conn && conn.docs.add(doc)) {
            subscribe(doc, event.socket(), conn);
          }
          // A socket closed during its token's look-up is gone from the bridge too: registering it
          // there would fail on the missing socket (and log it).
          event.complete(allowed && !stopping.get() && connections.get(event.socket()) == conn);
        })
        .mapEmpty();
  }

  private void subscribe(String doc, SockJSSocket socket, Connection conn) {
    subscribers.computeIfAbsent(doc, d -> {
      Subscribers s = new Subscribers(Addresses.isPublic(d));
      s.consumer = s.wholeState
          ? eventBus.<Buffer>localConsumer(Addresses.publicFanout(d), m -> fanOut(s, new SharedFrame(m.body().getBytes())))
          : eventBus.<RecFrame>localConsumer(Addresses.fanout(d), m -> fanOut(s, new SharedFrame(m.body().bytes())));
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
  private void fanOut(Subscribers s, SharedFrame frame) {
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
      stalled.forEach(this::evict);
    }
  }

  /** Forgets a connection that stopped reading (its participants leave) and drops it. */
  private void evict(SockJSSocket socket) {
    Connection conn = forget(socket);
    if (conn != null) {
      LOG.info(tag(conn) + "closing: it left " + conn.held + " bytes of publications unread");
      Sockets.abort(socket);
      metrics.droppedForBacklog();
    }
  }

  /**
   * The server is stopping: every frame is refused from now (503, so its client sends it again to
   * the next server; it never reaches a document), and every socket is closed now, not when its
   * client answers: a WebSocket gets a close frame with status 1012 (the server is restarting,
   * reconnect) and its TCP connection is closed once that frame is written (the HTTP server's
   * WebSocket closing timeout is 0); a SockJS session gets SockJS's close frame
   * ({@code c[3000,"Go away!"]}). A socket holding more unread publications than a reader that keeps
   * up would is dropped at once ({@link Sockets#abort}): its close frame would wait behind them. The
   * collab verticle is not told the participants left: its sessions end with the server, and the
   * presence messages would only be written to sockets being closed. Edits passed on before this are
   * committed by the collab verticle's stop; their clients learn so when they resend them after
   * reconnecting ({@code duplicate}). The publication consumers stay registered, with no socket,
   * until the verticle is undeployed: one unregistered now would log a warning for each frame
   * already on its way to it.
   */
  public void stop() {
    stopping.set(true);
    Map<SockJSSocket, Connection> open = new IdentityHashMap<>(connections);
    connections.clear();
    subscribers.values().forEach(s -> s.sockets.clear());
    open.forEach((socket, conn) -> {
      if (conn.held > STALLED_AT_STOP) {
        Sockets.abort(socket);
      } else {
        socket.close(RESTARTING, "the server is restarting: reconnect");
      }
    });
    if (!open.isEmpty()) {
      LOG.info("stopping: closed " + open.size() + " bridge connection(s); their clients reconnect");
    }
  }

  /**
   * Forgets a socket's connection, once: no more publications, and the collab verticle is told its
   * participants left. Null when it was forgotten already (an evicted socket's SOCKET_CLOSED, or any
   * after the stop).
   */
  private Connection forget(SockJSSocket socket) {
    Connection conn = connections.remove(socket);
    if (conn != null) {
      conn.docs.forEach(doc -> unsubscribe(doc, socket));
      eventBus.send(Addresses.CONNECTION_CLOSED, new JsonObject().put("conn", conn.id));
    }
    return conn;
  }

  private void unsubscribe(String doc, SockJSSocket socket) {
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

  private static void complete(BridgeEvent event, JsonObject frame, JsonObject headers) {
    frame.put("headers", headers);
    event.setRawMessage(frame);
    event.complete(true);
  }

  private static JsonObject withGrant(JsonObject headers, Optional<Grant> grant) {
    if (grant.isEmpty()) {
      return reject(headers, 401, "unknown token");
    }
    return headers.put(Headers.MANIFESTO, grant.get().manifestoId()).put(Headers.ROLE, grant.get().role().wire());
  }

  /**
   * A frame that arrives once the server is stopping is refused, never handled: its client gets 503
   * (resend with the same seq) and sends it again once reconnected, to the next server.
   */
  private static JsonObject stopping(JsonObject headers) {
    return reject(headers.copy(), 503, "the server is stopping; send it again once reconnected");
  }

  private static JsonObject reject(JsonObject headers, int code, String reason) {
    return headers.put(Headers.REJECT, Integer.toString(code)).put(Headers.REASON, reason);
  }

  private static String tokenOf(JsonObject frame) {
    Object headers = frame.getValue("headers");
    if (headers instanceof JsonObject h && h.getValue("token") instanceof String s && !s.isEmpty()) {
      return s;
    }
    return null;
  }

  static final class Connection {
    final String id;
    final long opened = System.nanoTime();
    final TokenBucket bucket;
    final Set<String> docs = new HashSet<>();
    Future<Void> tail = Future.succeededFuture();
    /** Bytes of publications written to the socket and not yet passed on by it (confined to the loop). */
    long held;
    /** Its WebSocket's channel, for the public addresses' shared frames; null on the XHR transports. */
    final Sockets.Direct direct;

    Connection(String id, int perSecond, Sockets.Direct direct) {
      this.id = id;
      this.bucket = new TokenBucket(perSecond, 2L * perSecond);
      this.direct = direct;
    }
  }
}
