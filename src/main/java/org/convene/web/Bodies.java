package org.convene.web;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What checks the operations' request bodies, built once per verticle: each JSON body's and form
 * post's schema compiled ({@link BodySchemas}), which decides the common case, a valid body; and each
 * form post's ({@code application/x-www-form-urlencoded}, which the contract leaves out:
 * {@link ApiDocument#validatable}) as a validator of the contract's schema repository, its
 * {@code $ref}s resolved in the document as written, whose findings word a refused form. An invalid
 * JSON body's findings come from the Vert.x validator's own {@code validateBody}.
 */
final class Bodies {
  static final String FORM = "application/x-www-form-urlencoded";

  private final BodySchemas compiled;
  private final Map<String, Validator> forms;

  private Bodies(BodySchemas compiled, Map<String, Validator> forms) {
    this.compiled = compiled;
    this.forms = forms;
  }

  static Bodies of(OpenAPIContract contract, JsonObject document) {
    Map<String, Validator> forms = new HashMap<>();
    JsonObject paths = contract.getSchemaRepository().resolve(document).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        if (item.getValue(method) instanceof JsonObject op && op.getValue("requestBody") instanceof JsonObject body
            && body.getValue("content") instanceof JsonObject content && content.getValue(FORM) instanceof JsonObject media
            && media.getValue("schema") instanceof JsonObject schema) {
          forms.put(op.getString("operationId"), contract.getSchemaRepository().validator(JsonSchema.of(schema)));
        }
      }
    }
    return new Bodies(BodySchemas.of(document), Map.copyOf(forms));
  }

  /** Whether a form post's fields are valid by its operation's compiled form schema ({@link BodySchemas#validForm}). */
  boolean validForm(String operationId, JsonObject fields) {
    return compiled.validForm(operationId, fields);
  }

  /** Whether a JSON body is valid by its operation's schema: false when it is not JSON, or has no schema. */
  boolean validJson(String operationId, Buffer body) {
    return compiled.valid(operationId, body);
  }

  /** The validator of an operation's form post, or null when it takes none. */
  Validator form(String operationId) {
    return forms.get(operationId);
  }

  /** A body's JSON value, or null when it is empty or not JSON. */
  static Object decode(Buffer body) {
    if (body == null || body.length() == 0) {
      return null;
    }
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      return null;
    }
  }

  /**
   * A form's fields as its schema takes them: a JSON object of strings. The form's encoding sends each
   * line break as CR LF; it is read as LF, as a script's JSON sends it, so that lengths count the same.
   * A field given more than once is a finding (which value would count?); its first value is checked.
   */
  static JsonObject formFields(MultiMap form, Findings.Found found) {
    JsonObject fields = new JsonObject();
    for (String name : form.names()) {
      List<String> values = form.getAll(name);
      if (values.size() > 1) {
        found.put(name, "given " + values.size() + " times; give it once", "invalid");
      }
      fields.put(name, values.get(0).replace("\r\n", "\n"));
    }
    return fields;
  }

  /** A form's size in characters, names and values. */
  static int formSize(MultiMap form) {
    int size = 0;
    for (Map.Entry<String, String> field : form) {
      size += field.getKey().length() + field.getValue().length();
    }
    return size;
  }
}
