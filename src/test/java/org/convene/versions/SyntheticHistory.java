package org.convene.versions;

import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.convene.ot.TextOperation;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * A long history written straight into ops and snapshots with COPY (no protocol round trips): the
 * text grows by appended characters up to {@code length}, then authors overwrite one character at a
 * time at a cursor that mostly walks and sometimes jumps, as people edit. Authors take turns in
 * sessions. Snapshots every 1,000 revisions, as the sequencer writes them. The document must not be
 * loaded by the server yet (its sequencer would not know these revisions).
 */
public final class SyntheticHistory {
  public static final String[] AUTHORS = {"Amal", "Farid", "Leila", "نادیا", "Chen"};
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz     \nنحنهاکرامت";
  private static final int BATCH = 50_000;

  private final char[] text;
  private int length;
  /** Which author wrote each character, for checking authorship against. */
  private final int[] authorOf;

  private SyntheticHistory(int capacity) {
    text = new char[capacity];
    authorOf = new int[capacity];
  }

  public String text() {
    return new String(text, 0, length);
  }

  public int charactersBy(String author) {
    int id = Arrays.asList(AUTHORS).indexOf(author);
    int n = 0;
    for (int i = 0; i < length; i++) {
      n += authorOf[i] == id ? 1 : 0;
    }
    return n;
  }

  public static Connection jdbc(PgConnectOptions o) throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(),
        o.getUser(), o.getPassword());
  }

  /** The text and its authors at the revisions asked for in {@link #write}. */
  public record Moment(String text, int[] authors) {}

  public final java.util.Map<Integer, Moment> moments = new java.util.HashMap<>();

  /**
   * Writes revisions 1..revisions of {@code doc} (which must be empty at revision 0), keeping the
   * text and authors at each of {@code keep}.
   */
  public static SyntheticHistory write(Connection c, String doc, int revisions, int length, long seed, int... keep)
      throws SQLException, IOException {
    Random rnd = new Random(seed);
    SyntheticHistory h = new SyntheticHistory(length);
    CopyManager copy = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI();
    StringBuilder ops = new StringBuilder();
    StringBuilder snapshots = new StringBuilder();
    int[] seqs = new int[AUTHORS.length * 1_000];
    int author = 0;
    int session = 0;
    int cursor = 0;
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    for (int r = 1; r <= revisions; r++) {
      if (rnd.nextInt(400) == 0) {
        author = rnd.nextInt(AUTHORS.length);
        session = (session + 1) % 1_000;
      }
      char ch = LETTERS.charAt(rnd.nextInt(LETTERS.length()));
      TextOperation op;
      if (h.length < length) {
        op = TextOperation.builder().retain(h.length).insert(String.valueOf(ch)).build();
        h.authorOf[h.length] = author;
        h.text[h.length++] = ch;
      } else {
        cursor = rnd.nextInt(100) == 0 ? rnd.nextInt(length) : (cursor + 1) % length;
        op = TextOperation.builder().retain(cursor).delete(1).insert(String.valueOf(ch)).retain(length - cursor - 1).build();
        h.text[cursor] = ch;
        h.authorOf[cursor] = author;
      }
      String client = "synthetic-" + author + "-" + session;
      int seq = ++seqs[author * 1_000 + session];
      ops.append(doc).append('\t').append(r).append('\t').append(client).append('\t').append(seq).append('\t')
          .append(escape(new JsonArray(op.toComponents()).encode())).append('\t').append(AUTHORS[author]).append('\t')
          .append(start.plusSeconds(r)).append('\n');
      for (int k : keep) {
        if (k == r) {
          h.moments.put(r, new Moment(h.text(), Arrays.copyOf(h.authorOf, h.length)));
        }
      }
      if (r % 1_000 == 0) {
        snapshots.append(doc).append('\t').append(r).append('\t').append(escape(h.text())).append('\n');
      }
      if (r % BATCH == 0 || r == revisions) {
        copy.copyIn("COPY ops (doc, revision, client_id, seq, op, author, created_at) FROM STDIN",
            new StringReader(ops.toString()));
        copy.copyIn("COPY snapshots (doc, revision, text) FROM STDIN", new StringReader(snapshots.toString()));
        ops.setLength(0);
        snapshots.setLength(0);
      }
    }
    return h;
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }
}
