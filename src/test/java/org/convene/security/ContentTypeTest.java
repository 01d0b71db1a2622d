package org.convene.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JSON endpoints take only {@code application/json}: a page on another site can make a browser post
 * text/plain or a form without asking first, but not JSON. A route may opt in to form posts.
 */
class ContentTypeTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final String JSON = "{\"title\":\"Cross-site\",\"text\":\"planted\"}";

  static HttpResponse<Buffer> post(String path, String contentType, String body, String token) throws Exception {
    var request = server.http().post(path);
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request.sendBuffer(Buffer.buffer(body)).await(10, TimeUnit.SECONDS);
  }

  static void assertUnsupported(HttpResponse<Buffer> r) {
    assertEquals(415, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("unsupported_media_type", body.getString("error"));
    assertTrue(body.getString("message").contains("application/json"), body.encode());
  }

  @Test
  void creatingTakesOnlyJson() throws Exception {
    assertUnsupported(post("/api/manifestos", "text/plain", JSON, null));
    assertUnsupported(post("/api/manifestos", "text/plain; charset=utf-8", JSON, null));
    assertUnsupported(post("/api/manifestos", "application/x-www-form-urlencoded", "title=x&text=y", null));
    assertUnsupported(post("/api/manifestos", "multipart/form-data; boundary=x", "--x--", null));
    assertUnsupported(post("/api/manifestos", null, JSON, null));
    assertEquals(201, post("/api/manifestos", "application/json", JSON, null).statusCode());
    assertEquals(201, post("/api/manifestos", "Application/JSON; charset=UTF-8", JSON, null).statusCode());
  }

  @Test
  void aVersionIsNotSavedFromAPlainTextBody() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Versions", "text");
    String path = "/api/manifestos/" + m.id() + "/versions";
    assertUnsupported(post(path, "text/plain", "{\"name\":\"planted\"}", m.admin()));
    HttpResponse<Buffer> list = server.http().get(path).bearerTokenAuthentication(m.viewer()).send().await(10, TimeUnit.SECONDS);
    assertEquals(0, list.bodyAsJsonArray().size(), "nothing was stored");
    assertEquals(201, post(path, "application/json", "{\"name\":\"real\"}", m.admin()).statusCode());
  }

  @Test
  void theCspLetsPagesConnectToTheirOwnOriginOnly() throws Exception {
    String csp = server.http().get("/").send().await(10, TimeUnit.SECONDS).getHeader("Content-Security-Policy");
    assertTrue(csp.contains("connect-src 'self';"), csp);
    assertFalse(csp.contains("ws:") || csp.contains("wss:"), csp);
  }

  /** Found by the fuzz test: a NUL in an id reached PostgreSQL and came back as 503. */
  @Test
  void aNulInTheAddressIs400() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Nul", "text");
    for (String path : new String[] {"/api/manifestos/" + m.id() + "%00", "/api/manifestos/a%00b/pdf",
        "/api/manifestos/" + m.id() + "/published?x=%00"}) {
      HttpResponse<Buffer> r = server.http().get(path).bearerTokenAuthentication(m.viewer()).send().await(10, TimeUnit.SECONDS);
      assertEquals(400, r.statusCode(), path + " " + r.bodyAsString());
      assertEquals("invalid_input", r.bodyAsJsonObject().getString("error"));
    }
  }

  /** Found by the fuzz test: a form PUT with a query that was not valid percent-encoding got no answer. */
  @Test
  void aBrokenQueryIs400() throws Exception {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.PUT, HttpMethod.POST, HttpMethod.GET}) {
      HttpResponse<Buffer> r = server.http().request(method, "/api/manifestos/?a%15?%%D8%B6%5Cn%/versions/1/pdf")
          .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("a=b"))
          .await(20, TimeUnit.SECONDS);
      assertEquals(400, r.statusCode(), method + " " + r.bodyAsString());
    }
  }

  /** Found by the fuzz test: a GET declaring a form body made Vert.x's body handler throw (503). */
  @Test
  void aGetDeclaringAFormBodyIsServed() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Form GET", "text");
    HttpResponse<Buffer> r = server.http().get("/api/manifestos/" + m.id()).bearerTokenAuthentication(m.viewer())
        .putHeader("Content-Type", "application/x-www-form-urlencoded").send().await(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode(), r.bodyAsString());
  }
}
