package org.convene.app;

import org.convene.common.ConfigException;
import org.convene.common.Config;
import org.convene.common.Metrics;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: configuration from the environment, then the server until SIGTERM. */
public final class Main {
  static {
    // Before anything logs: java.util.logging keeps its handlers while the server stops (Logging).
    System.setProperty("java.util.logging.manager", Logging.KeptWhileStopping.class.getName());
  }

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) throws Exception {
    Config config;
    try {
      config = Config.fromEnv(System.getenv());
    } catch (ConfigException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.logFormat());
    Metrics metrics = Metrics.create(config);
    Vertx vertx = App.vertx(metrics);
    LOG.info("network transport: " + (vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO"));
    App app;
    try {
      app = App.start(vertx, config, metrics).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("Convene could not start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.info("Convene listening on port " + app.port() + " (" + config.publicUrl() + ")");
    if (config.metrics().enabled()) {
      LOG.info("metrics at /metrics, " + (config.metrics().token().isPresent()
          ? "for requests carrying METRICS_TOKEN" : "for loopback clients only (set METRICS_TOKEN to scrape from elsewhere)"));
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping: no new connections, bridge sockets closed (clients reconnect), finishing commits");
      long began = System.nanoTime();
      try {
        app.stop().await(20, TimeUnit.SECONDS);
        LOG.info("stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) + " ms: accepted edits committed");
        // Not awaited: its completion cannot be delivered once the event loops are gone.
        vertx.close();
      } catch (Exception e) {
        LOG.warn("shutdown did not finish cleanly: " + e.getMessage());
      }
      stopped.countDown();
    }));
    stopped.await();
  }
}
