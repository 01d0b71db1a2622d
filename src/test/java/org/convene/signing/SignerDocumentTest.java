package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sign request's rules, stated by the API document's {@code SignerFields} and checked before the
 * handler runs (types, lengths of the value as sent, control characters, the email's, country's and
 * language's syntax), and by the handler for what the document cannot say (trimming: blank is left
 * out; common.Text's noncharacters and lone surrogates; the manifesto's requireEmail). Through the
 * real server, edge case by edge case: each refused value is named in {@code fields} and given its
 * reason code in {@code reasons}, nothing else is, and each taken value is counted.
 */
class SignerDocumentTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;
  static final String OK = null;
  static TestServer.Manifesto open;

  /** A manifesto that counts signatures at once, without email, and without a rate limit. */
  @BeforeAll
  static void manifesto() throws Exception {
    open = api.published("Edge cases", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + open.id() + "/signing", open.admin(), new JsonObject()
        .put("requireEmail", false).put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
  }

  @Test
  void eachTextFieldsEdgeCasesGetTheirReason() throws Exception {
    // value -> {name's, city's, comment's} reason (null: taken)
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("", new String[] {"required", OK, OK});
    cases.put("   ", new String[] {"required", OK, OK}); // blank once trimmed: left out
    cases.put("A", new String[] {OK, OK, OK});
    cases.put(" A ", new String[] {OK, OK, OK});
    cases.put("x".repeat(100), new String[] {OK, OK, OK});
    cases.put("x".repeat(101), new String[] {"too_long", "too_long", OK});
    cases.put(" " + "x".repeat(100) + " ", new String[] {"too_long", "too_long", OK}); // lengths as sent
    cases.put("\u3000" + "x".repeat(100), new String[] {"too_long", "too_long", OK});
    cases.put("\ud83d\ude00".repeat(100), new String[] {OK, OK, OK}); // code points, not UTF-16 units
    cases.put("\ud83d\ude00".repeat(101), new String[] {"too_long", "too_long", OK});
    cases.put("x".repeat(500), new String[] {"too_long", "too_long", OK});
    cases.put("x".repeat(501), new String[] {"too_long", "too_long", "too_long"});
    cases.put("x".repeat(499) + "\r\n", new String[] {"control", "control", "too_long"}); // control is said first
    cases.put("a\tb", new String[] {"control", "control", "control"});
    cases.put("a\u0000b", new String[] {"control", "control", "control"});
    cases.put("a\u0085b", new String[] {"control", "control", "control"});
    cases.put("a\u2028b", new String[] {"control", "control", "control"});
    cases.put(" A\u2028", new String[] {"control", "control", "control"});
    cases.put("A\u001c", new String[] {"control", "control", "control"});
    cases.put(" \t\n ", new String[] {"control", "control", "control"});
    cases.put("a\nb", new String[] {"control", "control", OK});
    cases.put("a\rb", new String[] {"control", "control", OK});
    cases.put("a\r\nb", new String[] {"control", "control", OK});
    cases.put("line\nbreak\n\nthen", new String[] {"control", "control", OK});
    cases.put("a\ud800b", new String[] {"invalid", "invalid", "invalid"}); // a lone surrogate: common.Text
    cases.put("A\ufdd0", new String[] {"invalid", "invalid", "invalid"}); // a noncharacter: common.Text
    cases.put("\u3000", new String[] {"required", OK, OK});
    cases.put("\u00a0", new String[] {OK, OK, OK}); // no-break space is not trimmed (Java's white space)
    cases.put("\u3000A\u3000", new String[] {OK, OK, OK});
    cases.put("\u2003x\u2007", new String[] {OK, OK, OK});
    cases.put("نحن هنا", new String[] {OK, OK, OK});
    List<String> wrong = new ArrayList<>();
    String[] fields = {"name", "city", "comment"};
    cases.forEach((value, expected) -> {
      for (int i = 0; i < fields.length; i++) {
        check(fields[i], value, expected[i], wrong);
      }
    });
    assertEquals(List.of(), wrong, "answers other than the document's and the handler's rules say");
  }

  @Test
  void theOtherFieldsEdgeCasesGetTheirReason() throws Exception {
    List<String> wrong = new ArrayList<>();
    String longest = "x".repeat(64) + "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(57) + ".org";
    assertEquals(254, longest.length());
    Object[][] cases = {
        {"email", "", OK}, {"email", " ", OK}, {"email", null, OK}, {"email", "a@example.org", OK},
        {"email", " a@example.org ", OK}, {"email", "not an address", "invalid"}, {"email", "a@b", "invalid"},
        {"email", "a@b.c\r\nBcc: x@y.z", "invalid"}, {"email", "\u3000a@example.org\u2003", "invalid"},
        {"email", longest, OK}, {"email", " " + longest + " ", "too_long"}, {"email", "e" + longest, "too_long"},
        {"email", "a@b" + ".c".repeat(100_000), "too_long"}, {"email", 5, "type"},
        {"country", "fr", OK}, {"country", " de ", OK}, {"country", "Fr", OK}, {"country", "fr\n", OK},
        {"country", "XX", "invalid"}, {"country", "FRA", "invalid"}, {"country", "F", "invalid"},
        {"country", "UK", "invalid"}, {"country", "EU", "invalid"}, {"country", "\u3000fr", "invalid"},
        {"country", "", "required"}, {"country", " ", "required"}, {"country", null, "type"},
        {"display", "full", OK}, {"display", "initials", OK}, {"display", "hidden", OK},
        {"display", "Full", "invalid"}, {"display", "", "invalid"}, {"display", "none", "invalid"}, {"display", 5, "type"},
        {"language", "fr", OK}, {"language", "fa-IR", OK}, {"language", " ar ", OK}, {"language", "", OK},
        {"language", "zh-Hant-TW", OK}, {"language", "english please", "invalid"}, {"language", "x", "invalid"},
        {"language", "\u2003fr", "invalid"},
        {"updates", true, OK}, {"updates", false, OK}, {"updates", "yes", "type"}, {"updates", 1, "type"},
        {"name", 5, "type"}, {"name", null, "type"}, {"city", null, OK}, {"comment", List.of("a"), "type"},
        {"website", 5, "type"}};
    for (Object[] c : cases) {
      check((String) c[0], c[1], (String) c[2], wrong);
    }
    List<String> countries = new ArrayList<>(Arrays.asList(Locale.getISOCountries()));
    for (String country : countries) {
      check("country", country.toLowerCase(Locale.ROOT), OK, wrong);
    }
    assertEquals(List.of(), wrong, "answers other than the document's and the handler's rules say");
  }

  @Test
  void missingFieldsAreRequiredAndTheWordsComeFromTheDocument() throws Exception {
    HttpResponse<Buffer> r = sign(open, new JsonObject());
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("invalid_input", body.getString("error"));
    assertEquals(new JsonObject().put("name", "required").put("country", "required").put("display", "required"),
        body.getJsonObject("reasons"));
    assertEquals("required", body.getJsonObject("fields").getString("name"));

    JsonObject words = sign(open, base().put("name", "x".repeat(101)).put("city", "a\tb").put("country", "")
        .put("display", "all")).bodyAsJsonObject().getJsonObject("fields");
    assertEquals("1 to 100 characters, one line", words.getString("name"), words.encode());
    assertTrue(words.getString("city").startsWith("control characters are not allowed"), words.encode());
    assertTrue(words.getString("country").startsWith("required: a country code"), words.encode());
    assertEquals("full, initials or hidden", words.getString("display"), words.encode());

    // Where the manifesto requires an email (its setting, so the handler's rule): missing or blank is missing.
    TestServer.Manifesto withEmail = api.published("Email needed", "Text.");
    for (Object email : new Object[] {null, "", "   "}) {
      JsonObject b = base();
      if (email != null) {
        b.put("email", email);
      }
      HttpResponse<Buffer> needed = sign(withEmail, b);
      assertEquals(400, needed.statusCode(), needed.bodyAsString());
      assertEquals(new JsonObject().put("email", "required"), needed.bodyAsJsonObject().getJsonObject("reasons"));
    }
  }

  @Test
  void takenValuesAreStoredTrimmedAndNormalised() throws Exception {
    TestServer.Manifesto m = api.published("Normalised", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    HttpResponse<Buffer> r = sign(m, base().put("name", "  Amal Haddad\u3000").put("country", " fr ")
        .put("city", " Douala ").put("comment", " one\r\ntwo\rthree ").put("language", " ar "));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject entry = Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures")).getJsonObject(0);
    assertEquals("Amal Haddad", entry.getString("displayName"));
    assertEquals("FR", entry.getString("country"));
    assertEquals("Douala", entry.getString("city"));
    assertEquals("one\ntwo\nthree", entry.getString("comment"));
  }

  private static JsonObject base() {
    return new JsonObject().put("name", "Amal Haddad").put("country", "FR").put("display", "full");
  }

  /** One field set to {@code value} in an otherwise valid body; an answer other than {@code expected} is noted. */
  private static void check(String field, Object value, String expected, List<String> wrong) {
    JsonObject body = base().put(field, value);
    HttpResponse<Buffer> r;
    try {
      r = sign(open, body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    String got;
    if (r.statusCode() == 201) {
      got = OK;
    } else if (r.statusCode() == 400) {
      JsonObject answer = r.bodyAsJsonObject();
      JsonObject reasons = answer.getJsonObject("reasons", new JsonObject());
      got = reasons.fieldNames().equals(java.util.Set.of(field))
          && answer.getJsonObject("fields").fieldNames().equals(java.util.Set.of(field))
          ? reasons.getString(field) : "400 " + answer.encode();
    } else {
      got = r.statusCode() + " " + r.bodyAsString();
    }
    if (!java.util.Objects.equals(expected, got)) {
      String shown = String.valueOf(value);
      shown = shown.length() > 40 ? shown.substring(0, 40) + "... (" + shown.length() + ")" : shown;
      wrong.add(field + "=" + JsonObject.of("v", shown).encode() + ": expected " + (expected == null ? "taken" : expected)
          + ", got " + (got == null ? "taken" : got));
    }
  }

  /**
   * Signs with {@code body} as JSON text in which every character beyond ASCII is escaped, so that what
   * arrives is exactly the body's strings, lone surrogates included (UTF-8 cannot carry those).
   */
  static HttpResponse<Buffer> sign(TestServer.Manifesto m, JsonObject body) throws Exception {
    StringBuilder json = new StringBuilder();
    for (char c : body.encode().toCharArray()) {
      json.append(c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
    }
    return server.http().post("/api/manifestos/" + m.id() + "/signatures").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(json.toString())).await(30, TimeUnit.SECONDS);
  }
}
