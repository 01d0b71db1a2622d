package org.convene.security;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.LogRecord;
import org.slf4j.LoggerFactory;

/**
 * Keeps the log events that match, while installed. The server logs through logback (Vert.x through
 * SLF4J, our own classes through the JUL bridge), so this is an appender on logback's root; each event
 * is handed to the tests as a java.util.logging record (message, time, level, exception).
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final Predicate<LogRecord> wanted;
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<Logger> opened = new CopyOnWriteArrayList<>();
  private final List<Level> levels = new java.util.ArrayList<>();

  private LogCapture(Predicate<LogRecord> wanted) {
    this.wanted = wanted;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  static LogCapture install(Predicate<LogRecord> wanted) {
    LogCapture capture = new LogCapture(wanted);
    capture.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    capture.start();
    root().addAppender(capture);
    return capture;
  }

  /** The same, with these loggers (which the server keeps quiet) opened to every level meanwhile. */
  static LogCapture install(Predicate<LogRecord> wanted, String... loggers) {
    LogCapture capture = install(wanted);
    for (String name : loggers) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      capture.opened.add(logger);
      capture.levels.add(logger.getLevel()); // null: inherits, restored as such
      logger.setLevel(Level.ALL);
    }
    return capture;
  }

  /** Records whose exception (or one of its causes) has this class's simple name and says this. */
  static Predicate<LogRecord> thrown(String simpleName, String says) {
    return r -> {
      for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
        if (t.getClass().getSimpleName().equals(simpleName) && String.valueOf(t.getMessage()).contains(says)) {
          return true;
        }
      }
      return false;
    };
  }

  @Override
  protected void append(ILoggingEvent event) {
    LogRecord record = new LogRecord(julLevel(event.getLevel()), event.getFormattedMessage());
    record.setMillis(event.getTimeStamp());
    record.setLoggerName(event.getLoggerName());
    if (event.getThrowableProxy() instanceof ThrowableProxy proxy) {
      record.setThrown(proxy.getThrowable());
    }
    if (wanted.test(record)) {
      records.add(record);
    }
  }

  private static java.util.logging.Level julLevel(Level level) {
    return switch (level.toInt()) {
      case Level.ERROR_INT -> java.util.logging.Level.SEVERE;
      case Level.WARN_INT -> java.util.logging.Level.WARNING;
      case Level.INFO_INT -> java.util.logging.Level.INFO;
      case Level.DEBUG_INT -> java.util.logging.Level.FINE;
      default -> java.util.logging.Level.FINEST;
    };
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
    for (int i = 0; i < opened.size(); i++) {
      opened.get(i).setLevel(levels.get(i));
    }
  }
}
