package org.convene.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.convene.ot.TextOperation;
import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.Wait;
import static org.convene.testing.RandomEdits.randomEdit;

/** Helpers shared by the resilience tests: random edits, waiting, recording publications, checking history. */
final class Resilience {
  /** The server never answers more than this many history entries at once (protocol: at most 10,000). */
  static final int HISTORY_CHUNK = 10_000;

  private Resilience() {}

  static <T> T await(Future<T> f) throws Exception {
    return f.await(20, TimeUnit.SECONDS);
  }

  /** One random local edit on one random client, made atomically on that client's current text. */
  static void editOnce(List<OtClient> clients, Random rnd) {
    OtClient c = clients.get(rnd.nextInt(clients.size()));
    editOnce(c, rnd);
  }

  static void editOnce(OtClient c, Random rnd) {
    synchronized (c) {
      c.edit(randomEdit(rnd, c.text()));
    }
  }

  /** Edits at random, a few milliseconds apart, for the given time. */
  static int editFor(List<OtClient> clients, Random rnd, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    int n = 0;
    while (System.nanoTime() < end) {
      editOnce(clients, rnd);
      n++;
      Thread.sleep(1 + rnd.nextInt(4));
    }
    return n;
  }

  static void waitUntil(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
    waitUntil(seconds, condition, () -> what);
  }

  static void waitUntil(long seconds, BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
    Wait.until(seconds, condition, what);
  }

  /** Waits until every client has had all its edits acknowledged. */
  static void awaitIdle(List<OtClient> clients, long seconds, String context) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (OtClient c : clients) {
      long left = Math.max(1, deadline - System.nanoTime());
      try {
        c.whenIdle().await(left, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError(context + ": client " + c.clientId() + " still has unacknowledged edits after "
            + seconds + " s (revision " + c.revision() + ", last seq " + c.lastSeq() + ", failures " + c.failures + ")");
      }
    }
  }

  /**
   * Every (clientId, seq) seen published on a document's channel, with the revision it was published at.
   * Anything here was committed: the server publishes only after the commit.
   */
  static final class Published {
    private final Map<String, Map<Integer, Integer>> byClient = new ConcurrentHashMap<>();
    /** The same (clientId, seq) published at two different revisions, or one revision published for two. */
    final List<String> conflicts = new CopyOnWriteArrayList<>();
    private final Map<Integer, String> byRevision = new ConcurrentHashMap<>();

    void listen(BridgeClient bridge, String doc, String viewerToken) throws Exception {
      bridge.register("manifesto.doc." + doc, viewerToken, this::record);
      // Frames of one connection are handled in order: once this answers, the registration is in place.
      await(bridge.request("manifesto.history", new JsonObject().put("doc", doc).put("from", 0).put("to", 0), viewerToken));
    }

    void record(JsonObject msg) {
      JsonArray ops = msg.getJsonArray("ops");
      if (ops == null) {
        one(msg);
      } else {
        for (int i = 0; i < ops.size(); i++) {
          one(ops.getJsonObject(i));
        }
      }
    }

    private void one(JsonObject e) {
      String client = e.getString("clientId");
      int seq = e.getInteger("seq");
      int revision = e.getInteger("revision");
      Integer before = byClient.computeIfAbsent(client, k -> new ConcurrentHashMap<>()).putIfAbsent(seq, revision);
      if (before != null && before != revision) {
        conflicts.add("(" + client + ", " + seq + ") published at revision " + before + " and again at " + revision);
      }
      String key = client + "#" + seq;
      String other = byRevision.putIfAbsent(revision, key);
      if (other != null && !other.equals(key)) {
        conflicts.add("revision " + revision + " published for " + other + " and for " + key);
      }
    }

    int size() {
      return byClient.values().stream().mapToInt(Map::size).sum();
    }

    /** A copy: clientId -> (seq -> revision). */
    Map<String, Map<Integer, Integer>> snapshot() {
      Map<String, Map<Integer, Integer>> copy = new HashMap<>();
      byClient.forEach((c, seqs) -> copy.put(c, new TreeMap<>(seqs)));
      return copy;
    }
  }

