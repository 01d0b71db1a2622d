package org.convene.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.common.Config;
import org.convene.store.Database;
import org.convene.testing.TestServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The log as an operator reads it, from the server started as `java -jar` starts it: one line per
 * event, as text or JSON (LOG_FORMAT), and no token, email or client address at the default level
 * even when requests carry them.
 */
class LoggingTest {
  private static final Pattern LISTENING = Pattern.compile("Convene listening on port (\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @ParameterizedTest
  @ValueSource(strings = {"text", "json"})
  void oneLinePerEventAndNoSecretsOrAddresses(String format) throws Exception {
    String databaseUrl = TestServer.freshDatabaseUrl();
    String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "org.convene.app.Main")
        .redirectErrorStream(true);
    pb.environment().put("PORT", "0");
    pb.environment().put("DATABASE_URL", databaseUrl);
    pb.environment().put("LOG_FORMAT", format);
    Process server = pb.start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException ignored) {
        // the process ended
      }
    });
    reader.start();
    try {
      int port = awaitPort(server, lines);
      String base = "http://127.0.0.1:" + port;
      HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/manifestos"))
          .header("Content-Type", "application/json")
          .header("X-Forwarded-For", "198.51.100.77")
          .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("title", "Log").put("text", "amal@example.org").encode()))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), created.body());
      JsonObject body = new JsonObject(created.body());
      String id = body.getString("id");
      String admin = body.getJsonObject("tokens").getString("admin");
      String viewer = body.getJsonObject("tokens").getString("viewer");
      HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/manifestos/" + id + "?token=" + viewer))
          .header("Authorization", "Bearer " + admin).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(read.headers().firstValue("X-Request-Id").isPresent(), "every answer names its request");
      HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/nothing-here")).GET().build(), HttpResponse.BodyHandlers.ofString());
      // A signature without SMTP: its mail (confirm and withdraw links) is noted, never written out.
      assertEquals(201, post(base + "/api/manifestos/" + id + "/versions", admin, new JsonObject().put("name", "One")).statusCode());
      assertEquals(200, post(base + "/api/manifestos/" + id + "/versions/1/publish", admin, new JsonObject()).statusCode());
      HttpResponse<String> signed = post(base + "/api/manifestos/" + id + "/signatures", null, new JsonObject()
          .put("name", "Amal Haddad").put("email", "amal.signer@example.org").put("country", "FR").put("display", "full"));
      assertEquals(202, signed.statusCode(), signed.body());
      org.convene.testing.Wait.until(20, () -> lines.stream().anyMatch(l -> l.contains("mail not sent")), () -> String.join("\n", lines));
      // SIGTERM as an operator's `kill` sends it: the stop is logged too. (Process.destroy() is not
      // used: on this JDK the child it stops does not run its shutdown hooks.)
      assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(server.pid())).start().waitFor());
      assertTrue(server.waitFor(30, TimeUnit.SECONDS));
      reader.join(5_000);

      assertTrue(lines.stream().anyMatch(l -> l.contains("stopping")), "exit " + server.exitValue() + "\n" + String.join("\n", lines));
      for (String line : lines) {
        for (String secret : List.of(admin, viewer, "amal@example.org", "amal.signer@example.org", "token=", "198.51.100.77",
            "127.0.0.1")) {
          assertFalse(line.contains(secret), "the log holds '" + secret + "': " + line);
        }
        if (format.equals("json")) {
          JsonObject event = new JsonObject(line); // throws unless the line is one JSON object
          assertTrue(event.containsKey("level") && event.containsKey("message") && event.containsKey("loggerName"), line);
        } else {
          assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (INFO |WARN |ERROR|DEBUG|TRACE) .*"),
              "one event per line, each with its time and level: " + line);
        }
      }
    } finally {
      server.destroyForcibly();
      Database.drop(Config.fromEnv(java.util.Map.of("DATABASE_URL", databaseUrl)).pgConnectOptions());
    }
  }

  private static HttpResponse<String> post(String url, String token, JsonObject body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @org.junit.jupiter.api.Test
  void anUnknownFormatStopsTheServerNamingTheVariable() {
    org.convene.common.ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(
        org.convene.common.ConfigException.class, () -> Config.fromEnv(java.util.Map.of("LOG_FORMAT", "xml")));
    assertTrue(e.getMessage().contains("LOG_FORMAT") && e.getMessage().contains("text or json"), e.getMessage());
    assertEquals(Config.LogFormat.JSON, Config.fromEnv(java.util.Map.of("LOG_FORMAT", " JSON ")).logFormat());
    assertEquals(Config.LogFormat.TEXT, Config.fromEnv(java.util.Map.of()).logFormat());
  }

  private static int awaitPort(Process server, List<String> lines) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      for (String line : lines) {
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      if (!server.isAlive()) {
        throw new AssertionError("the server exited with " + server.exitValue() + ":\n" + String.join("\n", lines));
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the server did not say where it listens:\n" + String.join("\n", lines));
  }
}
