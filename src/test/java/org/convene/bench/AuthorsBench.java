package org.convene.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;

/**
 * Scenarios (c) and (d): many authors on one document, each its own connection. (c) Etherpad-style:
 * 4 random letters every 400 ms per author, appended at the end; (d) editors that send their next op
 * as soon as the previous one is acknowledged.
 */
final class AuthorsBench {
  private final Bench bench;

  AuthorsBench(Bench bench) {
    this.bench = bench;
  }

  int authors(String list) throws Exception {
    int status = 0;
    for (String n : list.split(",")) {
      status |= session("authors", Integer.parseInt(n.trim()), false,
          bench.doubleOption("warmup", 5), bench.doubleOption("duration", 20));
    }
    return status;
  }

  int maxThroughput(int editors) throws Exception {
    int status = 0;
    int repeat = bench.intOption("repeat", 1);
    for (int i = 0; i < repeat; i++) {
      status |= session("max-throughput", editors, true, bench.doubleOption("warmup", 3), bench.doubleOption("duration", 15));
    }
    return status;
  }

  private int session(String scenario, int n, boolean greedy, double warmupS, double durationS) throws Exception {
    long intervalMs = bench.intOption("interval-ms", 400);
    String param = Integer.toString(n);
    Results res = bench.results(scenario);
    TestServer.Manifesto m = bench.create(scenario + " x" + n, "Etherpad-style load.\n");
    Room room = new Room(m.id(), m.editor(), n);
    room.reconnect = "true".equals(bench.stringOption("reconnect", "false"));
    room.offerDeflate = !"false".equals(bench.stringOption("deflate", "true"));
    VertxInternal vx = (VertxInternal) bench.vertx;
    int loops = bench.intOption("event-loops", 4);
    Context[] contexts = new Context[loops];
    for (int i = 0; i < loops; i++) {
      contexts[i] = vx.createEventLoopContext();
    }
    // Every socket offers permessage-deflate as Chromium does (--deflate false: none offered); whether
    // it is used is the server's answer.
    WebSocketClient client = bench.vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxConnections(4 * n + 100).setMaxMessageSize(1 << 24).setMaxFrameSize(1 << 20).setConnectTimeout(30_000)
        .setTryUsePerMessageCompression(!"false".equals(bench.stringOption("deflate", "true"))));
    // A share of authors with added latency each way, as on a slow mobile link (--delayed-share 0.3
    // --delay-min-ms 150 --delay-max-ms 300); their latencies are reported apart.
    double delayedShare = bench.doubleOption("delayed-share", 0);
    long delayMin = bench.intOption("delay-min-ms", 150);
    long delayMax = bench.intOption("delay-max-ms", 300);
    java.util.SplittableRandom delays = new java.util.SplittableRandom(42);
    // Transports, as browsers reach the bridge: a share on SockJS's WebSocket transport and a few on XHR
    // streaming, both through GET /eventbus/info and SockJS framing as the official client does
    // (--sockjs-share 0.1 --xhr-share 0.01); the others on the raw endpoint.
    double sockJsShare = bench.doubleOption("sockjs-share", 0.1);
    double xhrShare = bench.doubleOption("xhr-share", 0.01);
    java.util.SplittableRandom kinds = new java.util.SplittableRandom(43);
    io.vertx.core.http.HttpClient http = bench.vertx.createHttpClient(
        // Kept-alive connections idle for 5 s at most: the server closes them after HEADER_TIMEOUT (10 s).
        new io.vertx.core.http.HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(5).setConnectTimeout(30_000),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(4 * n + 100));

    long t0 = System.nanoTime();
    int connectBatch = bench.intOption("connect-batch", 25);
    for (int i = 0; i < n; i += connectBatch) {
      List<Future<Void>> batch = new ArrayList<>();
      for (int j = i; j < Math.min(n, i + connectBatch); j++) {
        long delay = delays.nextDouble() < delayedShare ? delayMin + delays.nextLong(delayMax - delayMin + 1) : 0;
        double k = kinds.nextDouble();
        Link.Kind kind = k < xhrShare ? Link.Kind.XHR_STREAMING : k < xhrShare + sockJsShare ? Link.Kind.SOCKJS_WS : Link.Kind.RAW;
        room.authors[j] = new LightAuthor(j, room, contexts[j % loops], greedy, delay, kind);
        batch.add(room.authors[j].connect(client, http, bench.port));
      }
      Future.all(batch).await(120, TimeUnit.SECONDS);
    }
    Bench.log("%s %d: %d connections opened in %.1f s (%s)", scenario, n, n, (System.nanoTime() - t0) / 1e9, linkSummary(room));

