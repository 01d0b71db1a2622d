package org.convene.manifesto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ManifestoApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  HttpResponse<Buffer> post(String body) throws Exception {
    return server.http().post("/api/manifestos").putHeader("Content-Type", "application/json")
        .sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> get(String id, String token) throws Exception {
    var req = server.http().get("/api/manifestos/" + id);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return req.send().await(10, TimeUnit.SECONDS);
  }

  @Test
  void createReturnsThreeDistinctTokensAndEachReads() throws Exception {
    HttpResponse<Buffer> r = post(new JsonObject().put("title", "  Migrant Manifesto ").put("text", "نحن هنا. We are here.")
        .put("language", "ar").encode());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("Migrant Manifesto", body.getString("title"));
    JsonObject tokens = body.getJsonObject("tokens");
    assertNotEquals(tokens.getString("admin"), tokens.getString("editor"));
    assertNotEquals(tokens.getString("editor"), tokens.getString("viewer"));
    for (String role : new String[] {"admin", "editor", "viewer"}) {
      JsonObject read = get(body.getString("id"), tokens.getString(role)).bodyAsJsonObject();
      assertEquals("نحن هنا. We are here.", read.getString("text"));
      assertEquals(0, read.getInteger("revision"));
      assertEquals("ar", read.getString("language"));
      assertEquals("Migrant Manifesto", read.getString("title"));
    }
  }

  @Test
  void badInputIsRefusedFieldByField() throws Exception {
    HttpResponse<Buffer> r = post(new JsonObject().put("title", "").put("text", 5).put("language", "english please").encode());
    assertEquals(400, r.statusCode());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("invalid_input", body.getString("error"));
    assertTrue(body.getJsonObject("fields").containsKey("title"));
    assertTrue(body.getJsonObject("fields").containsKey("text"));
    assertTrue(body.getJsonObject("fields").containsKey("language"));
    assertEquals(400, post("{not json").statusCode());
    assertEquals(400, post("[1,2]").statusCode());
    assertEquals(400, post("").statusCode());
    assertEquals(400, post(new JsonObject().put("title", "x".repeat(201)).encode()).statusCode());
  }

  @Test
  void readingNeedsTheRightToken() throws Exception {
    TestServer.Manifesto a = server.createManifesto("A", "a");
    TestServer.Manifesto b = server.createManifesto("B", "b");
    HttpResponse<Buffer> none = get(a.id(), null);
    assertEquals(401, none.statusCode());
    assertEquals("unauthorized", none.bodyAsJsonObject().getString("error"));
    assertEquals(401, get(a.id(), "guess").statusCode());
    assertEquals(403, get(a.id(), b.viewer()).statusCode());
    assertEquals(403, get("nonexistent", a.viewer()).statusCode());
    assertEquals(404, server.http().get("/api/nothing-here").send().await(10, TimeUnit.SECONDS).statusCode());
  }

  @Test
  void pagesAndAnswersCarrySecurityHeaders() throws Exception {
    HttpResponse<Buffer> r = server.http().get("/health").send().await(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals("ok", r.bodyAsJsonObject().getString("database"));
    assertEquals("no-referrer", r.getHeader("Referrer-Policy"));
    assertEquals("nosniff", r.getHeader("X-Content-Type-Options"));
    assertTrue(r.getHeader("Content-Security-Policy").contains("default-src 'self'"));
  }
}
