package org.convene.signing;

import io.vertx.core.json.JsonObject;

/**
 * Signing refused, in the contract's error form plus a {@code reason} code ({@code closed},
 * {@code deadline}, {@code unpublished}, {@code kiosk_key}, {@code unknown_link}, {@code expired},
 * {@code withdrawn}), so that pages and scripts can say why in the reader's language. The English
 * message stays for scripts and logs.
 */
final class Refusal extends RuntimeException {
  final int status;
  final String reason;

  Refusal(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  JsonObject json() {
    String code = switch (status) {
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      default -> "invalid_input";
    };
    return new JsonObject().put("error", code).put("message", getMessage()).put("reason", reason);
  }
}
