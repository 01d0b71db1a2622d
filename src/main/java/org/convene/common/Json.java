package org.convene.common;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Reading JSON bodies and writing JSON answers, with every failure in the contract's error form. */
public final class Json {
  private static final Logger LOG = Logger.getLogger(Json.class.getName());

  private Json() {}

  /**
   * The request body as a JSON object, or an ApiError saying what is wrong with it: 415 unless sent as
   * {@code Content-Type: application/json} (a cross-site page can post text/plain or a form without
   * the browser asking first, but not JSON), 400 when it is not a JSON object.
   */
  public static JsonObject body(RoutingContext ctx) {
    if (!"application/json".equals(mediaType(ctx))) {
      throw new ApiError(415, "unsupported_media_type", "send the body as Content-Type: application/json", null);
    }
    return parse(ctx);
  }

  /** The request's media type, lower case, without parameters; "" when there is none. */
  public static String mediaType(RoutingContext ctx) {
    String header = ctx.request().getHeader("Content-Type");
    if (header == null) {
      return "";
    }
    int semicolon = header.indexOf(';');
    return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * Where the API document's check leaves a body it decoded and found valid, so the handler does not
   * decode it again (the sign request's body, thousands of times a second).
   */
  public static final String DECODED = "convene.decodedBody";

  private static JsonObject parse(RoutingContext ctx) {
    if (ctx.get(DECODED) instanceof JsonObject decoded) {
      return decoded;
    }
    String raw = ctx.body().asString();
    if (raw == null || raw.isBlank()) {
      throw ApiError.of(400, "send a JSON object in the body");
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(raw);
      if (parsed instanceof JsonObject o) {
        return o;
      }
    } catch (DecodeException e) {
      throw ApiError.of(400, "the body is not valid JSON");
    }
    throw ApiError.of(400, "the body must be a JSON object");
  }

  /** Runs a handler's work and writes its result, or its failure in the contract's form. */
  public static void respond(RoutingContext ctx, Supplier<Future<?>> work, int status) {
    Futures.attempt(work::get).onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      if (ar.succeeded()) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
            .end(io.vertx.core.json.Json.encode(ar.result()));
      } else {
        error(ar.cause()).send(ctx);
      }
    });
  }

  /** Maps any failure to the contract's error form; unknown failures are logged and become 503. */
  public static ApiError error(Throwable cause) {
    if (cause instanceof ApiError e) {
      return e;
    }
    if (cause instanceof ReplyException r && r.failureCode() >= 400 && r.failureCode() < 600) {
      return ApiError.of(r.failureCode(), r.getMessage());
    }
    LOG.log(Level.WARNING, "request failed", cause);
    return ApiError.of(503, "temporarily unable to serve this; retry");
  }
}
