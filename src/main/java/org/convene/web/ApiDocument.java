package org.convene.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableRequest;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.common.ApiError;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The REST API's OpenAPI 3.1 document ({@code src/main/resources/openapi/openapi.yaml}): served as
 * JSON at {@code GET /api/openapi.json}, and every {@code /api} request it describes is checked
 * against it by Vert.x's OpenAPI validator before the feature's handler runs. An invalid request is
 * answered 400 in the contract's form, {@code fields} naming each bad parameter or body field; a valid
 * one reaches the handler untouched, which still applies the rules that need the database.
 *
 * <p>The handlers stay where their features mount them, so this is one handler in front of them rather
 * than Vert.x's RouterBuilder (which would own the routes). Two kinds of request go to the handler
 * unchecked, so that their answers stay what they were: a body that is not JSON (415, or the sign
 * form's HTML post), and a request without a token to an operation that needs one (401 first).
 */
final class ApiDocument {
  private static final Logger LOG = Logger.getLogger(ApiDocument.class.getName());
  static final String RESOURCE = "openapi/openapi.yaml";
  private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter (\\S+?)[ .]");
  /** Parameters and the body as the router's BodyHandler left them (path parameters read from the path). */
  private static final RequestExtractor EXTRACTOR = RequestExtractor.withBodyHandler();
  private static final Pattern REQUIRED = Pattern.compile("required property \"?'?([^\"' ]+)");

  private final Buffer json;
  private final Future<RequestValidator> validator;
  private final Future<OpenAPIContract> contract;
  /** Operations that need a token: security listed, without the empty (anonymous) alternative. */
  private final Set<String> needToken;

  private ApiDocument(Vertx vertx, JsonObject document) {
    this.json = Buffer.buffer(document.encodePrettily());
    this.needToken = needingToken(document);
    this.contract = OpenAPIContract.from(vertx, validatable(document));
    this.validator = contract.map(c -> RequestValidator.create(vertx, c));
    contract.onFailure(err -> LOG.log(Level.SEVERE, "the OpenAPI document is not valid: " + err.getMessage(), err));
  }

  /** Reads the document (a small resource, read once per HTTP verticle at its start). */
  static ApiDocument load(Vertx vertx) {
    return new ApiDocument(vertx, read());
  }

  /** The document as a JSON object, from the YAML kept in the repository. */
  static JsonObject read() {
    try (InputStream in = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Map<String, Object> raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return new JsonObject(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** For {@code /api/*}: checks the request if the document describes it, then passes it on. */
  void validate(RoutingContext ctx) {
    if (!validator.succeeded()) {
      ctx.next(); // not parsed (yet, or at all: logged at start): the handlers check as they always did
      return;
    }
    Operation operation = contract.result().findOperation(ctx.request().path(), ctx.request().method());
    if (operation == null || trivial(operation) || skipped(ctx, operation)) {
      ctx.next();
      return;
    }
    EXTRACTOR.extractValidatableRequest(ctx, operation)
        .map(ApiDocument::asJson) // "Application/JSON; charset=UTF-8" is JSON too (media types ignore case)
        .compose(request -> findings(request, operation, new JsonObject(), 0))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result().isEmpty()) {
            ctx.next();
          } else if (ar.succeeded()) {
            ApiError.invalid(ar.result()).send(ctx);
          } else {
            LOG.log(Level.WARNING, "could not check " + operation.getOperationId() + ": " + ar.cause(), ar.cause());
            ctx.next();
          }
        });
  }

  /**
   * Every invalid field, as the handlers answer (field by field), where the validator stops at the first:
   * an optional parameter it refuses is noted and left out, and the request checked again, until only
   * the body's findings (all of them) or a required parameter's are left.
   */
  private Future<JsonObject> findings(ValidatableRequest request, Operation operation, JsonObject fields, int round) {
    return validator.result().validate(request, operation.getOperationId()).map(ok -> fields).recover(err -> {
      if (!(err instanceof ValidatorException invalid)) {
        return Future.failedFuture(err);
      }
      Matcher named = PARAMETER.matcher(invalid.getMessage() + " ");
      Parameter parameter = named.find() ? parameter(operation, named.group(1)) : null;
      if (parameter == null) {
        fields.mergeIn(refusal(invalid));
        return Future.succeededFuture(fields);
      }
      fields.put(parameter.getName(), reason(invalid));
      if (parameter.isRequired() || round >= 10 || (parameter.getIn() != Location.QUERY && parameter.getIn() != Location.HEADER)) {
        return Future.succeededFuture(fields);
      }
      return findings(without(request, parameter), operation, fields, round + 1);
    });
  }

  private static ValidatableRequest asJson(ValidatableRequest r) {
    return r.getContentType() == null ? r
        : new ValidatableRequestImpl(r.getCookies(), r.getHeaders(), r.getPathParameters(), r.getQuery(), r.getBody(),
            "application/json");
  }

  private static Parameter parameter(Operation operation, String name) {
    return operation.getParameters().stream().filter(p -> p.getName().equals(name)).findFirst().orElse(null);
  }

  private static ValidatableRequest without(ValidatableRequest r, Parameter parameter) {
    Map<String, RequestParameter> query = new HashMap<>(r.getQuery());
    Map<String, RequestParameter> headers = new HashMap<>(r.getHeaders());
    (parameter.getIn() == Location.QUERY ? query : headers).remove(parameter.getName());
    return new ValidatableRequestImpl(r.getCookies(), headers, r.getPathParameters(), query, r.getBody(), r.getContentType());
  }

  /** The validator's reason, without its preamble. */
  private static String reason(ValidatorException e) {
    int at = e.getMessage().indexOf("Reason: ");
    return at < 0 ? e.getMessage() : e.getMessage().substring(at + 8);
  }

  /**
   * An operation any request to it satisfies (no body; each parameter any string, and optional unless
   * in the path): the public count and the like are not sent through the validator's worker for nothing.
   */
  static boolean trivial(Operation operation) {
    return operation.getRequestBody() == null && operation.getParameters().stream().allMatch(p ->
        (p.getIn() == Location.PATH || !p.isRequired()) && p.getSchema() != null
            && p.getSchema().fieldNames().stream().allMatch(k -> k.equals("type") || k.equals("description"))
            && "string".equals(p.getSchema().get("type")));
  }

  private boolean skipped(RoutingContext ctx, Operation operation) {
    if (Boolean.TRUE.equals(operation.getExtensions().get("x-checked-by-handler"))) {
      return true;
    }
    if (needToken.contains(operation.getOperationId()) && ctx.request().getHeader("Authorization") == null) {
      return true;
    }
    if (operation.getRequestBody() == null) {
      return false;
    }
    String type = ctx.request().getHeader("Content-Type");
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return !media.equals("application/json");
  }

  /** The fields a body's finding names (each invalid property), or the parameter it names. */
  static JsonObject refusal(ValidatorException e) {
    JsonObject fields = new JsonObject();
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null && e.getMessage().contains(" body ")) {
      for (OutputUnit unit : errors(schema.getOutputUnit())) {
        fields.put(field(unit), unit.getError());
      }
    }
    if (fields.isEmpty()) {
      Matcher parameter = PARAMETER.matcher(e.getMessage() + " ");
      fields.put(parameter.find() ? parameter.group(1) : "body", e.getMessage());
    }
    return fields;
  }

  private static java.util.List<OutputUnit> errors(OutputUnit unit) {
    return unit.getErrors() == null || unit.getErrors().isEmpty() ? java.util.List.of(unit) : unit.getErrors();
  }

  /** The body field an error is about: the first step of its location, or the required property it names. */
  private static String field(OutputUnit unit) {
    String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
    location = location.startsWith("#") ? location.substring(1) : location; // "#/title": a JSON pointer
    if (location.length() > 1) {
      String first = location.substring(1).split("/", 2)[0];
      return first.replace("~1", "/").replace("~0", "~");
    }
    Matcher required = REQUIRED.matcher(String.valueOf(unit.getError()));
    return required.find() ? required.group(1) : "body";
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
   * HTML answers) are left out of its copy; such bodies are not checked.
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
