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
    return pathWithout(hidden, name -> name.equals(hidden));
  }

  /** A PATH holding this machine's commands but those {@code hidden} names, in a folder a test may add to. */
  Path pathWithout(String label, java.util.function.Predicate<String> hidden) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin-without-" + label));
    for (String d : System.getenv("PATH").split(File.pathSeparator)) {
      Path source = Path.of(d);
      if (!Files.isDirectory(source)) {
        continue;
      }
      try (Stream<Path> files = Files.list(source)) {
        for (Path f : files.toList()) {
          Path link = bin.resolve(f.getFileName().toString());
          if (!hidden.test(f.getFileName().toString()) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
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

  // PostgreSQL missing or down: a PATH without its commands (and with a fake `id`, `apt-get` and cluster
  // tools where a case needs them), and PG_CLUSTER_CONF_ROOT, which Debian's own tools read too, pointing
  // at a folder of the test's instead of /etc/postgresql.

  static final String NOT_INSTALLED = "PostgreSQL is not installed: install it (Debian/Ubuntu: sudo apt-get install postgresql),"
      + " or set DATABASE_URL to a server you have";

  static boolean postgresOrSetUp(String name) {
    return name.startsWith("pg_") || name.startsWith("postgres") || name.equals("psql") || name.equals("id")
        || name.equals("apt-get");
  }

  static void script(Path folder, String name, String body) throws Exception {
    Path file = Files.createDirectories(folder).resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    assertTrue(file.toFile().setExecutable(true));
  }

  /** A machine without PostgreSQL, as user {@code uid}; its cluster tools, once "installed", go to {@code staged}. */
  Map<String, String> machineWithoutPostgres(int uid) throws Exception {
    Path bin = pathWithout("postgres", ServeChecksTest::postgresOrSetUp);
    script(bin, "id", "[ \"$1\" = -u ] && echo " + uid);
    Path staged = dir.resolve("staged");
    script(staged, "pg_ctlcluster", "echo \"$*\" >> " + dir.resolve("pg_ctlcluster.args")
        + "\ncase \"$*\" in *start) touch " + dir.resolve("started") + " ;; esac");
    script(staged, "pg_isready", "[ -e " + dir.resolve("started") + " ]");
    return new HashMap<>(Map.of("PATH", bin.toString(), "PG_CLUSTER_CONF_ROOT", dir.resolve("etc-postgresql").toString()));
  }

  /** An apt-get that records its arguments and, asked to install, puts PostgreSQL's fakes in place. */
  void fakeAptGet(Map<String, String> env, String onInstall) throws Exception {
    Path conf = Path.of(env.get("PG_CLUSTER_CONF_ROOT"), "15", "main");
    script(Path.of(env.get("PATH")), "apt-get", "echo \"$DEBIAN_FRONTEND $*\" >> " + dir.resolve("apt-get.args")
        + "\n[ \"$1\" = install ] || exit 0\n" + onInstall.replace("$STAGED", dir.resolve("staged").toString())
            .replace("$BIN", env.get("PATH")).replace("$CONF", conf.toString()));
  }

  String recorded(String file) throws Exception {
    Path f = dir.resolve(file);
    return Files.exists(f) ? Files.readString(f).strip() : "";
  }

  @Test
  void withoutPostgresAndNotRootItSaysWhatToInstall() throws Exception {
    Map<String, String> env = machineWithoutPostgres(1000);
    fakeAptGet(env, "exit 0");
    Run run = serve(env);
    assertEquals(1, run.exit(), run.output());
    assertEquals(NOT_INSTALLED, run.output());
    assertEquals("", recorded("apt-get.args"), "nothing is installed by a user who cannot");
  }

  @Test
  void withoutPostgresAndWithoutAptGetItSaysWhatToInstall() throws Exception {
    Run run = serve(machineWithoutPostgres(0));
    assertEquals(1, run.exit(), run.output());
    assertEquals(NOT_INSTALLED, run.output());
  }

  @Test
  void withoutPostgresAsRootItInstallsDebiansPackageStartsItAndGoesOn() throws Exception {
    Map<String, String> env = machineWithoutPostgres(0);
    fakeAptGet(env, "cp $STAGED/* $BIN/ && mkdir -p $CONF && echo 'local all postgres peer' > $CONF/pg_hba.conf");
    Run run = serve(env);
    assertEquals(0, run.exit(), run.output());
    assertEquals("noninteractive update -qq\nnoninteractive install -y -qq postgresql", recorded("apt-get.args"));
    assertTrue(run.output().contains("Installed PostgreSQL 15"), run.output());
    assertEquals("--skip-systemctl-redirect 15 main reload\n--skip-systemctl-redirect 15 main start", recorded("pg_ctlcluster.args"));
    String hba = Files.readString(Path.of(env.get("PG_CLUSTER_CONF_ROOT"), "15", "main", "pg_hba.conf"));
    assertTrue(hba.startsWith("host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\nlocal all postgres peer"), hba);
    assertTrue(run.output().endsWith("are ready"), "bin/serve goes on: " + run.output());
  }

  @Test
  void aFailedInstallIsSaidInOneSentence() throws Exception {
    Map<String, String> env = machineWithoutPostgres(0);
    fakeAptGet(env, "echo 'E: Unable to locate package postgresql' >&2; exit 100");
    Run run = serve(env);
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().endsWith("PostgreSQL could not be installed (apt-get failed, above): install the postgresql"
        + " package yourself, or set DATABASE_URL to a server you have"), run.output());
  }

  /** PostgreSQL 15 installed, its cluster down. */
  Map<String, String> machineWithPostgresDown() throws Exception {
    Map<String, String> env = machineWithoutPostgres(1000);
    fakeAptGet(env, "exit 0");
    Path bin = Path.of(env.get("PATH"));
    for (String tool : new String[] {"pg_ctlcluster", "pg_isready"}) {
      assertTrue(Files.copy(dir.resolve("staged").resolve(tool), bin.resolve(tool)).toFile().setExecutable(true));
    }
    Files.createDirectories(Path.of(env.get("PG_CLUSTER_CONF_ROOT"), "15", "main"));
    return env;
  }

  @Test
  void aClusterThatCannotStartStopsAtOnceNamingItsLog() throws Exception {
    Map<String, String> env = machineWithPostgresDown();
    script(Path.of(env.get("PATH")), "pg_ctlcluster", "echo 'FATAL:  could not create any TCP/IP sockets' >&2; exit 1");
    Run run = serve(env);
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().endsWith("PostgreSQL did not start on 127.0.0.1:5432: see /var/log/postgresql/postgresql-15-main.log,"
        + " or set DATABASE_URL to a server you have"), run.output());
  }

  @Test
  void aPortHeldByAnotherProgramIsSaid() throws Exception {
    // As seen on a bare Debian: the cluster started on ::1 and its socket, but 127.0.0.1:5432 was taken.
    Map<String, String> env = machineWithPostgresDown();
    script(Path.of(env.get("PATH")), "pg_isready", "case \"$*\" in *-h*) exit 2 ;; esac\n[ -e " + dir.resolve("started") + " ]");
    Run run = serve(env);
    assertEquals(1, run.exit(), run.output());
    assertTrue(run.output().endsWith("PostgreSQL 15/main started, but another program holds 127.0.0.1:5432: stop that program,"
        + " or set DATABASE_URL to a server you have"), run.output());
  }

  @Test
  void anInstalledClusterThatIsDownIsStarted() throws Exception {
    Map<String, String> env = machineWithPostgresDown();
    Run run = serve(env);
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().startsWith("PostgreSQL is down; starting cluster 15/main"), run.output());
    assertEquals("--skip-systemctl-redirect 15 main start", recorded("pg_ctlcluster.args"));
    assertEquals("", recorded("apt-get.args"));
  }
}
