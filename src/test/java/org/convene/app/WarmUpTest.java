package org.convene.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.collab.CollabVerticle;
import org.convene.common.Config;
import org.convene.common.ConfigException;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Start-up's warm-up (WARMUP_SECONDS): it types on a throw-away document before the server listens,
 * and leaves nothing in the database.
 */
class WarmUpTest {
  private static final Pattern DONE = Pattern.compile("warm-up: (\\d+) edits by \\d+ authors .* \\((\\d+) refused\\)");
  private static final List<String> TABLES = List.of("manifestos", "documents", "snapshots", "ops", "clients");

  /** The collab verticle's log lines, each with the time it was written (System.nanoTime). */
  private final List<Map.Entry<Long, String>> lines = new CopyOnWriteArrayList<>();
  private final Logger collabLog = Logger.getLogger(CollabVerticle.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      lines.add(Map.entry(System.nanoTime(), r.getMessage()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void listen() {
    App.vertxOptions(); // App's start-up wiring of java.util.logging first, then this handler
    collabLog.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    collabLog.removeHandler(capture);
  }

  @Test
  void typesOnAThrowAwayDocumentAndStoresNothing() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestServer server = TestServer.start(vertx, Map.of("WARMUP_SECONDS", "30"));
    try {
      Matcher done = DONE.matcher(String.valueOf(warmUpLine()));
      assertTrue(done.find(), "the warm-up reports what it did: " + lines);
      int edits = Integer.parseInt(done.group(1));
      int refused = Integer.parseInt(done.group(2));
      assertTrue(edits > 1_000 && refused == 0, "the warm-up's edits were applied: " + done.group());
      try (Connection db = server.jdbc()) {
        for (String table : TABLES) {
          try (ResultSet rows = db.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            assertEquals(0, rows.getInt(1), table + " holds nothing after the warm-up");
          }
        }
      }
      // The server works as before: a document created now starts at revision 0 with its own text.
      TestServer.Manifesto m = server.createManifesto("After the warm-up", "Hello");
      assertEquals("Hello", server.read(m).getString("text"));
      assertEquals(0, server.read(m).getInteger("revision"));
    } finally {
      server.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void nothingListensBeforeTheWarmUpEnds() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Vertx vertx = Vertx.vertx();
    CompletableFuture<TestServer> starting = CompletableFuture.supplyAsync(() -> {
      try {
        return TestServer.start(vertx, Map.of("PORT", Integer.toString(port), "WARMUP_SECONDS", "30"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    int refusedWhileStarting = 0;
    List<Long> accepted = new ArrayList<>();
    while (!starting.isDone()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
        accepted.add(System.nanoTime());
      } catch (IOException refused) {
        refusedWhileStarting++;
      }
      Thread.sleep(5);
    }
    TestServer server = starting.get(60, TimeUnit.SECONDS);
    try {
      Map.Entry<Long, String> done = warmUpLine();
      assertNotNull(done, "the warm-up ran: " + lines);
      long warmUpEnded = done.getKey();
      assertTrue(refusedWhileStarting > 0, "connections were tried while the server was starting");
      for (long at : accepted) {
        assertTrue(at > warmUpEnded, "a connection was accepted before the warm-up had ended");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1_000); // and it listens once started
      }
    } finally {
      server.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void zeroTurnsItOff() throws Exception {
    Vertx vertx = Vertx.vertx();
    TestServer server = TestServer.start(vertx, Map.of("WARMUP_SECONDS", "0"));
    try {
      assertNull(warmUpLine(), "no warm-up with WARMUP_SECONDS=0: " + lines);
    } finally {
      server.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theSettingIsChecked() {
    assertEquals(5, Config.fromEnv(Map.of()).warmUp().toSeconds(), "five seconds at most by default");
    for (String bad : List.of("-1", "61", "soon")) {
      ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("WARMUP_SECONDS", bad)));
      assertTrue(e.getMessage().contains("WARMUP_SECONDS"), e.getMessage());
    }
  }

  private Map.Entry<Long, String> warmUpLine() {
    return lines.stream().filter(line -> DONE.matcher(line.getValue()).find()).findFirst().orElse(null);
  }
}
