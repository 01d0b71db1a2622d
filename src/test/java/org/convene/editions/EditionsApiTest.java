package org.convene.editions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.convene.collab.Addresses;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PDF endpoints against a real server on a fresh database. */
class EditionsApiTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static HttpResponse<Buffer> get(String path, String token) throws Exception {
    HttpRequest<Buffer> req = server.http().get(path);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return req.send().await(60, TimeUnit.SECONDS);
  }

  static JsonObject post(String path, String token, JsonObject body) throws Exception {
    HttpResponse<Buffer> r = server.http().post(path).bearerTokenAuthentication(token).sendJsonObject(body)
        .await(60, TimeUnit.SECONDS);
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static void replace(TestServer.Manifesto m, String text, String author) throws Exception {
    server.vertx().eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", m.id()).put("text", text).put("author", author))
        .await(20, TimeUnit.SECONDS);
  }

  static int save(TestServer.Manifesto m, String name) throws Exception {
    return post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", name)).getInteger("number");
  }

  static void publish(TestServer.Manifesto m, int n) throws Exception {
    post("/api/manifestos/" + m.id() + "/versions/" + n + "/publish", m.admin(), new JsonObject());
  }

  static String pdf(TestServer.Manifesto m, int n) {
    return "/api/manifestos/" + m.id() + "/versions/" + n + "/pdf";
  }

  static String text(HttpResponse<Buffer> r) throws Exception {
    try (PDDocument doc = Loader.loadPDF(r.body().getBytes())) {
      return new PDFTextStripper().getText(doc);
    }
  }

  static void assertError(HttpResponse<Buffer> r, int status) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"), r.getHeader("Content-Type"));
  }

  @Test
  void aPublishedVersionIsPublicAndADraftNeedsAViewerToken() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Charter of the Commons", "We hold these commons together.");
    replace(m, "We hold these commons together.\n\nEvery river belongs to everyone.", "Amal");
    int v1 = save(m, "First reading");
    int v2 = save(m, "Draft two");
    publish(m, v1);

    HttpResponse<Buffer> r = get(pdf(m, v1), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("application/pdf", r.getHeader("Content-Type"));
    assertEquals("inline; filename=\"charter-of-the-commons-v1-print.pdf\"", r.getHeader("Content-Disposition"));
    assertEquals("\"" + EditionsApi.sha256(r.body().getBytes()) + "\"", r.getHeader("ETag"));
    assertNotNull(r.getHeader("Cache-Control"));
    String words = text(r);
    assertTrue(words.contains("Charter of the Commons"), words);
    assertTrue(words.contains("river"), words);
    assertTrue(words.contains("Amal"), "credits name the drafter: " + words);

    assertError(get(pdf(m, v2), null), 401);
    assertError(get(pdf(m, v2), "not-a-token"), 401);
    TestServer.Manifesto other = server.createManifesto("Other", "x");
    assertError(get(pdf(m, v2), other.viewer()), 403);
    HttpResponse<Buffer> draft = get(pdf(m, v2) + "?edition=reading&paper=Letter", m.viewer());
    assertEquals(200, draft.statusCode(), draft.bodyAsString());
    assertEquals("inline; filename=\"charter-of-the-commons-v2-reading.pdf\"", draft.getHeader("Content-Disposition"));
    assertTrue(draft.getHeader("Cache-Control").contains("private"));
    assertTrue(text(draft).contains("river"));
    // A missing version answers like an unpublished one without a token, 404 with one.
    assertError(get(pdf(m, 99), null), 401);
    assertError(get(pdf(m, 99), m.viewer()), 404);
    assertError(get("/api/manifestos/nosuchthing/versions/1/pdf", null), 401);
  }

  @Test
  void badQueriesAnswer400WithFieldsAndMissingTranslations404() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Queries", "Text of the queries manifesto.");
    int v = save(m, "One");
    publish(m, v);
    HttpResponse<Buffer> bad = get(pdf(m, v) + "?edition=poster&paper=A3&with=everything", null);
    assertError(bad, 400);
    JsonObject fields = bad.bodyAsJsonObject().getJsonObject("fields");
    assertTrue(fields.containsKey("edition") && fields.containsKey("paper") && fields.containsKey("with"), fields.encode());
    assertError(get(pdf(m, v) + "?lang=not_a_tag", null), 400);
    assertError(get("/api/manifestos/" + m.id() + "/versions/zero/pdf", null), 400);
    HttpResponse<Buffer> noLang2 = get(pdf(m, v) + "?edition=bilingual", null);
    assertError(noLang2, 400);
    assertTrue(noLang2.bodyAsJsonObject().getJsonObject("fields").containsKey("lang2"));

    HttpResponse<Buffer> fr = get(pdf(m, v) + "?lang=fr", null);
    assertError(fr, 404);
    assertEquals("no translation into fr yet", fr.bodyAsJsonObject().getString("message"));
    HttpResponse<Buffer> bilingual = get(pdf(m, v) + "?edition=bilingual&lang2=ar", null);
    assertError(bilingual, 404);
    assertEquals("no translation into ar yet", bilingual.bodyAsJsonObject().getString("message"));
    assertEquals(200, get(pdf(m, v) + "?lang=en", null).statusCode());

    HttpResponse<Buffer> signatures = get(pdf(m, v) + "?with=signatures", null);
    assertEquals(200, signatures.statusCode(), "the appendix, empty until people sign (signing.DatabaseSignaturesTest)");
    assertTrue(text(signatures).contains("0 signatories"), "counted: none yet");
  }

  @Test
  void identicalRequestsGetIdenticalBytesFromOneRender() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Cache", "A text rendered once.");
    int v = save(m, "One");
    publish(m, v);
    EditionCache cache = EditionsApi.cache(server.vertx());
    long before = cache.renders();
    List<Future<HttpResponse<Buffer>>> parallel = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      parallel.add(server.http().get(pdf(m, v) + "?edition=reading").send());
    }
    Future.all(parallel).await(60, TimeUnit.SECONDS);
    HttpResponse<Buffer> first = parallel.get(0).result();
    assertEquals(200, first.statusCode(), first.bodyAsString());
    for (Future<HttpResponse<Buffer>> f : parallel) {
      assertArrayEquals(first.body().getBytes(), f.result().body().getBytes());
      assertEquals(first.getHeader("ETag"), f.result().getHeader("ETag"));
    }
    assertEquals(before + 1, cache.renders(), "four concurrent identical requests share one render");
    HttpResponse<Buffer> again = get(pdf(m, v) + "?edition=reading", null);
    assertArrayEquals(first.body().getBytes(), again.body().getBytes());
    assertEquals(before + 1, cache.renders(), "the second request is served from the cache");

    HttpResponse<Buffer> notModified = server.http().get(pdf(m, v) + "?edition=reading")
        .putHeader("If-None-Match", first.getHeader("ETag")).send().await(60, TimeUnit.SECONDS);
    assertEquals(304, notModified.statusCode());

    assertEquals(200, get(pdf(m, v) + "?edition=print", null).statusCode());
    assertEquals(before + 2, cache.renders(), "another edition is another render");
  }

  @Test
  void anArabicTitleGivesAReadableFileName() throws Exception {
    HttpResponse<Buffer> created = server.http().post("/api/manifestos")
        .sendJsonObject(new JsonObject().put("title", "بيان الماء").put("text", "الماء حق للجميع.").put("language", "ar"))
        .await(10, TimeUnit.SECONDS);
    assertEquals(201, created.statusCode(), created.bodyAsString());
    JsonObject body = created.bodyAsJsonObject();
    TestServer.Manifesto m = new TestServer.Manifesto(body.getString("id"),
        body.getJsonObject("tokens").getString("admin"), null, body.getJsonObject("tokens").getString("viewer"));
    int v = save(m, "الأولى");
    publish(m, v);
    HttpResponse<Buffer> r = get(pdf(m, v), null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    String disposition = r.getHeader("Content-Disposition");
    assertTrue(disposition.startsWith("inline; filename=\"manifesto-v1-print.pdf\"; filename*=UTF-8''"), disposition);
    String encoded = disposition.substring(disposition.indexOf("UTF-8''") + 7);
    assertEquals("بيان-الماء-v1-print.pdf", URLDecoder.decode(encoded, StandardCharsets.UTF_8));
    assertTrue(disposition.chars().allMatch(c -> c < 128), "header values stay ASCII");
    assertError(get(pdf(m, v) + "?lang=en", null), 404);
    assertEquals(200, get(pdf(m, v) + "?lang=ar", null).statusCode());
  }

  @Test
  void theLatestPublishedVersionIsServedWithoutANumber() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Latest", "First words.");
    String latest = "/api/manifestos/" + m.id() + "/pdf";
    HttpResponse<Buffer> none = get(latest, null);
    assertError(none, 404);
    assertTrue(none.bodyAsJsonObject().getString("message").contains("nothing is published"));
    int v1 = save(m, "One");
    publish(m, v1);
    replace(m, "First words. Second thoughts.", "Omar");
    int v2 = save(m, "Two");
    assertTrue(get(latest, null).getHeader("Content-Disposition").contains("-v1-"));
    publish(m, v2);
    HttpResponse<Buffer> r = get(latest + "?edition=reading", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Disposition").contains("latest-v2-reading.pdf"), r.getHeader("Content-Disposition"));
    assertTrue(text(r).contains("thoughts"));
    assertError(get(latest + "?paper=A5", null), 400);
    assertError(get("/api/manifestos/nosuchthing/pdf", null), 404);
  }

  @Test
  void fileNamesAndCredits() {
    assertEquals("declaration-d-oran", FileNames.asciiSlug("Déclaration d'Oran!"));
    assertEquals("inline; filename=\"manifesto-v2-print.pdf\"; filename*=UTF-8''%D9%86%D8%AD%D9%86-v2-print.pdf",
        FileNames.contentDisposition("نحن", 2, "print"));
    var contributors = List.of(
        new org.convene.versions.VersionReader.Contributor("", 30, 0.3),
        new org.convene.versions.VersionReader.Contributor("Leila", 70, 0.7));
    var credits = EditionsApi.credits(contributors, org.convene.pdf.Labels.ENGLISH);
    assertEquals("Leila", credits.get(0).name());
    assertEquals("drafting, 70% of the text", credits.get(0).role());
    assertEquals("Initial text", credits.get(1).name());
    assertEquals("30% of the text, before live editing", credits.get(1).role());
    // An Arabic edition credits in Arabic: the roles come from the edition's catalog, not English words.
    var arabic = EditionsApi.credits(contributors, org.convene.pdf.Labels.forLanguage("ar"));
    assertEquals("Leila", arabic.get(0).name());
    for (var c : arabic) {
      assertTrue(c.role().codePoints().anyMatch(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.ARABIC), c.role());
      assertFalse(c.role().contains("drafting") || c.name().contains("Initial"), c.toString());
    }
  }
}
