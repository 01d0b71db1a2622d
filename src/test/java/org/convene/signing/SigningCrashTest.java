package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.convene.store.Database;
import org.convene.testing.ServerProcess;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server as its own process, killed with SIGKILL during a burst of signatures, then started again
 * on the same database: every acknowledged signature is there, and every pending one gets its mail
 * (a message sent just before the kill may come twice, then with the same Message-ID).
 */
class SigningCrashTest {
  static final Path LOG = Path.of("target", "SigningCrashTest-server-output.txt");
  static HttpClient http;
  static int port;
  static String databaseUrl;
  static GreenMail mail;
  static Process server;

  @BeforeAll
  static void setUp() throws Exception {
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    databaseUrl = TestServer.freshDatabaseUrl();
    mail = Signatures.startMail();
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
      mail.stop();
    } finally {
      Database.drop(PgConnectOptions.fromUri(databaseUrl));
    }
  }

  @Test
  void aKilledServerLosesNoAcknowledgedSignatureAndNoMail() throws Exception {
    server = start();
    JsonObject created = new JsonObject(send("POST", "/api/manifestos", null,
        new JsonObject().put("title", "Crash").put("text", "We sign.")).body());
    String id = created.getString("id");
    String admin = created.getJsonObject("tokens").getString("admin");
    assertEquals(201, send("POST", "/api/manifestos/" + id + "/versions", admin, new JsonObject().put("name", "One")).statusCode());
    assertEquals(200, send("POST", "/api/manifestos/" + id + "/versions/1/publish", admin, new JsonObject()).statusCode());
    JsonObject unlimited = new JsonObject().put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0));
    assertEquals(200, send("PUT", "/api/manifestos/" + id + "/signing", admin, unlimited).statusCode());

    // With email: pending signatures and their mail.
    List<String> pending = burstThenKill(id, 202, "p");
    server = start();
    for (String email : pending) {
      Wait.until(90, () -> !forRecipient(email).isEmpty(), () -> "the mail to " + email + " after the restart");
    }
    int twice = 0;
    for (String email : pending) {
      List<MimeMessage> got = forRecipient(email);
      Set<String> ids = new HashSet<>();
      for (MimeMessage m : got) {
        ids.add(m.getMessageID());
      }
      assertEquals(1, ids.size(), email + " got different messages: " + ids);
      twice += got.size() > 1 ? 1 : 0;
    }
    System.out.println("SigningCrashTest: " + pending.size() + " pending signatures acknowledged before the kill, "
        + twice + " mail(s) sent twice (same Message-ID)");

    // Without email: counted at once.
    assertEquals(200, send("PUT", "/api/manifestos/" + id + "/signing", admin,
        unlimited.copy().put("requireEmail", false)).statusCode());
    List<String> counted = burstThenKill(id, 201, "c");
    server = start();
    long confirmed = new JsonObject(send("GET", "/api/manifestos/" + id + "/signatures/count", null, null).body())
        .getLong("confirmed");
    assertTrue(confirmed >= counted.size(), confirmed + " counted, " + counted.size() + " acknowledged");
    String export = send("GET", "/api/manifestos/" + id + "/signatures/export.csv", admin, null).body();
    for (String email : counted) {
      assertTrue(export.contains("\"" + email + "\""), email + " was acknowledged and must be in the export");
    }
  }

  private static List<MimeMessage> forRecipient(String email) {
    List<MimeMessage> out = new ArrayList<>();
    for (MimeMessage m : mail.getReceivedMessages()) {
      try {
        if (m.getAllRecipients()[0].toString().equals(email)) {
          out.add(m);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Four writers sign until the server dies; it is killed once 120 signatures were acknowledged. */
  private static List<String> burstThenKill(String id, int expected, String prefix) throws Exception {
    ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    AtomicInteger next = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      Thread t = new Thread(() -> {
        while (true) {
          String email = prefix + next.incrementAndGet() + "@crash.example.org";
          try {
            HttpResponse<String> r = send("POST", "/api/manifestos/" + id + "/signatures", null,
                Signatures.signer("Signer " + email, email, "FR", "full"));
            if (r.statusCode() == expected) {
              acked.add(email);
            } else {
              throw new AssertionError(r.statusCode() + " " + r.body());
            }
          } catch (IOException | InterruptedException gone) {
            return; // the server died under this request: not acknowledged
          }
        }
      });
      t.start();
      writers.add(t);
    }
    Wait.until(60, () -> acked.size() >= 120, () -> "120 acknowledged signatures");
    server.destroyForcibly(); // SIGKILL on Linux
    assertTrue(server.waitFor(10, TimeUnit.SECONDS));
    assertEquals(137, server.exitValue(), "killed by SIGKILL");
    for (Thread t : writers) {
      t.join(30_000);
    }
    return new ArrayList<>(acked);
  }

  private static Process start() throws Exception {
    Map<String, String> env = new java.util.HashMap<>(Signatures.env(mail));
    env.put("PORT", Integer.toString(port));
    env.put("DATABASE_URL", databaseUrl);
    return ServerProcess.start(env, LOG).process();
  }


  private static HttpResponse<String> send(String method, String path, String bearer, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      r.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      r.header("Authorization", "Bearer " + bearer);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }
}
