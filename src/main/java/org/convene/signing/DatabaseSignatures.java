package org.convene.signing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.convene.pdf.SignatureSource;
import org.convene.pdf.SignerLine;

/**
 * The PDF appendix's signatures, from the database: the confirmed, counted signatures of a version
 * or of an earlier one (never of a later text), oldest first. Counts are read before the render;
 * the named signers stream from a cursor into a small queue that the render thread drains, the
 * cursor pausing while the queue is full, so memory stays flat whatever their number. Hidden
 * signers are only counted: the query for names never selects them.
 */
public final class DatabaseSignatures implements SignatureSource, AutoCloseable {
  private static final String COUNTS = """
      SELECT country, count(*) AS n, count(*) FILTER (WHERE display = 'hidden') AS hidden, sum(id) AS ids
        FROM signatures
       WHERE manifesto_id = $1 AND version <= $2 AND state = 'confirmed' AND invalidation_id IS NULL
       GROUP BY country""";
  private static final String NAMED = """
      SELECT name, display, city, country FROM signatures
       WHERE manifesto_id = $1 AND version <= $2 AND state = 'confirmed' AND invalidation_id IS NULL
         AND display <> 'hidden' AND name IS NOT NULL
       ORDER BY confirmed_at, id""";
  static final int QUEUE = 2_000;
  static final int FETCH = 500;
  private static final Object END = new Object();

  private final Context context;
  private final Pool pool;
  private final String manifestoId;
  private final int version;
  private final Map<String, Long> counts;
  private final long hidden;
  private final long stamp;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile RowStream<Row> rows;
  private volatile SqlConnection connection;
  private volatile io.vertx.sqlclient.Transaction transaction;
  private volatile boolean paused;
  private volatile boolean closed;

  private DatabaseSignatures(Context context, Pool pool, String manifestoId, int version, Map<String, Long> counts,
      long hidden, long stamp) {
    this.context = context;
    this.pool = pool;
    this.manifestoId = manifestoId;
    this.version = version;
    this.counts = counts;
    this.hidden = hidden;
    this.stamp = stamp;
  }

  /** Reads the counts; the names are read when the renderer asks for them. Call on a Vert.x thread. */
  public static Future<DatabaseSignatures> open(Vertx vertx, Pool pool, String manifestoId, int version) {
    Context context = vertx.getOrCreateContext();
    return pool.preparedQuery(COUNTS).execute(Tuple.of(manifestoId, version)).map(result -> {
      Map<String, Long> counts = new TreeMap<>();
      long hidden = 0;
      long total = 0;
      long ids = 0;
      for (Row r : result) {
        counts.put(r.getString("country"), r.getLong("n"));
        hidden += r.getLong("hidden");
        total += r.getLong("n");
        ids += r.getNumeric("ids").longValue();
      }
      long stamp = (total * 1_000_003L + hidden) * 1_000_033L + ids;
      return new DatabaseSignatures(context, pool, manifestoId, version, counts, hidden, stamp);
    });
  }

  /** Changes whenever the signatures printed would: for the PDF cache's key. */
  public long stamp() {
    return stamp;
  }

  @Override
  public Map<String, Long> countsByCountry() {
    return counts;
  }

  @Override
  public long hiddenCount() {
    return hidden;
  }

  @Override
  public Iterator<SignerLine> named() {
    context.runOnContext(v -> start());
    return new Iterator<>() {
      private Object next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          next = take();
        }
        return next != END;
      }

      @Override
      public SignerLine next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        SignerLine line = (SignerLine) next;
        next = null;
        return line;
      }
    };
  }

  private Object take() {
    try {
      Object o = queue.poll(60, TimeUnit.SECONDS);
      if (o == null) {
        throw new IllegalStateException("the database sent no signatures for 60 seconds");
      }
      if (o instanceof Throwable t) {
        throw new IllegalStateException("reading the signatures failed", t);
      }
      if (paused && queue.size() < QUEUE / 2) {
        paused = false;
        context.runOnContext(v -> {
          if (rows != null && !closed) {
            rows.resume();
          }
        });
      }
      return o;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the signatures", e);
    }
  }

  /** Opens the cursor (on the Vert.x context); rows go into the queue until it is full. */
  private void start() {
    pool.getConnection().compose(conn -> {
      connection = conn;
      return conn.begin().compose(tx -> {
        transaction = tx;
        return conn.prepare(NAMED);
      }).map(ps -> {
        RowStream<Row> stream = ps.createStream(FETCH, Tuple.of(manifestoId, version));
        rows = stream;
        stream.exceptionHandler(this::fail);
        stream.endHandler(v -> {
          queue.offer(END);
          release();
        });
        stream.handler(r -> {
          queue.offer(new SignerLine(Signer.displayName(r.getString("display"), r.getString("name")),
              r.getString("city"), r.getString("country")));
          if (queue.size() >= QUEUE && !paused) {
            paused = true;
            stream.pause();
          }
        });
        return null;
      });
    }).onFailure(this::fail);
  }

  private void fail(Throwable err) {
    queue.offer(err);
    release();
  }

  private void release() {
    SqlConnection conn = connection;
    connection = null;
    if (conn != null) {
      io.vertx.sqlclient.Transaction tx = transaction;
      (tx == null ? Future.succeededFuture() : tx.rollback().otherwiseEmpty()).eventually(conn::close);
    }
  }

  /** Lets go of the cursor and its connection if the render stopped before the end. */
  @Override
  public void close() {
    closed = true;
    context.runOnContext(v -> {
      if (rows != null) {
        rows.close();
      }
      release();
    });
  }
}