    // Event-loop lag of the generator: how late a 20 ms timer fires. High lag = the generator is the bottleneck.
    List<Long> lagTimers = java.util.Collections.synchronizedList(new ArrayList<>());
    for (Context c : contexts) {
      c.runOnContext(v -> lagTimers.add(lagProbe(c, room)));
    }

    int initialLength = room.authors[0].lastLength();
    Thread storm = room.reconnect ? watchStorm(room) : null;
    double serverAge = bench.probe.serverAgeSeconds();
    room.typing = true;
    room.typingStart = System.nanoTime();
    for (LightAuthor a : room.authors) {
      a.start(intervalMs);
    }
    Thread.sleep((long) (warmupS * 1000));
    int rev0 = room.maxRevision.get();
    Probe.Mark mark = bench.probe.mark();
    long startMs = System.currentTimeMillis();
    room.windowStart = System.nanoTime();
    Thread.sleep((long) (durationS * 1000));
    room.windowEnd = System.nanoTime();
    bench.window(scenario + "-" + n, startMs, System.currentTimeMillis());
    int rev1 = room.maxRevision.get();
    Probe.Usage usage = bench.probe.since(mark);
    room.typing = false;
    for (LightAuthor a : room.authors) {
      a.stopTyping();
    }
    long drainStart = System.nanoTime();
    boolean drained = false;
    while (System.nanoTime() - drainStart < TimeUnit.SECONDS.toNanos(20)) {
      Thread.sleep(200);
      drained = true;
      for (LightAuthor a : room.authors) {
        drained &= a.idle();
      }
      if (drained) {
        break;
      }
    }
    Thread.sleep(300); // the last publications reach every peer
    if (!drained) {
      int stuck = 0;
      for (LightAuthor a : room.authors) {
        if (!a.idle() && stuck++ < 8) {
          Bench.log("not drained: %s", a.describe());
        }
      }
      Bench.log("not drained: %d of %d authors still have letters unacknowledged", stuck, n);
    }
    if (storm != null) {
      storm.interrupt();
      // Nothing acknowledged lost or doubled: the text holds every letter typed, once.
      int top = -1;
      int length = -1;
      for (LightAuthor a : room.authors) {
        if (a.lastRevision() > top) {
          top = a.lastRevision();
          length = a.lastLength();
        }
      }
      long expected = initialLength + room.letters.sum();
      java.util.Arrays.stream(room.authors).map(LightAuthor::describe).filter(d -> d.contains("duplicate")).limit(3)
          .forEach(d -> Bench.log("storm, an author answered duplicate: %s", d));
      java.util.Arrays.stream(room.authors).filter(a -> a.losses.size() > 1 || a.losses.toString().contains(": ")).limit(5)
          .forEach(a -> Bench.log("storm: author %d lost its link %d times: %s", a.index, a.losses.size(), a.losses));
      res.add(param, "storm_disconnects", room.disconnects.sum(), "sockets lost");
      res.add(param, "storm_duplicates", room.duplicates.sum(), "resent ops found applied");
      res.add(param, "storm_found_in_history", room.foundInHistory.sum(), "ops in flight found applied in the catch-up");
      res.add(param, "storm_refused_letters", room.refusedLetters.sum(), "letters of ops refused for good, typed again");
      res.add(param, "storm_timeouts", room.timeouts.sum(), "requests unanswered in the browser's time (connection dropped)");
      res.add(param, "storm_missed_own", room.missedOwn.sum(), "own ops answered, not seen published 1.5 s later");
      res.add(param, "storm_text_length_error", length - expected, "units (0 = every letter typed is in the text once)");
      Bench.log("storm: %d disconnects, %d dropped after a timeout; %d ops in flight found in the catch-up, %d answered "
              + "duplicate; text %d units at revision %d, letters typed %d + %d: %s",
          room.disconnects.sum(), room.drops.sum(), room.foundInHistory.sum(), room.duplicates.sum(), length, top,
          initialLength, room.letters.sum(),
          length == expected ? "CONVERGED" : "MISMATCH");
    }
    long[] heap = bench.probe.heapMb();
    lagTimers.forEach(bench.vertx::cancelTimer);

