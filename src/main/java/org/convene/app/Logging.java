package org.convene.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.util.logging.LogManager;
import org.convene.common.Config;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends every log line through logback: Vert.x, Netty and Flyway find SLF4J by themselves, our own
 * java.util.logging calls arrive through the JUL bridge. {@code LOG_FORMAT=json} swaps the text layout
 * of logback.xml for logback-json.xml.
 */
final class Logging {
  private Logging() {}

  /** Sends java.util.logging's records to SLF4J (logback) instead of JUL's console handler; idempotent. */
  static synchronized void bridgeJul() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /**
   * java.util.logging's manager for the server process (Main names it before anything logs): the same
   * as the JDK's, except that it is not reset when the JVM stops. The JDK's own shutdown hook resets
   * every handler, the bridge to logback included, so every line our classes write while the server
   * stops (the bridge's sockets closed, a failed final commit) would otherwise be lost.
   */
  public static final class KeptWhileStopping extends LogManager {
    @Override
    public void reset() {
      if (!stopping()) {
        super.reset();
      }
    }

    /** Whether the JVM has begun to stop: it refuses new shutdown hooks from then on. */
    private static boolean stopping() {
      Thread probe = new Thread(() -> { });
      try {
        Runtime.getRuntime().addShutdownHook(probe);
        Runtime.getRuntime().removeShutdownHook(probe);
        return false;
      } catch (IllegalStateException shutdownInProgress) {
        return true;
      }
    }
  }

  static void configure(Config.LogFormat format) {
    bridgeJul();
    if (format == Config.LogFormat.JSON) {
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      context.reset();
      try {
        configurator.doConfigure(Logging.class.getResource("/logback-json.xml"));
      } catch (JoranException e) {
        throw new IllegalStateException("logback-json.xml is broken: " + e.getMessage(), e);
      }
    }
  }
}
