package org.convene.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Keeps the log records (java.util.logging, which Vert.x writes to) that match, while installed. */
final class LogCapture extends Handler implements AutoCloseable {
  private final Predicate<LogRecord> wanted;
  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final List<Logger> opened = new CopyOnWriteArrayList<>();
  private final List<java.util.logging.Level> levels = new CopyOnWriteArrayList<>();

  private LogCapture(Predicate<LogRecord> wanted) {
    this.wanted = wanted;
  }

  static LogCapture install(Predicate<LogRecord> wanted) {
    LogCapture capture = new LogCapture(wanted);
    Logger.getLogger("").addHandler(capture);
    return capture;
  }

  /** The same, with these loggers (which the server may keep quiet) opened to every level meanwhile. */
  static LogCapture install(Predicate<LogRecord> wanted, String... loggers) {
    LogCapture capture = install(wanted);
    for (String name : loggers) {
      Logger logger = Logger.getLogger(name);
      capture.opened.add(logger);
      capture.levels.add(logger.getLevel());
      logger.setLevel(java.util.logging.Level.ALL);
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
  public void publish(LogRecord record) {
    if (wanted.test(record)) {
      records.add(record);
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    Logger.getLogger("").removeHandler(this);
    for (int i = 0; i < opened.size(); i++) {
      opened.get(i).setLevel(levels.get(i));
    }
  }
}