    double window = (room.windowEnd - room.windowStart) / 1e9;
    Histogram ack = room.ack.merged();
    Histogram peer = room.peer.merged();
    Histogram keyAck = room.keystrokeToAck.merged();
    Histogram keyPeer = room.keystrokeToPeer.merged();
    Histogram lag = room.loopLag.merged();
    double accepted = (rev1 - rev0) / window;
    double keystrokes = room.keystrokes.sum() / window;
    double nominal = greedy ? Double.NaN : n * 1000.0 / intervalMs;
    res.add(param, "accepted_ops_per_s", accepted, "ops/s");
    if (!greedy) {
      res.add(param, "keystrokes_per_s", keystrokes, "per s (nominal " + Results.format(nominal) + ")");
    }
    res.add(param, "ops_sent_per_s", room.opsSent.sum() / window, "ops/s");
    res.add(param, "ack_p50", ack.percentileMicros(0.50) / 1000, "ms");
    res.add(param, "ack_p99", ack.percentileMicros(0.99) / 1000, "ms");
    res.add(param, "ack_max", ack.maxMicros() / 1000.0, "ms");
    res.add(param, "peer_p50", peer.percentileMicros(0.50) / 1000, "ms");
    res.add(param, "peer_p99", peer.percentileMicros(0.99) / 1000, "ms");
    res.add(param, "peer_max", peer.maxMicros() / 1000.0, "ms");
    if (delayedShare > 0) {
      Histogram ackDelayed = room.ackDelayed.merged();
      Histogram peerDelayed = room.peerDelayed.merged();
      res.add(param, "delayed_ack_p50", ackDelayed.percentileMicros(0.50) / 1000, "ms (authors with added latency, added latency included)");
      res.add(param, "delayed_ack_p99", ackDelayed.percentileMicros(0.99) / 1000, "ms");
      res.add(param, "delayed_peer_p99", peerDelayed.percentileMicros(0.99) / 1000, "ms (sender or receiver delayed)");
    }
    recovery(res, param, room, serverAge);
    for (Link.Kind kind : Link.Kind.values()) {
      long authors = java.util.Arrays.stream(room.authors).filter(a -> a.kind == kind && a.delayMs == 0).count();
      if (authors > 0 && kind != Link.Kind.RAW || authors < n && kind == Link.Kind.RAW) {
        Histogram kindAck = room.ackOf(kind).merged();
        Histogram kindPeer = room.peerOf(kind).merged();
        res.add(param, kind.label + "_authors", authors, "authors without added latency on this transport");
        res.add(param, kind.label + "_ack_p50", kindAck.percentileMicros(0.50) / 1000, "ms");
        res.add(param, kind.label + "_ack_p99", kindAck.percentileMicros(0.99) / 1000, "ms");
        res.add(param, kind.label + "_peer_p99", kindPeer.percentileMicros(0.99) / 1000, "ms (received on this transport)");
      }
    }
    long deflated = room.deflated.values().stream().mapToLong(a -> a.sum()).sum();
    res.add(param, "deflate_accepted", deflated, "WebSocket connections on which the server accepted permessage-deflate");
    res.add(param, "keystroke_to_peer_p50", keyPeer.percentileMicros(0.50) / 1000, "ms");
    res.add(param, "keystroke_to_peer_p99", keyPeer.percentileMicros(0.99) / 1000, "ms");
    res.add(param, "keystroke_to_ack_p99", keyAck.percentileMicros(0.99) / 1000, "ms");
    res.add(param, "peer_samples", peer.count(), "samples");
    res.add(param, "messages_per_s", room.messages.sum() / window, "published msgs/s");
    res.add(param, "ops_per_message", room.opsInMessages.sum() / (double) Math.max(1, room.messages.sum()), "ops");
    res.add(param, "frames_in_per_s", room.framesIn.sum() / ((System.nanoTime() - t0) / 1e9), "frames/s (whole session)");
    res.add(param, "generator_loop_lag_p99", lag.percentileMicros(0.99) / 1000, "ms");
    res.add(param, "generator_loop_lag_max", lag.maxMicros() / 1000.0, "ms");
    long errors = room.errors.values().stream().mapToLong(a -> a.sum()).sum();
    res.add(param, "errors", errors, "frames");
    res.add(param, "retries", room.retries.sum(), "frames");
    res.add(param, "gaps", room.gaps.sum(), "count");
    res.add(param, "drained", drained ? 1 : 0, "1=all acked");
    res.usage(param, usage, heap);
    // CPU per op holds up better than latency on a shared machine: it does not count time spent waiting for a core.
    res.add(param, "server_cpu_per_op", usage.server() * 1e6 / Math.max(1e-9, accepted), "us/op");
    res.add(param, "server_cpu_per_delivered_op", usage.server() * 1e6 / Math.max(1e-9, accepted * n), "us/(op x subscriber)");
    room.errorKinds.forEach((kind, count) -> Bench.log("error frames: %d x %s", count.sum(), kind));
    Map<Integer, Long> byCode = new TreeMap<>();
    room.errors.forEach((code, count) -> byCode.put(code, count.sum()));
    String verdict = verdict(usage, lag, keystrokes, nominal);
    res.add(param, "generator_bound", verdict.contains("GENERATOR-BOUND") || verdict.contains("below nominal") ? 1 : 0, "1=yes");
    Bench.log("%s %d: %.0f ops/s accepted, ack p50 %.1f / p99 %.1f ms, peer p50 %.1f / p99 %.1f ms, server %.2f cores, "
            + "postgres %.2f, generator %.2f, machine %.2f of %d; errors %s; %s",
        scenario, n, accepted, ack.percentileMicros(0.5) / 1000, ack.percentileMicros(0.99) / 1000,
        peer.percentileMicros(0.5) / 1000, peer.percentileMicros(0.99) / 1000, usage.server(), usage.postgres(),
        usage.generator(), usage.machine(), usage.cores(), byCode, verdict);

