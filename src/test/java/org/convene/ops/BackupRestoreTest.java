package org.convene.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.app.App;
import org.convene.ot.TextOperation;
import org.convene.store.Database;
import org.convene.testing.BridgeClient;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/backup and bin/restore, as an operator runs them (configuration.md): a database with live
 * documents and a published version chain is backed up while the server runs, restored into a new
 * database, and a server started on it finds everything and goes on editing from the right revision.
 */
class BackupRestoreTest {
  static Vertx vertx;

  @TempDir
  Path dir;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx(App.vertxOptions());
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  record Run(int exit, String output) {}

  static Run script(String name, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(new File("bin", name).getAbsolutePath()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), name + " did not finish");
    return new Run(p.exitValue(), out);
  }

  static JsonObject json(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  @Test
  void aBackupRestoredIntoANewDatabaseServesTheSameManifestosAndEditingGoesOn() throws Exception {
    Path file = dir.resolve("convene.dump");
    TestServer source = TestServer.start(vertx);
    TestServer.Manifesto m;
    String text;
    int revision;
    JsonArray versions;
    try {
      m = source.createManifesto("بيان المهاجرين", "نحن هنا.\n");
      BridgeClient bridge = source.connect().await(20, TimeUnit.SECONDS);
      OtClient amal = OtClient.open(vertx, bridge, m.id(), m.editor(), "Amal").await(20, TimeUnit.SECONDS);
      for (String word : List.of("We ", "are ", "here.")) {
        amal.edit(TextOperation.builder().retain(amal.text().length()).insert(word).build());
        amal.whenIdle().await(20, TimeUnit.SECONDS);
      }
      String base = "/api/manifestos/" + m.id() + "/versions";
      assertEquals(201, source.http().post(base).bearerTokenAuthentication(m.admin())
          .sendJsonObject(new JsonObject().put("name", "First reading")).await(20, TimeUnit.SECONDS).statusCode());
      assertEquals(200, source.http().post(base + "/1/publish").bearerTokenAuthentication(m.admin())
          .send().await(20, TimeUnit.SECONDS).statusCode());
      amal.edit(TextOperation.builder().retain(amal.text().length()).insert(" Nous sommes ici.").build());
      amal.whenIdle().await(20, TimeUnit.SECONDS);
      assertEquals(201, source.http().post(base).bearerTokenAuthentication(m.admin())
          .sendJsonObject(new JsonObject().put("name", "Paris")).await(20, TimeUnit.SECONDS).statusCode());
      bridge.close().await(10, TimeUnit.SECONDS);

      // Backed up while the server is running, as an operator's nightly job would.
      Run backup = script("backup", Map.of("DATABASE_URL", source.config().databaseUrl()), file.toString());
      assertEquals(0, backup.exit(), backup.output());
      assertTrue(Files.size(file) > 0);

      text = source.read(m).getString("text");
      revision = source.read(m).getInteger("revision");
      versions = source.http().get(base).bearerTokenAuthentication(m.viewer()).send().await(20, TimeUnit.SECONDS).bodyAsJsonArray();
    } finally {
      source.close();
    }

    String restoredUrl = TestServer.freshDatabaseUrl();
    Map<String, String> env = Map.of("DATABASE_URL", restoredUrl);
    try {
      Run restore = script("restore", env, file.toString());
      assertEquals(0, restore.exit(), restore.output());

      TestServer restored = TestServer.start(vertx, env);
      try {
        JsonObject read = restored.read(m);
        assertEquals(text, read.getString("text"));
        assertEquals(revision, read.getInteger("revision"));
        String base = "/api/manifestos/" + m.id() + "/versions";
        assertEquals(versions, restored.http().get(base).bearerTokenAuthentication(m.viewer()).send()
            .await(20, TimeUnit.SECONDS).bodyAsJsonArray(), "the same versions, hashes and publication");
        JsonObject verified = json(restored.http().get(base + "/2/verify").bearerTokenAuthentication(m.viewer())
            .send().await(20, TimeUnit.SECONDS));
        assertEquals(true, verified.getBoolean("valid"), verified.encode());
        assertEquals(2, verified.getInteger("checked"));
        JsonObject published = json(restored.http().get("/api/manifestos/" + m.id() + "/published").send().await(20, TimeUnit.SECONDS));
        assertEquals(1, published.getInteger("number"));

        BridgeClient bridge = restored.connect().await(20, TimeUnit.SECONDS);
        OtClient leila = OtClient.open(vertx, bridge, m.id(), m.editor(), "Leila").await(20, TimeUnit.SECONDS);
        assertEquals(revision, leila.revision(), "editing resumes from the revision that was backed up");
        leila.edit(TextOperation.builder().retain(leila.text().length()).insert(" ¡Aquí estamos!").build());
        leila.whenIdle().await(20, TimeUnit.SECONDS);
        JsonObject after = restored.read(m);
        assertEquals(revision + 1, after.getInteger("revision"));
        assertEquals(text + " ¡Aquí estamos!", after.getString("text"));
        bridge.close().await(10, TimeUnit.SECONDS);
      } finally {
        restored.stopServer();
      }

      // A database that already holds tables is never overwritten by accident.
      Run again = script("restore", env, file.toString());
      assertNotEquals(0, again.exit());
      assertTrue(again.output().contains("--force"), again.output());
      Run forced = script("restore", env, "--force", file.toString());
      assertEquals(0, forced.exit(), forced.output());
    } finally {
      Database.drop(org.convene.common.Config.fromEnv(env).pgConnectOptions());
    }
  }

  @Test
  void restoreRefusesAFileThatIsNotABackupAndCreatesNothing() throws Exception {
    Path junk = dir.resolve("notes.txt");
    Files.writeString(junk, "not a dump");
    String url = TestServer.freshDatabaseUrl();
    Run run = script("restore", Map.of("DATABASE_URL", url), junk.toString());
    assertEquals(1, run.exit());
    assertTrue(run.output().contains("not a pg_dump custom-format archive"), run.output());
    Run usage = script("restore", Map.of("DATABASE_URL", url));
    assertEquals(2, usage.exit());
    assertTrue(usage.output().contains("usage: bin/restore"), usage.output());
    Run backup = script("backup", Map.of("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/no_such_db_" + System.nanoTime()),
        dir.resolve("x.dump").toString());
    assertEquals(1, backup.exit());
    assertTrue(backup.output().contains("pg_dump failed"), backup.output());
    assertTrue(!Files.exists(dir.resolve("x.dump")), "a failed backup leaves no file behind");
  }
}
