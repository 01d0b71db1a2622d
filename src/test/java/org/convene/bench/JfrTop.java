package org.convene.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples (jdk.ExecutionSample) of a flight recording: samples per thread, the
 * hottest methods by self time (top frame), and by inclusive time (anywhere on the stack), optionally
 * only methods whose class starts with --match. --from/--to (seconds from the first sample) cut a window.
 */
final class JfrTop {
  private JfrTop() {}

  static void main(List<String> positional, Map<String, String> options) throws IOException {
    Path file = Path.of(positional.get(0));
    int top = Integer.parseInt(options.getOrDefault("top", "25"));
    String match = options.getOrDefault("match", "");
    String threadFilter = options.getOrDefault("thread", "");
    double from = Double.parseDouble(options.getOrDefault("from", "0"));
    double to = Double.parseDouble(options.getOrDefault("to", "1e9"));
    long fromEpochMs = Long.parseLong(options.getOrDefault("from-epoch-ms", "0"));
    long toEpochMs = Long.parseLong(options.getOrDefault("to-epoch-ms", Long.toString(Long.MAX_VALUE)));
    Map<String, Integer> categories = new HashMap<>();
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Instant first = null;
    int total = 0;
    try (RecordingFile rf = new RecordingFile(file)) {
      while (rf.hasMoreEvents()) {
        RecordedEvent e = rf.readEvent();
        if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        if (first == null) {
          first = e.getStartTime();
        }
        double at = (e.getStartTime().toEpochMilli() - first.toEpochMilli()) / 1000.0;
        long epochMs = e.getStartTime().toEpochMilli();
        if (at < from || at > to || epochMs < fromEpochMs || epochMs > toEpochMs) {
          continue;
        }
        String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
        if (thread == null) {
          thread = "?";
        }
        if (!threadFilter.isEmpty() && !thread.contains(threadFilter)) {
          continue;
        }
        RecordedStackTrace st = e.getStackTrace();
        if (st == null || st.getFrames().isEmpty()) {
          continue;
        }
        total++;
        threads.merge(thread.replaceAll("\\d+$", "N"), 1, Integer::sum);
        List<RecordedFrame> frames = st.getFrames();
        self.merge(name(frames.get(0)), 1, Integer::sum);
        categories.merge(category(frames), 1, Integer::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame f : frames) {
          String n = name(f);
          if (n.startsWith(match) && seen.add(n)) {
            inclusive.merge(n, 1, Integer::sum);
          }
        }
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d CPU samples%s%n", file.getFileName(), total,
        fromEpochMs > 0 ? " in window " + Instant.ofEpochMilli(fromEpochMs) + " .. " + Instant.ofEpochMilli(toEpochMs) : "");
    if (total == 0) {
      return;
    }
    print("threads (samples)", threads, total, top);
    print("where (first activity, in a fixed priority order, that the stack names)", categories, total, top);
    print("self (top frame)", self, total, top);
    print("inclusive" + (match.isEmpty() ? "" : " (" + match + "*)"), inclusive, total, top);
  }

  /** Activities in priority order: a sample goes to the first marker that any frame of its stack names. */
  private static final String[][] MARKERS = {
      {"sun.nio.ch.", "socket I/O (read/write syscalls)"},
      {"MessageCodec.transform", "event bus: JSON copy per subscriber (local codec transform)"},
      {"JsonObject.copy", "event bus: JSON copy per subscriber (local codec transform)"},
      {"EventBusBridgeImpl.deliverMessage", "bridge out: envelope built and encoded per socket (replies, presence)"},
      {"EventBusBridgeImpl.handleSocketData", "bridge in: frame JSON parsed, permitted, forwarded"},
      {"BridgeGate.lambda$subscribe", "fan-out: a publication's frame written to each subscribed socket"},
      {"BridgeGate.writeRound", "fan-out: a publication's frame written to each subscribed socket"},
      {"BridgeGate.lambda$writeRound", "fan-out: a publication's frame written to each subscribed socket"},
      {"signing.Messages.", "signing: the confirmation mail written"},
      {"signing.LiveCount.", "signing: the live count (read, summed, published)"},
      {"signing.Batcher.", "signing: the batch insert built, its answers handed back"},
      {"signing.Signer.", "signing: the signer's fields validated"},
      {"BridgeGate.", "bridge gate: token lookup, headers"},
      {"Algebra.transform", "OT: transform"},
      {"Algebra.compose", "OT: compose"},
      {"TextOperation.apply", "OT: apply op to the text"},
      {"Components.parse", "OT: parse op JSON"},
      {"Requests$Edit.parse", "edit request: parse and validate"},
      {"OpLog.", "op log: SQL encode/decode"},
      {"io.vertx.pgclient.", "PostgreSQL client (protocol, codec)"},
      {"io.vertx.sqlclient.", "PostgreSQL client (protocol, codec)"},
      {"Sequencer.", "sequencer (batching, publication building)"},
      {"CollabVerticle.", "collab verticle (routing, sessions)"},
      {"io.netty.handler.codec.http.websocketx.", "WebSocket framing"},
      {"io.netty.channel.", "Netty channel pipeline"},
      {"com.fasterxml.jackson.", "JSON (other)"},
      {"io.vertx.core.eventbus.", "event bus (delivery, queues)"},
      {"io.netty.util.concurrent.", "event loop (task queue, wake-ups)"},
  };

  private static String category(List<RecordedFrame> frames) {
    String[] names = new String[frames.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = name(frames.get(i));
    }
    for (String[] m : MARKERS) {
      for (String n : names) {
        if (n.contains(m[0])) {
          return m[1];
        }
      }
    }
    return "other";
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    if (m == null) {
      return "?";
    }
    return m.getType().getName() + "." + m.getName();
  }

  private static void print(String title, Map<String, Integer> counts, int total, int top) {
    System.out.println("-- " + title);
    counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(top)
        .forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f%%  %6d  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getValue(), e.getKey()));
  }
}
