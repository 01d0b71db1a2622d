package org.convene.signing;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-IP signing limits, per manifesto: {@code burst} within a minute and {@code perHour} within an
 * hour (fixed windows; 0 = no limit), and the kiosk's per-minute limit. Kept in memory by the
 * process (one per Vert.x, shared by the HTTP verticles); forgotten on restart, which only ever
 * lets more through.
 */
final class RateLimits {
  private static final long MINUTE = 60_000;
  private static final long HOUR = 3_600_000;
  private static final int MAX_KEYS = 200_000;

  private static final class Window {
    long minuteStart;
    int minuteCount;
    long hourStart;
    int hourCount;
  }

  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  /**
   * Takes one signature from the allowance of {@code key}: 0 when allowed, else the seconds until
   * the next one would be.
   */
  long take(String key, int burst, int perHour, long now) {
    if (burst == 0 && perHour == 0) {
      return 0;
    }
    if (windows.size() > MAX_KEYS) {
      forgetOld(now);
    }
    Window w = windows.computeIfAbsent(key, k -> new Window());
    synchronized (w) {
      if (now - w.minuteStart >= MINUTE) {
        w.minuteStart = now;
        w.minuteCount = 0;
      }
      if (now - w.hourStart >= HOUR) {
        w.hourStart = now;
        w.hourCount = 0;
      }
      if (perHour > 0 && w.hourCount >= perHour) {
        return seconds(w.hourStart + HOUR - now);
      }
      if (burst > 0 && w.minuteCount >= burst) {
        return seconds(w.minuteStart + MINUTE - now);
      }
      w.minuteCount++;
      w.hourCount++;
      return 0;
    }
  }

  void forgetOld(long now) {
    windows.entrySet().removeIf(e -> now - e.getValue().hourStart >= HOUR && now - e.getValue().minuteStart >= MINUTE);
  }

  private static long seconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }
}
