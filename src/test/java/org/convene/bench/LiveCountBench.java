package org.convene.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live count under load, from its own process: N bridge clients register without a token on
 * {@code manifesto.signatures.<id>}, while signers post signatures (requireEmail:false) as fast as
 * C connections allow. For each count a client receives, the lag is the time since the signature
 * that brought the count to that value was acknowledged (the k-th acknowledgement for count k).
 *
 * <p>Usage: {@code LiveCountBench port clients signers seconds} against a running server.
 */
public final class LiveCountBench {
  private static final Pattern CONFIRMED = Pattern.compile("\"confirmed\":(\\d+)");

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int clients = Integer.parseInt(args[1]);
    int signers = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    Vertx vertx = Vertx.vertx();
    WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(signers));
    JsonObject created = http.post("/api/manifestos").sendJsonObject(new JsonObject().put("title", "Live").put("text", "Text."))
        .await(30, TimeUnit.SECONDS).bodyAsJsonObject();
    String id = created.getString("id");
    String admin = created.getJsonObject("tokens").getString("admin");
    http.post("/api/manifestos/" + id + "/versions").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject().put("name", "One")).await(30, TimeUnit.SECONDS);
    http.post("/api/manifestos/" + id + "/versions/1/publish").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject()).await(30, TimeUnit.SECONDS);
    http.put("/api/manifestos/" + id + "/signing").bearerTokenAuthentication(admin)
        .sendJsonObject(new JsonObject().put("requireEmail", false)
            .put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0)))
        .await(30, TimeUnit.SECONDS);

    int maxAcks = 10_000_000;
    AtomicLongArray acked = new AtomicLongArray(maxAcks + 1);
    AtomicInteger acks = new AtomicInteger();
    Histogram lag = new Histogram();
    AtomicInteger messages = new AtomicInteger();
    AtomicInteger connected = new AtomicInteger();
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(clients + 10));
    String register = "{\"type\":\"register\",\"address\":\"manifesto.signatures." + id + "\"}";
    List<Future<?>> opening = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      opening.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/eventbus/websocket"))
          .onSuccess(socket -> {
            connected.incrementAndGet();
            socket.textMessageHandler(text -> received(text, acked, acks, lag, messages));
            socket.binaryMessageHandler(b -> received(b.toString(), acked, acks, lag, messages));
            socket.writeTextMessage(register);
            vertx.setPeriodic(10_000, t -> socket.writeTextMessage("{\"type\":\"ping\"}"));
          }));
      if (i % 200 == 199) {
        Future.join(opening).await(60, TimeUnit.SECONDS);
      }
    }
    Future.join(opening).await(120, TimeUnit.SECONDS);
    System.out.println("clients connected: " + connected.get() + " of " + clients);
    Thread.sleep(1000);

    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    List<Future<Void>> loops = new ArrayList<>();
    for (int c = 0; c < signers; c++) {
      io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
      loops.add(done.future());
      vertx.runOnContext(v -> sign(http, id, next, end, acked, acks, failed, done));
    }
    Future.join(loops).await(seconds + 60L, TimeUnit.SECONDS);
    Thread.sleep(3000); // the last counts arrive
    synchronized (lag) {
      System.out.printf("signatures acknowledged: %d in %d s (%.0f/s), failed %d%n", acks.get(), seconds,
          acks.get() / (double) seconds, failed.get());
      System.out.printf("count messages received: %d; lag from acknowledgement to each client: p50 %.0f ms, "
          + "p99 %.0f ms, max %.0f ms%n", messages.get(), lag.percentileMicros(0.50) / 1000,
          lag.percentileMicros(0.99) / 1000, lag.maxMicros() / 1000.0);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static void sign(WebClient http, String id, AtomicInteger next, long end, AtomicLongArray acked,
      AtomicInteger acks, AtomicInteger failed, io.vertx.core.Promise<Void> done) {
    if (System.nanoTime() > end) {
      done.complete();
      return;
    }
    int n = next.incrementAndGet();
    http.post("/api/manifestos/" + id + "/signatures").sendJsonObject(new JsonObject().put("name", "Live " + n)
            .put("email", "live" + n + "@bench.example.org").put("country", "FR").put("display", "full"))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().statusCode() == 201) {
            int k = acks.incrementAndGet();
            if (k < acked.length()) {
              acked.set(k, System.nanoTime());
            }
          } else {
            failed.incrementAndGet();
          }
          sign(http, id, next, end, acked, acks, failed, done);
        });
  }

  private static void received(String text, AtomicLongArray acked, AtomicInteger acks, Histogram lag,
      AtomicInteger messages) {
    Matcher m = CONFIRMED.matcher(text);
    if (!m.find()) {
      return;
    }
    long now = System.nanoTime();
    int count = Integer.parseInt(m.group(1));
    messages.incrementAndGet();
    if (count > 0 && count <= acks.get()) {
      long at = acked.get(count);
      if (at > 0) {
        synchronized (lag) {
          lag.recordNanos(now - at);
        }
      }
    }
  }
}
