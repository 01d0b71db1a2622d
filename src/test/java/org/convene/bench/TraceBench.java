package org.convene.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.convene.ot.TextOperation;
import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;

/**
 * Scenarios (a) and (b): the automerge-paper trace replayed through the protocol by one ot.js-style
 * client (OtClient), then the cost of opening the resulting document, warm and after a restart.
 */
final class TraceBench {
  private static final String PING = "{\"type\":\"ping\"}";
  private static final int SMALL_DOC_LENGTH = 2_000;

  private final Bench bench;
  private final Map<BridgeClient, Long> closeTimers = new IdentityHashMap<>();

  TraceBench(Bench bench) {
    this.bench = bench;
  }

  private Trace trace() throws Exception {
    Path file = Path.of(bench.options.getOrDefault("trace", Trace.DEFAULT.toString()));
    long t0 = System.nanoTime();
    Trace trace = Trace.load(file);
    Bench.log("trace %s: %,d patches, %,d -> %,d characters (loaded in %.1f s)", file.getFileName(), trace.ops().size(),
        trace.start().length(), trace.end().length(), (System.nanoTime() - t0) / 1e9);
    return trace;
  }

  /**
   * A bridge connection bound to ctx (its frames are handled on ctx's event loop) that pings every
   * 5 s, as the JS client does: the bridge closes sockets that stay silent for 30 s.
   */
  private BridgeClient connect(Context ctx) throws Exception {
    Promise<BridgeClient> p = Promise.promise();
    ctx.runOnContext(v -> BridgeClient.connect(bench.vertx, bench.port).onComplete(p));
    BridgeClient b = p.future().await(30, TimeUnit.SECONDS);
    closeTimers.put(b, bench.vertx.setPeriodic(5_000, id -> b.raw(PING)));
    return b;
  }

  private void close(BridgeClient b) throws Exception {
    Long timer = closeTimers.remove(b);
    if (timer != null) {
      bench.vertx.cancelTimer(timer);
    }
    b.close().await(10, TimeUnit.SECONDS);
  }

  /** (a) Typing the whole trace as fast as the client can: one op in flight, everything else composed. */
  int composed() throws Exception {
    Trace trace = trace();
    List<TextOperation> ops = trace.ops();
    Results res = bench.results("trace-composed");
    int repeat = bench.intOption("repeat", 1);
    int status = 0;
    for (int rep = 1; rep <= repeat; rep++) {
      TestServer.Manifesto m = bench.create("Trace, composed " + rep, trace.start());
      Context ctx = ((VertxInternal) bench.vertx).createEventLoopContext();
      BridgeClient b = connect(ctx);
      OtClient c = OtClient.open(bench.vertx, b, m.id(), m.editor(), "trace").await(30, TimeUnit.SECONDS);
      int rev0 = c.revision();
      // Typing happens on the connection's event loop, as in a browser: slices of about 5 ms of
      // typing, each followed by a 1 ms timer so that acknowledgements are handled between slices;
      // whatever was typed meanwhile goes out as one composed op. (Re-queuing the next slice at once
      // would starve the socket: the event loop runs up to ~1,000 queued tasks between I/O polls.)
      long sliceNanos = TimeUnit.MILLISECONDS.toNanos(bench.intOption("slice-ms", 5));
      Promise<Long> typing = Promise.promise();
      int[] next = {0};
      Runnable[] type = new Runnable[1];
      type[0] = () -> {
        long until = System.nanoTime() + sliceNanos;
        while (next[0] < ops.size() && System.nanoTime() < until) {
          c.edit(ops.get(next[0]++));
        }
        if (next[0] == ops.size()) {
          typing.complete(System.nanoTime());
        } else {
          bench.vertx.setTimer(1, id -> type[0].run());
        }
      };
      Probe.Mark mark = bench.probe.mark();
      long startMs = System.currentTimeMillis();
      long t0 = System.nanoTime();
      ctx.runOnContext(v -> type[0].run());
      long typed = typing.future().await(1_800, TimeUnit.SECONDS);
      c.whenIdle().await(600, TimeUnit.SECONDS);
      long t1 = System.nanoTime();
      bench.window("trace-composed-" + rep, startMs, System.currentTimeMillis());
      Probe.Usage usage = bench.probe.since(mark);
      long[] heap = bench.probe.heapMb();
      JsonObject server = bench.read(m.id(), m.viewer());
      boolean clientOk = trace.end().equals(c.text());
      boolean serverOk = trace.end().equals(server.getString("text"));
      int revisions = server.getInteger("revision") - rev0;
      double wall = (t1 - t0) / 1e9;
      Bench.log("run %d: %,d edits in %.2f s (typing alone %.2f s), %,d revisions; final text %s", rep, ops.size(), wall,
          (typed - t0) / 1e9, revisions, clientOk && serverOk ? "equals endContent" : "DIFFERS from endContent");
      res.add("-", "wall", wall, "s");
      res.add("-", "edits_per_s", ops.size() / wall, "edits/s");
      res.add("-", "typing_only", (typed - t0) / 1e9, "s");
      res.add("-", "revisions", revisions, "revisions");
      res.add("-", "edits_per_revision", ops.size() / (double) Math.max(1, revisions), "edits");
      res.add("-", "final_text_ok", clientOk && serverOk ? 1 : 0, "1=equal");
      res.add("-", "client_failures", c.failures.size(), "count");
      res.usage("-", usage, heap);
      if (!clientOk || !serverOk || !c.failures.isEmpty()) {
        status = 1;
        c.failures.forEach(f -> Bench.log("failure: %s", f));
      }
      close(b);
    }
    return status;
  }

