package org.convene.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the OpenAPI validator found wrong with a request, as the contract's {@code fields}: each bad body
 * field or parameter, with the words the document gives it ({@code description}) where it gives some,
 * else the validator's own. So the document is also where a refusal's words are kept.
 */
final class Findings {
  private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter (\\S+?)[ .]");
  private static final Pattern REQUIRED = Pattern.compile("required property \"?'?([^\"' ]+)");

  private final JsonObject document;

  /** {@code document}: the API document as written, for the {@code $ref}s a finding's location passes. */
  Findings(JsonObject document) {
    this.document = document;
  }

  /** A parameter's words: its description in the document, else the validator's reason. */
  static String aboutParameter(Parameter parameter, ValidatorException e) {
    String description = parameter.getOpenAPIModel().getString("description");
    if (description != null && !description.isBlank()) {
      return description;
    }
    int at = e.getMessage().indexOf("Reason: ");
    return at < 0 ? e.getMessage() : e.getMessage().substring(at + 8);
  }

  /** The fields a body's finding names (each invalid property, with its words), or else what it names. */
  JsonObject body(Operation operation, ValidatorException e) {
    JsonObject fields = new JsonObject();
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null && e.getMessage().contains(" body ")) {
      JsonObject root = bodySchema(operation);
      for (OutputUnit unit : errors(schema.getOutputUnit())) {
        fields.put(field(unit), words(root, unit));
      }
    }
    if (fields.isEmpty()) {
      Matcher parameter = PARAMETER.matcher(e.getMessage() + " ");
      fields.put(parameter.find() ? parameter.group(1) : "body", e.getMessage());
    }
    return fields;
  }

  /**
   * The keyword a finding is about ({@code required}, {@code maxLength}, {@code pattern}, {@code enum},
   * {@code type}...): the last step of its keyword location.
   */
  static String keyword(OutputUnit unit) {
    String location = String.valueOf(unit.getKeywordLocation());
    return location.substring(location.lastIndexOf('/') + 1);
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

  /** "required" for a missing field; else the description nearest the failing keyword; else the validator's words. */
  private String words(JsonObject root, OutputUnit unit) {
    if (keyword(unit).equals("required")) {
      return "required";
    }
    String description = description(root, String.valueOf(unit.getKeywordLocation()));
    return description == null ? unit.getError() : description;
  }

  /** The operation's JSON body schema as written in the document (the contract's copy has its $refs merged). */
  private JsonObject bodySchema(Operation operation) {
    Object node = document.getJsonObject("paths").getValue(operation.getOpenAPIPath());
    node = node instanceof JsonObject item ? item.getValue(operation.getHttpMethod().name().toLowerCase(java.util.Locale.ROOT)) : null;
    node = node instanceof JsonObject op ? op.getValue("requestBody") : null;
    if (node instanceof JsonObject body && body.containsKey("$ref")) {
      node = referred(body.getValue("$ref"));
    }
    node = node instanceof JsonObject body && body.getValue("content") instanceof JsonObject content
        ? content.getValue("application/json") : null;
    return node instanceof JsonObject media && media.getValue("schema") instanceof JsonObject schema ? schema : null;
  }

  /**
   * The description of the schema nearest the keyword at {@code location} ("#/properties/title/maxLength",
   * "#/properties/by/$ref/pattern"), walking from the body's schema and through {@code $ref}s.
   */
  private String description(JsonObject root, String location) {
    String[] steps = location.replaceFirst("^#?/?", "").split("/");
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
    return found;
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
