package org.convene.bench;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A latency histogram in microseconds with log-linear buckets: exact below 256 us, then 128 buckets
 * per power of two (relative error under 0.8 %, reported values are bucket midpoints). Bounded memory
 * whatever the number of samples, which matters for op-to-peer latency: every op is seen by every
 * other author, so 1,000 authors give hundreds of thousands of samples per second.
 *
 * <p>Not thread-safe; use {@link Recorder} for one histogram per recording thread.
 */
final class Histogram {
  private static final int LINEAR = 256;
  private static final int SUB = 128;
  private static final int BUCKETS = LINEAR + 48 * SUB;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long max;
  private double sum;

  void recordNanos(long nanos) {
    record(Math.max(0, nanos / 1_000));
  }

  void record(long micros) {
    counts[index(micros)]++;
    total++;
    sum += micros;
    if (micros > max) {
      max = micros;
    }
  }

  void add(Histogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  long maxMicros() {
    return max;
  }

  double meanMicros() {
    return total == 0 ? Double.NaN : sum / total;
  }

  /** The value at quantile q (0..1) in microseconds, NaN when empty. */
  double percentileMicros(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(midpoint(i), max);
      }
    }
    return max;
  }

  private static int index(long v) {
    if (v < LINEAR) {
      return (int) v;
    }
    int msb = 63 - Long.numberOfLeadingZeros(v);
    int shift = msb - 7;
    int idx = LINEAR + (shift - 1) * SUB + (int) ((v >>> shift) - SUB);
    return Math.min(idx, BUCKETS - 1);
  }

  private static double midpoint(int idx) {
    if (idx < LINEAR) {
      return idx;
    }
    int shift = (idx - LINEAR) / SUB + 1;
    long mantissa = (idx - LINEAR) % SUB + SUB;
    long low = mantissa << shift;
    long width = 1L << shift;
    return low + (width - 1) / 2.0;
  }

  /** One histogram per thread that records; {@link #merged()} adds them up (call when recording is over). */
  static final class Recorder {
    private final List<Histogram> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Histogram> mine = ThreadLocal.withInitial(() -> {
      Histogram h = new Histogram();
      all.add(h);
      return h;
    });

    void recordNanos(long nanos) {
      mine.get().recordNanos(nanos);
    }

    Histogram merged() {
      Histogram h = new Histogram();
      for (Histogram part : all) {
        h.add(part);
      }
      return h;
    }
  }
}
