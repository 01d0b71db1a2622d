package org.convene.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A light author over its own connection to the bridge ({@link Link}: the raw WebSocket endpoint, or
 * SockJS over WebSocket or XHR streaming): it appends at the end of the document without keeping the
 * text. One op in flight; keystrokes typed meanwhile are merged into the next op. An op is
 * {@code [lengthAtBase, "text"]} sent with the last revision this connection has seen, whose length
 * comes from the published ops' target lengths; the server transforms it. Its own op appearing on the
 * doc channel is the acknowledgement. Frames are recognised by their first bytes; each published
 * message is parsed once per generator (see {@link Room}).
 *
 * <p>With {@code room.reconnect} it behaves as the browser's client does when the server goes away
 * (web/src/connection.js and sync.js): it dials again after a jittered exponential pause, reopens with
 * its resume secret, catches up with {@code manifesto.history} from the last revision it knew (its op in
 * flight found there counts as acknowledged), and only then resends that op with the same seq, rebased
 * on what it caught up to; a {@code duplicate} reply is an acknowledgement. Requests time out as the
 * browser's do (open 20 s, edit and history 15 s: the connection is dropped and dialled again), and an
 * op whose reply came but whose publication did not within 1.5 s is looked for in the history.
 *
 * <p>Confined to one event-loop context, except the ring of send times that peers read. One class,
 * however long: typing, acknowledgement, the browser's reconnect and its timeouts all read and write
 * the same few fields (the op in flight, the last revision seen), and split apart they would share them.
 */
final class LightAuthor {
  private static final int RING = 1024;
  private static final String PING = "{\"type\":\"ping\"}";
  private static final byte[] REVISION_KEY = "\"revision\":".getBytes(StandardCharsets.US_ASCII);
  /** {"type":" is 9 bytes: the 10th tells rec from err. */
  private static final int TYPE_AT = 9;
  /** {"type":"rec","address":" is 25 bytes: the reply address starts there. */
  private static final int ADDRESS_AT = 25;
  private static final long OPEN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
  private static final long REQUEST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final long MISSED_OWN_OP_NANOS = TimeUnit.MILLISECONDS.toNanos(1_500);
  /** The server answers at most this many history entries at once. */
  private static final int HISTORY_PAGE = 10_000;

  final int index;
  final Link.Kind kind;
  private final Room room;
  private final Context context;
  private final boolean greedy;
  private final SplittableRandom random;
  private Link link;
  /** The link's register and open were sent: messages may go out. */
  private boolean linked;
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
  private long watchTimer = -1;
  private WebSocketClient wsClient;
  private HttpClient httpClient;
  private int port;
  /** The open reply's resume secret: a reconnect keeps the clientId and its seqs. */
  private String resume;
  private int dials;
  private boolean closing;
  /** Open and caught up on the current link: edits may be sent (an edit before the reopen would be refused). */
  private boolean ready;
  /** When the request now awaited was sent (System.nanoTime), 0 when none: the browser's timeouts. */
  private long openSentAt;
  private long historySentAt;
  private long editSentAt;
  /** The reply to the op in flight said it was committed at this revision (-1: no reply yet). */
  private int repliedRevision = -1;
  private long repliedAt;
  /** The letters of the op in flight, given back to the typing if the server refuses the op for good. */
  private String inflightText;
  /** False from a lost connection until the reopen's first acknowledgement. */
  volatile boolean reopened = true;
  /** Added latency each way, in ms (0: none): frames are held this long before sending and after arrival. */
  final long delayMs;
  /** Consecutive 429s for the op in flight: the pause before resending grows as in web/src/backoff.js. */
  private int refusals;

  /** When and why each link was lost (the storm's log names authors that lost more than one). */
  final java.util.List<String> losses = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The connection's events (dial, open, loss, resend, refusal), kept for the log of a run that did not drain. */
  private final ArrayDeque<String> events = new ArrayDeque<>();

