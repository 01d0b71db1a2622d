package org.convene.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.convene.ot.TextOperation;

/**
 * An ot.js-style editing client over the bridge: one operation in flight, later edits composed into a
 * buffer, its own operation on the document channel taken as the acknowledgement, gaps filled from
 * history, and after a reconnect the same clientId (via resume) and the same seq. Thread-safe.
 */
public final class OtClient {
  private final Vertx vertx;
  private final String doc;
  private final String token;
  private final String name;
  private BridgeClient bridge;
  private String clientId;
  private String resume;
  private int revision;
  private String text;
  private TextOperation outstanding;
  private int outstandingSeq;
  private TextOperation buffer;
  private int nextSeq = 1;
  private boolean connected;
  private boolean fetching;
  private final TreeMap<Integer, JsonObject> ahead = new TreeMap<>();
  private Promise<Void> settled;
  /** Set when the server refused the edit in flight: it will never be acknowledged. */
  private Throwable refused;
  /** Failures the server reported that a real client would show: anything but 503 and 429. */
  public final List<Throwable> failures = new CopyOnWriteArrayList<>();
  /** Replies that said duplicate:true. */
  public final List<Integer> duplicates = new CopyOnWriteArrayList<>();

  private OtClient(Vertx vertx, String doc, String token, String name) {
    this.vertx = vertx;
    this.doc = doc;
    this.token = token;
    this.name = name;
  }

  public static Future<OtClient> open(Vertx vertx, BridgeClient bridge, String doc, String token, String name) {
    OtClient c = new OtClient(vertx, doc, token, name);
    return c.attach(bridge).map(c);
  }

  /** Moves to a new connection: resume the same clientId, catch up, resend what is unacknowledged. */
  public Future<Void> reconnect(BridgeClient newBridge) {
    return attach(newBridge);
  }

  private Future<Void> attach(BridgeClient b) {
    synchronized (this) {
      bridge = b;
    }
    b.register("manifesto.doc." + doc, token, this::published);
    JsonObject open = new JsonObject().put("doc", doc).put("name", name);
    String secret;
    synchronized (this) {
      secret = resume;
    }
    if (secret != null) {
      open.put("resume", secret);
    }
    return b.request("manifesto.open", open, token).map(reply -> {
      synchronized (this) {
        if (clientId != null && !clientId.equals(reply.getString("clientId"))) {
          throw new IllegalStateException("resume gave another clientId");
        }
        clientId = reply.getString("clientId");
        resume = reply.getString("resume");
        if (text == null) {
          text = reply.getString("text");
          revision = reply.getInteger("revision");
        } else if (reply.getInteger("revision") > revision) {
          ahead.put(reply.getInteger("revision"), null); // forces a history fetch up to there
        }
        connected = true;
        drainAhead();
        sendOutstanding();
      }
      return null;
    });
  }

  public synchronized void disconnected() {
    connected = false;
  }

  public synchronized String text() {
    return text;
  }

  public synchronized int revision() {
    return revision;
  }

  public synchronized String clientId() {
    return clientId;
  }

  public synchronized int lastSeq() {
    return nextSeq - 1;
  }

  public synchronized boolean idle() {
    return outstanding == null && buffer == null;
  }

  /** Applies a local edit made on the current text and sends it when nothing is in flight. */
  public synchronized void edit(TextOperation op) {
    text = op.apply(text);
    if (outstanding == null) {
      outstanding = op;
      outstandingSeq = nextSeq++;
      sendOutstanding();
    } else {
      buffer = buffer == null ? op : buffer.compose(op);
    }
  }

  /**
   * Completes when every local edit has been acknowledged; fails at once, with the server's error, when
   * an edit was refused (a 4xx is final: waiting would only turn it into a timeout that hides the cause).
   */
  public synchronized Future<Void> whenIdle() {
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    if (idle()) {
      return Future.succeededFuture();
    }
    if (settled == null) {
      settled = Promise.promise();
    }
    return settled.future();
  }

