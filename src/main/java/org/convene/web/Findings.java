package org.convene.web;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
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

  /** The parameter a finding is about, or null when it is about the body. */
  static Parameter parameter(Operation operation, ValidatorException e) {
    Matcher named = PARAMETER.matcher(e.getMessage() + " ");
    if (!named.find()) {
      return null;
    }
    return operation.getParameters().stream().filter(p -> p.getName().equals(named.group(1))).findFirst().orElse(null);
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

  /** "required" for a missing field; else the failing schema's description; else the validator's words. */
  private String words(JsonObject root, OutputUnit unit) {
    if (keyword(unit).equals("required")) {
      return "required";
    }
    JsonObject schema = at(root, String.valueOf(unit.getKeywordLocation()));
    String description = schema == null ? null : schema.getString("description");
    return description == null || description.isBlank() ? unit.getError() : description;
  }

  private static JsonObject bodySchema(Operation operation) {
    if (operation.getRequestBody() == null) {
      return null;
    }
    MediaType json = operation.getRequestBody().getContent().get("application/json");
    return json == null || !(json.getOpenAPIModel().getValue("schema") instanceof JsonObject schema) ? null : schema;
  }

  /** The schema holding the keyword at {@code location} ("#/properties/title/maxLength"), following $refs. */
  private JsonObject at(JsonObject root, String location) {
    String[] steps = location.replaceFirst("^#?/?", "").split("/");
    JsonObject node = resolve(root);
    for (int i = 0; node != null && i < steps.length - 1; i++) {
      String step = steps[i].replace("~1", "/").replace("~0", "~");
      node = step.equals("$ref") ? node : node.getValue(step) instanceof JsonObject o ? resolve(o) : null;
    }
    return node;
  }

  /** A schema, or the one its local {@code $ref} ("#/components/schemas/Signer") points to. */
  private JsonObject resolve(JsonObject schema) {
    for (int hops = 0; schema != null && schema.getValue("$ref") instanceof String ref && ref.startsWith("#/") && hops < 8; hops++) {
      Object node = document;
      for (String step : ref.substring(2).split("/")) {
        node = node instanceof JsonObject o ? o.getValue(step.replace("~1", "/").replace("~0", "~")) : null;
      }
      schema = node instanceof JsonObject o ? o : null;
    }
    return schema;
  }
}
