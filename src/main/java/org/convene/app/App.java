package org.convene.app;

import org.convene.common.Config;
import org.convene.common.Metrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.ext.web.Route;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.convene.collab.CollabVerticle;
import org.convene.signing.SigningApi;
import org.convene.common.Tokens;
import org.convene.store.Database;
import org.convene.web.HttpVerticle;

/**
 * The running server: the database prepared, the collab verticle (one, it owns the documents) and the
 * HTTP verticles (one per core). Tests start it in-process; Main starts it for real.
 */
public final class App {
  static {
    // One log for the whole process, whoever starts it (Main, the tests): java.util.logging into logback.
    Logging.bridgeJul();
  }

  private final Vertx vertx;
  private final Pool pool;
  private final String collabId;
  private final String signingId;
  private final String httpId;
  private final int port;
  private final List<Route> routes;
  private final AtomicBoolean stopping;

  private App(Vertx vertx, Pool pool, String collabId, String signingId, String httpId, int port, List<Route> routes,
      AtomicBoolean stopping) {
    this.vertx = vertx;
    this.pool = pool;
    this.collabId = collabId;
    this.signingId = signingId;
    this.httpId = httpId;
    this.port = port;
    this.routes = routes;
    this.stopping = stopping;
  }

  /**
   * The Vert.x the server runs on: Netty's epoll transport where it loads (Linux), which makes fewer
   * system calls per message than Java's selector; NIO elsewhere.
   */
  public static VertxOptions vertxOptions() {
    return new VertxOptions().setPreferNativeTransport(true);
  }

  /**
   * The Vert.x for a server with this configuration: when metrics are on, Vert.x records its HTTP, event
   * bus, pool and JVM figures into the same registry the server's own meters use.
   */
  public static Vertx vertx(Metrics metrics) {
    VertxOptions options = vertxOptions();
    if (metrics.prometheus().isEmpty()) {
      return Vertx.vertx(options);
    }
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    return Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics.registry())).build();
  }

  /** The shared pool's connections, all opened before anything is served ({@link Database#open}). */
  static final int POOL_SIZE = 8;

  /** Creates and migrates the database (blocking, off the event loop), then deploys. */
  public static Future<App> start(Vertx vertx, Config config) {
    return start(vertx, config, Metrics.create(config));
  }

  /** The same, recording into the registry the Vert.x was built with ({@link #vertx(Metrics)}). */
  public static Future<App> start(Vertx vertx, Config config, Metrics metrics) {
    metrics.attach(vertx);
    return vertx.executeBlocking(() -> {
          Database.prepare(config.pgConnectOptions());
          return null;
        })
        .compose(v -> {
          Pool pool = Database.pool(vertx, config.pgConnectOptions(), POOL_SIZE);
          return Database.open(pool, POOL_SIZE).map(opened -> pool);
        })
        .compose(pool -> {
          Tokens tokens = new Tokens(pool);
          AtomicReference<HttpVerticle> first = new AtomicReference<>();
          AtomicBoolean stopping = new AtomicBoolean();
          int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
          return vertx.deployVerticle(new CollabVerticle(pool, config.limits(), config.idleUnload(), config.warmUp()))
              .compose(collabId -> vertx.deployVerticle(SigningApi.worker(vertx, config))
                  .compose(signingId -> vertx.deployVerticle(() -> {
                        HttpVerticle http = new HttpVerticle(config, pool, tokens, metrics, stopping);
                        first.compareAndSet(null, http);
                        return http;
                      }, new DeploymentOptions().setInstances(instances).setThreadingModel(ThreadingModel.EVENT_LOOP))
                      .map(httpId -> new App(vertx, pool, collabId, signingId, httpId, first.get().actualPort(),
                          first.get().routes(), stopping))));
        });
  }

  public int port() {
    return port;
  }

  /** The HTTP routes, the same in every HTTP verticle. */
  public List<Route> routes() {
    return routes;
  }

  /**
   * The HTTP side first: no new connections, no new bridge frames, and every bridge socket closed at
   * once (clients reconnect to the next server, HttpVerticle.stop). Then signing's worker (a mail round
   * in flight ends), then the documents finish committing what they had accepted (each client learns
   * the outcome when it resends: {@code duplicate}), then the pool is closed.
   */
  public Future<Void> stop() {
    stopping.set(true); // every bridge gate refuses frames from now, however busy its event loop is
    return vertx.undeploy(httpId)
        .eventually(() -> vertx.undeploy(signingId))
        .eventually(() -> vertx.undeploy(collabId))
        .eventually(pool::close);
  }
}
