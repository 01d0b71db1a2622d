package org.convene.signing;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.convene.common.ApiError;

/**
 * A manifesto's signing settings (PUT .../signing). Per-IP limits: {@code perIpBurst} signatures from
 * one address within a minute, {@code perIpPerHour} within an hour; 0 = no limit. The kiosk signs
 * without email, confirmed at once, within {@code kioskPerMinute} for the whole manifesto.
 */
record Settings(boolean requireEmail, int goal, Instant deadline, boolean open, int perIpBurst, int perIpPerHour,
                boolean kiosk, int kioskPerMinute, String kioskKey) {
  static final Settings DEFAULTS = new Settings(true, 0, null, true, 20, 200, false, 30, null);
  static final int MAX_LIMIT = 1_000_000;

  /** Open, and before the deadline if there is one. */
  boolean accepting(Instant now) {
    return open && (deadline == null || now.isBefore(deadline));
  }

  /** What everyone may know (the public page shows it). */
  JsonObject publicJson() {
    return new JsonObject().put("requireEmail", requireEmail).put("goal", goal)
        .put("deadline", deadline == null ? null : deadline.toString()).put("open", open)
        .put("accepting", accepting(Instant.now())).put("kiosk", kiosk);
  }

  /** What an admin sees: everything, the kiosk key included. */
  JsonObject adminJson() {
    return publicJson().put("rateLimit", new JsonObject().put("perIpBurst", perIpBurst).put("perIpPerHour", perIpPerHour))
        .put("kioskPerMinute", kioskPerMinute).put("kioskKey", kioskKey);
  }

  /**
   * The settings a PUT asks for: every field optional, what is left out keeps its value. Fails 400
   * naming each bad field.
   */
  Settings merge(JsonObject body) {
    JsonObject bad = new JsonObject();
    boolean requireEmail = bool(body, "requireEmail", this.requireEmail, bad);
    boolean open = bool(body, "open", this.open, bad);
    int goal = count(body, "goal", this.goal, bad);
    Instant deadline = this.deadline;
    if (body.containsKey("deadline")) {
      Object d = body.getValue("deadline");
      if (d == null) {
        deadline = null;
      } else if (d instanceof String s) {
        try {
          deadline = Instant.parse(s);
        } catch (DateTimeParseException e) {
          bad.put("deadline", "an ISO 8601 UTC time such as 2027-05-01T18:00:00Z, or null for none");
        }
      } else {
        bad.put("deadline", "an ISO 8601 UTC time such as 2027-05-01T18:00:00Z, or null for none");
      }
    }
    int burst = perIpBurst;
    int hourly = perIpPerHour;
    if (body.containsKey("rateLimit")) {
      if (body.getValue("rateLimit") instanceof JsonObject limits) {
        burst = count(limits, "perIpBurst", burst, bad);
        hourly = count(limits, "perIpPerHour", hourly, bad);
      } else {
        bad.put("rateLimit", "an object {perIpBurst, perIpPerHour}");
      }
    }
    boolean kiosk = bool(body, "kiosk", this.kiosk, bad);
    int kioskPerMinute = count(body, "kioskPerMinute", this.kioskPerMinute, bad);
    if (!bad.isEmpty()) {
      throw ApiError.invalid(bad);
    }
    String key = kiosk ? (kioskKey != null ? kioskKey : org.convene.common.Tokens.newToken()) : null;
    return new Settings(requireEmail, goal, deadline, open, burst, hourly, kiosk, kioskPerMinute, key);
  }

  private static boolean bool(JsonObject body, String field, boolean current, JsonObject bad) {
    if (!body.containsKey(field)) {
      return current;
    }
    if (body.getValue(field) instanceof Boolean b) {
      return b;
    }
    bad.put(field, "true or false");
    return current;
  }

  private static int count(JsonObject body, String field, int current, JsonObject bad) {
    if (!body.containsKey(field)) {
      return current;
    }
    Object v = body.getValue(field);
    if (v instanceof Integer || v instanceof Long) {
      long n = ((Number) v).longValue();
      if (n >= 0 && n <= MAX_LIMIT) {
        return (int) n;
      }
    }
    bad.put(field, "a whole number from 0 to " + MAX_LIMIT + " (0 = none)");
    return current;
  }
}
