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

  private LogCapture(Predicate<LogRecord> wanted) {
    this.wanted = wanted;
  }

  static LogCapture install(Predicate<LogRecord> wanted) {
    LogCapture capture = new LogCapture(wanted);
    Logger.getLogger("").addHandler(capture);
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
  }
}
