package org.convene.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A PostgreSQL cluster of a test's own (initdb + pg_ctl from /usr/lib/postgresql/N/bin) in a temporary
 * directory, on a free port of 127.0.0.1: a test may stop and start it without touching the machine's
 * server or anyone else's databases. Run as the {@code postgres} user when the tests run as root (initdb
 * refuses root). Registered as an extension it starts before the class and is stopped and deleted
 * after it; register it before the {@link TestServer} that uses it (with {@code @Order}), so the server
 * (which drops its database on close) closes first.
 */
public final class ThrowawayPostgres implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
  private final Path bin;
  private final int port;
  private Path dir;

  private ThrowawayPostgres(Path bin, int port) {
    this.bin = bin;
    this.port = port;
  }

  /** Chooses the binaries and a free port now (so the database URL is known); starts in beforeAll. */
  public static ThrowawayPostgres create() {
    File[] versions = new File("/usr/lib/postgresql").listFiles(f -> new File(f, "bin/initdb").canExecute());
    if (versions == null || versions.length == 0) {
      throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin");
    }
    File newest = Arrays.stream(versions).max(Comparator.comparingInt(f -> versionOf(f.getName()))).orElseThrow();
    try (ServerSocket s = new ServerSocket(0)) {
      return new ThrowawayPostgres(newest.toPath().resolve("bin"), s.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Where databases live, for DATABASE_URL: add a database name. */
  public String baseUrl() {
    return "postgresql://postgres@127.0.0.1:" + port + "/";
  }

  public int port() {
    return port;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    dir = Files.createTempDirectory("convene-pg-");
    if (asRoot()) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    run(60, bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-A", "trust",
        "--no-sync", "-E", "UTF8", "--locale=C");
    start();
  }

  /** Starts the cluster and waits until it accepts connections. */
  public void start() throws Exception {
    run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-l", dir.resolve("log").toString(),
        "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
  }

  /** Stops the cluster ("fast": open connections are cut, as in a real outage) and waits until it is down. */
  public void stop() throws Exception {
    run(60, bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop");
  }

  public boolean ready() {
    try {
      Process p = new ProcessBuilder(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  @Override
  public void close() throws Exception {
    if (dir == null) {
      return;
    }
    try {
      if (ready()) {
        stop();
      }
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
      dir = null;
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void run(int seconds, String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (asRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", full) + " did not finish in " + seconds + " s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", full) + " exited with " + p.exitValue() + ": " + out);
    }
  }
}
