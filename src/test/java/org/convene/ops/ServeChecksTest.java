package org.convene.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `bin/serve --check`: what a newcomer meets before anything is built. Each missing tool or unusable
 * database gets one sentence saying what to do, and a non-zero exit.
 */
class ServeChecksTest {
  @TempDir
  Path dir;

  record Run(int exit, String output) {}

  static Run serve(Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", new File("bin", "serve").getAbsolutePath(), "--check").redirectErrorStream(true);
    pb.environment().remove("DATABASE_URL");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/serve --check did not finish");
    return new Run(p.exitValue(), out.strip());
  }

  /** A PATH holding every command of this machine's but one. */
  Path pathWithout(String hidden) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin-without-" + hidden));
    for (String d : System.getenv("PATH").split(File.pathSeparator)) {
      Path source = Path.of(d);
      if (!Files.isDirectory(source)) {
        continue;
      }
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.toList()) {
          Path link = bin.resolve(f.getFileName().toString());
          if (!f.getFileName().toString().equals(hidden) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
              && Files.isExecutable(f)) {
            Files.createSymbolicLink(link, f.toRealPath());
          }
        }
      }
    }
    return bin;
  }

  @Test
  void aMachineWithEverythingIsReady() throws Exception {
    Run run = serve(Map.of());
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().endsWith("are ready"), run.output());
  }

  @ParameterizedTest
  @CsvSource({"java, openjdk-17-jdk-headless", "mvn, apt-get install maven", "node, apt-get install nodejs"})
  void aMissingToolIsNamedWithItsPackage(String tool, String advice) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", pathWithout(tool).toString());
    Run run = serve(env);
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().startsWith("bin/serve: " + tool + " is missing"), run.output());
    assertTrue(run.output().contains(advice), run.output());
  }

  @Test
  void aDatabaseUrlThatIsNotPostgresStopsWithTheExpectedShape() throws Exception {
    Run run = serve(Map.of("DATABASE_URL", "mysql://root:hunter2@db/convene"));
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().contains("DATABASE_URL must look like postgresql://"), run.output());
    assertFalse(run.output().contains("hunter2"), "the password is never printed: " + run.output());
  }

  @Test
  void aPostgresThatDoesNotAnswerIsNamedWithoutItsPassword() throws Exception {
    // Port 1 on loopback: nothing listens there, and it is not the local cluster this script may start.
    Run run = serve(Map.of("DATABASE_URL", "postgresql://convene:hunter2@127.0.0.1:1/convene"));
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().contains("PostgreSQL at 127.0.0.1:1 (DATABASE_URL) is not answering"), run.output());
    assertFalse(run.output().contains("hunter2"), run.output());
  }
}
