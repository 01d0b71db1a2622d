package org.convene.resilience;

import org.convene.testing.Seed;
import static org.convene.resilience.Resilience.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.convene.testing.ThrowawayPostgres;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL is restarted while three clients edit: during the outage edits are refused with 503 and
 * /health says why; afterwards every retried edit lands exactly once and the clients converge.
 *
 * <p>The PostgreSQL stopped is a throw-away cluster of this class's own on a free port, never the
 * machine's server: nothing else is hit, and a failed restart cannot break later test classes.
 */
class DatabaseRestartTest {
  static final String INITIAL = "Nous, soussignés 中文 😀, déclarons: ";

  @RegisterExtension
  @Order(1)
  static final ThrowawayPostgres postgres = ThrowawayPostgres.create();

  @RegisterExtension
  @Order(2)
  static final TestServer server = TestServer.perClass(Map.of("RATE_LIMIT_FRAMES", "0",
      "DATABASE_URL", postgres.baseUrl() + "convene_restart"));

  /** Runs before the server is closed (which drops its database): PostgreSQL must be up again. */
  @AfterAll
  static void restorePostgres() throws Exception {
    if (!postgres.ready()) {
      startPostgres();
    }
  }

  @Test
  void editsDuringADatabaseRestartGet503AndNoneIsLostOrAppliedTwice() throws Exception {
    long seed = Seed.of("restart.seed");
    String ctx = Seed.replay("restart.seed", seed);
    TestServer.Manifesto m = server.createManifesto("Outage", INITIAL);

    Resilience.Published published = new Resilience.Published();
    BridgeClient observer = await(server.connect());
    published.listen(observer, m.id(), m.viewer());

    // A writer of our own, to see with our own eyes what an edit gets during the outage.
    BridgeClient probe = await(server.connect());
    JsonObject opened = await(probe.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "probe"), m.editor()));
    String probeId = opened.getString("clientId");
    JsonObject probeEdit = new JsonObject().put("doc", m.id()).put("clientId", probeId).put("seq", 1)
        .put("revision", opened.getInteger("revision"))
        .put("op", new JsonArray().add(opened.getString("text").length()).add("!"));

    List<OtClient> clients = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clients.add(await(OtClient.open(server.vertx(), await(server.connect()), m.id(), m.editor(), "writer " + i)));
    }

    AtomicBoolean editing = new AtomicBoolean(true);
    AtomicReference<Throwable> editorCrash = new AtomicReference<>();
    Thread editor = new Thread(() -> {
      Random rnd = new Random(seed);
      try {
        while (editing.get()) {
          Resilience.editOnce(clients, rnd);
          Thread.sleep(1 + rnd.nextInt(4));
        }
      } catch (Throwable t) {
        editorCrash.set(t);
      }
    }, "random-editing");
    editor.setDaemon(true);
    editor.start();

    int beforeOutage;
    int probeFailure = 0;
    String probeMessage = null;
    JsonObject healthDuringOutage = null;
    int healthStatusDuringOutage = 0;
    try {
      Resilience.waitUntil("edits are committed before the outage", 15, () -> published.size() >= 100);
      beforeOutage = published.size();
      try {
        long downSince;
        try {
          postgres.stop();
        } finally {
          downSince = System.nanoTime();
        }
        assertTrue(!postgres.ready(), "PostgreSQL still accepts connections after stop");

        try {
          await(probe.request("manifesto.edit", probeEdit, m.editor()));
          fail("an edit was accepted while the database was down");
        } catch (BridgeClient.BridgeError e) {
          probeFailure = e.code;
          probeMessage = e.getMessage();
        }

        HttpResponse<Buffer> health = server.http().get("/health").send().await(10, TimeUnit.SECONDS);
        healthStatusDuringOutage = health.statusCode();
        healthDuringOutage = new JsonObject(health.bodyAsString());

        long heldFor = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downSince);
        if (heldFor < 2000) {
          Thread.sleep(2000 - heldFor);
        }
      } finally {
        startPostgres();
      }

      assertEquals(503, probeFailure, ctx + ": an edit during the outage is refused with 503 (" + probeMessage + ")");
      assertEquals(503, healthStatusDuringOutage, ctx + ": /health during the outage: " + healthDuringOutage);
      assertEquals("unavailable", healthDuringOutage.getString("status"), ctx + ": /health body " + healthDuringOutage);
      String database = healthDuringOutage.getString("database", "");
      assertTrue(database.startsWith("unreachable: ") && database.length() > "unreachable: ".length(),
          ctx + ": /health says what is wrong with the database: " + healthDuringOutage);

      Resilience.waitUntil("/health is ok again", 30, () -> {
        try {
          return server.http().get("/health").send().await(5, TimeUnit.SECONDS).statusCode() == 200;
        } catch (Exception e) {
          return false;
        }
      });

      // The refused edit, sent again with the same seq, is applied now (retrying while the document reloads).
      JsonObject probeReply = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (probeReply == null) {
        try {
          probeReply = await(probe.request("manifesto.edit", probeEdit, m.editor()));
        } catch (BridgeClient.BridgeError e) {
          if (e.code != 503 || System.nanoTime() > deadline) {
            throw new AssertionError(ctx + ": the probe's edit after the outage: " + e.getMessage(), e);
          }
          Thread.sleep(50);
        }
      }
      int probeRevision = probeReply.getInteger("revision");

      Resilience.waitUntil("edits are committed after the outage", 20, () -> published.size() >= beforeOutage + 100);
      editing.set(false);
      editor.join(5_000);
      if (editorCrash.get() != null) {
        throw new AssertionError("the editing thread failed", editorCrash.get());
      }
      Resilience.awaitIdle(clients, 30, ctx);

      JsonObject stored = server.read(m);
      int revision = stored.getInteger("revision");
      String text = stored.getString("text");
      Resilience.waitUntil(15, () -> clients.stream().allMatch(c -> c.revision() == revision),
          () -> ctx + ": clients catch up to revision " + revision + ": "
              + clients.stream().map(c -> c.clientId() + "@" + c.revision()).toList());
      Resilience.waitUntil("the observer has seen revision " + revision, 15, () -> published.size() >= revision);
      List<JsonObject> history = Resilience.readHistory(observer, m.id(), m.viewer());

      String summary = ctx + " (" + beforeOutage + " ops before the outage, final revision " + revision
          + ", duplicates answered: " + clients.stream().mapToInt(c -> c.duplicates.size()).sum() + ")";
      System.out.println(summary);
      for (OtClient c : clients) {
        assertEquals(List.of(), c.failures, summary + ": failures of client " + c.clientId());
      }
      assertEquals(List.of(), published.conflicts, summary + ": publications");
      Map<String, Map<Integer, Integer>> acknowledged = published.snapshot();
      assertEquals(Map.of(1, probeRevision), acknowledged.get(probeId), summary + ": the probe's edit was published once, at the revision its reply gave");
      Resilience.assertConsistent(summary, INITIAL, history, revision, text, acknowledged, clients, Map.of(probeId, 1));
    } finally {
      editing.set(false);
      editor.join(5_000);
    }
  }

  /** Starts the cluster again and waits until it accepts connections. */
  private static void startPostgres() throws Exception {
    postgres.start();
    if (!postgres.ready()) {
      throw new IllegalStateException("PostgreSQL did not come back");
    }
  }
}