  private final AtomicIntegerArray ringSeq = new AtomicIntegerArray(RING);
  private final AtomicLongArray ringSent = new AtomicLongArray(RING);
  private final AtomicLongArray ringKeystroke = new AtomicLongArray(RING);

  LightAuthor(int index, Room room, Context context, boolean greedy, long delayMs, Link.Kind kind) {
    this.index = index;
    this.room = room;
    this.context = context;
    this.greedy = greedy;
    this.delayMs = delayMs;
    this.kind = kind;
    this.random = new SplittableRandom(index * 7919L + 17);
  }

  private void event(String what) {
    synchronized (events) {
      if (events.size() == 16) {
        events.poll();
      }
      events.add(java.time.LocalTime.now() + " " + what);
    }
  }

  /** Writes a message, after the added latency if any; dropped while disconnected (resent on reopen). */
  private void write(String message) {
    Link l = link;
    if (l == null || !linked) {
      return;
    }
    if (delayMs == 0) {
      l.send(message);
    } else {
      context.owner().setTimer(delayMs, id -> l.send(message));
    }
  }

  /** Takes an arriving message, after the added latency if any. */
  private void arrive(Link from, Buffer buf) {
    if (delayMs == 0) {
      frame(from, buf);
    } else {
      context.owner().setTimer(delayMs, id -> frame(from, buf));
    }
  }

  /** Jittered exponential pause, the browser client's (web/src/backoff.js, first 1 s for edits). */
  static long backoffMs(int attempt, long first, long max, SplittableRandom random) {
    long ceiling = Math.min(max, first << Math.min(attempt, 20));
    return ceiling / 2 + (long) (random.nextDouble() * (ceiling / 2.0));
  }

  /** Connects, registers on the doc channel, opens the document. Completes on the open reply. */
  Future<Void> connect(WebSocketClient ws, HttpClient http, int port) {
    Promise<Void> done = Promise.promise();
    this.wsClient = ws;
    this.httpClient = http;
    this.port = port;
    context.runOnContext(v -> {
      opened = done;
      if (room.reconnect) {
        watchTimer = context.owner().setPeriodic(1 + random.nextInt(1_000), 1_000, id -> watch());
      }
      dial();
    });
    return done.future();
  }

  private void dial() {
    Link l = Link.create(kind, wsClient, httpClient, port, random, room.offerDeflate);
    link = l;
    linked = false;
    l.open(buf -> arrive(l, buf), v -> lost(l))
        .onFailure(err -> {
          event("dial failed: " + err.getMessage());
          if (link != l) {
            return;
          }
          link = null;
          if (opened != null) {
            opened.tryFail(err);
            opened = null;
          } else if (!closing) {
            redial();
          }
        })
        .onSuccess(v -> {
          if (link != l) {
            return;
          }
          event("connected" + (l.deflate() ? " (permessage-deflate)" : ""));
          room.linked(kind, l.deflate());
          linked = true;
          write("{\"type\":\"register\",\"address\":\"manifesto.doc." + room.doc
              + "\",\"headers\":{\"token\":\"" + room.token + "\"}}");
          write("{\"type\":\"send\",\"address\":\"manifesto.open\",\"headers\":{\"token\":\"" + room.token
              + "\"},\"replyAddress\":\"o\",\"body\":{\"doc\":\"" + room.doc + "\",\"name\":\"author " + index
              + "\"" + (resume == null ? "" : ",\"resume\":\"" + resume + "\"") + "}}");
          openSentAt = System.nanoTime();
          pingTimer = context.owner().setPeriodic(1_000 + random.nextInt(4_000), 5_000, id -> write(PING));
        });
  }

