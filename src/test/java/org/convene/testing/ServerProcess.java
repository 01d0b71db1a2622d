package org.convene.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's {@code Main} in a JVM of its own (this test's class path), for tests that kill it:
 * its output appended to a log file, and started once {@code /health} answers 200.
 */
public final class ServerProcess {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern LISTENING = Pattern.compile("Convene listening on port (\\d+)");

  /** A started server: its process and the port it listens on. */
  public record Started(Process process, int port) {}

  private ServerProcess() {}

  /**
   * Starts the server with {@code env} added to this JVM's environment; {@code PORT} 0 (or absent)
   * takes the port the server logs. Fails, with the log's last lines, when the server exits or is
   * not healthy within 60 s.
   */
  public static Started start(Map<String, String> env, Path log) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), "org.convene.app.Main");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Files.writeString(log, "=== starting server at " + Instant.now() + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long logFrom = Files.size(log);
    int port = Integer.parseInt(env.getOrDefault("PORT", "0"));
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!p.isAlive()) {
        throw new AssertionError("the server exited with " + p.exitValue() + " before it was healthy; see "
            + log.toAbsolutePath() + "\n" + tail(log));
      }
      try {
        if (port == 0) {
          port = listeningPort(log, logFrom);
        }
        if (port != 0 && HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return new Started(p, port);
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new AssertionError("the server was not healthy within 60 s; see " + log.toAbsolutePath() + "\n" + tail(log));
      }
      Thread.sleep(50);
    }
  }

  /** The port in this start's "Convene listening on port N" log line, or 0 before it is written. */
  private static int listeningPort(Path log, long logFrom) throws IOException {
    byte[] all = Files.readAllBytes(log);
    int from = (int) Math.min(logFrom, all.length);
    Matcher m = LISTENING.matcher(new String(all, from, all.length - from, StandardCharsets.UTF_8));
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** The log's last 40 lines. */
  public static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
