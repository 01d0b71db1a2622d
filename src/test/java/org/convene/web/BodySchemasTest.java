package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled body schemas ({@link BodySchemas}) decide a body valid exactly when Vert.x's validator of
 * the same schema does, for every operation with a JSON body: on its edge cases (each field given each
 * value of a pool of lengths at and around the bounds, astral characters, control characters, white
 * space of every kind, emails, codes, wrong types, nulls, numbers of every shape, nested objects) and on
 * random bodies. Were the two to disagree one way, a body the document refuses would reach a handler.
 */
class BodySchemasTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;
  private static BodySchemas compiled;
  private static List<String> fields;

  /** A valid body of every operation that takes JSON (checked valid below), which the cases then vary. */
  private static final Map<String, JsonObject> VALID = Map.ofEntries(
      Map.entry("createManifesto", new JsonObject().put("title", "Migrant Manifesto").put("text", "We are here.\n").put("language", "en")),
      Map.entry("emailLinks", new JsonObject().put("email", "amal@example.org").put("editor", "e1").put("viewer", "v1")),
      Map.entry("createVersion", new JsonObject().put("name", "Paris reading").put("note", "read aloud").put("by", "Amal")),
      Map.entry("publishVersion", new JsonObject().put("by", "Amal")),
      Map.entry("restoreVersion", new JsonObject().put("by", "Amal")),
      Map.entry("sign", new JsonObject().put("name", "أمل حداد").put("email", "amal@example.org").put("country", "FR")
          .put("city", "Marseille").put("comment", "We were there.\nAll of us.").put("display", "full").put("language", "fa-IR")
          .put("updates", true).put("website", "")),
      Map.entry("putSigning", new JsonObject().put("requireEmail", true).put("goal", 1000).put("deadline", "2027-05-01T18:00:00Z")
          .put("open", true).put("kiosk", false).put("kioskPerMinute", 30)
          .put("rateLimit", new JsonObject().put("perIpBurst", 5).put("perIpPerHour", 50))),
      Map.entry("eraseSignature", new JsonObject().put("id", 12)),
      Map.entry("invalidateSignatures", new JsonObject().put("ip", "203.0.113.0/24").put("domain", "example.org")
          .put("from", "2026-11-30T00:00:00Z").put("dryRun", true).put("reason", "a bot")),
      Map.entry("addTranslation", new JsonObject().put("language", "ar")),
      Map.entry("confirmUnit", new JsonObject().put("name", "Amal")),
      Map.entry("reviewUnit", new JsonObject().put("name", "Amal").put("state", "reviewed")),
      Map.entry("publishTranslation", new JsonObject().put("version", 3).put("by", "Amal")));

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    JsonObject document = ApiDocument.read();
    contract = OpenAPIContract.from(vertx, ApiDocument.validatable(document)).await(60, TimeUnit.SECONDS);
    compiled = BodySchemas.of(document);
    TreeSet<String> names = new TreeSet<>();
    propertyNames(document, names);
    names.add("unknown");
    fields = List.copyOf(names);
  }

  @AfterAll
  static void close() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  @Test
  void everyOperationTakingJsonIsCompiledAndItsExampleIsValid() {
    int operations = 0;
    for (Operation operation : contract.operations()) {
      if (vertxValidator(operation) == null) {
        continue;
      }
      operations++;
      String id = operation.getOperationId();
      assertTrue(compiled.has(id), id + " has a JSON body: it must be compiled");
      assertTrue(VALID.containsKey(id), id + " needs a valid example in this test");
      Buffer body = VALID.get(id).toBuffer();
      assertTrue(vertxValidator(operation).validate(Json.decodeValue(body)).getValid(), id + "'s example is valid for Vert.x");
      assertTrue(compiled.valid(id, body), id + "'s example is valid compiled");
    }
    assertEquals(VALID.size(), operations, "an example for each operation that takes JSON, and no other");
  }

  @Test
  void eachFieldGivenEachValueIsJudgedAsVertxJudgesIt() {
    List<String> disagreements = new ArrayList<>();
    int cases = 0;
    int refused = 0;
    for (Map.Entry<String, JsonObject> example : VALID.entrySet()) {
      Validator reference = vertxValidator(contract.operation(example.getKey()));
      List<String> tried = new ArrayList<>(example.getValue().fieldNames());
      tried.addAll(List.of("unknown", "rateLimit", "name")); // one no schema names, two others do
      for (String field : tried) {
        JsonObject without = example.getValue().copy();
        without.remove(field);
        refused += compare(example.getKey(), reference, without, disagreements) ? 0 : 1;
        for (Object value : pool()) {
          cases++;
          JsonObject body = example.getValue().copy().put(field, value);
          refused += compare(example.getKey(), reference, body, disagreements) ? 0 : 1;
        }
      }
      for (Object value : pool()) {
        refused += compare(example.getKey(), reference, value, disagreements) ? 0 : 1; // the body itself any value
      }
    }
    assertEquals(List.of(), disagreements, "bodies the two validators judge differently");
    assertTrue(refused > cases / 4 && refused < cases * 3 / 4, "the cases reach both sides of the rules: " + refused + " refused of " + cases);
  }

  @Test
  void randomBodiesAreJudgedAsVertxJudgesThem() {
    SplittableRandom random = new SplittableRandom(2026);
    List<Object> pool = pool();
    List<String> disagreements = new ArrayList<>();
    int valid = 0;
    for (Map.Entry<String, JsonObject> example : VALID.entrySet()) {
      Validator reference = vertxValidator(contract.operation(example.getKey()));
      List<String> own = new ArrayList<>(example.getValue().fieldNames());
      for (int i = 0; i < 1_500; i++) {
        JsonObject body = example.getValue().copy();
        for (int change = 1 + random.nextInt(3); change > 0; change--) {
          String field = random.nextInt(3) == 0 ? fields.get(random.nextInt(fields.size())) : own.get(random.nextInt(own.size()));
          if (random.nextInt(6) == 0) {
            body.remove(field);
          } else {
            body.put(field, pool.get(random.nextInt(pool.size())));
          }
        }
        valid += compare(example.getKey(), reference, body, disagreements) ? 1 : 0;
      }
    }
    assertEquals(List.of(), disagreements, "bodies the two validators judge differently");
    assertTrue(valid > 1_000 && valid < VALID.size() * 1_500 - 1_000, "both verdicts drawn: " + valid + " valid");
  }

  /**
   * The no-script sign form: its fields (strings, as a form sends them) given each string of the pool,
   * left out, or joined by others, judged as Vert.x's validator of the form schema judges them.
   */
  @Test
  void formPostsAreJudgedAsVertxJudgesThem() {
    Bodies bodies = Bodies.of(contract, ApiDocument.read());
    Validator reference = bodies.form("sign");
    JsonObject valid = new JsonObject();
    VALID.get("sign").forEach(e -> valid.put(e.getKey(), String.valueOf(e.getValue())));
    valid.put("updates", "on").put("csrf", "c".repeat(75));
    assertTrue(reference.validate(valid).getValid() && compiled.validForm("sign", valid), "the example form is valid");
    assertFalse(compiled.validForm("emailLinks", valid), "an operation without a form");
    List<String> disagreements = new ArrayList<>();
    int cases = 0;
    int refused = 0;
    List<String> strings = pool().stream().filter(v -> v instanceof String).map(String.class::cast).toList();
    List<String> tried = new ArrayList<>(valid.fieldNames());
    tried.add("unknown");
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < tried.size() * strings.size() + 3_000; i++) {
      JsonObject fields = valid.copy();
      if (i < tried.size() * strings.size()) {
        fields.put(tried.get(i / strings.size()), strings.get(i % strings.size()));
      } else {
        for (int change = 1 + random.nextInt(3); change > 0; change--) {
          String field = tried.get(random.nextInt(tried.size()));
          if (random.nextInt(6) == 0) {
            fields.remove(field);
          } else {
            fields.put(field, strings.get(random.nextInt(strings.size())));
          }
        }
      }
      cases++;
      boolean expected = reference.validate(fields).getValid();
      boolean actual = compiled.validForm("sign", fields);
      refused += expected ? 0 : 1;
      if (expected != actual && disagreements.size() < 20) {
        String shown = fields.encode();
        disagreements.add((shown.length() > 160 ? shown.substring(0, 160) + "..." : shown) + ": Vert.x " + expected
            + ", compiled " + actual);
      }
    }
    assertEquals(List.of(), disagreements, "form posts the two validators judge differently");
    assertTrue(refused > cases / 4 && refused < cases * 3 / 4, "both verdicts drawn: " + refused + " refused of " + cases);
  }

  @Test
  void whatIsNotOneJsonValueIsNotValid() {
    String sign = VALID.get("sign").encode();
    assertTrue(compiled.valid("sign", Buffer.buffer(sign)));
    assertFalse(compiled.valid("sign", Buffer.buffer(sign + " {}")), "content after the value");
    assertFalse(compiled.valid("sign", Buffer.buffer(sign.substring(0, sign.length() - 1))), "cut short");
    assertFalse(compiled.valid("sign", Buffer.buffer("")), "empty");
    assertFalse(compiled.valid("sign", Buffer.buffer("name=Amal")), "a form");
    assertFalse(compiled.valid("noSuchOperation", Buffer.buffer(sign)), "an operation without a compiled schema");
    assertFalse(compiled.valid("getOpenApi", Buffer.buffer(sign)), "an operation without a body");
  }

  /** Whether both validators judged the body the same way (a disagreement is noted); returns the verdict. */
  private static boolean compare(String operationId, Validator reference, Object body, List<String> disagreements) {
    Buffer encoded = Json.encodeToBuffer(body);
    boolean expected = reference.validate(Json.decodeValue(encoded)).getValid();
    boolean actual = compiled.valid(operationId, encoded);
    if (expected != actual && disagreements.size() < 20) {
      String shown = encoded.length() > 160 ? encoded.getString(0, 160) + "..." : encoded.toString();
      disagreements.add(operationId + " " + shown + ": Vert.x " + expected + ", compiled " + actual);
    }
    return expected;
  }

  private static Validator vertxValidator(Operation operation) {
    MediaType media = operation.getRequestBody() == null ? null : operation.getRequestBody().getContent().get("application/json");
    return media == null || media.getSchema() == null ? null : contract.getSchemaRepository().validator(media.getSchema());
  }

  /** Values at and around every bound the document has, of every JSON type. */
  private static List<Object> pool() {
    List<Object> values = new ArrayList<>();
    for (int n : new int[] {0, 1, 2, 3, 34, 35, 36, 59, 60, 61, 64, 65, 99, 100, 101, 199, 200, 201, 253, 254, 255, 499, 500, 501}) {
      values.add("x".repeat(n));
      values.add("😀".repeat(n)); // two UTF-16 units, one code point
      values.add("é".repeat(n));
    }
    values.add("x".repeat(10_000));
    values.add("x".repeat(10_001));
    values.addAll(List.of(" ", "\t", "\n", "  FR ", "fr", "FR", "ZZ", "F", "FRA", "\u00A0FR\u00A0", "\u2003fr", "fr\n", "FR\u000B",
        "full", "initials", "hidden", "FULL", " full", "reviewed", "draft", "Reviewed",
        "en", "fr-CA", "zh-Hant-TW", "fa-IR", "e", "english", "en_GB", "en-", "x-klingon", "ar-EG-u-nu-latn",
        "amal@example.org", " amal@example.org ", "amal@example", "a@b.c", "x".repeat(64) + "@example.org",
        "x".repeat(65) + "@example.org", "amal@example.org\n", "amal@@example.org", "amal@exam_ple.org", "amal@-example.org",
        "Amal", "أمل حداد", "阿迈勒", "अमल", "a\u0000b", "a\u0007b", "a\nb", "a\r\nb", "a\tb", "a\u0085b", "a\u2028b", "a\u2029b",
        "a\u009Fb", "a\u007Fb", "\u200F", "\u3000", "\u1680x", "x\u200B", "\ud800", "a\udc00b", "\uFFFF", "\uFDD0",
        "203.0.113.7", "203.0.113.0/24", "2001:db8::/32", " 203.0.113.7 ", "203.0.113.0/1234", "example.org", "exa mple.org",
        "2027-05-01T18:00:00Z", "tomorrow", "0", "1", "-1", "true", "null", "on"));
    values.addAll(List.of(0, 1, -1, 2, 30, 999_999_999, 1_000_000_000, 1_000_000, 1_000_001, Integer.MAX_VALUE, Long.MAX_VALUE,
        1.0, 1.5, -0.5, 0.0, 1e3, 1e300, new java.math.BigInteger("123456789012345678901234567890")));
    values.addAll(List.of(true, false));
    values.add(null);
    values.add(new JsonArray());
    values.add(new JsonArray().add("a"));
    values.add(new JsonObject());
    values.add(new JsonObject().put("perIpBurst", 5));
    values.add(new JsonObject().put("perIpBurst", -1).put("perIpPerHour", 5));
    values.add(new JsonObject().put("perIpPerHour", 1.5));
    values.add(new JsonObject().put("perIpBurst", "5"));
    values.add(new JsonObject().put("perIpBurst", 1_000_001));
    return values;
  }

  /** Every name that appears under some schema's "properties". */
  private static void propertyNames(Object node, TreeSet<String> into) {
    if (node instanceof JsonObject o) {
      if (o.getValue("properties") instanceof JsonObject properties) {
        into.addAll(properties.fieldNames());
      }
      o.forEach(e -> propertyNames(e.getValue(), into));
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> propertyNames(v, into));
    }
  }
}
