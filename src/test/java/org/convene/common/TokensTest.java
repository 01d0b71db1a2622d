package org.convene.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Token lookups against the real table, as a room reconnecting at once after a restart makes them. */
class TokensTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aRoomLookingUpTheSameNewTokenAtOnceMakesOneQuery() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Room", "Text");
    // One connection and room for two waiting queries: a query per lookup would overflow it at once.
    Pool tiny = PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(1).setMaxWaitQueueSize(2))
        .connectingTo(server.config().pgConnectOptions())
        .using(server.vertx())
        .build();
    try {
      Tokens tokens = new Tokens(tiny); // a fresh cache: the server that just restarted
      List<Future<Optional<Grant>>> lookups = new ArrayList<>();
      // From the event loops, as the bridge gates call it, and from outside any context.
      for (int i = 0; i < 200; i++) {
        lookups.add(server.vertx().getOrCreateContext().executeBlocking(() -> null, false)
            .compose(v -> tokens.lookup(m.editor())));
        lookups.add(tokens.lookup(m.editor()));
      }
      for (Future<Optional<Grant>> f : lookups) {
        Optional<Grant> grant = f.await(20, TimeUnit.SECONDS);
        assertTrue(grant.isPresent());
        assertEquals(m.id(), grant.get().manifestoId());
        assertEquals(Role.EDITOR, grant.get().role());
      }
      assertEquals(Optional.empty(), tokens.lookup("no-such-token-" + System.nanoTime()).await(20, TimeUnit.SECONDS));
    } finally {
      tiny.close().await(10, TimeUnit.SECONDS);
    }
  }
}
