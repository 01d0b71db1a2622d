package org.convene.common;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An HTTP failure in the contract's form: {@code {"error": code, "message": words, "fields"?, "reasons"?}}.
 * Handlers fail their future with one; the router's failure handler writes it. A 400's {@code fields}
 * say what is wrong with each field in English; {@code reasons} (added to the contract) give the same
 * as a code per field ({@code required}, {@code too_long}, {@code type}, {@code control},
 * {@code invalid}), from which pages and scripts word it in the reader's language.
 */
public final class ApiError extends RuntimeException {
  /**
   * The routing context's key under which the API document leaves what it found wrong with a form
   * post (an {@code ApiError}, 400), for the handler that answers such posts with a page (and checks
   * their CSRF token first) instead of being answered in JSON before it runs.
   */
  public static final String FORM_FINDINGS = "convene.formFindings";

  private final int status;
  private final String code;
  private final JsonObject fields;
  private final JsonObject reasons;
  private final long retryAfter;

  public ApiError(int status, String code, String message, JsonObject fields) {
    this(status, code, message, fields, null, 1);
  }

  private ApiError(int status, String code, String message, JsonObject fields, JsonObject reasons, long retryAfter) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.reasons = reasons;
    this.retryAfter = retryAfter;
  }

  /** 429 with the seconds after which a retry can succeed ({@code Retry-After}). */
  public static ApiError rateLimited(String message, long retryAfterSeconds) {
    return new ApiError(429, "rate_limited", message, null, null, Math.max(1, retryAfterSeconds));
  }

  public static ApiError invalid(JsonObject fields) {
    return invalid(fields, null);
  }

  /** 400 naming each invalid field, with its words and (when given) its reason code. */
  public static ApiError invalid(JsonObject fields, JsonObject reasons) {
    return new ApiError(400, "invalid_input", "some fields are invalid: " + String.join(", ", fields.fieldNames()),
        fields, reasons, 1);
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

  /** Each invalid field's words, or null. */
  public JsonObject fields() {
    return fields;
  }

  /** Each invalid field's reason code, or null. */
  public JsonObject reasons() {
    return reasons;
  }

  public void send(RoutingContext ctx) {
    send(ctx.response());
  }

  /** The answer, in the contract's error form, on a response no router handles (a request refused before it). */
  public void send(HttpServerResponse response) {
    JsonObject body = new JsonObject().put("error", code).put("message", getMessage());
    if (fields != null) {
      body.put("fields", fields);
    }
    if (reasons != null) {
      body.put("reasons", reasons);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8");
    if (status == 429) {
      response.putHeader("Retry-After", Long.toString(retryAfter));
    }
    response.end(body.encode());
  }
}
