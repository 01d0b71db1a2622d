package org.convene.translations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.convene.store.Database;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The memory's staged search by trigram count (db/migration/V14 and V15, {@code translation_memory})
 * finds what comparing the query with every stored source text finds, on corpora where everything
 * is alike (a small vocabulary, as in the benchmark) and where little is, with the server's stages
 * and with stages that leave most of the widening to the k-th best found (V15).
 */
class MemorySearchTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  private static final String STAGED = "SELECT translation, similarity FROM translation_memory('es', ?, ?, ?, ?, ?, ?)";
  /** The same question answered by comparing with every row of the half. */
  private static final String EVERY_ROW = """
      SELECT text, (1 - (source_text <-> ?))::float8 AS s FROM translation_units
      WHERE language = 'es' AND unit_id % 2 = ? AND btrim(text) <> '' AND NOT (manifesto_id = ? AND unit_id = ?)
            AND similarity(source_text, ?) >= ?
      ORDER BY s DESC, text LIMIT ?""";

  @Test
  void findsWhatComparingWithEveryRowFinds() throws Exception {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    TestServer.Manifesto m = server.createManifesto("Memory", "x");
    assertEquals(201, TranslationsApiTest.call(server.http().post("/api/manifestos/" + m.id() + "/translations"),
        m.admin(), new JsonObject().put("language", "es")).statusCode());
    List<String> sources = new ArrayList<>();
    try (Connection c = server.jdbc()) {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO translation_units (manifesto_id, language, unit_id, "
          + "text, source_text) VALUES (?, 'es', ?, ?, ?)")) {
        for (int u = 1; u <= 600; u++) {
          String source = paragraph(rnd, u % 2 == 0 ? 12 : 400);
          sources.add(source);
          ps.setString(1, m.id());
          ps.setInt(2, u);
          // some blank translations, which are never offered; translations repeat, so equals are ordered by text
          ps.setString(3, u % 17 == 0 ? "  " : "t" + rnd.nextInt(40));
          ps.setString(4, source);
          ps.addBatch();
        }
        ps.executeBatch();
      }
      List<Array> stages = List.of(c.createArrayOf("float8", TranslationsRepository.MEMORY_BOUNDS),
          c.createArrayOf("float8", new Double[] {0.97, 0.3}), c.createArrayOf("float8", new Double[] {0.99, 0.6, 0.3}));
      int nonEmpty = 0;
      for (int q = 0; q < 120; q++) {
        // a stored text (itself left out), one with words added, or a new text
        String query = q % 3 == 0 ? sources.get(rnd.nextInt(sources.size()))
            : q % 3 == 1 ? sources.get(rnd.nextInt(sources.size())) + " " + paragraph(rnd, 12)
            : paragraph(rnd, q % 2 == 0 ? 12 : 400);
        int own = 1 + rnd.nextInt(600);
        int k = 1 + rnd.nextInt(6);
        for (int half = 0; half < 2; half++) {
          List<String> every = answer(c, EVERY_ROW, query, half, m.id(), own, query, 0.3, k);
          for (int b = 0; b < stages.size(); b++) {
            List<String> staged = answer(c, STAGED, query, m.id(), own, half, k, stages.get(b));
            assertEquals(every, staged, "seed " + seed + ", query " + q + ", half " + half + ", k " + k + ", stages " + b);
          }
          nonEmpty += every.isEmpty() ? 0 : 1;
        }
      }
      assertTrue(nonEmpty > 100, "most questions have answers: " + nonEmpty);
    }
  }

  /**
   * A connection the pool opens has run the look-up once (prepare_session(), V15) before it serves
   * a request, and is then the pool's to hand out: the only connection of a pool of one answers.
   */
  @Test
  void aNewPooledConnectionHasRunTheLookUpOnce() throws Exception {
    try (Connection c = server.jdbc(); Statement s = c.createStatement()) {
      // counted from here on, by sessions opened from here on
      s.execute("ALTER DATABASE \"" + c.getCatalog() + "\" SET track_functions = 'pl'");
    }
    Pool pool = Database.pool(server.vertx(), server.config().pgConnectOptions(), 1);
    try {
      pool.query("SELECT pg_stat_force_next_flush()").execute().await(10, TimeUnit.SECONDS);
      Row calls = pool.query("""
          SELECT (SELECT calls FROM pg_stat_user_functions WHERE funcname = 'prepare_session'),
                 (SELECT calls FROM pg_stat_user_functions WHERE funcname = 'translation_memory')""")
          .execute().await(10, TimeUnit.SECONDS).iterator().next();
      assertEquals(1L, calls.getLong(0));
      assertEquals(1L, calls.getLong(1));
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static List<String> answer(Connection c, String sql, Object... params) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1) + " " + rs.getDouble(2));
        }
      }
      return out;
    }
  }

  /** 3 to 60 words out of the first {@code vocabulary} of a made-up list, some in Arabic or Chinese letters. */
  private static String paragraph(Random rnd, int vocabulary) {
    StringBuilder s = new StringBuilder();
    int words = 3 + rnd.nextInt(58);
    for (int w = 0; w < words; w++) {
      int i = rnd.nextInt(vocabulary);
      String stem = Integer.toString(i * 7919 % 1000, 36);
      s.append(w == 0 ? "" : " ").append(switch (i % 5) {
        case 0 -> "w" + stem + "é";
        case 1 -> "ع" + stem + "ل";
        case 2 -> "人" + stem;
        default -> "w" + stem;
      });
    }
    return s.toString();
  }
}
