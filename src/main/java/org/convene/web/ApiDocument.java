package org.convene.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.RequestValidatorImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.convene.common.ApiDescription;
import org.convene.common.ApiError;
import org.convene.common.Json;

/**
 * The REST API's OpenAPI 3.1 document ({@code src/main/resources/openapi/openapi.yaml}): served as
 * JSON at {@code GET /api/openapi.json}, and every {@code /api} request it describes is checked
 * against it by Vert.x's OpenAPI validator before the feature's handler runs. An invalid request is
 * answered 400 in the contract's form, {@code fields} naming each bad parameter or body field with the
 * words of its description ({@link Findings}); a valid one reaches the handler untouched.
 *
 * <p>The document is the one statement of the requests' shape (types, required fields, lengths, enums,
 * patterns, ranges): the handlers do not check it again, they trust it. What they keep is what JSON
 * Schema cannot say or what needs the database: normalisation (trimming), {@code common.Text}'s
 * characters, rules across fields, tokens, existence and state. Lengths are in code points, as JSON
 * Schema counts them. It fails closed: while the document is not parsed requests wait, and if it
 * cannot be, every {@code /api} request but the document itself is answered 503.
 *
 * <p>The handlers stay where their features mount them, so this is one handler in front of them rather
 * than Vert.x's RouterBuilder (which would own the routes). A body that is not JSON goes to the
 * handler unchecked (415), its path and query checked all the same; a request without a token to an
 * operation that needs one goes to it unchecked (401 first, before the handler reads anything else).
 *
 * <p>An HTML form post ({@code application/x-www-form-urlencoded}, the no-script sign form), which
 * Vert.x's validator cannot read, is checked here against the operation's schema for that media type
 * with the same JSON Schema engine: its fields as a JSON object of strings. Its findings do not answer
 * it: they are left in the routing context ({@link ApiError#FORM_FINDINGS}) for the handler, which
 * checks the form's CSRF token first and answers with the form again, each error beside its field in
 * the reader's language.
 *
 * <p>Small requests (most: a signature is a few hundred bytes) are checked on the event loop, where
 * that costs less than the hop to a worker thread and back; larger ones on a worker, since patterns
 * over megabytes take a while. A small JSON body is first checked against its schema compiled once
 * ({@link BodySchemas}, about 5 us for a signature against Vert.x's 25-30 us); Vert.x's validator
 * then sees only the requests that are refused, or that have parameters to check, and words their
 * findings.
 */
final class ApiDocument {
  private static final Logger LOG = Logger.getLogger(ApiDocument.class.getName());
  /** Parameters and the body as the router's BodyHandler left them (path parameters read from the path). */
  private static final RequestExtractor EXTRACTOR = RequestExtractor.withBodyHandler();
  /** Bodies up to this many bytes are checked on the event loop, larger ones on a worker thread. */
  static final int INLINE_BODY = 16 * 1024;

  private final Vertx vertx;
  private final Buffer json;
  /** The implementation, for its checks of one parameter or the body (its {@code validate} stops at the first). */
  private final Future<RequestValidatorImpl> validator;
  private final Future<OpenAPIContract> contract;
  /** The validators of the operations' body schemas, built once per verticle. */
  private final Future<Bodies> bodies;
  private final Findings findings;
  /** Operations that need a token: security listed, without the empty (anonymous) alternative. */
  private final Set<String> needToken;

  private ApiDocument(Vertx vertx, JsonObject document) {
    this.vertx = vertx;
    this.json = Buffer.buffer(document.encodePrettily());
    this.needToken = needingToken(document);
    this.findings = new Findings(document);
    this.contract = OpenAPIContract.from(vertx, validatable(document));
    this.validator = contract.map(c -> new RequestValidatorImpl(vertx, c));
    this.bodies = contract.map(c -> Bodies.of(c, document));
    contract.onFailure(err -> LOG.log(Level.SEVERE, "the OpenAPI document is not valid: " + err.getMessage(), err));
  }

  /** Reads the document (a small resource, read once per HTTP verticle at its start). */
  static ApiDocument load(Vertx vertx) {
    return of(vertx, read());
  }

  /** A document given as JSON (tests give a broken one). */
  static ApiDocument of(Vertx vertx, JsonObject document) {
    return new ApiDocument(vertx, document);
  }

  /** The document as a JSON object ({@link ApiDescription}). */
  static JsonObject read() {
    return ApiDescription.read();
  }

  /** The parsed contract, for tests that check answers against it. */
  Future<OpenAPIContract> contract() {
    return contract;
  }

