package org.convene.resilience;

import org.convene.testing.Seed;
import static org.convene.resilience.Resilience.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convene.store.Database;
import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.ServerProcess;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server as its own process, killed with SIGKILL while three clients edit, then started again on the
 * same database: what was acknowledged survives, what was in flight is applied exactly once. Each start
 * binds port 0 and the test reads the port from the server's log (a port probed and closed beforehand
 * could be taken by anyone before the server binds it, and again while it is down); clients reconnect
 * to the new one.
 */
class ServerCrashTest {
  static final String INITIAL = "We, the undersigned 😀, hold these truths: ";
  static final Path LOG = Path.of("target", "ServerCrashTest-server-output.txt");

  static Vertx vertx;
  static HttpClient http;
  static int port;
  static String databaseUrl;
  static Process server;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    databaseUrl = TestServer.freshDatabaseUrl();
    Files.createDirectories(LOG.getParent());
    Files.deleteIfExists(LOG);
  }

  @AfterAll
  static void tearDown() throws Exception {
    try {
      if (server != null) {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
      }
    } finally {
      try {
        Database.drop(PgConnectOptions.fromUri(databaseUrl));
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aKilledServerKeepsEveryAcknowledgedEditAndAppliesNoneTwice() throws Exception {
    long seed = Seed.of("crash.seed");
    String ctx = Seed.replay("crash.seed", seed);
    Random rnd = new Random(seed);
    server = startServer();

    JsonObject created = new JsonObject(post("/api/manifestos",
        new JsonObject().put("title", "Crash").put("text", INITIAL)).body());
    String doc = created.getString("id");
    String editor = created.getJsonObject("tokens").getString("editor");
    String viewer = created.getJsonObject("tokens").getString("viewer");

    Resilience.Published published = new Resilience.Published();
    BridgeClient observer = await(BridgeClient.connect(vertx, port));
    published.listen(observer, doc, viewer);

    List<OtClient> clients = new ArrayList<>();
    List<BridgeClient> bridges = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      BridgeClient b = await(BridgeClient.connect(vertx, port));
      bridges.add(b);
      clients.add(await(OtClient.open(vertx, b, doc, editor, "writer " + i)));
    }
    List<String> ids = clients.stream().map(OtClient::clientId).toList();

    // Edit until the server has committed a good number of operations.
    long editingSince = System.nanoTime();
    while (published.size() < 150 && System.nanoTime() - editingSince < TimeUnit.SECONDS.toNanos(10)) {
      Resilience.editFor(clients, rnd, 100);
    }
    Resilience.editFor(clients, rnd, 300);
    // Every client has an edit in flight at the moment of the kill.
    for (OtClient c : clients) {
      Resilience.editOnce(c, rnd);
    }
    Thread.sleep(rnd.nextInt(3));
    long pid = server.pid();
    server.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no final snapshot
    assertTrue(server.waitFor(10, TimeUnit.SECONDS), "the server process did not die");
    assertEquals(137, server.exitValue(), "the server died of SIGKILL");
    for (OtClient c : clients) {
      c.disconnected();
    }
    long unacknowledged = clients.stream().filter(c -> !c.idle()).count();
    Map<String, Map<Integer, Integer>> beforeKill = published.snapshot();
    int publishedBeforeKill = published.size();

    // Typing goes on while the server is down; it is buffered locally.
    for (int i = 0; i < 30; i++) {
      Resilience.editOnce(clients, rnd);
    }
    Resilience.waitUntil("the clients notice the server is gone", 15,
        () -> bridges.stream().allMatch(BridgeClient::isClosed) && observer.isClosed());

    server = startServer();
    BridgeClient observer2 = await(BridgeClient.connect(vertx, port));
    published.listen(observer2, doc, viewer);
    for (OtClient c : clients) {
      BridgeClient b = await(BridgeClient.connect(vertx, port));
      bridges.add(b);
      await(c.reconnect(b));
    }
    assertEquals(ids, clients.stream().map(OtClient::clientId).toList(), ctx + ": resume keeps each clientId");

    Resilience.editFor(clients, rnd, 1000);
    Resilience.awaitIdle(clients, 30, ctx);

    JsonObject stored = read(doc, viewer);
    int revision = stored.getInteger("revision");
    String text = stored.getString("text");
    Resilience.waitUntil(15, () -> clients.stream().allMatch(c -> c.revision() == revision),
        () -> ctx + ": clients catch up to revision " + revision + ": "
            + clients.stream().map(c -> c.clientId() + "@" + c.revision()).toList());
    List<JsonObject> history = Resilience.readHistory(observer2, doc, viewer);

    String summary = ctx + " (killed pid " + pid + " with " + publishedBeforeKill + " ops published, " + unacknowledged
        + " clients with an unacknowledged edit; duplicates answered after resume: "
        + clients.stream().mapToInt(c -> c.duplicates.size()).sum() + "; final revision " + revision + ")";
    System.out.println(summary);
    for (OtClient c : clients) {
      assertEquals(List.of(), Resilience.realFailures(c), summary + ": failures of client " + c.clientId());
    }
    assertEquals(List.of(), published.conflicts, summary + ": publications");
    assertTrue(revision > publishedBeforeKill, summary + ": edits were applied after the restart");
    Resilience.assertConsistent(summary, INITIAL, history, revision, text, beforeKill, clients, Map.of());

    observer2.close();
    for (BridgeClient b : bridges) {
      b.close();
    }
  }

  /** Starts Main in its own JVM on a free port and the test's database, and waits for /health to say ok. */
  private static Process startServer() throws Exception {
    ServerProcess.Started started = ServerProcess.start(
        Map.of("PORT", "0", "DATABASE_URL", databaseUrl, "RATE_LIMIT_FRAMES", "0"), LOG);
    port = started.port();
    return started.process();
  }


  private static HttpResponse<String> get(String path, String bearer) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).GET();
    if (bearer != null) {
      r.header("Authorization", "Bearer " + bearer);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, JsonObject body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), "POST " + path + ": " + r.body());
    return r;
  }

  private static JsonObject read(String doc, String viewer) throws Exception {
    HttpResponse<String> r = get("/api/manifestos/" + doc, viewer);
    assertEquals(200, r.statusCode(), "GET /api/manifestos/" + doc + ": " + r.body());
    return new JsonObject(r.body());
  }
}
