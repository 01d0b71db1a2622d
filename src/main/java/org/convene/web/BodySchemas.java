package org.convene.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import com.networknt.schema.regex.JDKRegularExpressionFactory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The operations' JSON body schemas, compiled once from the document as written (networknt's
 * json-schema-validator, in OpenAPI 3.1's dialect of JSON Schema 2020-12): each {@code $ref} resolved and each
 * {@code pattern} compiled at start, so that a valid body is told valid in a few microseconds. Vert.x's
 * validator, which the contract's findings come from, walks the schema and compiles every pattern on
 * each request (about 30 us a signature, docs/BENCHMARKS.md); it is kept for what only it does: the
 * wording of an invalid request's findings, and every request this does not decide.
 *
 * <p>It only ever answers "valid" for a body Vert.x's validator takes too: both read the same schema,
 * both match patterns with {@code java.util.regex}, both count lengths in code points. (This one reads
 * a pattern's {@code $} as ECMAScript does, the end of the value, where Java's also matches before a
 * final line break: the document's patterns end with {@code (?![\s\S])} instead, which both read alike.)
 * {@code BodySchemasTest} holds them to that on every operation's edge cases and on random bodies.
 * Anything it refuses goes to Vert.x's validator, whose verdict stands, so a disagreement the other
 * way costs time, never a wrong answer.
 */
final class BodySchemas {
  /** Jackson's parser, strict as Vert.x's decoder: content after the value is not JSON. */
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** Where each operation's schema is said to live, so that its "#/components/..." references resolve. */
  private static final String BASE = "https://convene.invalid/openapi/";

  private final Map<String, Schema> byOperation;

  private BodySchemas(Map<String, Schema> byOperation) {
    this.byOperation = byOperation;
  }

  /**
   * One compiled schema per operation and media type whose request body has a schema for JSON or for
   * a form post ({@code application/x-www-form-urlencoded}, the no-script sign form): the schema as written, beside a copy of the document's {@code components} (which JSON Schema ignores as
   * an unknown keyword) so that its {@code $ref}s resolve within it.
   */
  static BodySchemas of(JsonObject document) {
    JsonNode doc = MAPPER.valueToTree(document.getMap());
    JsonNode components = doc.path("components");
    Map<String, String> resources = new HashMap<>();
    Map<String, String> locations = new HashMap<>();
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
      JsonNode op = method.getValue();
      JsonNode body = resolve(doc, op.path("requestBody"));
      for (String media : new String[] {"application/json", Bodies.FORM}) {
        JsonNode schema = body.path("content").path(media).path("schema");
        if (op.path("operationId").isTextual() && schema.isObject()) {
          ObjectNode root = ((ObjectNode) schema.deepCopy());
          root.set("components", components);
          String key = key(op.path("operationId").asText(), media);
          String location = BASE + key.replace('#', '.') + ".json";
          resources.put(location, root.toString());
          locations.put(key, location);
        }
      }
    }));
    // Java's regular expressions, as Vert.x's validator (the document's patterns are written for them:
    // ECMAScript's \s, for one, takes more than Java's), and types as written (no "1" for 1).
    SchemaRegistryConfig config = SchemaRegistryConfig.builder()
        .regularExpressionFactory(JDKRegularExpressionFactory.getInstance()).typeLoose(false).build();
    // OpenAPI 3.1's dialect; the document's own keywords (x-reason, components) annotate, as in Vert.x's.
    Dialect dialect = Dialect.builder(Dialects.getOpenApi31())
        .unknownKeywordFactory((keyword, context) -> new NonValidationKeyword(keyword)).build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect,
        builder -> builder.schemas(resources).schemaRegistryConfig(config));
    Map<String, Schema> compiled = new HashMap<>();
    locations.forEach((operationId, location) -> {
      Schema schema = registry.getSchema(com.networknt.schema.SchemaLocation.of(location));
      schema.initializeValidators(); // every $ref and pattern now, not on the first request
      compiled.put(operationId, schema);
    });
    return new BodySchemas(Map.copyOf(compiled));
  }

  /** A requestBody given as {@code {$ref: "#/components/requestBodies/X"}}, as the document defines it. */
  private static JsonNode resolve(JsonNode doc, JsonNode node) {
    JsonNode ref = node.path("$ref");
    return ref.isTextual() && ref.asText().startsWith("#/") ? doc.at(ref.asText().substring(1)) : node;
  }

  private static String key(String operationId, String media) {
    return media.equals(Bodies.FORM) ? operationId + "#form" : operationId;
  }

  /** Whether the operation has a JSON body schema here. */
  boolean has(String operationId) {
    return byOperation.containsKey(operationId);
  }

  /**
   * Whether a form post's fields, read as a JSON object of strings ({@link Bodies#formFields}), are
   * what the operation's form schema takes: false when it has none.
   */
  boolean validForm(String operationId, JsonObject fields) {
    Schema schema = byOperation.get(key(operationId, Bodies.FORM));
    return schema != null && valid(schema, MAPPER.valueToTree(fields.getMap()));
  }

  /**
   * Whether the body is JSON its operation's schema takes: false when it is not JSON, when the
   * operation has no schema here, or when any keyword refuses it.
   */
  boolean valid(String operationId, Buffer body) {
    return valid(operationId, tree(body));
  }

  /** The same, for a value already read. */
  boolean valid(String operationId, JsonNode value) {
    Schema schema = byOperation.get(operationId);
    return schema != null && value != null && valid(schema, value);
  }

  private static boolean valid(Schema schema, JsonNode value) {
    return schema.validate(value).isEmpty();
  }

  /** A body's JSON tree, or null when it is empty or not JSON. */
  static JsonNode tree(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return MAPPER.readTree(body.getBytes());
    } catch (IOException e) { // not JSON (JsonProcessingException), or content after the value
      return null;
    }
  }
}
