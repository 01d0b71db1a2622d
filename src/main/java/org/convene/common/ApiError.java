package org.convene.common;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An HTTP failure in the contract's form: {@code {"error": code, "message": words, "fields"?}}.
 * Handlers fail their future with one; the router's failure handler writes it.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonObject fields;
  private final long retryAfter;

  public ApiError(int status, String code, String message, JsonObject fields) {
    this(status, code, message, fields, 1);
  }

  private ApiError(int status, String code, String message, JsonObject fields, long retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }

  /** 429 with the seconds after which a retry can succeed ({@code Retry-After}). */
  public static ApiError rateLimited(String message, long retryAfterSeconds) {
    return new ApiError(429, "rate_limited", message, null, Math.max(1, retryAfterSeconds));
  }

  public static ApiError invalid(JsonObject fields) {
    return new ApiError(400, "invalid_input", "some fields are invalid: " + String.join(", ", fields.fieldNames()), fields);
  }

  public static ApiError of(int status, String message) {
    String code = switch (status) {
      case 400 -> "invalid_input";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 409 -> "conflict";
      case 413 -> "too_large";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> "error";
    };
    return new ApiError(status, code, message, null);
  }

  public int status() {
    return status;
  }

  public void send(RoutingContext ctx) {
    JsonObject body = new JsonObject().put("error", code).put("message", getMessage());
    if (fields != null) {
      body.put("fields", fields);
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8");
    if (status == 429) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
    }
    ctx.response().end(body.encode());
  }
}