  /**
   * The link is gone: before the first open that fails the connect; after it (the server went away),
   * with {@code room.reconnect}, the author dials again after the browser's jittered pause
   * (web/src/backoff.js: first 0.5 s, at most 10 s).
   */
  private void lost(Link l) {
    event("link closed" + (l.why.isEmpty() ? "" : ": " + l.why) + (link != l ? " (not the current one)" : ""));
    if (link != l) {
      return;
    }
    link = null;
    linked = false;
    ready = false;
    openSentAt = 0;
    historySentAt = 0;
    editSentAt = 0;
    repliedRevision = -1;
    context.owner().cancelTimer(pingTimer);
    if (opened != null) {
      opened.tryFail("closed before open");
      opened = null;
      return;
    }
    if (room.reconnect && !closing) {
      losses.add(java.time.LocalTime.now() + " " + kind.label + (l.why.isEmpty() ? "" : ": " + l.why));
      room.disconnects.increment();
      reopened = false;
      redial();
    }
  }

  /** Gives up on the current link (a request went unanswered), as the browser's Bus.drop does. */
  private void drop(String why) {
    Link l = link;
    if (l == null) {
      return;
    }
    event("dropped: " + why);
    room.drops.increment();
    lost(l);
    l.close();
  }

  private void redial() {
    context.owner().setTimer(backoffMs(dials++, 500, 10_000, random), id -> {
      if (!closing && link == null) {
        dial();
      }
    });
  }

