package org.convene.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The live count under load, listening only: N bridge clients register without a token on
 * {@code manifesto.signatures.<id>} while another process (wrk) signs. Each message's arrival is
 * noted with the count it carries; afterwards the lag of count k is its arrival minus the time the
 * k-th counted signature was stored ({@code confirmed_at}, same machine, same clock).
 *
 * <p>It shares the machine's cores with the server, so it does as little as a client can: two event
 * loops, the count read from each frame's bytes (no string, no JSON), one timer per event loop that
 * pings a slice of the clients each time (every client every {@code PING_SECONDS}, as the official
 * client pings every 5 s), and no SockJS {@code /info} request.
 *
 * <p>Usage: {@code LiveCountBench port manifestoId clients seconds jdbcUrl [raw|sockjs]}: the bridge's
 * raw WebSocket endpoint, or SockJS's WebSocket transport as browsers use it (frames {@code a["..."]});
 * prints "listening" once every client is registered.
 */
public final class LiveCountBench {
  private static final byte[] CONFIRMED = "confirmed".getBytes(StandardCharsets.US_ASCII);
  private static final int PING_SECONDS = 10;
  private static final int SLICES = 100;

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String id = args[1];
    int clients = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String jdbc = args[4];
    boolean sockJs = args.length > 5 && args[5].equals("sockjs");
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    int[] counts = new int[clients * (seconds + 30)];
    long[] arrivals = new long[counts.length];
    AtomicInteger messages = new AtomicInteger();
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 10));
    String register = "{\"type\":\"register\",\"address\":\"manifesto.signatures." + id + "\"}";
    String ping = "{\"type\":\"ping\"}";
    if (sockJs) {
      register = "[\"" + register.replace("\"", "\\\"") + "\"]";
      ping = "[\"" + ping.replace("\"", "\\\"") + "\"]";
    }
    String registerFrame = register;
    List<WebSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Future<?>> opening = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      String uri = sockJs ? "/eventbus/" + (i % 1000) + "/l" + i + "/websocket" : "/eventbus/websocket";
      opening.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri))
          .onSuccess(socket -> {
            socket.handler(frame -> {
              int count = confirmed(frame);
              if (count >= 0) {
                int at = messages.getAndIncrement();
                if (at < counts.length) {
                  counts[at] = count;
                  arrivals[at] = System.currentTimeMillis();
                }
              }
            });
            socket.writeTextMessage(registerFrame);
            sockets.add(socket);
          }));
      if (i % 200 == 199) {
        Future.join(opening).await(60, TimeUnit.SECONDS);
      }
    }
    Future.join(opening).await(120, TimeUnit.SECONDS);
    long connected = opening.stream().filter(Future::succeeded).count();
    String pingFrame = ping;
    int[] tick = {0};
    vertx.setPeriodic(PING_SECONDS * 1000L / SLICES, t -> {
      int slice = tick[0]++ % SLICES;
      synchronized (sockets) {
        for (int i = slice; i < sockets.size(); i += SLICES) {
          sockets.get(i).writeTextMessage(pingFrame);
        }
      }
    });
    System.out.println("listening: " + connected + " of " + clients + " clients registered ("
        + (sockJs ? "SockJS WebSocket transport" : "raw WebSocket endpoint") + ")");
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds + 25)); // past the warm-up and the signers' end, however slow the start
    int received = Math.min(messages.get(), counts.length);
    vertx.close().await(30, TimeUnit.SECONDS);

    List<Long> stored = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(jdbc, "postgres", null);
         PreparedStatement q = c.prepareStatement("SELECT (extract(epoch FROM confirmed_at) * 1000)::bigint FROM signatures "
             + "WHERE manifesto_id = ? AND state = 'confirmed' ORDER BY confirmed_at, id")) {
      q.setString(1, id);
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          stored.add(r.getLong(1));
        }
      }
    }
    Histogram lag = new Histogram();
    for (int i = 0; i < received; i++) {
      int k = counts[i];
      if (k > 0 && k <= stored.size()) {
        lag.record(Math.max(0, arrivals[i] - stored.get(k - 1)) * 1000);
      }
    }
    System.out.printf("count messages received: %d (%.1f per client); lag from storing the k-th signature to a client "
            + "seeing count k: p50 %.0f ms, p99 %.0f ms, max %.0f ms; %d signatures stored%n", received,
        received / (double) connected, lag.percentileMicros(0.50) / 1000, lag.percentileMicros(0.99) / 1000,
        lag.maxMicros() / 1000.0, stored.size());
    seenByAll(counts, arrivals, received, stored);
  }

  /**
   * The other side of the lag: for each signature, how long until every page had a count that
   * includes it (the last arrival of the first count at or above its rank, less its storing). The
   * lag above is each message's freshness; this is each change's wait, which the contract's "at most
   * once a second" bounds below by up to a second for a change made just after a publication.
   */
  static void seenByAll(int[] counts, long[] arrivals, int received, List<Long> stored) {
    java.util.TreeMap<Integer, Long> lastArrival = new java.util.TreeMap<>();
    for (int i = 0; i < received; i++) {
      lastArrival.merge(counts[i], arrivals[i], Math::max);
    }
    Histogram wait = new Histogram();
    int unseen = 0;
    for (int k = 1; k <= stored.size(); k++) {
      var shown = lastArrival.ceilingEntry(k);
      if (shown == null) {
        unseen++;
      } else {
        wait.record(Math.max(0, shown.getValue() - stored.get(k - 1)) * 1000);
      }
    }
    System.out.printf("wait from storing a signature to every page having a count that includes it: p50 %.0f ms, "
            + "p99 %.0f ms, max %.0f ms (%d signatures never shown)%n", wait.percentileMicros(0.50) / 1000,
        wait.percentileMicros(0.99) / 1000, wait.maxMicros() / 1000.0, unseen);
  }

  /**
   * The number after {@code confirmed":} (or SockJS's escaped {@code confirmed\":}) in a frame, or -1:
   * read from the bytes, since a string and a parse per frame would make this process the bottleneck.
   */
  static int confirmed(Buffer frame) {
    int n = frame.length();
    outer:
    for (int i = 0; i + CONFIRMED.length < n; i++) {
      for (int j = 0; j < CONFIRMED.length; j++) {
        if (frame.getByte(i + j) != CONFIRMED[j]) {
          continue outer;
        }
      }
      int at = i + CONFIRMED.length;
      while (at < n && (frame.getByte(at) == '"' || frame.getByte(at) == '\\' || frame.getByte(at) == ':')) {
        at++;
      }
      int value = 0;
      int digits = 0;
      while (at < n && frame.getByte(at) >= '0' && frame.getByte(at) <= '9') {
        value = value * 10 + (frame.getByte(at++) - '0');
        digits++;
      }
      return digits > 0 ? value : -1;
    }
    return -1;
  }
}