  /** (b) One revision per patch, each waiting for its acknowledgement; then opens of the result. */
  int acked() throws Exception {
    Trace trace = trace();
    List<TextOperation> ops = trace.ops();
    int limit = Math.min(ops.size(), bench.intOption("limit", ops.size()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(bench.intOption("max-seconds", 3_600));
    Results res = bench.results("trace-acked");
    TestServer.Manifesto m = bench.create("Trace, acknowledged", trace.start());
    Context ctx = ((VertxInternal) bench.vertx).createEventLoopContext();
    BridgeClient b = connect(ctx);
    OtClient c = OtClient.open(bench.vertx, b, m.id(), m.editor(), "trace").await(30, TimeUnit.SECONDS);

    long[] rtt = new long[limit];
    AtomicInteger next = new AtomicInteger();
    Promise<Void> done = Promise.promise();
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      int i = next.get();
      if (i == limit || System.nanoTime() > deadline) { // --max-seconds: stop early, report what was done
        done.tryComplete();
        return;
      }
      long t = System.nanoTime();
      c.edit(ops.get(i));
      c.whenIdle().onComplete(ar -> {
        if (ar.failed()) {
          done.tryFail(ar.cause());
          return;
        }
        rtt[i] = System.nanoTime() - t;
        next.set(i + 1);
        step[0].run();
      });
    };
    long progress = bench.vertx.setPeriodic(10_000, id -> Bench.log("acked: %,d / %,d", next.get(), limit));
    Probe.Mark mark = bench.probe.mark();
    long startMs = System.currentTimeMillis();
    long t0 = System.nanoTime();
    ctx.runOnContext(v -> step[0].run());
    done.future().await(3_600, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    bench.window("trace-acked", startMs, System.currentTimeMillis());
    Probe.Usage usage = bench.probe.since(mark);
    bench.vertx.cancelTimer(progress);
    long[] heap = bench.probe.heapMb();
    int n = next.get();
    if (n < limit) {
      Bench.log("stopped after --max-seconds: %,d of %,d patches replayed", n, limit);
    }
    String expected = n == ops.size() ? trace.end() : replay(trace.start(), ops.subList(0, n));
    JsonObject server = bench.read(m.id(), m.viewer());
    boolean ok = expected.equals(c.text()) && expected.equals(server.getString("text"))
        && server.getInteger("revision") == n;
    double wall = (t1 - t0) / 1e9;
    long[] sorted = Arrays.copyOf(rtt, n);
    Arrays.sort(sorted);
    Bench.log("%,d acknowledged edits in %.1f s: %.0f edits/s, round trip p50 %.3f ms p99 %.3f ms; final text %s", n, wall,
        n / wall, pct(sorted, 0.5), pct(sorted, 0.99), ok ? "as expected" : "DIFFERS");
    res.add("-", "edits", n, "edits");
    res.add("-", "complete", n == ops.size() ? 1 : 0, "1=whole trace");
    res.add("-", "wall", wall, "s");
    res.add("-", "edits_per_s", n / wall, "edits/s");
    res.add("-", "rtt_p50", pct(sorted, 0.50), "ms");
    res.add("-", "rtt_p90", pct(sorted, 0.90), "ms");
    res.add("-", "rtt_p99", pct(sorted, 0.99), "ms");
    res.add("-", "rtt_p999", pct(sorted, 0.999), "ms");
    res.add("-", "rtt_max", sorted[n - 1] / 1e6, "ms");
    res.add("-", "revision", server.getInteger("revision"), "revisions");
    res.add("-", "final_text_ok", ok ? 1 : 0, "1=equal");
    res.add("-", "client_failures", c.failures.size(), "count");
    res.usage("-", usage, heap);
    res.add("-", "server_cpu_per_edit", usage.server() * 1e6 * wall / n, "us/edit");
    res.add("-", "postgres_cpu_per_edit", usage.postgres() * 1e6 * wall / n, "us/edit");
    close(b);

    // Opening: the big document (still loaded in the server) against a fresh small one.
    TestServer.Manifesto small = bench.create("Small", trace.end().substring(0, Math.min(SMALL_DOC_LENGTH, trace.end().length())));
    int opens = bench.intOption("opens", 20);
    Results open = bench.results("open");
    for (int i = 0; i < 5; i++) { // warm-up of the open path in both JVMs, not recorded
      openOnce(m.id(), m.viewer(), -1, null);
      openOnce(small.id(), small.viewer(), -1, null);
    }
    double[] big = new double[opens];
    double[] smallMs = new double[opens];
    double[] bigConnect = new double[opens];
    for (int i = 0; i < opens; i++) {
      double[] t = openOnce(m.id(), m.viewer(), n, expected);
      big[i] = t[1];
      bigConnect[i] = t[0] + t[1];
      smallMs[i] = openOnce(small.id(), small.viewer(), 0, null)[1];
    }
    record(open, "warm", "big.open", big);
    record(open, "warm", "big.connect_and_open", bigConnect);
    record(open, "warm", "small.open", smallMs);

    // A third document whose cold load replays ~300 ops after its newest snapshot (1,300 revisions,
    // snapshots every 1,000): opened first after a restart, it takes the JIT warm-up of the replay path,
    // so that the big document's cold open measures the load rather than a cold JVM.
    TestServer.Manifesto replay = bench.create("Replay warm-up", trace.start());
    int replayOps = Math.min(1_300, ops.size());
    BridgeClient rb = connect(ctx);
    OtClient rc = OtClient.open(bench.vertx, rb, replay.id(), replay.editor(), "warm-up").await(30, TimeUnit.SECONDS);
    for (int i = 0; i < replayOps; i++) {
      rc.edit(ops.get(i));
      rc.whenIdle().await(30, TimeUnit.SECONDS);
    }
    close(rb);

    Path state = Path.of(bench.options.getOrDefault("state", "bench-state.json"));
    Files.writeString(state, new JsonObject()
        .put("big", new JsonObject().put("id", m.id()).put("viewer", m.viewer()).put("revision", n))
        .put("small", new JsonObject().put("id", small.id()).put("viewer", small.viewer()))
        .put("replay", new JsonObject().put("id", replay.id()).put("viewer", replay.viewer()).put("revision", replayOps))
        .put("limit", n)
        .encodePrettily(), StandardCharsets.UTF_8);
    return ok && c.failures.isEmpty() ? 0 : 1;
  }

  /**
   * After run.sh restarted the server: the first open of each document loads it from the database
   * (newest snapshot plus the ops after it). The open path of the new JVM is warmed on another
   * document first, so the figure is the load, not the JIT.
   */
  int openCold() throws Exception {
    JsonObject state = new JsonObject(Files.readString(Path.of(Bench.require(bench.options, "state"))));
    String label = bench.options.getOrDefault("label", "restart");
    JsonObject big = state.getJsonObject("big");
    JsonObject small = state.getJsonObject("small");
    Trace trace = trace();
    int limit = state.getInteger("limit");
    String expected = limit == trace.ops().size() ? trace.end() : replay(trace.start(), trace.ops().subList(0, limit));

    TestServer.Manifesto warm = bench.create("Warm-up", "Warm-up text.");
    for (int i = 0; i < 30; i++) {
      openOnce(warm.id(), warm.viewer(), -1, null);
    }
    Results res = bench.results("open");
    double smallCold = openOnce(small.getString("id"), small.getString("viewer"), 0, null)[1];
    JsonObject replay = state.getJsonObject("replay");
    double replayCold = openOnce(replay.getString("id"), replay.getString("viewer"), replay.getInteger("revision"), null)[1];
    res.add(label, "replay_doc.open_cold_first", replayCold, "ms (first replaying load in this JVM)");
    long coldStartMs = System.currentTimeMillis();
    double bigCold = openOnce(big.getString("id"), big.getString("viewer"), big.getInteger("revision"), expected)[1];
    bench.window("open-cold-big-" + label, coldStartMs, System.currentTimeMillis());
    res.add(label, "small.open_cold", smallCold, "ms");
    res.add(label, "big.open_cold", bigCold, "ms");
    double[] again = new double[10];
    for (int i = 0; i < again.length; i++) {
      again[i] = openOnce(big.getString("id"), big.getString("viewer"), big.getInteger("revision"), null)[1];
    }
    record(res, label, "big.open_after_load", again);
    Bench.log("%s: cold open small %.1f ms, replay warm-up doc %.1f ms, big %.1f ms (then %.1f ms)", label, smallCold,
        replayCold, bigCold, median(again));
    return 0;
  }

  /**
   * One new connection and one manifesto.open on it: {connect ms, open ms}. Checks the revision (when
   * not negative) and the text (when given).
   */
  private double[] openOnce(String doc, String token, int revision, String text) throws Exception {
    long t0 = System.nanoTime();
    BridgeClient b = BridgeClient.connect(bench.vertx, bench.port).await(30, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    JsonObject reply = b.request("manifesto.open", new JsonObject().put("doc", doc).put("name", "opener"), token)
        .await(60, TimeUnit.SECONDS);
    long t2 = System.nanoTime();
    b.close().await(10, TimeUnit.SECONDS);
    if (revision >= 0 && reply.getInteger("revision") != revision) {
      throw new IllegalStateException("open of " + doc + " gave revision " + reply.getInteger("revision") + ", expected " + revision);
    }
    if (text != null && !text.equals(reply.getString("text"))) {
      throw new IllegalStateException("open of " + doc + " gave a text that differs from the trace's");
    }
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
  }

  private static void record(Results res, String param, String metric, double[] samples) {
    double[] s = samples.clone();
    Arrays.sort(s);
    res.add(param, metric + "_p50", s[s.length / 2], "ms (" + s.length + " opens)");
    res.add(param, metric + "_p90", s[(int) Math.ceil(0.9 * s.length) - 1], "ms");
    res.add(param, metric + "_max", s[s.length - 1], "ms");
  }

  private static double median(double[] samples) {
    double[] s = samples.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  /** Quantile q of sorted nanos, in ms (nearest rank). */
  private static double pct(long[] sorted, double q) {
    int idx = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
  }

  private static String replay(String start, List<TextOperation> ops) {
    String text = start;
    for (TextOperation op : ops) {
      text = op.apply(text);
    }
    return text;
  }
}
