package org.convene.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.collab.Addresses;
import org.convene.testing.TestServer;
import org.convene.versions.SyntheticHistory;
import org.convene.versions.Texts;

/**
 * Versions and history benchmark (docs/BENCHMARKS.md): opening revision r of a document with
 * 1,000,000 revisions, over HTTP against the real server and database, and diffing two versions of
 * a 100-page text. Run with bench/versions/run.sh; arguments: revisions, text length, samples.
 */
public final class VersionsBench {
  public static void main(String[] args) throws Exception {
    int revisions = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int length = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    int samples = args.length > 2 ? Integer.parseInt(args[2]) : 7;
    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start(vertx, Map.of("RATE_LIMIT_FRAMES", "0"))) {
      TestServer.Manifesto m = server.createManifesto("Bench", "");
      long t0 = System.nanoTime();
      try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions())) {
        SyntheticHistory.write(c, m.id(), revisions, length, 1);
        c.createStatement().execute("ANALYZE ops; ANALYZE snapshots");
      }
      System.out.printf("generated %,d revisions (text of %,d units) in %.1f s%n", revisions, length,
          (System.nanoTime() - t0) / 1e9);
      String base = "/api/manifestos/" + m.id();

      System.out.println("\n| revision r | text: median (min-max) ms | text + authors: median ms |");
      System.out.println("|---:|---:|---:|");
      double first = time(server, base + "/revisions/" + revisions + "?authors=true", m.viewer());
      int[] points = {0, 1, 999, revisions / 2, revisions / 2 + 999, revisions - 1, revisions};
      warm(server, base, m.viewer(), revisions);
      for (int r : points) {
        double[] text = new double[samples];
        double[] authors = new double[samples];
        for (int i = 0; i < samples; i++) {
          text[i] = time(server, base + "/revisions/" + r, m.viewer());
          // A different revision each time, so no answer comes from the authorship cache.
          authors[i] = time(server, base + "/revisions/" + Math.max(0, r - i) + "?authors=true", m.viewer());
        }
        System.out.printf("| %,d | %.1f (%.1f-%.1f) | %.1f |%n", r, median(text), min(text), max(text), median(authors));
      }
      System.out.printf("%nfirst authorship read of revision %,d (writes every checkpoint): %.0f ms%n", revisions, first);

      String a = Texts.pages(100, 7);
      String b = Texts.edit(a, 11);
      TestServer.Manifesto d = server.createManifesto("Diff bench", a);
      JsonObject save = new JsonObject().put("name", "bench");
      server.http().post("/api/manifestos/" + d.id() + "/versions").bearerTokenAuthentication(d.admin())
          .sendJsonObject(save).await(60, TimeUnit.SECONDS);
      vertx.eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", d.id()).put("text", b).put("author", "bench"))
          .await(60, TimeUnit.SECONDS);
      server.http().post("/api/manifestos/" + d.id() + "/versions").bearerTokenAuthentication(d.admin())
          .sendJsonObject(save).await(60, TimeUnit.SECONDS);
      String diff = "/api/manifestos/" + d.id() + "/diff?from=v1&to=v2";
      for (int i = 0; i < 10; i++) {
        time(server, diff, d.viewer());
      }
      double[] http = new double[samples * 3];
      for (int i = 0; i < http.length; i++) {
        http[i] = time(server, diff, d.viewer());
      }
      System.out.printf("%ndiff of two versions of a 100-page text (%,d and %,d units), GET .../diff?from=v1&to=v2:"
          + " median %.1f ms (min %.1f, max %.1f)%n", a.length(), b.length(), median(http), min(http), max(http));
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** The JIT compiles the hot paths before anything is measured. */
  private static void warm(TestServer server, String base, String token, int revisions) throws Exception {
    for (int i = 0; i < 20; i++) {
      int r = (revisions / 3 + i * 1_234) % (revisions + 1);
      time(server, base + "/revisions/" + r, token);
      time(server, base + "/revisions/" + r + "?authors=true", token);
    }
  }

  private static double time(TestServer server, String path, String token) throws Exception {
    long t = System.nanoTime();
    HttpResponse<Buffer> r = server.http().get(path).bearerTokenAuthentication(token).send().await(600, TimeUnit.SECONDS);
    double ms = (System.nanoTime() - t) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.bodyAsString());
    }
    return ms;
  }

  private static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(0);
  }

  private static double max(double[] xs) {
    return Arrays.stream(xs).max().orElse(0);
  }
}
