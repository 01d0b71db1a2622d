package org.convene.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A light author over its own WebSocket (the bridge's raw endpoint): it appends at the end of the
 * document without keeping the text. One op in flight; keystrokes typed meanwhile are merged into the
 * next op. An op is {@code [lengthAtBase, "text"]} sent with the last revision this connection has
 * seen, whose length comes from the published ops' target lengths; the server transforms it.
 * Its own op appearing on the doc channel is the acknowledgement. Frames are recognised by their
 * first bytes; each published message is parsed once per generator (see {@link Room}).
 *
 * <p>Confined to one event-loop context, except the ring of send times that peers read.
 */
final class LightAuthor {
  private static final int RING = 1024;
  private static final String PING = "{\"type\":\"ping\"}";
  private static final byte[] REVISION_KEY = "\"revision\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** {"type":" is 9 bytes: the 10th tells rec from err. */
  private static final int TYPE_AT = 9;
  /** {"type":"rec","address":" is 26 bytes: the reply address starts there. */
  private static final int ADDRESS_AT = 26;

  final int index;
  private final Room room;
  private final Context context;
  private final boolean greedy;
  private final SplittableRandom random;
  private WebSocket ws;
  private String clientId;
  private Promise<Void> opened;
  private int lastRevision = -1;
  private int lastLength;
  private int seq;
  private int inflightSeq;
  private String inflightFrame;
  private long inflightSent;
  private long inflightKeystroke;
  private final StringBuilder pending = new StringBuilder();
  private long pendingSince;
  private long typingTimer = -1;
  private long pingTimer = -1;
  private WebSocketClient client;
  private int port;
  /** The open reply's resume secret: a reconnect keeps the clientId and its seqs. */
  private String resume;
  private int dials;
  private boolean closing;
  /** Open on the current socket: edits may be sent (an edit before the reopen would be refused). */
  private boolean ready;
  /** The letters of the op in flight, given back to the typing if the server refuses the op for good. */
  private String inflightText;
  /** False from a lost socket until the reopen's first acknowledgement. */
  volatile boolean reopened = true;
  /** Added latency each way, in ms (0: none): frames are held this long before sending and after arrival. */
  final long delayMs;
  /** Consecutive 429s for the op in flight: the pause before resending grows as in web/src/backoff.js. */
  private int refusals;

  private final AtomicIntegerArray ringSeq = new AtomicIntegerArray(RING);
  private final AtomicLongArray ringSent = new AtomicLongArray(RING);
  private final AtomicLongArray ringKeystroke = new AtomicLongArray(RING);

  LightAuthor(int index, Room room, Context context, boolean greedy) {
    this(index, room, context, greedy, 0);
  }

  LightAuthor(int index, Room room, Context context, boolean greedy, long delayMs) {
    this.index = index;
    this.room = room;
    this.context = context;
    this.greedy = greedy;
    this.delayMs = delayMs;
    this.random = new SplittableRandom(index * 7919L + 17);
  }

  /** Writes a frame, after the added latency if any; dropped while disconnected (resent on reopen). */
  private void write(String frame) {
    WebSocket socket = ws;
    if (socket == null) {
      return;
    }
    if (delayMs == 0) {
      socket.writeTextMessage(frame);
    } else {
      context.owner().setTimer(delayMs, id -> socket.writeTextMessage(frame));
    }
  }

  /** Takes an arriving frame, after the added latency if any. */
  private void arrive(Buffer buf) {
    if (delayMs == 0) {
      frame(buf);
    } else {
      context.owner().setTimer(delayMs, id -> frame(buf));
    }
  }

  /** Jittered exponential pause, the browser client's (web/src/backoff.js, first 1 s for edits). */
  static long backoffMs(int attempt, long first, long max, SplittableRandom random) {
    long ceiling = Math.min(max, first << Math.min(attempt, 20));
    return ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0));
  }

  /** Connects, registers on the doc channel, opens the document. Completes on the open reply. */
  Future<Void> connect(WebSocketClient client, int port) {
    Promise<Void> done = Promise.promise();
    this.client = client;
    this.port = port;
    context.runOnContext(v -> {
      opened = done;
      dial(done);
    });
    return done.future();
  }

  private void dial(Promise<Void> done) {
    client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
        .onFailure(err -> {
          if (done != null) {
            done.tryFail(err);
          } else {
            redial();
          }
        })
        .onSuccess(socket -> {
          ws = socket;
          socket.binaryMessageHandler(this::arrive);
          socket.textMessageHandler(s -> arrive(Buffer.buffer(s)));
          socket.closeHandler(x -> lost(socket, done));
          write("{\"type\":\"register\",\"address\":\"manifesto.doc." + room.doc
              + "\",\"headers\":{\"token\":\"" + room.token + "\"}}");
          write("{\"type\":\"send\",\"address\":\"manifesto.open\",\"headers\":{\"token\":\""
              + room.token + "\"},\"replyAddress\":\"o\",\"body\":{\"doc\":\"" + room.doc + "\",\"name\":\"author "
              + index + "\"" + (resume == null ? "" : ",\"resume\":\"" + resume + "\"") + "}}");
          pingTimer = context.owner().setPeriodic(1_000 + random.nextInt(4_000), 5_000, id -> socket.writeTextMessage(PING));
        });
  }

  /**
   * The socket closed: before the first open that fails the connect; after it (the server went
   * away), with {@code room.reconnect}, the author dials again after the browser's jittered pause
   * (web/src/backoff.js: first 0.5 s, at most 10 s), reopens with its resume secret and resends its
   * op in flight with the same seq.
   */
  private void lost(WebSocket socket, Promise<Void> done) {
    if (ws != socket) {
      return;
    }
    ws = null;
    ready = false;
    context.owner().cancelTimer(pingTimer);
    if (done != null && !done.future().isComplete()) {
      done.tryFail("closed before open");
      return;
    }
    if (room.reconnect && !closing) {
      room.disconnects.increment();
      reopened = false;
      redial();
    }
  }

  private void redial() {
    context.owner().setTimer(backoffMs(dials++, 500, 10_000, random), id -> dial(null));
  }

  /** Types 4 random letters every intervalMs (first keystroke at a random phase), or, when greedy, sends at once. */
  void start(long intervalMs) {
    context.runOnContext(v -> {
      if (greedy) {
        type(1);
        return;
      }
      typingTimer = context.owner().setPeriodic(1 + random.nextLong(intervalMs), intervalMs, id -> {
        if (room.typing) {
          type(4);
        }
      });
    });
  }

  void stopTyping() {
    context.runOnContext(v -> {
      if (typingTimer >= 0) {
        context.owner().cancelTimer(typingTimer);
        typingTimer = -1;
      }
    });
  }

  Future<Void> close() {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      closing = true;
      context.owner().cancelTimer(pingTimer);
      if (ws == null) {
        p.complete();
      } else {
        ws.close().onComplete(ar -> p.complete());
      }
    });
    return p.future();
  }

  /** True when nothing is in flight or waiting (read across threads only after typing stopped). */
  boolean idle() {
    return inflightSeq == 0 && pending.length() == 0;
  }

  /** Send time of this author's op seq (0 when no longer in the ring); stable against concurrent overwrite. */
  long sentAt(int s) {
    int slot = s & (RING - 1);
    if (ringSeq.get(slot) != s) {
      return 0;
    }
    long sent = ringSent.get(slot);
    return ringSeq.get(slot) == s ? sent : 0;
  }

  long keystrokeAt(int s) {
    int slot = s & (RING - 1);
    long t = ringKeystroke.get(slot);
    return ringSeq.get(slot) == s ? t : 0;
  }

  private void type(int letters) {
    long now = System.nanoTime();
    if (pending.length() == 0) {
      pendingSince = now;
    }
    for (int i = 0; i < letters; i++) {
      pending.append((char) ('a' + random.nextInt(26)));
    }
    room.letters.add(letters);
    if (room.inWindow(now)) {
      room.keystrokes.increment();
    }
    maybeSend();
  }

  private void maybeSend() {
    if (inflightSeq != 0 || pending.length() == 0 || lastRevision < 0 || !ready) {
      return;
    }
    int s = ++seq;
    long now = System.nanoTime();
    int slot = s & (RING - 1);
    ringSent.set(slot, now);
    ringKeystroke.set(slot, pendingSince);
    ringSeq.set(slot, s);
    inflightSeq = s;
    inflightSent = now;
    inflightKeystroke = pendingSince;
    StringBuilder f = new StringBuilder(160 + pending.length() + room.doc.length() + room.token.length());
    f.append("{\"type\":\"send\",\"address\":\"manifesto.edit\",\"headers\":{\"token\":\"").append(room.token)
        .append("\"},\"replyAddress\":\"e\",\"body\":{\"doc\":\"").append(room.doc)
        .append("\",\"clientId\":\"").append(clientId).append("\",\"seq\":").append(s)
        .append(",\"revision\":").append(lastRevision).append(",\"op\":[");
    if (lastLength > 0) {
      f.append(lastLength).append(',');
    }
    f.append('"').append(pending).append("\"]}}");
    inflightText = pending.toString();
    pending.setLength(0);
    inflightFrame = f.toString();
    write(inflightFrame);
    if (room.inWindow(now)) {
      room.opsSent.increment();
    }
  }

  private void frame(Buffer buf) {
    room.framesIn.increment();
    if (startsWith(buf, room.docFramePrefix)) {
      published(buf);
    } else if (buf.length() > TYPE_AT && buf.getByte(TYPE_AT) == 'e') {
      failed(new JsonObject(buf));
    } else if (buf.length() > ADDRESS_AT + 1 && buf.getByte(ADDRESS_AT) == 'e' && buf.getByte(ADDRESS_AT + 1) == '"') {
      // The reply to an edit: the doc channel already acknowledged it, unless it was resent after
      // a reconnect and had been applied before the server went away (its publication was missed).
      if (inflightSeq != 0 && buf.toString().contains("\"duplicate\":true")) {
        room.duplicates.increment();
        acknowledged();
      }
    } else {
      JsonObject f = new JsonObject(buf);
      if ("o".equals(f.getString("address"))) {
        JsonObject body = f.getJsonObject("body");
        clientId = body.getString("clientId");
        resume = body.getString("resume", resume);
        room.authorByClientId.put(clientId, index);
        lastRevision = body.getInteger("revision");
        lastLength = body.getString("text").length();
        dials = 0;
        ready = true;
        if (opened != null) {
          Promise<Void> p = opened;
          opened = null;
          p.complete();
        } else if (inflightFrame != null) {
          write(inflightFrame); // the same seq: applied at most once
        } else {
          reopened = true;
          maybeSend();
        }
      }
    }
  }

  private void failed(JsonObject f) {
    int code = f.getInteger("failureCode", -1);
    room.error(code);
    String address = f.getString("address");
    if ("o".equals(address) && opened != null) {
      opened.tryFail("open refused: " + code + " " + f.getString("message"));
      opened = null;
    } else if ("o".equals(address) && ws != null) {
      ws.close(); // a reopen refused (the document still loading): dial again after a pause
    } else if ("e".equals(address) && inflightSeq != 0) {
      if (code == 429 || code == 503) { // retry the same seq, as sent, after the browser's pause
        room.retries.increment();
        String again = inflightFrame;
        int s = inflightSeq;
        context.owner().setTimer(backoffMs(refusals++, 1_000, 10_000, random), id -> {
          if (inflightSeq == s) {
            write(again);
          }
        });
      } else { // refused for good: that seq was not used; its letters go back to the typing
        room.refusedLetters.add(inflightText.length());
        pending.insert(0, inflightText);
        inflightSeq = 0;
        seq--;
        maybeSend();
      }
    }
  }

  private void published(Buffer buf) {
    int first = intAfter(buf, REVISION_KEY, room.docFramePrefix.length);
    Room.Parsed p = room.parsed(first);
    if (p == null) {
      p = room.parse(first, new JsonObject(buf).getJsonObject("body"));
    }
    if (lastRevision < 0) {
      return; // not open yet: the open reply's revision covers this
    }
    int last = p.first() + p.count() - 1;
    if (last <= lastRevision) {
      return;
    }
    if (p.first() > lastRevision + 1) {
      room.gaps.increment(); // lengths are absolute, so the next op is still right
    }
    long now = System.nanoTime();
    boolean acked = false;
    for (int k = Math.max(0, lastRevision + 1 - p.first()); k < p.count(); k++) {
      int a = p.author()[k];
      if (a == index) {
        if (p.seq()[k] == inflightSeq) {
          acked = true;
          room.ackTimeline.add(new long[] {now, now - inflightSent, delayMs});
          if (room.inWindow(inflightSent)) {
            (delayMs == 0 ? room.ack : room.ackDelayed).recordNanos(now - inflightSent);
            room.keystrokeToAck.recordNanos(now - inflightKeystroke);
          }
        }
      } else if (a >= 0) {
        LightAuthor author = room.authors[a];
        int s = p.seq()[k];
        long sent = author.sentAt(s);
        if (sent != 0 && room.inWindow(sent)) {
          (delayMs == 0 && author.delayMs == 0 ? room.peer : room.peerDelayed).recordNanos(now - sent);
          long key = author.keystrokeAt(s);
          if (key != 0) {
            room.keystrokeToPeer.recordNanos(now - key);
          }
        }
      }
    }
    lastRevision = last;
    lastLength = p.target()[p.count() - 1];
    if (acked) {
      acknowledged();
    }
  }

  private void acknowledged() {
    refusals = 0;
    inflightSeq = 0;
    inflightFrame = null;
    reopened = true;
    if (greedy && room.typing) {
      type(1);
    } else {
      maybeSend();
    }
  }

  int lastRevision() {
    return lastRevision;
  }

  int lastLength() {
    return lastLength;
  }

  private static boolean startsWith(Buffer buf, byte[] prefix) {
    if (buf.length() < prefix.length) {
      return false;
    }
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (buf.getByte(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** The non-negative integer after the first occurrence of key at or after from. */
  private static int intAfter(Buffer buf, byte[] key, int from) {
    int n = buf.length() - key.length;
    outer:
    for (int i = from; i <= n; i++) {
      for (int j = 0; j < key.length; j++) {
        if (buf.getByte(i + j) != key[j]) {
          continue outer;
        }
      }
      int v = 0;
      for (int k = i + key.length; k < buf.length(); k++) {
        byte b = buf.getByte(k);
        if (b < '0' || b > '9') {
          break;
        }
        v = v * 10 + (b - '0');
      }
      return v;
    }
    throw new IllegalStateException("no revision in a doc-channel frame");
  }
}