  private void sendOutstanding() {
    if (outstanding == null || !connected) {
      return;
    }
    int seq = outstandingSeq;
    JsonObject body = new JsonObject().put("doc", doc).put("clientId", clientId).put("seq", seq)
        .put("revision", revision).put("op", new JsonArray(outstanding.toComponents()));
    BridgeClient b = bridge;
    b.request("manifesto.edit", body, token).onComplete(ar -> {
      if (ar.succeeded()) {
        if (ar.result().getBoolean("duplicate", false)) {
          duplicates.add(seq);
        }
        return;
      }
      if (ar.cause() instanceof BridgeClient.BridgeError e && (e.code == 503 || e.code == 429)) {
        vertx.setTimer(50, id -> {
          synchronized (this) {
            if (outstanding != null && outstandingSeq == seq && bridge == b) {
              sendOutstanding();
            }
          }
        });
      } else if (!(ar.cause() instanceof BridgeClient.BridgeError e && e.code == -1)) {
        failures.add(ar.cause());
        refused(seq, ar.cause());
      }
    });
  }

  private synchronized void refused(int seq, Throwable cause) {
    if (outstanding == null || outstandingSeq != seq || refused != null) {
      return;
    }
    refused = new IllegalStateException("the server refused edit seq " + seq + " of client " + clientId + ": "
        + cause.getMessage(), cause);
    if (settled != null) {
      Promise<Void> s = settled;
      settled = null;
      s.fail(refused);
    }
  }

  private synchronized void published(JsonObject msg) {
    JsonArray ops = msg.getJsonArray("ops");
    if (ops == null) {
      ahead.put(msg.getInteger("revision"), msg);
    } else {
      for (int i = 0; i < ops.size(); i++) {
        ahead.put(ops.getJsonObject(i).getInteger("revision"), ops.getJsonObject(i));
      }
    }
    if (text != null) {
      drainAhead();
    }
  }

  private void drainAhead() {
    while (!ahead.isEmpty() && ahead.firstKey() <= revision) {
      ahead.pollFirstEntry();
    }
    while (!ahead.isEmpty() && ahead.firstKey() == revision + 1 && ahead.firstEntry().getValue() != null) {
      apply(ahead.pollFirstEntry().getValue());
    }
    if (!ahead.isEmpty() && !fetching && connected) {
      fetching = true;
      int from = revision;
      int to = ahead.firstKey();
      bridge.request("manifesto.history", new JsonObject().put("doc", doc).put("from", from).put("to", to), token)
          .onComplete(ar -> {
            synchronized (this) {
              fetching = false;
              if (ar.succeeded()) {
                JsonArray ops = ar.result().getJsonArray("ops");
                for (int i = 0; i < ops.size(); i++) {
                  JsonObject e = ops.getJsonObject(i);
                  ahead.put(e.getInteger("revision"), e);
                }
                drainAhead();
              } else {
                if (!(ar.cause() instanceof BridgeClient.BridgeError e && (e.code == -1 || e.code == 503 || e.code == 429))) {
                  failures.add(ar.cause());
                }
                // A closed connection waits for reconnect(); anything else is retried after a pause.
                vertx.setTimer(100, id -> {
                  synchronized (this) {
                    drainAhead();
                  }
                });
              }
            }
          });
    }
  }

  private void apply(JsonObject entry) {
    int rev = entry.getInteger("revision");
    if (clientId.equals(entry.getString("clientId")) && outstanding != null && entry.getInteger("seq") == outstandingSeq) {
      revision = rev;
      outstanding = buffer;
      buffer = null;
      if (outstanding != null) {
        outstandingSeq = nextSeq++;
        sendOutstanding();
      } else if (settled != null) {
        Promise<Void> s = settled;
        settled = null;
        s.complete();
      }
      return;
    }
    TextOperation op = TextOperation.fromComponents(entry.getJsonArray("op").getList());
    if (outstanding != null) {
      TextOperation.Transformed t = TextOperation.transform(outstanding, op);
      outstanding = t.a();
      op = t.b();
      if (buffer != null) {
        TextOperation.Transformed t2 = TextOperation.transform(buffer, op);
        buffer = t2.a();
        op = t2.b();
      }
    }
    text = op.apply(text);
    revision = rev;
  }
}
