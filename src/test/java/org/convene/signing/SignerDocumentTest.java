package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.Validator;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The sign request is checked by its handler ({@link Signer}: a reason code per field, and the no-script
 * form's page), and described by the API document's {@code Signer} schema. This keeps the two in step:
 * for each field's edge cases (lengths, trimming, controls, every country code), the schema and the
 * handler take or refuse the same bodies.
 */
class SignerDocumentTest {
  private static final Validator SCHEMA = Validator.create(JsonSchema.of(signerSchema()),
      new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("app:///"));

  @Test
  void theDocumentsSignerSchemaAgreesWithTheHandler() {
    List<String> text = List.of("", "   ", "A", " A ", "x".repeat(100), "x".repeat(101), " " + "x".repeat(100) + " ",
        "a\tb", "a\u0000b", "a\u0085b", "a\u2028b", "a\nb", "a\rb", "a\r\nb", "\ud83d\ude00".repeat(100),
        "\ud83d\ude00".repeat(101), "a\ud800b", "\u3000", "\u00a0", "\u3000A\u3000", "نحن هنا", "x".repeat(500),
        "x".repeat(499) + "\r\n", "x".repeat(501), "line\nbreak\n\nthen",
        " A\u2028", "A\u001c", "\u3000" + "x".repeat(100), "\u2003x\u2007", " \t\n ");
    List<String> disagreements = new ArrayList<>();
    for (String field : List.of("name", "city", "comment")) {
      text.forEach(v -> compare(field, v, disagreements));
    }
    for (String email : List.of("", " ", "a@example.org", " a@example.org ", "not an address", "a@b", "a@b.c\r\nBcc: x@y.z", "\u3000a@example.org\u2003",
        " " + "x".repeat(64) + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(57) + ".org ",
        "x".repeat(64) + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(60) + ".org")) {
      compare("email", email, disagreements);
    }
    List<String> countries = new ArrayList<>(Arrays.asList(Locale.getISOCountries()));
    countries.addAll(List.of("fr", " de ", "Fr", "XX", "FRA", "", " ", "F", "fr\n", "UK", "EU", "\u3000fr"));
    countries.forEach(c -> compare("country", c, disagreements));
    for (String display : List.of("full", "initials", "hidden", "Full", "", "none")) {
      compare("display", display, disagreements);
    }
    for (String language : List.of("fr", "fa-IR", " ar ", "", "english please", "zh-Hant-TW", "x", "\u2003fr")) {
      compare("language", language, disagreements);
    }
    for (Object updates : new Object[] {true, false, "yes", 1}) {
      compare("updates", updates, disagreements);
    }
    assertEquals(List.of(), disagreements, "bodies the document's Signer and the handler judge differently");
  }

  /** One field set to {@code value} in an otherwise valid body; a disagreement is noted. */
  private static void compare(String field, Object value, List<String> disagreements) {
    JsonObject body = new JsonObject().put("name", "Amal Haddad").put("country", "FR").put("display", "full")
        .put(field, value);
    boolean document = SCHEMA.validate(body).getValid();
    boolean handler;
    try {
      Signer.fromJson(body, false, "en");
      handler = true;
    } catch (Signer.Invalid e) {
      handler = false;
    }
    if (document != handler) {
      disagreements.add(field + "=" + JsonObject.of("v", value).encode() + ": document " + (document ? "takes" : "refuses")
          + " it, the handler " + (handler ? "takes" : "refuses") + " it");
    }
  }

  @SuppressWarnings("unchecked")
  private static JsonObject signerSchema() {
    try (InputStream in = SignerDocumentTest.class.getClassLoader().getResourceAsStream("openapi/openapi.yaml")) {
      Map<String, Object> raw = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      return new JsonObject(raw).getJsonObject("components").getJsonObject("schemas").getJsonObject("Signer");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
