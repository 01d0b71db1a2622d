package org.convene.editions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nayuki.qrcodegen.QrCode;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * {@code GET /p/{id}/qr.svg}: an SVG whose dark modules are exactly the QR code of PUBLIC_URL/p/{id}
 * once a version is published, cacheable; 404 before that and for an unknown id, 400 for a path
 * that cannot name a manifesto.
 */
class PublicQrTest {
  static final String PUBLIC_URL = "https://manifesto.example.org";

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("PUBLIC_URL", PUBLIC_URL));

  static HttpResponse<Buffer> get(String path) throws Exception {
    return server.http().get(path).send().await(60, TimeUnit.SECONDS);
  }

  @Test
  void aPublishedManifestosAddressAsAValidSvg() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Our manifesto", "We are here.");
    assertEquals(404, get("/p/" + m.id() + "/qr.svg").statusCode(), "nothing is public before a version is published");

    HttpResponse<Buffer> saved = server.http().post("/api/manifestos/" + m.id() + "/versions")
        .bearerTokenAuthentication(m.admin()).sendJsonObject(new JsonObject().put("name", "First"))
        .await(60, TimeUnit.SECONDS);
    assertEquals(201, saved.statusCode(), saved.bodyAsString());
    HttpResponse<Buffer> published = server.http().post("/api/manifestos/" + m.id() + "/versions/1/publish")
        .bearerTokenAuthentication(m.admin()).sendJsonObject(new JsonObject()).await(60, TimeUnit.SECONDS);
    assertEquals(200, published.statusCode(), published.bodyAsString());

    HttpResponse<Buffer> r = get("/p/" + m.id() + "/qr.svg");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("image/svg+xml"), r.getHeader("Content-Type"));
    assertTrue(r.getHeader("Cache-Control").contains("max-age"), r.getHeader("Cache-Control"));
    String svg = r.bodyAsString();

    // Well-formed XML, an <svg> in the SVG namespace.
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(r.body().getBytes()));
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());

    // Its dark modules are those of the QR code of the public address, PUBLIC_URL-based.
    QrCode expected = QrCode.encodeText(PUBLIC_URL + "/p/" + m.id(), QrCode.Ecc.MEDIUM);
    int quiet = 4;
    assertTrue(svg.contains("viewBox=\"0 0 " + (expected.size + 2 * quiet) + " " + (expected.size + 2 * quiet) + "\""), svg);
    boolean[][] dark = new boolean[expected.size][expected.size];
    Matcher run = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-\\3z").matcher(doc.getElementsByTagNameNS("*", "path").item(0)
        .getAttributes().getNamedItem("d").getNodeValue());
    int runs = 0;
    while (run.find()) {
      runs++;
      int x = Integer.parseInt(run.group(1)) - quiet;
      int y = Integer.parseInt(run.group(2)) - quiet;
      for (int i = 0; i < Integer.parseInt(run.group(3)); i++) {
        dark[y][x + i] = true;
      }
    }
    assertTrue(runs > 0);
    for (int y = 0; y < expected.size; y++) {
      for (int x = 0; x < expected.size; x++) {
        assertEquals(expected.getModule(x, y), dark[y][x], "module " + x + "," + y);
      }
    }
  }

  @Test
  void unknownAndInvalidIds() throws Exception {
    HttpResponse<Buffer> unknown = get("/p/nosuchmanifesto/qr.svg");
    assertEquals(404, unknown.statusCode());
    assertEquals("not_found", unknown.bodyAsJsonObject().getString("error"));
    assertEquals(400, get("/p/" + "x".repeat(65) + "/qr.svg").statusCode());
    assertEquals(400, get("/p/a%20b/qr.svg").statusCode());
  }
}
