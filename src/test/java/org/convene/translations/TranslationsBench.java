package org.convene.translations;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convene.collab.Addresses;
import org.convene.testing.TestServer;
import org.convene.versions.SyntheticHistory;
import org.convene.versions.Texts;

/**
 * Translations benchmark (docs/BENCHMARKS.md): a 100-page source with 12 languages. Recutting the
 * units after one edit (pure), opening the translator's view over HTTP (unchanged, and right after a
 * source edit), and memory look-ups over 10,000 stored units. Arguments: pages, samples, and what to run
 * (all, recut, open or memory; memory sets up one language only).
 */
public final class TranslationsBench {
  static final List<String> LANGUAGES = List.of("es", "fr", "ar", "fa", "zh", "hi", "tl", "ht", "de", "it", "pt", "ru");

  public static void main(String[] args) throws Exception {
    int pages = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    String parts = args.length > 2 ? args[2] : "all";
    String source = Texts.pages(pages, 7);
    if (parts.equals("all") || parts.equals("recut")) {
      recut(source, samples);
    }
    if (parts.equals("recut")) {
      return;
    }
    List<String> languages = parts.equals("memory") ? List.of("es") : LANGUAGES;

    Vertx vertx = Vertx.vertx();
    try (TestServer server = TestServer.start(vertx, Map.of("RATE_LIMIT_FRAMES", "0"))) {
      TranslationsApiTest.serverForHelpers = server;
      // created empty and filled by one edit: a new manifesto's initial text is limited (CREATE_MAX_TEXT)
      TestServer.Manifesto m = server.createManifesto("Bench", "");
      replace(vertx, m.id(), source);
      for (String lang : languages) {
        TranslationsApiTest.add(m, lang);
        JsonObject view = TranslationsApiTest.ok(TranslationsApiTest.get(TranslationsApiTest.base(m) + "/" + lang, m.viewer()));
        StringBuilder doc = new StringBuilder();
        view.getJsonArray("units").forEach(u -> doc.append(TranslationText.MARK).append(((JsonObject) u).getInteger("unit"))
            .append('\n').append(lang).append(": ").append(((JsonObject) u).getString("source")).append('\n'));
        replace(vertx, m.id() + ":" + lang, doc.toString());
      }
      String base = TranslationsApiTest.base(m);
      Random rnd = new Random(3);
      if (!parts.equals("memory")) {
        open(vertx, m, base, source, samples, rnd);
      }
      memory(server, m, base, samples, rnd);
    } finally {
      TranslationsApiTest.serverForHelpers = null;
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static void open(Vertx vertx, TestServer.Manifesto m, String base, String source, int samples, Random rnd) throws Exception {
    {
      // Each language's first read after its whole translation was pasted in stores every unit (their
      // trigram counts and the memory's index entries): a cost of its own, reported apart.
      double[] pasted = new double[LANGUAGES.size()];
      for (int l = 0; l < LANGUAGES.size(); l++) {
        pasted[l] = time(base + "/" + LANGUAGES.get(l), m.viewer());
      }
      report("open the view right after a whole translation was pasted (every unit stored)", pasted);
      double[] warm = new double[samples];
      for (int i = 0; i < samples; i++) {
        warm[i] = time(base + "/" + LANGUAGES.get(i % LANGUAGES.size()), m.viewer());
      }
      report("open the translator's view, nothing changed (" + LANGUAGES.size() + " languages in turn)", warm);
      System.out.println("slowest five openings at " + slowest(warm, 5));

      int rounds = Math.max(10, samples / 10);
      double[] first = new double[rounds];
      double[] others = new double[rounds * (LANGUAGES.size() - 1)];
      String text = source;
      for (int r = 0; r < rounds; r++) {
        int at = rnd.nextInt(text.length());
        text = text.substring(0, at) + "x" + text.substring(at);
        replace(vertx, m.id(), text);
        first[r] = time(base + "/" + LANGUAGES.get(0), m.viewer());
        for (int l = 1; l < LANGUAGES.size(); l++) {
          others[r * (LANGUAGES.size() - 1) + l - 1] = time(base + "/" + LANGUAGES.get(l), m.viewer());
        }
      }
      report("open the view right after a source edit (recut + read the language)", first);
      report("then each other language (its outdated marks against the new cut)", others);
    }
  }

  static void memory(TestServer server, TestServer.Manifesto m, String base, int samples, Random rnd) throws Exception {
    {

      TestServer.Manifesto store = server.createManifesto("Memory store", "x");
      TranslationsApiTest.add(store, "es");
      try (Connection c = SyntheticHistory.jdbc(server.config().pgConnectOptions())) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO translation_units (manifesto_id, language, unit_id, text, "
            + "source_text) VALUES (?, 'es', ?, ?, ?)")) {
          String[] paragraphs = Texts.pages(40, 11).split("\n\n");
          for (int u = 0; u < 10_000; u++) {
            String p = paragraphs[u % paragraphs.length];
            String s = p.substring(0, Math.min(p.length(), 80 + rnd.nextInt(300))) + " " + u;
            ps.setString(1, store.id());
            ps.setInt(2, u + 1);
            ps.setString(3, "es: " + s);
            ps.setString(4, s);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        // in the same transaction: with auto-commit off, an ANALYZE after the commit was rolled back
        c.createStatement().execute("ANALYZE translation_units");
        c.commit();
      }
      int units = TranslationsApiTest.ok(TranslationsApiTest.get(base + "/es", m.viewer())).getJsonObject("progress").getInteger("units");
      double[] memory = new double[samples];
      for (int i = 0; i < samples; i++) {
        memory[i] = time(base + "/es/memory?unit=" + (1 + rnd.nextInt(units)), m.editor());
      }
      report("memory look-up over 10,000 + " + units + " stored units (HTTP round trip)", memory);
      System.out.println("first five look-ups, ms: " + Arrays.toString(Arrays.copyOf(memory, 5))
          + "; slowest five at " + slowest(memory, 5));
      // the same again: the first samples include the first use of each pooled connection and of the code path
      for (int i = 0; i < samples; i++) {
        memory[i] = time(base + "/es/memory?unit=" + (1 + rnd.nextInt(units)), m.editor());
      }
      report("the same, the next " + samples + " look-ups (warm)", memory);
    }
  }

  /** Units.assign after one keystroke, and after a paragraph inserted, on the whole source. */
  static void recut(String source, int samples) {
    Units.Cut cut = Units.first(source, 1);
    Random rnd = new Random(1);
    java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
    double[] keystroke = new double[samples];
    double[] keystrokeCpu = new double[samples];
    double[] paragraph = new double[samples];
    for (int i = 0; i < samples; i++) {
      int at = rnd.nextInt(source.length());
      String typed = source.substring(0, at) + "y" + source.substring(at);
      long c0 = cpu.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      Units.assign(cut.units(), Units.paragraphs(typed), cut.nextId());
      keystroke[i] = (System.nanoTime() - t0) / 1e6;
      keystrokeCpu[i] = (cpu.getCurrentThreadCpuTime() - c0) / 1e6;
      int nl = source.indexOf("\n\n", at);
      String inserted = nl < 0 ? source + "\n\nA new paragraph." : source.substring(0, nl) + "\n\nA new paragraph." + source.substring(nl);
      t0 = System.nanoTime();
      Units.assign(cut.units(), Units.paragraphs(inserted), cut.nextId());
      paragraph[i] = (System.nanoTime() - t0) / 1e6;
    }
    System.out.printf("source: %,d UTF-16 units, %,d paragraph units%n", source.length(), cut.units().size());
    report("recut after one keystroke (Units.paragraphs + assign)", keystroke);
    report("the same, CPU time of the thread", keystrokeCpu);
    report("recut after a paragraph inserted", paragraph);
  }

  static void replace(Vertx vertx, String doc, String text) throws Exception {
    vertx.eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", doc).put("text", text).put("author", "bench"))
        .await(60, TimeUnit.SECONDS);
  }

  static double time(String path, String token) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = TranslationsApiTest.get(path, token);
    double ms = (System.nanoTime() - t0) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.bodyAsString());
    }
    return ms;
  }

  /** The indexes of the n slowest samples with their times, slowest first. */
  static String slowest(double[] ms, int n) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < ms.length; i++) {
      at.add(i);
    }
    at.sort((x, y) -> Double.compare(ms[y], ms[x]));
    StringBuilder out = new StringBuilder();
    for (int i : at.subList(0, Math.min(n, at.size()))) {
      out.append(out.isEmpty() ? "" : ", ").append(i).append(String.format(": %.2f", ms[i]));
    }
    return out.toString();
  }

  static void report(String what, double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    System.out.printf("| %s | %.2f | %.2f | %.2f | %d |%n", what, s[s.length / 2], s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.99) - 1)],
        s[s.length - 1], s.length);
  }
}