  /** The whole history from revision 0, read in chunks of at most 10,000. */
  static List<JsonObject> readHistory(BridgeClient bridge, String doc, String token) throws Exception {
    List<JsonObject> all = new ArrayList<>();
    int from = 0;
    while (true) {
      JsonObject reply = await(bridge.request("manifesto.history",
          new JsonObject().put("doc", doc).put("from", from).put("to", from + HISTORY_CHUNK), token));
      JsonArray ops = reply.getJsonArray("ops");
      if (ops.isEmpty()) {
        return all;
      }
      assertTrue(ops.size() <= HISTORY_CHUNK, "history answered " + ops.size() + " entries at once");
      for (int i = 0; i < ops.size(); i++) {
        all.add(ops.getJsonObject(i));
      }
      int last = ops.getJsonObject(ops.size() - 1).getInteger("revision");
      if (last <= from) {
        fail("history from " + from + " answered up to revision " + last);
      }
      from = last;
    }
  }

  /**
   * The checks both tests make once everything is idle.
   *
   * @param mustContain clientId -> (seq -> revision) seen published (acknowledged); each must be in the
   *     history exactly once, at that revision
   * @param others further writers (clientId -> last seq) that are not OtClients, e.g. a probe
   */
  static void assertConsistent(String context, String initialText, List<JsonObject> history,
                               int serverRevision, String serverText, Map<String, Map<Integer, Integer>> mustContain,
                               List<OtClient> clients, Map<String, Integer> others) {
    // Revisions are 1..N without a gap or a repeat, and N is the document's revision.
    for (int i = 0; i < history.size(); i++) {
      assertEquals(i + 1, history.get(i).getInteger("revision"), context + ": history revisions are contiguous from 1");
    }
    assertEquals(serverRevision, history.size(), context + ": the history ends at the document's revision");

    // No (clientId, seq) twice.
    Map<String, Integer> revisionOf = new HashMap<>();
    Map<String, TreeSet<Integer>> seqsOf = new HashMap<>();
    for (JsonObject e : history) {
      String key = e.getString("clientId") + "#" + e.getInteger("seq");
      Integer earlier = revisionOf.putIfAbsent(key, e.getInteger("revision"));
      if (earlier != null) {
        fail(context + ": (" + e.getString("clientId") + ", " + e.getInteger("seq") + ") is in the history twice, at revisions "
            + earlier + " and " + e.getInteger("revision"));
      }
      seqsOf.computeIfAbsent(e.getString("clientId"), k -> new TreeSet<>()).add(e.getInteger("seq"));
    }

    // Everything published (acknowledged) is there, exactly once, at the revision it was published at.
    assertFalse(mustContain.isEmpty(), context + ": nothing was published; the scenario did not run");
    mustContain.forEach((client, seqs) -> seqs.forEach((seq, revision) -> assertEquals(revision,
        revisionOf.get(client + "#" + seq),
        context + ": (" + client + ", " + seq + ") was published at revision " + revision + " but the history has it at")));

    // Each writer's seqs are exactly 1..last: every edit applied once, none lost, none invented.
    Map<String, Integer> writers = new HashMap<>(others);
    for (OtClient c : clients) {
      writers.put(c.clientId(), c.lastSeq());
    }
    writers.forEach((client, last) -> {
      TreeSet<Integer> expected = new TreeSet<>();
      for (int s = 1; s <= last; s++) {
        expected.add(s);
      }
      assertEquals(expected, seqsOf.getOrDefault(client, new TreeSet<>()),
          context + ": the seqs of " + client + " in the history are exactly 1.." + last);
    });
    assertEquals(writers.keySet(), seqsOf.keySet(), context + ": only known writers are in the history");

    // Replaying the history from the initial text gives the server's text.
    String replayed = initialText;
    for (JsonObject e : history) {
      replayed = TextOperation.fromComponents(e.getJsonArray("op").getList()).apply(replayed);
    }
    assertEquals(serverText, replayed, context + ": replaying the history gives the server's text");

    // Every client converged to it.
    for (OtClient c : clients) {
      assertEquals(serverRevision, c.revision(), context + ": revision of client " + c.clientId());
      assertEquals(serverText, c.text(), context + ": text of client " + c.clientId());
    }
  }

  /** OtClient failures a reconnect legitimately produces: requests cut off by the connection closing. */
  static List<Throwable> realFailures(OtClient c) {
    List<Throwable> real = new ArrayList<>();
    for (Throwable t : c.failures) {
      if (!(t instanceof BridgeClient.BridgeError e && e.code == -1)) {
        real.add(t);
      }
    }
    return real;
  }
}
