package org.convene.collab;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 * the whole state and its order against the connection's other frames does not matter. The writing
 * itself, a round of sockets at a time, with each socket's backlog limit, is {@link FanOut}'s.
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
  private final FanOut fanOut;
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
    this.fanOut = new FanOut(eventBus, limits, metrics, this::evict);
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
          fanOut.unsubscribe(doc, event.socket());
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
        fanOut.subscribe(frame.getString("address"), event.socket(), conn);
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
            fanOut.subscribe(doc, event.socket(), conn);
          }
          // A socket closed during its token's look-up is gone from the bridge too: registering it
          // there would fail on the missing socket (and log it).
          event.complete(allowed && !stopping.get() && connections.get(event.socket()) == conn);
        })
        .mapEmpty();
  }

  /** Forgets a connection that stopped reading (its participants leave) and drops it. */
  void evict(SockJSSocket socket) {
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
    fanOut.forgetAll();
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
      conn.docs.forEach(doc -> fanOut.unsubscribe(doc, socket));
      eventBus.send(Addresses.CONNECTION_CLOSED, new JsonObject().put("conn", conn.id));
    }
    return conn;
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
