package org.convene.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
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
