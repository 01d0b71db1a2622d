package org.convene.security;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A thread that asks to sleep 5 ms at a time and notes whenever it woke much later: then the whole
 * process was held up (a garbage-collection pause, or the machine giving its cores to others), not
 * one event loop. A blocked-thread warning that such a stall explains is the machine's, not ours.
 */
final class StallWatch implements AutoCloseable {
  private record Stall(long fromMillis, long toMillis) {}

  private final List<Stall> stalls = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  StallWatch() {
    thread = new Thread(() -> {
      long before = System.currentTimeMillis();
      while (running) {
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
        long now = System.currentTimeMillis();
        if (now - before > 25) {
          stalls.add(new Stall(before, now));
        }
        before = now;
      }
    }, "stall-watch");
    thread.setDaemon(true);
    thread.setPriority(Thread.MAX_PRIORITY);
    thread.start();
  }

  /** Milliseconds within [from, to] during which this watcher was itself held up. */
  long stalledWithin(long from, long to) {
    long total = 0;
    for (Stall s : stalls) {
      total += Math.max(0, Math.min(to, s.toMillis()) - Math.max(from, s.fromMillis()));
    }
    return total;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
