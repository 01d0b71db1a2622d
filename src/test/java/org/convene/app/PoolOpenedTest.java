package org.convene.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared pool's connections are open, each prepared (prepare_session()), before the server takes
 * its first request: the first requests after a start do not wait for connections to be opened.
 */
class PoolOpenedTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void everyConnectionOfThePoolIsOpenBeforeTheFirstRequest() throws Exception {
    try (Connection c = server.jdbc(); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
             + " AND pid <> pg_backend_pid()")) {
      r.next();
      int open = r.getInt(1);
      // The shared pool's, and signing's worker's own (opened by its first query).
      assertTrue(open >= App.POOL_SIZE, open + " connections open before any request; the pool has " + App.POOL_SIZE);
    }
  }
}
