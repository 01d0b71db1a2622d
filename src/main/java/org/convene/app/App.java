package org.convene.app;

import org.convene.common.Config;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.convene.collab.CollabVerticle;
import org.convene.common.Tokens;
import org.convene.store.Database;
import org.convene.web.HttpVerticle;

/**
 * The running server: the database prepared, the collab verticle (one, it owns the documents) and the
 * HTTP verticles (one per core). Tests start it in-process; Main starts it for real.
 */
public final class App {
  /**
   * The bridge logs, at error level and with a stack trace, every frame a client gets wrong (not JSON,
   * no type, a register over the limit, a socket error such as a compressed frame). Invalid JSON never
   * reaches the gate's rate limit, so any client could make the event loop write stack traces as fast
   * as it sends; the client hears of each mistake in an err frame anyway. Held here: JUL keeps loggers
   * weakly, and a collected logger would forget its level.
   */
  private static final Logger BRIDGE_LOG = quiet("io.vertx.ext.web.handler.sockjs.impl.EventBusBridgeImpl");
  private final Vertx vertx;
  private final Pool pool;
  private final String collabId;
  private final String httpId;
  private final int port;

  private App(Vertx vertx, Pool pool, String collabId, String httpId, int port) {
    this.vertx = vertx;
    this.pool = pool;
    this.collabId = collabId;
    this.httpId = httpId;
    this.port = port;
  }

  /**
   * The Vert.x the server runs on: Netty's epoll transport where it loads (Linux), which makes fewer
   * system calls per message than Java's selector; NIO elsewhere.
   */
  public static VertxOptions vertxOptions() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  private static Logger quiet(String name) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(Level.OFF);
    return logger;
  }

  /** Creates and migrates the database (blocking, off the event loop), then deploys. */
  public static Future<App> start(Vertx vertx, Config config) {
    return vertx.executeBlocking(() -> {
          Database.prepare(config.pgConnectOptions());
          return null;
        })
        .compose(v -> {
          Pool pool = Database.pool(vertx, config.pgConnectOptions(), 8);
          Tokens tokens = new Tokens(pool);
          AtomicReference<HttpVerticle> first = new AtomicReference<>();
          int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
          return vertx.deployVerticle(new CollabVerticle(pool, config.limits()))
              .compose(collabId -> vertx.deployVerticle(() -> {
                    HttpVerticle http = new HttpVerticle(config, pool, tokens);
                    first.compareAndSet(null, http);
                    return http;
                  }, new DeploymentOptions().setInstances(instances).setThreadingModel(ThreadingModel.EVENT_LOOP))
                  .map(httpId -> new App(vertx, pool, collabId, httpId, first.get().actualPort())));
        });
  }

  public int port() {
    return port;
  }

  /** Stops accepting first, then lets the documents finish their commits, then closes the pool. */
  public Future<Void> stop() {
    return vertx.undeploy(httpId)
        .eventually(() -> vertx.undeploy(collabId))
        .eventually(pool::close);
  }
}
