package org.convene.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live count under load, listening only: N bridge clients register without a token on
 * {@code manifesto.signatures.<id>} while another process (wrk) signs. Each message's arrival is
 * noted with the count it carries; afterwards the lag of count k is its arrival minus the time the
 * k-th counted signature was stored ({@code confirmed_at}, same machine, same clock).
 *
 * <p>Usage: {@code LiveCountBench port manifestoId clients seconds jdbcUrl}; prints "listening" once
 * every client is registered.
 */
public final class LiveCountBench {
  private static final Pattern CONFIRMED = Pattern.compile("\"confirmed\":(\\d+)");

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String id = args[1];
    int clients = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    String jdbc = args[4];
    Vertx vertx = Vertx.vertx();
    int[] counts = new int[clients * (seconds + 30)];
    long[] arrivals = new long[counts.length];
    AtomicInteger messages = new AtomicInteger();
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 10));
    String register = "{\"type\":\"register\",\"address\":\"manifesto.signatures." + id + "\"}";
    List<Future<?>> opening = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      opening.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
          .onSuccess(socket -> {
            java.util.function.Consumer<String> heard = text -> {
              Matcher m = CONFIRMED.matcher(text);
              if (m.find()) {
                int at = messages.getAndIncrement();
                if (at < counts.length) {
                  counts[at] = Integer.parseInt(m.group(1));
                  arrivals[at] = System.currentTimeMillis();
                }
              }
            };
            socket.textMessageHandler(heard::accept);
            socket.binaryMessageHandler(b -> heard.accept(b.toString()));
            socket.writeTextMessage(register);
            vertx.setPeriodic(10_000, t -> socket.writeTextMessage("{\"type\":\"ping\"}"));
          }));
      if (i % 200 == 199) {
        Future.join(opening).await(60, TimeUnit.SECONDS);
      }
    }
    Future.join(opening).await(120, TimeUnit.SECONDS);
    long connected = opening.stream().filter(Future::succeeded).count();
    System.out.println("listening: " + connected + " of " + clients + " clients registered");
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds + 5));
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
  }
}