  /** Once a second: the browser's request timeouts, and its look into the history for an op not seen. */
  private void watch() {
    if (link == null || closing) {
      return;
    }
    long now = System.nanoTime();
    if (openSentAt != 0 && now - openSentAt > OPEN_TIMEOUT_NANOS) {
      room.timeouts.increment();
      drop("open unanswered for 20 s");
    } else if (historySentAt != 0 && now - historySentAt > REQUEST_TIMEOUT_NANOS) {
      room.timeouts.increment();
      drop("history unanswered for 15 s");
    } else if (editSentAt != 0 && now - editSentAt > REQUEST_TIMEOUT_NANOS) {
      room.timeouts.increment();
      drop("edit seq " + inflightSeq + " unanswered for 15 s");
    } else if (ready && inflightSeq != 0 && repliedRevision > lastRevision && historySentAt == 0
        && now - repliedAt > MISSED_OWN_OP_NANOS) {
      event("own op seq " + inflightSeq + " committed at " + repliedRevision + " not seen: catching up");
      room.missedOwn.increment();
      history(lastRevision);
    }
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
      context.owner().cancelTimer(watchTimer);
      Link l = link;
      if (l == null) {
        p.complete();
      } else {
        l.close().onComplete(ar -> p.complete());
      }
    });
    return p.future();
  }

  /** True when nothing is in flight or waiting (read across threads only after typing stopped). */
  boolean idle() {
    return inflightSeq == 0 && pending.length() == 0;
  }

  /** Where an author stands, for the log of a run that did not drain (read across threads, after typing stopped). */
  String describe() {
    String log;
    synchronized (events) {
      log = String.join("; ", events);
    }
    return "author " + index + " (" + kind.label + ") client " + clientId + (link == null ? ", no link" : ", linked")
        + (ready ? ", open" : ", not open") + ", in flight seq " + inflightSeq
        + (inflightSeq == 0 ? "" : " sent " + (System.nanoTime() - inflightSent) / 1_000_000 + " ms ago")
        + ", pending " + pending.length() + ", last revision " + lastRevision + ", dials " + dials + "; events: " + log;
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
    inflightText = pending.toString();
    pending.setLength(0);
    sendInflight();
    if (room.inWindow(now)) {
      room.opsSent.increment();
    }
  }

  /** The op in flight as an edit frame on the revision last seen (resent with the same seq after a reopen). */
  private void sendInflight() {
    StringBuilder f = new StringBuilder(160 + inflightText.length() + room.doc.length() + room.token.length());
    f.append("{\"type\":\"send\",\"address\":\"manifesto.edit\",\"headers\":{\"token\":\"").append(room.token)
        .append("\"},\"replyAddress\":\"e\",\"body\":{\"doc\":\"").append(room.doc)
        .append("\",\"clientId\":\"").append(clientId).append("\",\"seq\":").append(inflightSeq)
        .append(",\"revision\":").append(lastRevision).append(",\"op\":[");
    if (lastLength > 0) {
      f.append(lastLength).append(',');
    }
    f.append('"').append(inflightText).append("\"]}}");
    inflightFrame = f.toString();
    if (room.reconnect) {
      event("sent seq " + inflightSeq + " at revision " + lastRevision);
    }
    repliedRevision = -1;
    editSentAt = System.nanoTime();
    write(inflightFrame);
  }

  private void frame(Link from, Buffer buf) {
    if (from != link) {
      return; // a link given up on may still deliver
    }
    room.framesIn.increment();
    if (startsWith(buf, room.docFramePrefix)) {
      published(buf);
    } else if (buf.length() > TYPE_AT && buf.getByte(TYPE_AT) == 'e') {
      failed(new JsonObject(buf));
    } else if (isReplyTo(buf, 'e')) {
      editReply(buf);
    } else if (isReplyTo(buf, 'h')) {
      historyReply(new JsonObject(buf).getJsonObject("body"));
    } else {
      JsonObject f = new JsonObject(buf);
      if ("o".equals(f.getString("address"))) {
        openReply(f.getJsonObject("body"));
      }
    }
  }

  private static boolean isReplyTo(Buffer buf, char address) {
    return buf.length() > ADDRESS_AT + 1 && buf.getByte(ADDRESS_AT) == address && buf.getByte(ADDRESS_AT + 1) == '"';
  }

  private void openReply(JsonObject body) {
    openSentAt = 0;
    clientId = body.getString("clientId");
    resume = body.getString("resume", resume);
    room.authorByClientId.put(clientId, index);
    dials = 0;
    if (opened != null) {
      lastRevision = body.getInteger("revision");
      lastLength = body.getString("text").length();
      ready = true;
      Promise<Void> p = opened;
      opened = null;
      p.complete();
      return;
    }
    // A reopen: catch up from what was known before the loss, then resend, as the browser does.
    event("reopened at revision " + body.getInteger("revision") + ", catching up from " + lastRevision
        + (inflightSeq != 0 ? " with seq " + inflightSeq + " in flight" : ""));
    history(lastRevision);
  }

  private void history(int from) {
    historySentAt = System.nanoTime();
    write("{\"type\":\"send\",\"address\":\"manifesto.history\",\"headers\":{\"token\":\"" + room.token
        + "\"},\"replyAddress\":\"h\",\"body\":{\"doc\":\"" + room.doc + "\",\"from\":" + from + "}}");
  }

  /** A page of history: its last op gives the revision and length; the op in flight found there is acknowledged. */
  private void historyReply(JsonObject body) {
    historySentAt = 0;
    JsonArray ops = body.getJsonArray("ops");
    boolean found = false;
    int last = lastRevision;
    for (int i = 0; i < ops.size(); i++) {
      JsonObject e = ops.getJsonObject(i);
      int r = e.getInteger("revision");
      if (inflightSeq != 0 && e.getInteger("seq") == inflightSeq && e.getString("clientId").equals(clientId)) {
        found = true;
      }
      if (r > lastRevision) {
        lastRevision = r;
        lastLength = Room.targetLength(e.getJsonArray("op"));
      }
      last = Math.max(last, r);
    }
    if (found) {
      event("seq " + inflightSeq + " found in the history");
      room.foundInHistory.increment();
      ackedLate();
    }
    if (ops.size() >= HISTORY_PAGE) {
      history(last);
      return;
    }
    if (!ready) {
      ready = true;
      if (inflightSeq != 0) {
        event("resending seq " + inflightSeq + " at revision " + lastRevision);
        sendInflight(); // the same seq: applied at most once
      } else {
        reopened = true;
        maybeSend();
      }
    }
  }

  private void editReply(Buffer buf) {
    if (inflightSeq == 0) {
      return;
    }
    String s = buf.toString();
    if (s.contains("\"duplicate\":true")) {
      // Resent after a reconnect and applied before the server went away: acknowledged.
      editSentAt = 0;
      event("seq " + inflightSeq + " answered duplicate: " + s.substring(ADDRESS_AT + 3));
      room.duplicates.increment();
      ackedLate();
      return;
    }
    int r = intAfter(buf, REVISION_KEY, ADDRESS_AT);
    if (r <= lastRevision) {
      return; // the reply of an op already seen published: its successor is in flight now
    }
    editSentAt = 0;
    repliedRevision = r;
    repliedAt = System.nanoTime();
  }

  private void failed(JsonObject f) {
    int code = f.getInteger("failureCode", -1);
    String address = f.getString("address");
    room.error(code, address, f.getString("message"));
    event("error " + code + " on " + address + ": " + f.getString("message"));
    if ("o".equals(address) && opened != null) {
      opened.tryFail("open refused: " + code + " " + f.getString("message"));
      opened = null;
    } else if ("o".equals(address) || "h".equals(address)) {
      drop("refused: " + code); // a reopen or catch-up refused (503, 429, ...): dial again after a pause
    } else if ("e".equals(address) && inflightSeq != 0) {
      editSentAt = 0;
      if (code == 429 || code == 503) { // retry the same seq, as sent, after the browser's pause
        room.retries.increment();
        int s = inflightSeq;
        Link l = link;
        context.owner().setTimer(backoffMs(refusals++, 1_000, 10_000, random), id -> {
          if (inflightSeq == s && link == l && ready) {
            sendInflight();
          }
        });
      } else { // refused for good: that seq was not used; its letters go back to the typing
        room.refusedLetters.add(inflightText.length());
        pending.insert(0, inflightText);
        inflightSeq = 0;
        inflightFrame = null;
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
    if (p.first() > lastRevision + 1 && !ready) {
      return; // reopening: the catch-up from lastRevision brings these, and what is in the hole (as in the browser)
    }
    if (p.first() > lastRevision + 1) {
      room.gaps.increment(); // lengths are absolute, so the next op is still right
      event("gap: " + (lastRevision + 1) + " to " + (p.first() - 1) + " not received");
    }
    long now = System.nanoTime();
    boolean acked = false;
    for (int k = Math.max(0, lastRevision + 1 - p.first()); k < p.count(); k++) {
      int a = p.author()[k];
      if (a == index) {
        if (p.seq()[k] == inflightSeq) {
          acked = true;
          recordAck(now);
        }
      } else if (a >= 0) {
        LightAuthor author = room.authors[a];
        int s = p.seq()[k];
        long sent = author.sentAt(s);
        if (sent != 0 && room.inWindow(sent)) {
          if (delayMs == 0 && author.delayMs == 0) {
            room.peer.recordNanos(now - sent);
            room.peerOf(kind).recordNanos(now - sent);
          } else {
            room.peerDelayed.recordNanos(now - sent);
          }
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

  private void recordAck(long now) {
    room.ackTimeline.add(new long[] {now, now - inflightSent, delayMs});
    if (room.inWindow(inflightSent)) {
      if (delayMs == 0) {
        room.ack.recordNanos(now - inflightSent);
        room.ackOf(kind).recordNanos(now - inflightSent);
      } else {
        room.ackDelayed.recordNanos(now - inflightSent);
      }
      room.keystrokeToAck.recordNanos(now - inflightKeystroke);
    }
  }

  /** Acknowledged otherwise than by its publication (a duplicate answer, found in the history): still a wait the author had. */
  private void ackedLate() {
    recordAck(System.nanoTime());
    acknowledged();
  }

  private void acknowledged() {
    refusals = 0;
    inflightSeq = 0;
    inflightFrame = null;
    inflightText = null;
    repliedRevision = -1;
    editSentAt = 0;
    if (ready) {
      reopened = true;
    }
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
    throw new IllegalStateException("no revision in a frame");
  }
}
