package org.convene.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Logger;
import org.flywaydb.core.Flyway;

/** Creating the database, migrating it, and the reactive pool the server runs on. */
public final class Database {
  private static final Logger LOG = Logger.getLogger(Database.class.getName());

  private Database() {}

  /**
   * Creates the database if it does not exist and applies the migrations in db/ (packed into the jar
   * under db/migration). Blocking: run before the server accepts anything.
   */
  public static void prepare(PgConnectOptions options) throws SQLException {
    createIfMissing(options);
    Flyway.configure()
        .dataSource(jdbcUrl(options, options.getDatabase()), options.getUser(), options.getPassword())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /**
   * The pool. Each new connection first runs prepare_session() (db/migration/V15), so that the
   * work a session does once (plpgsql compiling and planning the memory's look-up) is not done in
   * the first request the connection serves; a failure there is logged and the connection used as is.
   */
  public static Pool pool(Vertx vertx, PgConnectOptions options, int size) {
    PgConnectOptions connect = new PgConnectOptions(options)
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setReconnectAttempts(0);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(10_000).setConnectionTimeout(5)
            .setName("convene").setShared(false))
        .connectingTo(connect)
        .withConnectHandler(Database::prepareSession)
        .using(vertx)
        .build();
  }

  /**
   * Opens the pool's {@code size} connections now, each running prepare_session() as it opens, so that
   * the first requests after a start do not wait for a connection to be opened and prepared (about
   * 10 ms each: the memory's look-ups were slowest at the start for that). A connection that cannot
   * be opened is left to the pool to open later; this never fails.
   */
  public static Future<Void> open(Pool pool, int size) {
    List<Future<SqlConnection>> held = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      held.add(pool.getConnection());
    }
    return Future.join(held).otherwiseEmpty().map(v -> {
      held.stream().filter(Future::succeeded).forEach(c -> c.result().close()); // back to the pool
      return null;
    });
  }

  private static void prepareSession(SqlConnection connection) {
    connection.query("SELECT prepare_session()").execute()
        .onFailure(e -> LOG.warning("prepare_session() failed: " + e.getMessage()))
        .onComplete(done -> connection.close()); // hands the connection to the pool
  }

  /** Drops a database; used by tests that made their own. */
  public static void drop(PgConnectOptions options) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(options, "postgres"), props(options));
         Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + quote(options.getDatabase()) + " WITH (FORCE)");
    }
  }

  private static void createIfMissing(PgConnectOptions options) throws SQLException {
    String name = options.getDatabase();
    try (Connection c = DriverManager.getConnection(jdbcUrl(options, "postgres"), props(options))) {
      try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
        q.setString(1, name);
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            return;
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + quote(name) + " ENCODING 'UTF8' TEMPLATE template0");
        LOG.info("created database " + name);
      } catch (SQLException e) {
        if (!"42P04".equals(e.getSQLState())) { // duplicate_database: another process won the race
          throw e;
        }
      }
    }
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static Properties props(PgConnectOptions options) {
    Properties p = new Properties();
    if (options.getUser() != null) {
      p.setProperty("user", options.getUser());
    }
    if (options.getPassword() != null) {
      p.setProperty("password", options.getPassword());
    }
    p.setProperty("connectTimeout", "5");
    return p;
  }

  private static String jdbcUrl(PgConnectOptions options, String database) {
    String host = options.getHost().contains(":") ? "[" + options.getHost() + "]" : options.getHost();
    return "jdbc:postgresql://" + host + ":" + options.getPort() + "/" + database;
  }
}
