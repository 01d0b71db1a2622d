package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API's OpenAPI document against the running server: every /api route the router serves is in it
 * and every operation in it is served; invalid requests are refused with 400 in the contract's form
 * before any handler runs; real answers match the document's schemas.
 */
class OpenApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void everyApiRouteIsDescribedAndEveryDescribedOperationIsServed() throws Exception {
    Set<String> served = new TreeSet<>();
    for (Route route : server.routes()) {
      String path = route.getPath();
      if (path == null || !path.startsWith("/api/") || path.endsWith("/")) {
        continue; // the /api/* handlers (bodies, validation, the 404) serve no operation of their own
      }
      String openApiPath = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      // A route for any method takes GET and POST (the withdraw link); its handler refuses the others.
      Set<HttpMethod> methods = route.methods() == null || route.methods().isEmpty()
          ? Set.of(HttpMethod.GET, HttpMethod.POST) : route.methods();
      methods.forEach(m -> served.add(m.name() + " " + openApiPath));
    }
    Set<String> described = new TreeSet<>();
    JsonObject paths = ApiDocument.read().getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      for (String method : paths.getJsonObject(path).fieldNames()) {
        if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(method)) {
          described.add(method.toUpperCase(Locale.ROOT) + " " + path);
        }
      }
    }
    assertTrue(served.size() >= 35, "routes found: " + served);
    Set<String> undocumented = new TreeSet<>(served);
    undocumented.removeAll(described);
    assertEquals(Set.of(), undocumented, "routes the router serves that the document leaves out");
    Set<String> phantom = new TreeSet<>(described);
    phantom.removeAll(served);
    assertEquals(Set.of(), phantom, "operations in the document that no route serves");
  }

  @Test
  void theDocumentIsServedAsOpenApi31AndEveryOperationHasAnId() throws Exception {
    HttpResponse<Buffer> r = server.http().get("/api/openapi.json").send().await(20, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    JsonObject served = r.bodyAsJsonObject();
    assertEquals("3.1.0", served.getString("openapi"));
    assertEquals(ApiDocument.read(), served);
    OpenAPIContract contract = contract();
    assertTrue(contract.operations().size() >= 35);
    contract.operations().forEach(op -> assertNotNull(op.getOperationId()));
    // What any request satisfies is not sent through the validator; the rest is.
    assertTrue(ApiDocument.trivial(contract.operation("signatureCount")));
    assertTrue(ApiDocument.trivial(contract.operation("getManifesto")));
    for (String checked : new String[] {"versionPdf", "createManifesto", "publishedTranslations", "getVersion", "sign"}) {
      assertTrue(!ApiDocument.trivial(contract.operation(checked)), checked);
    }
  }

  @Test
  void invalidRequestsAreRefusedWith400NamingTheField() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Checked", "Text.");
    assertInvalid(send(server.http().post("/api/manifestos"), null, new JsonObject().put("title", 5)), "title");
    assertInvalid(send(server.http().post("/api/manifestos"), null, new JsonObject().put("text", "no title")), "title");
    assertInvalid(send(server.http().post("/api/manifestos/" + m.id() + "/versions"), m.admin(),
        new JsonObject().put("name", "V").put("note", 3)), "note");
    assertInvalid(send(server.http().get("/api/manifestos/" + m.id() + "/versions/1/pdf?edition=poster"), m.viewer(), null),
        "edition");
    assertInvalid(send(server.http().get("/api/manifestos/" + m.id() + "/translations/published?version=first"), null, null),
        "version");
    assertInvalid(send(server.http().get("/api/manifestos/" + m.id() + "/translations/published"), null, null), "version");
    // Signing too, a reason per field (every case: signing/SignerDocumentTest; the form's page: NoScriptFormTest).
    HttpResponse<Buffer> sign = send(server.http().post("/api/manifestos/" + m.id() + "/signatures"), null,
        new JsonObject().put("name", "n".repeat(101)).put("country", "ZZ").put("display", "full").put("updates", "yes"));
    assertInvalid(sign, "name", "country", "updates");
    assertEquals(new JsonObject().put("name", "too_long").put("country", "invalid").put("updates", "type"),
        sign.bodyAsJsonObject().getJsonObject("reasons"));
    assertInvalid(send(server.http().put("/api/manifestos/" + m.id() + "/signing"), m.admin(),
        new JsonObject().put("open", "yes")), "open");
    // A pattern's end is the value's end: no line break slips in after it (Java's $ would let one).
    assertInvalid(send(server.http().post("/api/manifestos"), null, new JsonObject().put("title", "One line\n")), "title");
    assertInvalid(send(server.http().post("/api/manifestos"), null,
        new JsonObject().put("title", "One line").put("language", "fr\n")), "language");
    assertInvalid(send(server.http().get("/api/manifestos/" + m.id() + "/versions/1/pdf?lang=fr%0A"), m.viewer(), null), "lang");
    HttpResponse<Buffer> notJson = server.http().post("/api/manifestos").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer("{\"title\":")).await(20, TimeUnit.SECONDS);
    assertEquals(400, notJson.statusCode(), notJson.bodyAsString());
    assertEquals("invalid_input", notJson.bodyAsJsonObject().getString("error"));
  }

  /**
   * Rules that moved from the handlers into the document: refused there with the field's words, and
   * nowhere else (the handlers no longer check them, so without the document they would pass).
   */
  @Test
  void theDocumentAloneStatesTheShape() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Moved", "Text.");
    String base = "/api/manifestos/" + m.id();
    JsonObject fields = assertInvalid(send(server.http().post(base + "/versions"), m.admin(),
        new JsonObject().put("name", "tab\there")), "name");
    assertTrue(fields.getString("name").startsWith("one line"), fields.encode());
    // The signing settings' ranges: Settings.merge takes any whole number the document lets through.
    fields = assertInvalid(send(server.http().put(base + "/signing"), m.admin(),
        new JsonObject().put("goal", 2_000_000).put("rateLimit", new JsonObject().put("perIpBurst", -1))), "goal");
    assertEquals("a whole number from 0 to 1000000 (0 = none)", fields.getString("goal"));
    assertTrue(fields.containsKey("rateLimit"), fields.encode());
    HttpResponse<Buffer> stored = send(server.http().put(base + "/signing"), m.admin(), new JsonObject().put("goal", 1_000_000));
    assertEquals(200, stored.statusCode(), stored.bodyAsString());
    assertEquals(1_000_000, stored.bodyAsJsonObject().getInteger("goal"));
    assertInvalid(send(server.http().get(base + "/signatures?size=101&page=-1"), null, null), "size", "page");
    assertInvalid(send(server.http().get(base + "/signatures/report?minutes=0"), m.admin(), null), "minutes");
    assertInvalid(send(server.http().post(base + "/signatures/invalidate"), m.admin(),
        new JsonObject().put("ip", "not an address").put("reason", "r".repeat(501))), "ip", "reason");
    assertInvalid(send(server.http().post(base + "/translations/fr/publish"), m.admin(), new JsonObject().put("version", 0)),
        "version");
    assertInvalid(send(server.http().post(base + "/translations/fr/units/1/review"), m.editor(),
        new JsonObject().put("name", "n".repeat(61))), "name");
    assertInvalid(send(server.http().get(base + "/versions/0"), null, null), "n");
    assertInvalid(send(server.http().get("/api/signatures/confirm?token=" + "t".repeat(2049)), null, null), "token");
    // Lengths count code points of the value as sent: 200 emoji (400 UTF-16 units) are a title,
    // 200 letters with a space before them are not.
    HttpResponse<Buffer> emoji = send(server.http().post("/api/manifestos"), null,
        new JsonObject().put("title", "\ud83d\ude00".repeat(200)));
    assertEquals(201, emoji.statusCode(), emoji.bodyAsString());
    assertInvalid(send(server.http().post("/api/manifestos"), null, new JsonObject().put("title", " " + "x".repeat(200))),
        "title");
    // A parameter given twice is no way around the document: the value checked is the value used.
    for (String twice : new String[] {base + "/signatures?size=5&size=abc", base + "/signatures?size=abc&size=5",
        base + "/versions/1/pdf?edition=print&edition=poster", base + "/translations/published?version=1&version=x"}) {
      HttpResponse<Buffer> r = send(server.http().get(twice), m.viewer(), null);
      assertTrue(r.statusCode() < 500, twice + ": " + r.statusCode() + " " + r.bodyAsString());
    }
    // A pattern's repetition is bounded before it runs, so a long value is refused, not a 503 (Java's
    // regular expressions recurse per repetition: thousands of labels overflowed the stack).
    for (int labels : new int[] {500, 5_000, 500_000}) {
      HttpResponse<Buffer> r = send(server.http().post(base + "/links/email"), m.admin(), new JsonObject()
          .put("email", "a@b" + ".c".repeat(labels)).put("editor", m.editor()).put("viewer", m.viewer()));
      assertInvalid(r, "email");
      assertEquals("too_long", r.bodyAsJsonObject().getJsonObject("reasons").getString("email"), "labels: " + labels);
    }
    // What no pattern says exactly stays in code: common.Text's noncharacters.
    assertInvalid(send(server.http().post("/api/manifestos"), null, new JsonObject().put("title", "A\ufdd0")), "title");
  }

  /** Every operation is checked by the document: none is left to its handler's own shape checks. */
  @Test
  void noOperationIsLeftToItsHandler() {
    java.util.List<String> exempt = new java.util.ArrayList<>();
    findKey(ApiDocument.read(), "x-checked-by-handler", "#", exempt);
    assertEquals(java.util.List.of(), exempt);
  }

  /** Each 400 gives a reason code per field beside its words, from the keyword that failed. */
  @Test
  void everyRefusalGivesAReasonPerField() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Reasons", "Text.");
    String base = "/api/manifestos/" + m.id();
    HttpResponse<Buffer> r = send(server.http().post("/api/manifestos"), null, new JsonObject().put("text", 5));
    assertInvalid(r, "title", "text");
    assertEquals(new JsonObject().put("title", "required").put("text", "type"), r.bodyAsJsonObject().getJsonObject("reasons"));
    r = send(server.http().post("/api/manifestos"), null, new JsonObject().put("title", "x".repeat(201)));
    assertEquals(new JsonObject().put("title", "too_long"), assertInvalidReasons(r));
    r = send(server.http().put(base + "/signing"), m.admin(), new JsonObject().put("goal", 2_000_000).put("open", "yes"));
    assertEquals(new JsonObject().put("goal", "invalid").put("open", "type"), assertInvalidReasons(r));
    r = send(server.http().get(base + "/signatures?size=101"), null, null);
    assertEquals(new JsonObject().put("size", "invalid"), assertInvalidReasons(r));
    r = send(server.http().get(base + "/translations/published"), null, null);
    assertEquals(new JsonObject().put("version", "required"), assertInvalidReasons(r));
  }

  private static JsonObject assertInvalidReasons(HttpResponse<Buffer> r) {
    assertInvalid(r);
    return r.bodyAsJsonObject().getJsonObject("reasons");
  }

  private static void findKey(Object node, String key, String at, java.util.List<String> found) {
    if (node instanceof JsonObject o) {
      for (String name : o.fieldNames()) {
        if (name.equals(key)) {
          found.add(at);
        }
        findKey(o.getValue(name), key, at + "/" + name, found);
      }
    } else if (node instanceof io.vertx.core.json.JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        findKey(a.getValue(i), key, at + "/" + i, found);
      }
    }
  }

  @Test
  void whatTheHandlersAnsweredBeforeStaysTheSame() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Same", "Text.");
    // No token where one is needed: the handler's 401, whatever the body.
    assertEquals(401, send(server.http().post("/api/manifestos/" + m.id() + "/versions"), null, new JsonObject()).statusCode());
    // Not JSON: the handler's 415.
    HttpResponse<Buffer> text = server.http().post("/api/manifestos").putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("title=x")).await(20, TimeUnit.SECONDS);
    assertEquals(415, text.statusCode());
    assertEquals("unsupported_media_type", text.bodyAsJsonObject().getString("error"));
    // A body that is not JSON leaves the path to the document all the same: the handlers trust it.
    HttpResponse<Buffer> badPath = server.http().post("/api/manifestos/" + m.id() + "/versions/x/restore")
        .putHeader("Authorization", "Bearer " + m.admin()).putHeader("Content-Type", "text/plain")
        .sendBuffer(Buffer.buffer("by=x")).await(20, TimeUnit.SECONDS);
    assertEquals(400, badPath.statusCode(), badPath.bodyAsString());
    assertTrue(badPath.bodyAsJsonObject().getJsonObject("fields").containsKey("n"), badPath.bodyAsString());
    // Rules that need the database: the handler's 404 and 409.
    assertEquals(404, send(server.http().get("/api/manifestos/" + m.id() + "/versions/7"), m.viewer(), null).statusCode());
    assertEquals(409, send(server.http().post("/api/manifestos/" + m.id() + "/signatures"), null,
        new JsonObject().put("name", "Amal").put("country", "FR").put("display", "full")).statusCode());
    // An unknown path under /api: the 404 of before.
    assertEquals(404, send(server.http().get("/api/nothing/here"), null, null).statusCode());
  }

  @Test
  void realAnswersMatchTheDocumentsSchemas() throws Exception {
    ResponseValidator validator = ResponseValidator.create(server.vertx(), contract());
    HttpResponse<Buffer> created = send(server.http().post("/api/manifestos"), null,
        new JsonObject().put("title", "Schemas").put("text", "We gather here."));
    check(validator, "createManifesto", created, 201);
    JsonObject tokens = created.bodyAsJsonObject().getJsonObject("tokens");
    String id = created.bodyAsJsonObject().getString("id");
    String base = "/api/manifestos/" + id;
    check(validator, "getManifesto", send(server.http().get(base), tokens.getString("viewer"), null), 200);
    check(validator, "createVersion", send(server.http().post(base + "/versions"), tokens.getString("admin"),
        new JsonObject().put("name", "First")), 201);
    check(validator, "listVersions", send(server.http().get(base + "/versions"), tokens.getString("viewer"), null), 200);
    check(validator, "publishVersion", send(server.http().post(base + "/versions/1/publish"), tokens.getString("admin"),
        null), 200);
    check(validator, "getVersion", send(server.http().get(base + "/versions/1"), null, null), 200);
    check(validator, "verifyVersion", send(server.http().get(base + "/versions/1/verify"), tokens.getString("viewer"), null), 200);
    check(validator, "getRevision", send(server.http().get(base + "/revisions/0"), tokens.getString("viewer"), null), 200);
    check(validator, "getDiff", send(server.http().get(base + "/diff?from=r0&to=v1"), tokens.getString("viewer"), null), 200);
    check(validator, "getPublished", send(server.http().get(base + "/published"), null, null), 200);
    check(validator, "sign", send(server.http().post(base + "/signatures"), null, new JsonObject()
        .put("name", "Leila Haddad").put("email", "leila@example.org").put("country", "FR").put("display", "full")), 202);
    check(validator, "signatureCount", send(server.http().get(base + "/signatures/count"), null, null), 200);
    check(validator, "listSignatures", send(server.http().get(base + "/signatures"), null, null), 200);
    check(validator, "addTranslation", send(server.http().post(base + "/translations"), tokens.getString("admin"),
        new JsonObject().put("language", "fr")), 201);
    check(validator, "listTranslations", send(server.http().get(base + "/translations"), tokens.getString("viewer"), null), 200);
    check(validator, "restoreVersion", send(server.http().post(base + "/versions/1/restore"), tokens.getString("admin"),
        null), 200);
    // An error answer has the contract's form too.
    check(validator, "getManifesto", send(server.http().get(base), null, null), 401);
  }

  @Test
  void aDocumentThatCannotBeReadLetsNoRequestThrough() throws Exception {
    JsonObject broken = ApiDocument.read();
    broken.getJsonObject("paths").getJsonObject("/api/manifestos").getJsonObject("post").getJsonObject("requestBody")
        .getJsonObject("content").getJsonObject("application/json").put("schema", new JsonObject().put("$ref", "#/nowhere"));
    ApiDocument api = ApiDocument.of(server.vertx(), broken);
    java.util.concurrent.atomic.AtomicInteger reached = new java.util.concurrent.atomic.AtomicInteger();
    io.vertx.ext.web.Router router = io.vertx.ext.web.Router.router(server.vertx());
    router.route("/api/*").handler(io.vertx.ext.web.handler.BodyHandler.create(false));
    router.route("/api/*").handler(api::validate);
    router.route("/api/*").handler(ctx -> {
      reached.incrementAndGet();
      ctx.response().end("handled");
    });
    io.vertx.core.http.HttpServer http = server.vertx().createHttpServer().requestHandler(router).listen(0)
        .await(20, TimeUnit.SECONDS);
    try {
      io.vertx.ext.web.client.WebClient client = io.vertx.ext.web.client.WebClient.create(server.vertx());
      for (HttpRequest<Buffer> req : java.util.List.of(client.post(http.actualPort(), "localhost", "/api/manifestos"),
          client.get(http.actualPort(), "localhost", "/api/manifestos/x/signatures/count"))) {
        HttpResponse<Buffer> r = send(req, null, new JsonObject().put("title", "Anything"));
        assertEquals(503, r.statusCode(), r.bodyAsString());
        assertEquals("unavailable", r.bodyAsJsonObject().getString("error"));
        assertNotNull(r.bodyAsJsonObject().getString("message"));
      }
      assertEquals(0, reached.get(), "no handler saw a request the document could not check");
    } finally {
      http.close().await(20, TimeUnit.SECONDS);
    }
  }

  private static void check(ResponseValidator validator, String operationId, HttpResponse<Buffer> r, int status)
      throws Exception {
    assertEquals(status, r.statusCode(), operationId + ": " + r.bodyAsString());
    String type = r.getHeader("Content-Type");
    ValidatableResponse response = r.body() == null || r.body().length() == 0
        ? ValidatableResponse.create(r.statusCode())
        : ValidatableResponse.create(r.statusCode(), r.body(), type.split(";")[0].strip());
    try {
      validator.validate(response, operationId).await(20, TimeUnit.SECONDS);
    } catch (io.vertx.openapi.validation.ValidatorException e) {
      throw new AssertionError(operationId + " answered " + r.statusCode() + " " + r.bodyAsString() + ": " + e.getMessage(), e);
    }
  }

  /** A 400 in the contract's form whose fields name each of {@code named}; its fields. */
  private static JsonObject assertInvalid(HttpResponse<Buffer> r, String... named) {
    assertEquals(400, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("invalid_input", body.getString("error"), body.encode());
    assertNotNull(body.getString("message"));
    for (String field : named) {
      assertTrue(body.getJsonObject("fields") != null && body.getJsonObject("fields").containsKey(field),
          "fields name " + field + ": " + body.encode());
    }
    return body.getJsonObject("fields");
  }

  private static OpenAPIContract contract() throws Exception {
    return OpenAPIContract.from(server.vertx(), ApiDocument.validatable(ApiDocument.read())).await(20, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String token, JsonObject body) throws Exception {
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return (body == null ? req.send() : req.sendJsonObject(body)).await(60, TimeUnit.SECONDS);
  }
}
