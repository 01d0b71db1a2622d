package org.convene.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the light authors of one document share inside the generator: every published message parsed
 * once (all connections receive the same bytes, so the first to see a message parses it for all),
 * clientId to author index, the send times of every author's ops (for op-to-peer latency), the
 * measuring window and the counters. The server sees nothing of this: each author is still its own
 * WebSocket connection with its own clientId and seq.
 */
final class Room {
  /** One published message: contiguous revisions from first, with author index (-1: not ours), seq and target length. */
  record Parsed(int first, int[] author, int[] seq, int[] target) {
    int count() {
      return seq.length;
    }
  }

  final String doc;
  final String token;
  final byte[] docFramePrefix;
  final LightAuthor[] authors;
  final Map<String, Integer> authorByClientId = new ConcurrentHashMap<>();
  private final Map<Integer, Parsed> parsed = new ConcurrentHashMap<>();

  volatile long windowStart = Long.MAX_VALUE;
  volatile long windowEnd = Long.MAX_VALUE;
  volatile boolean typing;

  final Histogram.Recorder ack = new Histogram.Recorder();
  final Histogram.Recorder keystrokeToAck = new Histogram.Recorder();
  final Histogram.Recorder peer = new Histogram.Recorder();
  final Histogram.Recorder keystrokeToPeer = new Histogram.Recorder();
  final Histogram.Recorder loopLag = new Histogram.Recorder();
  /** Authors with added latency: their own acknowledgements, and op-to-peer where sender or receiver is one. */
  volatile long typingStart;
  /** Authors reconnect, resume and resend when their socket closes (the reconnect storm). */
  volatile boolean reconnect;
  /** Every WebSocket offers permessage-deflate as Chromium does (the server decides). */
  volatile boolean offerDeflate = true;
  final LongAdder letters = new LongAdder();
  final LongAdder disconnects = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder refusedLetters = new LongAdder();
  /** Ops in flight found in the catch-up after a reopen (applied before the server went away). */
  final LongAdder foundInHistory = new LongAdder();
  /** Connections given up on because a request went unanswered (the browser's timeouts). */
  final LongAdder drops = new LongAdder();
  final LongAdder timeouts = new LongAdder();
  /** Own ops answered but not seen published 1.5 s later (looked for in the history, as the browser does). */
  final LongAdder missedOwn = new LongAdder();
  /** Connections made, by transport, and how many of them the server accepted permessage-deflate on. */
  final Map<Link.Kind, LongAdder> links = new ConcurrentHashMap<>();
  final Map<Link.Kind, LongAdder> deflated = new ConcurrentHashMap<>();
  /** Acknowledgement and op-to-peer latency of authors without added latency, by the (receiving) author's transport. */
  private final Map<Link.Kind, Histogram.Recorder> ackByKind = new ConcurrentHashMap<>();
  private final Map<Link.Kind, Histogram.Recorder> peerByKind = new ConcurrentHashMap<>();
  final Histogram.Recorder ackDelayed = new Histogram.Recorder();
  final Histogram.Recorder peerDelayed = new Histogram.Recorder();
  /** First time (System.nanoTime) an acknowledgement round trip finished under 100 ms and the next ones stayed so. */
  final java.util.concurrent.ConcurrentLinkedQueue<long[]> ackTimeline = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** {when, how late} of every firing of the generator's 20 ms lag probes once typing began (System.nanoTime). */
  final java.util.concurrent.ConcurrentLinkedQueue<long[]> lagTimeline = new java.util.concurrent.ConcurrentLinkedQueue<>();
  final LongAdder keystrokes = new LongAdder();
  final LongAdder opsSent = new LongAdder();
  final LongAdder messages = new LongAdder();
  final LongAdder opsInMessages = new LongAdder();
  final LongAdder framesIn = new LongAdder();
  final LongAdder gaps = new LongAdder();
  final LongAdder retries = new LongAdder();
  final Map<Integer, LongAdder> errors = new ConcurrentHashMap<>();
  final AtomicInteger maxRevision = new AtomicInteger();

  Room(String doc, String token, int authors) {
    this.doc = doc;
    this.token = token;
    this.docFramePrefix = ("{\"type\":\"rec\",\"address\":\"manifesto.doc." + doc + "\"").getBytes(StandardCharsets.US_ASCII);
    this.authors = new LightAuthor[authors];
  }

  void linked(Link.Kind kind, boolean deflate) {
    links.computeIfAbsent(kind, k -> new LongAdder()).increment();
    if (deflate) {
      deflated.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
  }

  Histogram.Recorder ackOf(Link.Kind kind) {
    return ackByKind.computeIfAbsent(kind, k -> new Histogram.Recorder());
  }

  Histogram.Recorder peerOf(Link.Kind kind) {
    return peerByKind.computeIfAbsent(kind, k -> new Histogram.Recorder());
  }

  /** The length of the text after an op (its retained and inserted units). */
  static int targetLength(JsonArray op) {
    int len = 0;
    for (Object c : op) {
      if (c instanceof String s) {
        len += s.length();
      } else if (((Number) c).intValue() > 0) {
        len += ((Number) c).intValue();
      }
    }
    return len;
  }

  boolean inWindow(long nanos) {
    return nanos >= windowStart && nanos < windowEnd;
  }

  /** A few of the error frames received, word for word (the first of each code, address and message). */
  final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

  void error(int code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  void error(int code, String address, String message) {
    error(code);
    String key = code + " on " + address + ": " + (message == null ? "" : message.replaceAll("[0-9]+", "N"));
    if (errorKinds.size() < 20 || errorKinds.containsKey(key)) {
      errorKinds.computeIfAbsent(key, k -> new LongAdder()).increment();
    }
  }

  Parsed parsed(int firstRevision) {
    return parsed.get(firstRevision);
  }

  /** Parses a doc-channel body ({revision, op, clientId, seq} or {ops:[...]}) once for everybody. */
  Parsed parse(int firstRevision, JsonObject body) {
    JsonArray list = body.getJsonArray("ops");
    int n = list == null ? 1 : list.size();
    int[] author = new int[n];
    int[] seq = new int[n];
    int[] target = new int[n];
    int first = -1;
    for (int i = 0; i < n; i++) {
      JsonObject e = list == null ? body : list.getJsonObject(i);
      if (i == 0) {
        first = e.getInteger("revision");
      }
      author[i] = authorByClientId.getOrDefault(e.getString("clientId"), -1);
      seq[i] = e.getInteger("seq");
      target[i] = targetLength(e.getJsonArray("op"));
    }
    Parsed p = new Parsed(first, author, seq, target);
    Parsed raced = parsed.putIfAbsent(firstRevision, p);
    if (raced != null) {
      return raced;
    }
    maxRevision.accumulateAndGet(first + n - 1, Math::max);
    if (inWindow(System.nanoTime())) {
      messages.increment();
      opsInMessages.add(n);
    }
    return p;
  }
}