  void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .end(json);
  }

  /**
   * For {@code /api/*}: checks the request if the document describes it, then passes it on. Fails closed:
   * until the document is parsed requests wait for it, and if it could not be (logged at start), or the
   * validator fails on a request, the answer is 503 and no handler sees the request.
   */
  void validate(RoutingContext ctx) {
    if (!bodies.isComplete()) {
      bodies.onComplete(ar -> validate(ctx)); // the body, if any, is already read (BodyHandler)
      return;
    }
    if (bodies.failed()) {
      unavailable().send(ctx);
      return;
    }
    // The path as the router matched it ("//" collapsed, dot segments resolved), without a trailing slash.
    String path = ctx.normalizedPath().length() > 1 && ctx.normalizedPath().endsWith("/")
        ? ctx.normalizedPath().substring(0, ctx.normalizedPath().length() - 1) : ctx.normalizedPath();
    Operation operation = contract.result().findOperation(path, ctx.request().method());
    if (operation == null) {
      noSuchEndpoint(ctx).send(ctx); // no handler runs on a request the document does not describe
      return;
    }
    if (trivial(operation) || skipped(ctx, operation)) {
      ctx.next();
      return;
    }
    // A body that is neither JSON nor a form the document describes is the handler's to refuse (415);
    // the path and query are checked all the same, since the handlers trust them.
    Validator form = operation.getRequestBody() != null && Bodies.FORM.equals(Json.mediaType(ctx))
        ? bodies.result().form(operation.getOperationId()) : null;
    boolean checkJson = operation.getRequestBody() != null && isJson(ctx);
    if (checkJson && form == null && validJsonAlone(ctx, operation)) {
      ctx.next();
      return;
    }
    EXTRACTOR.extractValidatableRequest(ctx, operation)
        .map(ApiDocument::asJson) // "Application/JSON; charset=UTF-8" is JSON too (media types ignore case)
        .compose(request -> findings(ctx, request, operation, checkJson, form))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().isEmpty()) {
            ctx.next();
          } else if (ar.succeeded() && form != null) {
            ctx.put(ApiError.FORM_FINDINGS, ar.result().error()); // answered by the form's handler, with a page
            ctx.next();
          } else if (ar.succeeded()) {
            ar.result().error().send(ctx);
          } else {
            LOG.log(Level.WARNING, "could not check " + operation.getOperationId() + ": " + ar.cause(), ar.cause());
            unavailable().send(ctx);
          }
        });
  }

  /**
   * The common case answered at once: an operation whose parameters any value satisfies, and a small
   * JSON body its compiled schema takes ({@link BodySchemas}). The body is decoded, checked, and left
   * for the handler ({@link Json#DECODED}); no request is extracted for Vert.x's validator. Anything else (an invalid or
   * large body, a parameter to check) takes the full path, whose findings are the answer's.
   */
  private boolean validJsonAlone(RoutingContext ctx, Operation operation) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() > INLINE_BODY
        || !operation.getParameters().stream().allMatch(ApiDocument::satisfiedByAny)) {
      return false;
    }
    if (!bodies.result().validJson(operation.getOperationId(), ctx.body().buffer())) {
      return false;
    }
    Object decoded = Bodies.decode(ctx.body().buffer());
    if (decoded == null) {
      return false;
    }
    ctx.put(Json.DECODED, decoded);
    return true;
  }

  /** The answer to an {@code /api} request that names no operation. */
  static ApiError noSuchEndpoint(RoutingContext ctx) {
    return ApiError.of(404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path());
  }

  private static ApiError unavailable() {
    return ApiError.of(503, "the API's description could not be read, so no request is taken; try again later");
  }

  /**
   * Every invalid field, as the contract answers (field by field), where the validator's {@code validate}
   * stops at the first: the same steps it takes (each parameter, then the body), each refusal noted; a
   * form post's fields checked against the operation's form schema ({@code form}, else null).
   */
  private Future<Findings.Found> findings(RoutingContext ctx, ValidatableRequest request, Operation operation,
      boolean checkJson, Validator form) {
    RequestValidatorImpl checks = validator.result();
    Callable<Findings.Found> work = () -> {
      Findings.Found found = new Findings.Found();
      for (Parameter parameter : operation.getParameters()) {
        RequestParameter value = given(request, parameter);
        if (anyString(parameter) && (!parameter.isRequired() || (value != null && !value.isNull()))) {
          continue; // nothing to check (the validator would build a schema validator for it, a copy of every schema's lookup)
        }
        try {
          checks.validateParameter(parameter, value);
        } catch (ValidatorException e) {
          findings.parameter(found, parameter, e);
        }
      }
      if (checkJson && !bodies.result().validJson(operation.getOperationId(), ctx.body().buffer())) {
        try {
          checks.validateBody(operation.getRequestBody(), request);
        } catch (ValidatorException e) {
          findings.body(found, operation, "application/json", e);
        }
      }
      if (form != null) {
        JsonObject fields = Bodies.formFields(ctx.request().formAttributes(), found);
        if (!bodies.result().validForm(operation.getOperationId(), fields)) {
          OutputUnit output = form.validate(fields); // its findings, worded
          if (!output.getValid()) {
            findings.body(found, operation, Bodies.FORM, output);
          }
        }
      }
      return found;
    };
    int size = ctx.body() == null || ctx.body().buffer() == null ? 0 : ctx.body().length();
    if (size > INLINE_BODY || (form != null && Bodies.formSize(ctx.request().formAttributes()) > INLINE_BODY)) {
      return vertx.executeBlocking(work, false);
    }
    try {
      return Future.succeededFuture(work.call());
    } catch (Exception | StackOverflowError e) { // a pattern's recursion on a value it was not written for
      return Future.failedFuture(e);
    }
  }

  /** A parameter's value in the request, or null when it is not there. */
  private static RequestParameter given(ValidatableRequest r, Parameter parameter) {
    Map<String, RequestParameter> where = switch (parameter.getIn()) {
      case PATH -> r.getPathParameters();
      case QUERY -> r.getQuery();
      case HEADER -> r.getHeaders();
      case COOKIE -> r.getCookies();
    };
    return where.get(parameter.getName());
  }

  private static ValidatableRequest asJson(ValidatableRequest r) {
    return r.getContentType() == null ? r
        : new ValidatableRequestImpl(r.getCookies(), r.getHeaders(), r.getPathParameters(), r.getQuery(), r.getBody(),
            "application/json");
  }

  /**
   * An operation any request to it satisfies (no body; each parameter any string, and optional unless
   * in the path): the public count and the like are not sent through the validator's worker for nothing.
   */
  static boolean trivial(Operation operation) {
    return operation.getRequestBody() == null && operation.getParameters().stream().allMatch(ApiDocument::satisfiedByAny);
  }

  /** A parameter any request satisfies: any string, and optional unless in the path (where it is always given). */
  private static boolean satisfiedByAny(Parameter p) {
    return (p.getIn() == Location.PATH || !p.isRequired()) && anyString(p);
  }

  /** A parameter whose schema any string satisfies. */
  static boolean anyString(Parameter p) {
    return p.getSchema() != null && "string".equals(p.getSchema().get("type"))
        && p.getSchema().fieldNames().stream().allMatch(k -> k.equals("type") || k.equals("description"));
  }

  private boolean skipped(RoutingContext ctx, Operation operation) {
    return needToken.contains(operation.getOperationId()) && ctx.request().getHeader("Authorization") == null;
  }

  /** As the handlers decide it ({@link Json#body}), so that the document checks exactly the bodies they parse. */
  private static boolean isJson(RoutingContext ctx) {
    return "application/json".equals(Json.mediaType(ctx));
  }

  private static Set<String> needingToken(JsonObject document) {
    Set<String> out = new HashSet<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject op && op.getValue("security") instanceof JsonArray security
            && !security.isEmpty() && security.stream().noneMatch(s -> s instanceof JsonObject o && o.isEmpty())) {
          out.add(op.getString("operationId"));
        }
      }
    }
    return out;
  }

  /**
   * The document as the validator takes it: Vert.x's validator reads JSON and plain text only, and
   * refuses a document naming other media types, so those (the sign form's urlencoded post, PDF, CSV and
   * HTML answers) are left out of its copy. A form post is checked here all the same ({@link Bodies#formFields}).
   */
  static JsonObject validatable(JsonObject document) {
    JsonObject copy = document.copy();
    keepReadableMedia(copy);
    return copy;
  }

  private static void keepReadableMedia(Object node) {
    if (node instanceof JsonObject o) {
      if (o.getValue("content") instanceof JsonObject content && content.fieldNames().stream().allMatch(k -> k.contains("/"))) {
        content.fieldNames().removeIf(type -> !io.vertx.openapi.contract.MediaType.isMediaTypeSupported(type));
        if (content.isEmpty()) {
          o.remove("content");
        }
      }
      o.forEach(e -> keepReadableMedia(e.getValue()));
    } else if (node instanceof JsonArray a) {
      a.forEach(ApiDocument::keepReadableMedia);
    }
  }
}