    List<Future<Void>> closing = new ArrayList<>();
    for (LightAuthor a : room.authors) {
      if (a != null) {
        closing.add(a.close());
      }
    }
    Future.join(closing).await(60, TimeUnit.SECONDS);
    client.close().await(30, TimeUnit.SECONDS);
    http.close().await(30, TimeUnit.SECONDS);
    Thread.sleep(1_000); // let the server forget the sessions before the next size
    return drained && errors == 0 ? 0 : 1;
  }

  private static String linkSummary(Room room) {
    StringBuilder b = new StringBuilder();
    room.links.forEach((kind, count) -> b.append(b.length() == 0 ? "" : ", ").append(count.sum()).append(' ').append(kind.label)
        .append(" (").append(room.deflated.getOrDefault(kind, new java.util.concurrent.atomic.LongAdder()).sum())
        .append(" with permessage-deflate)"));
    return b.toString();
  }

  /** Logs when authors lose their sockets and when the last of them is reopened and acknowledged. */
  private static Thread watchStorm(Room room) {
    Thread t = new Thread(() -> {
      long firstLoss = 0;
      boolean waiting = false;
      try {
        while (true) {
          int down = 0;
          for (LightAuthor a : room.authors) {
            if (!a.reopened) {
              down++;
            }
          }
          long now = System.nanoTime();
          if (down > 0 && !waiting) {
            waiting = true;
            firstLoss = now;
            Bench.log("storm: sockets lost (%d authors down)", down);
          } else if (down == 0 && waiting) {
            waiting = false;
            Bench.log("storm: all %d authors reopened and acknowledged, %.1f s after the first loss",
                room.authors.length, (now - firstLoss) / 1e9);
          }
          Thread.sleep(100);
        }
      } catch (InterruptedException e) {
        // done
      }
    }, "storm-watch");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * How long until the server came back: the time from the start of typing until the last
   * acknowledgement over 100 ms among authors without added latency (0 if none), the first second
   * from which the per-second p99 of their acknowledgements stays at or under 100 ms, and both
   * counted from the server process's start (what a restart costs the authors: the JVM's start,
   * the server's, the authors' connecting, and the slow seconds after). Printed with the p99 per
   * second and the generator's own event-loop lag per second (its worst 20 ms timer), which says
   * whether a slow second was the generator's.
   */
  private static void recovery(Results res, String param, Room room, double serverAgeAtTyping) {
    List<long[]> acks = new ArrayList<>(room.ackTimeline);
    acks.sort((x, y) -> Long.compare(x[0], y[0]));
    long typingStart = room.typingStart;
    long lastSlow = typingStart;
    TreeMap<Long, Histogram.Recorder> perSecond = new TreeMap<>();
    for (long[] a : acks) {
      if (a[2] != 0) {
        continue;
      }
      if (a[1] > 100_000_000L) {
        lastSlow = Math.max(lastSlow, a[0]);
      }
      perSecond.computeIfAbsent((a[0] - typingStart) / 1_000_000_000L, s -> new Histogram.Recorder()).recordNanos(a[1]);
    }
    res.add(param, "recovered_after", (lastSlow - typingStart) / 1e9, "s from the first keystroke to the last ack over 100 ms");
    StringBuilder line = new StringBuilder("ack p99 per second from the first keystroke (ms):");
    long under = 0;
    for (Map.Entry<Long, Histogram.Recorder> e : perSecond.entrySet()) {
      double p99 = Math.round(e.getValue().merged().percentileMicros(0.99) / 100) / 10.0;
      line.append(' ').append(e.getKey()).append(':').append(Results.format(p99));
      if (p99 > 100) {
        under = e.getKey() + 1;
      }
    }
    Bench.log("%s", line);
    TreeMap<Long, Long> lagPerSecond = new TreeMap<>();
    for (long[] l : room.lagTimeline) {
      lagPerSecond.merge((l[0] - typingStart) / 1_000_000_000L, l[1], Math::max);
    }
    StringBuilder lags = new StringBuilder("generator event-loop lag, worst per second from the first keystroke (ms):");
    lagPerSecond.forEach((sec, nanos) -> lags.append(' ').append(sec).append(':').append(nanos / 1_000_000));
    Bench.log("%s", lags);
    res.add(param, "p99_under_100ms_from", under, "s from the first keystroke: the per-second ack p99 is 100 ms or less from this second on");
    res.add(param, "typing_after_server_start", serverAgeAtTyping, "s from the server process's start to the first keystroke (start-up and connecting)");
    res.add(param, "p99_under_100ms_after_server_start", serverAgeAtTyping + under,
        "s from the server process's start until the per-second ack p99 stays at 100 ms or less");
  }

  private static String verdict(Probe.Usage u, Histogram lag, double keystrokes, double nominal) {
    List<String> notes = new ArrayList<>();
    if (lag.percentileMicros(0.99) > 50_000) {
      notes.add("GENERATOR-BOUND (event-loop lag p99 " + Results.format(lag.percentileMicros(0.99) / 1000) + " ms)");
    }
    if (!Double.isNaN(nominal) && keystrokes < 0.95 * nominal) {
      notes.add("offered load below nominal (" + Results.format(keystrokes) + " of " + Results.format(nominal) + " keystrokes/s)");
    }
    if (u.machine() > 0.9 * u.cores()) {
      notes.add("machine CPU saturated (" + Results.format(u.machine()) + " of " + u.cores() + " cores)");
    }
    return notes.isEmpty() ? "generator not the bottleneck" : String.join("; ", notes);
  }

  /** A 20 ms timer that records how late it fires, on one event loop. */
  private static long lagProbe(Context c, Room room) {
    long[] expected = {System.nanoTime() + 20_000_000};
    return c.owner().setPeriodic(20, id -> {
      long now = System.nanoTime();
      if (room.inWindow(now)) {
        room.loopLag.recordNanos(now - expected[0]);
      }
      if (room.typing) {
        room.lagTimeline.add(new long[] {now, now - expected[0]});
      }
      expected[0] = now + 20_000_000;
    });
  }
}
