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

  /** The kiosk is on and {@code key} is its key (compared in constant time: it is a capability). */
  boolean kioskKeyMatches(String key) {
    return kiosk && key != null && kioskKey != null && java.security.MessageDigest.isEqual(
        key.getBytes(java.nio.charset.StandardCharsets.UTF_8), kioskKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** What an admin sees: everything, the kiosk key included. */
  JsonObject adminJson() {
    return publicJson().put("rateLimit", new JsonObject().put("perIpBurst", perIpBurst).put("perIpPerHour", perIpPerHour))
        .put("kioskPerMinute", kioskPerMinute).put("kioskKey", kioskKey);
  }

  /**
   * The settings a PUT asks for: every field optional, what is left out keeps its value. Their types and
   * ranges are the API document's to check (booleans, whole numbers from 0 to 1,000,000); the
   * deadline is parsed here, 400 naming it when it is no time.
   */
  Settings merge(JsonObject body) {
    Instant deadline = this.deadline;
    if (body.containsKey("deadline")) {
      String d = body.getString("deadline");
      try {
        deadline = d == null ? null : Instant.parse(d);
      } catch (DateTimeParseException e) {
        throw ApiError.invalid(new JsonObject().put("deadline",
            "an ISO 8601 UTC time such as 2027-05-01T18:00:00Z, or null for none"));
      }
    }
    JsonObject limits = body.getJsonObject("rateLimit", new JsonObject());
    boolean kiosk = body.getBoolean("kiosk", this.kiosk);
    String key = kiosk ? (kioskKey != null ? kioskKey : org.convene.common.Tokens.newToken()) : null;
    return new Settings(body.getBoolean("requireEmail", requireEmail), body.getInteger("goal", goal), deadline,
        body.getBoolean("open", open), limits.getInteger("perIpBurst", perIpBurst),
        limits.getInteger("perIpPerHour", perIpPerHour), kiosk, body.getInteger("kioskPerMinute", kioskPerMinute), key);
  }
}
