package org.convene.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.common.ApiError;

/**
 * What the OpenAPI validator found wrong with a request, as the contract's {@code fields} and the
 * added {@code reasons}: each bad body field or parameter, with the words the document gives it
 * ({@code description}) where it gives some, else the validator's own; and a reason code from the
 * keyword that failed ({@code required} and {@code minLength}: required, {@code maxLength}: too_long,
 * {@code type}: type, the rest: invalid), unless the sub-schema holding it says otherwise with
 * {@code x-reason}. So the document is also where a refusal's words and reasons are kept.
 */
final class Findings {
  private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter (\\S+?)[ .]");
  private static final Pattern REQUIRED = Pattern.compile("required property \"?'?([^\"' ]+)");
  /**
   * Keywords whose error only says that a sub-schema failed (the sub-schema's own errors follow it):
   * not findings of their own. additionalProperties is one only when its schema says more than false.
   */
  private static final Set<String> WRAPPERS = Set.of("properties", "patternProperties", "dependentSchemas", "items",
      "prefixItems", "allOf", "$ref", "$dynamicRef", "$recursiveRef", "if", "then", "else");

  private final JsonObject document;

  /** {@code document}: the API document as written, for the {@code $ref}s a finding's location passes. */
  Findings(JsonObject document) {
    this.document = document;
  }

  /** Each invalid field's words and reason code; the first finding about a field stands. */
  static final class Found {
    private final JsonObject fields = new JsonObject();
    private final JsonObject reasons = new JsonObject();

    void put(String field, String words, String reason) {
      if (!fields.containsKey(field)) {
        fields.put(field, words);
        reasons.put(field, reason);
      }
    }

    boolean isEmpty() {
      return fields.isEmpty();
    }

    ApiError error() {
      return ApiError.invalid(fields, reasons);
    }
  }

