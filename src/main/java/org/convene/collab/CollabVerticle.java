package org.convene.collab;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.convene.common.Config;
import org.convene.common.Futures;
import org.convene.common.Metrics;
import org.convene.common.Role;
import org.convene.common.Tokens;

/**
 * Serves the live-editing addresses. One instance: it owns every open document's sequencer and the
 * sessions, all confined to its event loop. In a cluster, each node would run one and a cluster-wide
 * lock would decide which node loads a document; the log's primary key refuses a second writer anyway.
 */
public final class CollabVerticle extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(CollabVerticle.class.getName());
  /** The idle sweep runs at least this often, and twice per idle time when that is shorter. */
  private static final long SWEEP_MAX_MILLIS = 30_000;
  static final int HISTORY_LIMIT = 10_000;
  private static final long WARM_UP_GRACE_MILLIS = 10_000;

  private record Caller(String conn, String manifesto, Role role) {}

  private final Pool pool;
  private final Config.Limits limits;
  private final long unloadAfterNanos;
  private final Duration warmUp;
  private OpLog log;
  private Metrics metrics;
  private final Sessions sessions = new Sessions();
  private final Map<String, Future<Sequencer>> documents = new HashMap<>();
  private final Map<String, Outbox> outboxes = new HashMap<>();

  /**
   * @param idleUnload how long a document stays loaded with nobody connected and nothing edited
   * @param warmUp how long start-up may spend running the edit path on a throw-away document
   *     ({@link WarmUp}) before the verticle counts as started; zero for none
   */
  public CollabVerticle(Pool pool, Config.Limits limits, Duration idleUnload, Duration warmUp) {
    this.pool = pool;
    this.limits = limits;
    this.unloadAfterNanos = idleUnload.toNanos();
    this.warmUp = warmUp;
  }

  @Override
  public Future<?> start() {
    log = new OpLog(pool);
    metrics = Metrics.of(vertx);
    try {
      vertx.eventBus().registerDefaultCodec(RecFrame.class, new RecFrame.Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second server in the same Vert.x (tests) shares the codec
    }
    serve(Addresses.OPEN, Role.VIEWER, this::open);
    serve(Addresses.EDIT, Role.EDITOR, this::edit);
    serve(Addresses.HISTORY, Role.VIEWER, this::history);
    serve(Addresses.PRESENCE, Role.EDITOR, this::presence);
    vertx.eventBus().<JsonObject>localConsumer(Addresses.CONNECTION_CLOSED, m -> closed(m.body().getString("conn")));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.READ, m -> reply(m, read(m.body().getString("doc"))));
    vertx.eventBus().<JsonObject>localConsumer(Addresses.REPLACE, m -> reply(m, document(m.body().getString("doc"))
        .compose(seq -> seq.replaceText(m.body().getString("text"), m.body().getString("author")))));
    long sweep = Math.max(100, Math.min(SWEEP_MAX_MILLIS, TimeUnit.NANOSECONDS.toMillis(unloadAfterNanos) / 2));
    vertx.setPeriodic(sweep, id -> unloadIdle());
    if (warmUp.isZero()) {
      return Future.succeededFuture();
    }
    // A failed warm-up costs only speed: the server starts anyway and says why. It stops typing at its
    // deadline; the grace after it is for its last commit and the rollback, should the database stall.
    return WarmUp.run(vertx, pool, limits, warmUp)
        .timeout(warmUp.toMillis() + WARM_UP_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .onSuccess(r -> LOG.info("warm-up: " + r.edits() + " edits by " + WarmUp.AUTHORS + " authors on a throw-away document in "
            + r.millis() + " ms (" + r.refused() + " refused), rolled back: nothing stored"))
        .onFailure(err -> LOG.warning("warm-up failed, starting without it: " + err.getMessage()))
        .otherwiseEmpty();
  }

  /**
   * Lets every accepted edit commit and stores a snapshot of each open document. The server's HTTP side
   * has stopped by now and closed the bridge's sockets, so nothing new arrives; what was accepted is
   * committed though its reply reaches nobody (its client, resending it to the next server, is answered
   * {@code duplicate}). A document still loading is waited for: the edits waiting on its load are
   * queued before its quiesce (their callbacks were registered first).
   */
  @Override
  public Future<?> stop() {
    List<Future<Void>> settled = new ArrayList<>();
    documents.values().forEach(f -> settled.add(f.transform(ar -> ar.succeeded()
        ? ar.result().quiesce()
        : Future.succeededFuture())));
    return Future.join(settled);
  }

  private Future<JsonObject> open(Message<Object> m, Caller caller) {
    Requests.Open req = Requests.Open.parse(m.body());
    checkDocument(req.doc(), caller);
    return document(req.doc()).compose(seq -> session(req, caller, seq).compose(resumeAndSession ->
        seq.current().map(now -> {
      Sessions.Session s = resumeAndSession.session;
      sessions.bind(s);
      metrics.participants(sessions.size());
      vertx.eventBus().publish(Addresses.presence(s.doc()), new JsonObject()
          .put("clientId", s.clientId()).put("name", s.name()).put("color", s.color())
          .put("selection", new JsonObject().put("ranges", new JsonArray())).put("revision", now.revision()));
      return new JsonObject()
          .put("doc", req.doc())
          .put("revision", now.revision())
          .put("text", now.text())
          .put("clientId", s.clientId())
          .put("resume", resumeAndSession.resume)
          .put("role", caller.role().wire())
          .put("participants", sessions.participants(req.doc()));
    })));
  }

  private record Opened(Sessions.Session session, String resume) {}

  private Future<Opened> session(Requests.Open req, Caller caller, Sequencer seq) {
    if (req.resume() != null) {
      return log.clientByResume(Tokens.hash(req.resume())).map(client -> {
        if (client == null || !client.doc().equals(req.doc())) {
          throw CollabException.badRequest("unknown resume secret for this document; open without resume");
        }
        if (!client.name().equals(req.name())) {
          log.rename(client.clientId(), req.name());
        }
        return new Opened(new Sessions.Session(client.clientId(), req.doc(), req.name(), client.color(), caller.conn()),
            req.resume());
      });
    }
    String clientId = Tokens.randomId(9);
    String resume = Tokens.newToken();
    OpLog.Client client = new OpLog.Client(clientId, req.doc(), req.name(), Sessions.colorFor(clientId));
    return log.createClient(client, Tokens.hash(resume)).map(v -> {
      seq.newClient(clientId);
      return new Opened(new Sessions.Session(clientId, req.doc(), req.name(), client.color(), caller.conn()), resume);
    });
  }

  private Future<JsonObject> edit(Message<Object> m, Caller caller) {
    Requests.Edit edit = Requests.Edit.parse(m.body(), limits);
    checkDocument(edit.doc(), caller);
    Sessions.Session s = sessions.require(edit.clientId(), caller.conn(), edit.doc());
    return document(edit.doc()).compose(seq -> seq.submit(edit, s.name()));
  }

  private Future<JsonObject> history(Message<Object> m, Caller caller) {
    Requests.History req = Requests.History.parse(m.body());
    checkDocument(req.doc(), caller);
    return document(req.doc()).compose(seq -> {
      if (req.from() > seq.revision()) {
        throw new CollabException(409, "revision " + req.from() + " is newer than the document's " + seq.revision());
      }
      int to = (int) Math.min(Math.min(req.to() == null ? Integer.MAX_VALUE : req.to(), seq.revision()),
          (long) req.from() + HISTORY_LIMIT);
      return log.between(req.doc(), req.from(), to, HISTORY_LIMIT);
    }).map(ops -> {
      JsonArray list = new JsonArray(new ArrayList<>(ops.size()));
      for (OpLog.StoredOp op : ops) {
        list.add(new JsonObject().put("revision", op.revision()).put("op", new JsonArray(op.op().toComponents()))
            .put("clientId", op.clientId()).put("seq", op.seq()).put("name", op.author())
            .put("time", op.time().toInstant().toString()));
      }
      return new JsonObject().put("ops", list);
    });
  }

  private Future<JsonObject> presence(Message<Object> m, Caller caller) {
    Requests.Presence req = Requests.Presence.parse(m.body());
    checkDocument(req.doc(), caller);
    Sessions.Session s = sessions.require(req.clientId(), caller.conn(), req.doc());
    return document(req.doc()).map(seq -> {
      vertx.eventBus().publish(Addresses.presence(req.doc()), new JsonObject()
          .put("clientId", s.clientId()).put("name", s.name()).put("color", s.color())
          .put("selection", req.selection())
          .put("revision", req.revision() == null ? seq.revision() : Math.min(req.revision(), seq.revision())));
      return new JsonObject();
    });
  }

  private Future<JsonObject> read(String doc) {
    return document(doc).compose(Sequencer::current)
        .map(now -> new JsonObject().put("revision", now.revision()).put("text", now.text()));
  }

  private void closed(String conn) {
    List<Sessions.Session> left = sessions.closed(conn);
    if (!left.isEmpty()) {
      LOG.fine(() -> "conn=" + conn + " closed: " + left.size() + " participant(s) left");
    }
    for (Sessions.Session s : left) {
      vertx.eventBus().publish(Addresses.presence(s.doc()), new JsonObject().put("clientId", s.clientId()).put("left", true));
    }
    metrics.participants(sessions.size());
  }

  /** The document's sequencer, loading it on first use and again after a failed commit. */
  private Future<Sequencer> document(String doc) {
    Future<Sequencer> current = documents.get(doc);
    if (current != null && (!current.isComplete() || current.succeeded() && !current.result().broken())) {
      return current;
    }
    // One outbox per document, kept across reloads, so publications never overtake each other.
    Outbox outbox = outboxes.computeIfAbsent(doc, d -> new Outbox(vertx, d, () -> sessions.count(d), metrics));
    Future<Sequencer> loading = Sequencer.load(doc, log, limits, outbox, metrics)
        .map(seq -> {
          if (seq == null) {
            throw new CollabException(404, "no document " + doc);
          }
          return seq;
        });
    documents.put(doc, loading);
    metrics.openDocuments(documents.size());
    loading.onFailure(err -> {
      documents.remove(doc, loading);
      metrics.openDocuments(documents.size());
    });
    return loading;
  }

  /**
   * Unloads the documents idle for longer than the configured time with nobody connected, after a final
   * snapshot. The candidates are chosen first and unloaded after: a document already snapshotted
   * quiesces at once, and removing it while iterating over {@code documents} would throw.
   */
  private void unloadIdle() {
    List<Map.Entry<String, Future<Sequencer>>> idle = new ArrayList<>();
    documents.forEach((doc, f) -> {
      if (f.succeeded() && f.result().idleNanos() > unloadAfterNanos && !sessions.anyOn(doc)) {
        idle.add(Map.entry(doc, f));
      }
    });
    for (Map.Entry<String, Future<Sequencer>> e : idle) {
      String doc = e.getKey();
      Future<Sequencer> f = e.getValue();
      f.result().quiesce().onSuccess(v -> {
        if (f.result().idleNanos() > unloadAfterNanos && !sessions.anyOn(doc) && documents.remove(doc, f)) {
          metrics.openDocuments(documents.size());
          outboxes.remove(doc).flush();
        }
      });
    }
  }

  private static void checkDocument(String doc, Caller caller) {
    if (!Addresses.manifestoOf(doc).equals(caller.manifesto())) {
      throw new CollabException(403, "the token is not for this document");
    }
  }

  /** Registers a bridged address: honours the bridge's refusal, checks the role, answers or fails. */
  private void serve(String address, Role needed, BiFunction<Message<Object>, Caller, Future<JsonObject>> handler) {
    vertx.eventBus().<Object>localConsumer(address, m -> {
      reply(m, Futures.attempt(() -> handler.apply(m, caller(m, needed))));
    });
  }

  private static Caller caller(Message<Object> m, Role needed) {
    String reject = m.headers().get(Headers.REJECT);
    if (reject != null) {
      throw new CollabException(Integer.parseInt(reject), m.headers().get(Headers.REASON));
    }
    String conn = m.headers().get(Headers.CONNECTION);
    String role = m.headers().get(Headers.ROLE);
    if (conn == null || role == null) {
      throw new CollabException(401, "headers.token is missing");
    }
    Role granted = Role.fromWire(role);
    if (!granted.allows(needed)) {
      throw new CollabException(403, "a " + granted.wire() + " token cannot do this; it needs " + needed.wire());
    }
    return new Caller(conn, m.headers().get(Headers.MANIFESTO), granted);
  }

  private static void reply(Message<?> m, Future<JsonObject> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(ar.result());
      } else if (ar.cause() instanceof CollabException e) {
        m.fail(e.code(), e.getMessage());
      } else {
        String conn = m.headers().get(Headers.CONNECTION);
        LOG.log(Level.WARNING, (conn == null ? "" : "conn=" + conn + " ") + "request to " + m.address() + " failed: "
            + ar.cause(), ar.cause());
        m.fail(503, "temporarily unable to serve this; retry (" + ar.cause().getMessage() + ")");
      }
    });
  }
}
