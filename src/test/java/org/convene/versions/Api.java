package org.convene.versions;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.convene.testing.TestServer;

/** HTTP calls to the versions API of a test server. */
final class Api {
  private final TestServer server;

  Api(TestServer server) {
    this.server = server;
  }

  HttpResponse<Buffer> get(String path, String token) throws Exception {
    return send(server.http().get(path), token, null);
  }

  HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return send(server.http().post(path), token, body);
  }

  JsonObject ok(HttpResponse<Buffer> r) {
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError(r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  JsonArray okArray(HttpResponse<Buffer> r) {
    if (r.statusCode() != 200) {
      throw new AssertionError(r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonArray();
  }

  JsonObject save(TestServer.Manifesto m, String name) throws Exception {
    return ok(post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", name)));
  }

  private static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String token, JsonObject body) throws Exception {
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return (body == null ? req.send() : req.sendJsonObject(body)).await(60, TimeUnit.SECONDS);
  }
}