  /** A parameter's finding: its description in the document (else the validator's reason), and the reason's code. */
  void parameter(Found found, Parameter parameter, ValidatorException e) {
    String description = parameter.getOpenAPIModel().getString("description");
    String words;
    if (description != null && !description.isBlank()) {
      words = description;
    } else {
      int at = e.getMessage().indexOf("Reason: ");
      words = at < 0 ? e.getMessage() : e.getMessage().substring(at + 8);
    }
    String reason = "invalid";
    if (e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER) {
      reason = "required";
    } else if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      List<OutputUnit> errors = errors(schema.getOutputUnit());
      OutputUnit first = errors.stream().filter(u -> !WRAPPERS.contains(keyword(u))).findFirst().orElse(errors.get(0));
      reason = reason(walk(parameter.getOpenAPIModel().getJsonObject("schema"), first.getKeywordLocation()).holder(),
          keyword(first));
    }
    found.put(parameter.getName(), words, reason);
  }

  /** The body's findings as the validator reported them: each invalid property, else what it names. */
  void body(Found found, Operation operation, String mediaType, ValidatorException e) {
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null && e.getMessage().contains(" body ")) {
      body(found, operation, mediaType, schema.getOutputUnit());
    }
    if (found.isEmpty()) {
      Matcher parameter = PARAMETER.matcher(e.getMessage() + " ");
      found.put(parameter.find() ? parameter.group(1) : "body", e.getMessage(),
          e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER ? "required" : "invalid");
    }
  }

  /**
   * A body's findings from the schema's output ({@code mediaType}'s schema in the operation): per field,
   * its first error that is not only a sub-schema's failing (the keywords are checked in the validator's
   * fixed order: type, enum, allOf..., then minLength, maxLength, pattern).
   */
  void body(Found found, Operation operation, String mediaType, OutputUnit output) {
    JsonObject root = bodySchema(operation, mediaType);
    List<OutputUnit> errors = errors(output);
    List<OutputUnit> own = errors.stream().filter(u -> !WRAPPERS.contains(keyword(u))).toList();
    Map<String, OutputUnit> chosen = new LinkedHashMap<>();
    for (OutputUnit unit : own.isEmpty() ? errors : own) {
      chosen.putIfAbsent(field(unit), unit);
    }
    chosen.forEach((field, unit) -> {
      String keyword = keyword(unit);
      Walk at = walk(root, unit.getKeywordLocation());
      String reason = reason(at.holder(), keyword);
      String words;
      if (keyword.equals("required")) {
        words = "required";
      } else {
        words = at.description() == null ? unit.getError() : at.description();
        words = reason.equals("required") ? "required: " + words : words;
      }
      found.put(field, words, reason);
    });
  }

  /**
   * The keyword a finding is about ({@code required}, {@code maxLength}, {@code pattern}, {@code enum},
   * {@code type}...): the last step of its keyword location.
   */
  static String keyword(OutputUnit unit) {
    String location = String.valueOf(unit.getKeywordLocation());
    return location.substring(location.lastIndexOf('/') + 1);
  }

  /** The failing keyword's reason code: the {@code x-reason} of the schema holding it, else the keyword's. */
  static String reason(Object holder, String keyword) {
    if (holder instanceof JsonObject schema && schema.getValue("x-reason") instanceof String reason && !reason.isBlank()) {
      return reason;
    }
    return switch (keyword) {
      case "required", "minLength", "minItems", "minProperties", "dependentRequired" -> "required";
      case "maxLength", "maxItems", "maxProperties" -> "too_long";
      case "type" -> "type";
      default -> "invalid";
    };
  }

  static List<OutputUnit> errors(OutputUnit unit) {
    return unit.getErrors() == null || unit.getErrors().isEmpty() ? List.of(unit) : unit.getErrors();
  }

  /** The body field an error is about: the first step of its location, or the required property it names. */
  static String field(OutputUnit unit) {
    String location = unit.getInstanceLocation() == null ? "" : unit.getInstanceLocation();
    location = location.startsWith("#") ? location.substring(1) : location; // "#/title": a JSON pointer
    if (location.length() > 1) {
      String first = location.substring(1).split("/", 2)[0];
      return first.replace("~1", "/").replace("~0", "~");
    }
    Matcher required = REQUIRED.matcher(String.valueOf(unit.getError()));
    return required.find() ? required.group(1) : "body";
  }

  /** The operation's body schema for {@code mediaType} as written in the document (the contract's copy has its $refs merged). */
  JsonObject bodySchema(Operation operation, String mediaType) {
    Object node = document.getJsonObject("paths").getValue(operation.getOpenAPIPath());
    node = node instanceof JsonObject item ? item.getValue(operation.getHttpMethod().name().toLowerCase(Locale.ROOT)) : null;
    node = node instanceof JsonObject op ? op.getValue("requestBody") : null;
    if (node instanceof JsonObject body && body.containsKey("$ref")) {
      node = referred(body.getValue("$ref"));
    }
    node = node instanceof JsonObject body && body.getValue("content") instanceof JsonObject content
        ? content.getValue(mediaType) : null;
    return node instanceof JsonObject media && media.getValue("schema") instanceof JsonObject schema ? schema : null;
  }

  /** Where a keyword location leads: the schema holding the keyword, and the description nearest it. */
  private record Walk(Object holder, String description) {}

  /**
   * Walks a keyword location ("#/properties/title/maxLength", "#/properties/by/$ref/pattern") from
   * {@code root} and through {@code $ref}s, to the schema holding the keyword.
   */
  private Walk walk(JsonObject root, String location) {
    String[] steps = String.valueOf(location).replaceFirst("^#?/?", "").split("/");
    Object node = root;
    String found = described(root);
    for (int i = 0; node != null && i < steps.length - 1; i++) { // the last step is the keyword itself
      String step = steps[i].replace("~1", "/").replace("~0", "~");
      if (node instanceof JsonObject o) {
        node = child(o, step, 0);
      } else if (node instanceof JsonArray a && step.matches("[0-9]{1,4}") && Integer.parseInt(step) < a.size()) {
        node = a.getValue(Integer.parseInt(step));
      } else {
        node = null;
      }
      String here = described(node);
      found = here == null ? found : here;
    }
    String keyword = steps[steps.length - 1];
    for (int hops = 0; node instanceof JsonObject o && !o.containsKey(keyword) && o.containsKey("$ref") && hops < 8; hops++) {
      node = referred(o.getValue("$ref")); // the keyword is in the schema the holder refers to
      String here = described(node);
      found = here == null ? found : here;
    }
    return new Walk(node, found);
  }

  /** A schema's step; one it lacks is looked for where its $ref points (the contract merges those away). */
  private Object child(JsonObject schema, String step, int hops) {
    if (step.equals("$ref") || (!schema.containsKey(step) && schema.containsKey("$ref"))) {
      Object target = referred(schema.getValue("$ref"));
      return step.equals("$ref") || hops > 8 || !(target instanceof JsonObject t) ? target : child(t, step, hops + 1);
    }
    return schema.getValue(step);
  }

  private static String described(Object schema) {
    return schema instanceof JsonObject o && o.getValue("description") instanceof String d && !d.isBlank() ? d : null;
  }

  /** What a local {@code $ref} ("#/components/schemas/Signer") points to in the document. */
  private Object referred(Object ref) {
    if (!(ref instanceof String r) || !r.startsWith("#/")) {
      return null;
    }
    Object node = document;
    for (String step : r.substring(2).split("/")) {
      node = node instanceof JsonObject o ? o.getValue(step.replace("~1", "/").replace("~0", "~")) : null;
    }
    return node;
  }
}
