package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The live count's pacing on a clock of its own (no time passes but what the test says): a change
 * after a quiet second is published at once, changes within the second after a round wait for its
 * end and go out together, and no two rounds start less than the interval apart.
 */
class PacerTest {
  private static final long SECOND = 1_000_000_000L;

  /** A clock and timers that move only when told. */
  private static final class Time {
    long now = 5 * SECOND;
    final TreeMap<Long, List<Runnable>> timers = new TreeMap<>();

    void after(long millis, Runnable action) {
      timers.computeIfAbsent(now + millis * 1_000_000, k -> new ArrayList<>()).add(action);
    }

    void advance(long nanos) {
      long until = now + nanos;
      while (!timers.isEmpty() && timers.firstKey() <= until) {
        var due = timers.pollFirstEntry();
        now = due.getKey();
        due.getValue().forEach(Runnable::run);
      }
      now = until;
    }
  }

  private final Time time = new Time();
  private final List<Long> starts = new ArrayList<>();
  private final List<Promise<Void>> inFlight = new ArrayList<>();

  private Pacer pacer(boolean completeAtOnce) {
    return new Pacer(SECOND, () -> time.now, time::after, () -> {
      starts.add(time.now);
      if (completeAtOnce) {
        return Future.succeededFuture();
      }
      Promise<Void> p = Promise.promise();
      inFlight.add(p);
      return p.future();
    });
  }

  @Test
  void aChangeAfterAQuietSecondIsPublishedAtOnce() {
    Pacer pacer = pacer(true);
    pacer.changed();
    assertEquals(List.of(time.now), starts, "the first change: at once");
    time.advance(3 * SECOND);
    pacer.changed();
    assertEquals(2, starts.size(), "after a quiet while: at once");
    assertEquals(time.now, starts.get(1));
  }

  @Test
  void changesWithinTheSecondWaitForItsEndAndGoOutTogether() {
    Pacer pacer = pacer(true);
    long first = time.now;
    pacer.changed();
    time.advance(SECOND / 10);
    pacer.changed();
    time.advance(SECOND / 10);
    pacer.changed();
    pacer.changed();
    assertEquals(1, starts.size(), "nothing before the second is over");
    time.advance(SECOND);
    assertEquals(List.of(first, first + SECOND), starts, "one round for the three changes, a second after the first");
    time.advance(5 * SECOND);
    assertEquals(2, starts.size(), "nothing more without a change");
  }

  @Test
  void aSteadyStreamOfChangesIsPublishedOnceASecond() {
    Pacer pacer = pacer(true);
    for (int i = 0; i < 100; i++) { // a change every 50 ms for 5 s
      pacer.changed();
      time.advance(SECOND / 20);
    }
    // Changes from s 5 to s 9.95: rounds at s 5 (the first, at once), 6, 7, 8, 9 and 10 (the last changes).
    assertEquals(6, starts.size(), "one round a second: " + starts);
    for (int i = 1; i < starts.size(); i++) {
      assertEquals(SECOND, starts.get(i) - starts.get(i - 1), "rounds a second apart");
    }
  }

  @Test
  void aChangeDuringASlowRoundWaitsForItAndForTheSecond() {
    Pacer pacer = pacer(false);
    pacer.changed();
    time.advance(SECOND / 2);
    pacer.changed(); // the round in flight has not finished
    time.advance(SECOND);
    assertEquals(1, starts.size(), "never two rounds at once");
    inFlight.get(0).complete(); // finished 1.5 s after it began: the change goes out now
    assertEquals(2, starts.size());
    assertTrue(starts.get(1) - starts.get(0) >= SECOND);
    inFlight.get(1).complete();
    pacer.changed();
    assertEquals(2, starts.size(), "the next change waits for the second since the last round began");
    time.advance(SECOND);
    assertEquals(3, starts.size());
  }

  @Test
  void aFailedRoundDoesNotStopThePacing() {
    List<Long> tried = new ArrayList<>();
    Pacer pacer = new Pacer(SECOND, () -> time.now, time::after, () -> {
      tried.add(time.now);
      throw new IllegalStateException("the count could not be read");
    });
    pacer.changed();
    time.advance(SECOND / 2);
    pacer.changed();
    time.advance(SECOND);
    assertEquals(2, tried.size(), "tried again at the second's end: " + tried);
  }
}
