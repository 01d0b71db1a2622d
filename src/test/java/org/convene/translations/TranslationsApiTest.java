package org.convene.translations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.text.Normalizer;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convene.ot.TextOperation;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The translations REST surface against the real server and database, edited over the real protocol,
 * and the PDF editions printing a published translation (alone, and side by side as PDF/A-2b).
 */
class TranslationsApiTest {
  @RegisterExtension
  static final TestServer own = TestServer.perClass();
  /** The server the static helpers talk to: this class's, or another test class's. */
  static TestServer serverForHelpers;

  static final String P1 = "Everyone who lives here has the right to stay, to work and to be heard.";
  static final String P2 = "We ask the city to open its services to all, whatever their papers say.";
  static final String P3 = "Schools, clinics and shelters must not ask for documents at the door.";
  static final String P4 = "We will meet every month until these demands are met in full.";
  static final String SOURCE = "# Our city\n\n" + P1 + "\n\n" + P2 + "\n\n" + P3 + "\n\n" + P4 + "\n";

  static TestServer srv() {
    return serverForHelpers != null ? serverForHelpers : own;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.await(60, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> call(HttpRequest<Buffer> req, String token, JsonObject body) throws Exception {
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return (body == null ? req.send() : req.sendJsonObject(body)).await(60, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return call(srv().http().post(path), token, body);
  }

  static HttpResponse<Buffer> get(String path, String token) throws Exception {
    return call(srv().http().get(path), token, null);
  }

  static JsonObject ok(HttpResponse<Buffer> r) {
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  static String base(TestServer.Manifesto m) {
    return "/api/manifestos/" + m.id() + "/translations";
  }

  static JsonObject add(TestServer.Manifesto m, String language) throws Exception {
    return ok(post(base(m), m.admin(), new JsonObject().put("language", language)));
  }

  /** Types a unit's translation into the document, right after its marker line. */
  static void translate(OtClient c, int unit, String text) throws Exception {
    String doc = c.text();
    String marker = TranslationText.MARK + Integer.toString(unit) + "\n";
    int at = doc.indexOf(marker);
    assertTrue(at >= 0, "no marker for unit " + unit + " in " + doc);
    at += marker.length();
    int end = doc.indexOf("\n" + TranslationText.MARK, at - 1);
    end = end < 0 ? doc.length() : end;
    String old = doc.substring(at, end);
    c.edit(TextOperation.builder().retain(at).delete(old.length()).insert(text).retain(doc.length() - end).build());
    await(c.whenIdle());
  }

  static void replace(OtClient c, String from, String to) throws Exception {
    String doc = c.text();
    int at = doc.indexOf(from);
    assertTrue(at >= 0, from + " not in " + doc);
    c.edit(TextOperation.builder().retain(at).delete(from.length()).insert(to).retain(doc.length() - at - from.length()).build());
    await(c.whenIdle());
  }

  static OtClient open(String doc, String token, String name) throws Exception {
    return await(OtClient.open(srv().vertx(), await(srv().connect()), doc, token, name));
  }

  static JsonObject unit(JsonObject view, int id) {
    for (Object u : view.getJsonArray("units")) {
      if (((JsonObject) u).getInteger("unit") == id) {
        return (JsonObject) u;
      }
    }
    throw new AssertionError("no unit " + id + " in " + view.encodePrettily());
  }

  @Test
  void adminsMintTranslatorLinksThatOpenTheLanguageAsEditors() throws Exception {
    TestServer.Manifesto m = srv().createManifesto("Links", SOURCE);
    add(m, "ar");
    assertEquals(403, post(base(m) + "/ar/links", m.editor(), new JsonObject()).statusCode());
    assertEquals(401, post(base(m) + "/ar/links", null, new JsonObject()).statusCode());
    assertEquals(404, post(base(m) + "/es/links", m.admin(), new JsonObject()).statusCode());
    HttpResponse<Buffer> r = post(base(m) + "/ar/links", m.admin(), new JsonObject());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String path = r.bodyAsJsonObject().getString("path");
    assertTrue(path.startsWith("/m/" + m.id() + "/translate/ar#token="), path);
    String token = path.substring(path.indexOf("#token=") + 7);
    JsonObject again = post(base(m) + "/ar/links", m.admin(), new JsonObject()).bodyAsJsonObject();
    assertFalse(again.getString("path").endsWith(token), "each link is new");
    JsonObject view = ok(get(base(m) + "/ar", token));
    assertEquals(new JsonObject().put("language", "en").put("name", "English").put("dir", "ltr"), view.getJsonObject("source"));
    assertEquals(403, post(base(m) + "/ar/links", token, new JsonObject()).statusCode(), "an editor, not an admin");
  }

  @Test
  void languagesAreAddedAndRemovedByAdminsWithValidTags() throws Exception {
    TestServer.Manifesto m = srv().createManifesto("Languages", SOURCE);
    assertEquals(403, post(base(m), m.editor(), new JsonObject().put("language", "es")).statusCode());
    assertEquals(401, post(base(m), null, new JsonObject().put("language", "es")).statusCode());
    for (Object bad : new Object[] {"xx", "en_US", "", "es-", "a-very-long-tag-that-is-not-a-language-at-all", 12, "en"}) {
      HttpResponse<Buffer> r = post(base(m), m.admin(), new JsonObject().put("language", bad));
      assertEquals(400, r.statusCode(), bad + ": " + r.bodyAsString());
      assertTrue(r.bodyAsJsonObject().getJsonObject("fields").containsKey("language"));
    }
    JsonObject es = add(m, "es");
    assertEquals(new JsonObject().put("language", "es").put("name", "Español").put("dir", "ltr")
        .put("doc", m.id() + ":es"), es);
    JsonObject ar = add(m, "ar");
    assertEquals("العربية", ar.getString("name"));
    assertEquals("rtl", ar.getString("dir"));
    assertEquals("fa-IR", add(m, "FA-ir").getString("language"), "tags are kept in canonical form");
    assertEquals(409, post(base(m), m.admin(), new JsonObject().put("language", "es")).statusCode());

    assertEquals(403, call(srv().http().delete(base(m) + "/ar"), m.editor(), null).statusCode());
    assertEquals(200, call(srv().http().delete(base(m) + "/ar"), m.admin(), null).statusCode());
    assertEquals(404, call(srv().http().delete(base(m) + "/ar"), m.admin(), null).statusCode());
    HttpResponse<Buffer> list = get(base(m), m.viewer());
    assertEquals(200, list.statusCode());
    assertEquals(List.of("es", "fa-IR"), list.bodyAsJsonArray().stream().map(o -> ((JsonObject) o).getString("language")).toList());
    assertEquals(404, get(base(m) + "/ar", m.viewer()).statusCode());
    assertEquals(201, post(base(m), m.admin(), new JsonObject().put("language", "ar")).statusCode(), "added again");
  }

  @Test
  void aSourceEditMarksExactlyTheAffectedUnitsOutdated() throws Exception {
    TestServer.Manifesto m = srv().createManifesto("Outdated", SOURCE);
    add(m, "es");
    OtClient ana = open(m.id() + ":es", m.editor(), "Ana");
    translate(ana, 1, "# Nuestra ciudad");
    translate(ana, 2, "Todas las personas que viven aquí tienen derecho a quedarse, a trabajar y a ser escuchadas.");
    translate(ana, 3, "Pedimos a la ciudad que abra sus servicios a todas las personas, digan lo que digan sus papeles.");
    translate(ana, 4, "Escuelas, clínicas y albergues no deben pedir documentos en la puerta.");

    JsonArray progress = get(base(m), m.viewer()).bodyAsJsonArray();
    assertEquals(new JsonObject().put("language", "es").put("name", "Español").put("dir", "ltr").put("doc", m.id() + ":es")
        .put("units", 5).put("translated", 4).put("upToDate", 4).put("reviewed", 0), progress.getJsonObject(0));

    OtClient editor = open(m.id(), m.editor(), "Editor");
    replace(editor, "to all, whatever", "to everyone, whatever");
    JsonObject view = ok(get(base(m) + "/es", m.viewer()));
    assertEquals(List.of("current", "current", "outdated", "current", "missing"),
        view.getJsonArray("units").stream().map(u -> ((JsonObject) u).getString("state")).toList());
    JsonObject outdated = unit(view, 3);
    assertEquals(P2, outdated.getString("translatedFrom"));
    assertEquals(new JsonArray().add(new JsonObject().put("op", "equal").put("text", "We ask the city to open its services to "))
        .add(new JsonObject().put("op", "delete").put("text", "all"))
        .add(new JsonObject().put("op", "insert").put("text", "everyone"))
        .add(new JsonObject().put("op", "equal").put("text", ", whatever their papers say.")), outdated.getJsonArray("diff"));
    assertEquals("Ana", outdated.getString("translatedBy"));

    // "still correct" brings it up to date; editing the translation does too
    assertEquals(403, post(base(m) + "/es/units/3/confirm", m.viewer(), new JsonObject().put("name", "Ana")).statusCode());
    assertEquals("current", ok(post(base(m) + "/es/units/3/confirm", m.editor(), new JsonObject().put("name", "Ana"))).getString("state"));
    replace(editor, "at the door", "at any door");
    assertEquals("outdated", unit(ok(get(base(m) + "/es", m.viewer())), 4).getString("state"));
    OtClient bea = open(m.id() + ":es", m.editor(), "Bea");
    replace(bea, "en la puerta", "en ninguna puerta");
    JsonObject after = ok(get(base(m) + "/es", m.viewer()));
    assertEquals("current", unit(after, 4).getString("state"));
    assertEquals("Bea", unit(after, 4).getString("translatedBy"));
    assertEquals(4, after.getJsonObject("progress").getInteger("upToDate"));

    // a new paragraph in the source is a new unit, missing in the translation; the others stay
    replace(editor, P4, P4 + "\n\nA new closing line for the assembly.");
    JsonObject grown = ok(get(base(m) + "/es", m.viewer()));
    assertEquals(6, grown.getJsonObject("progress").getInteger("units"));
    assertEquals(List.of("current", "current", "current", "current", "missing", "missing"),
        grown.getJsonArray("units").stream().map(u -> ((JsonObject) u).getString("state")).toList());
  }

  @Test
  void aUnitIsReviewedBySomeoneOtherThanItsTranslator() throws Exception {
    TestServer.Manifesto m = srv().createManifesto("Review", SOURCE);
    add(m, "fr");
    OtClient claire = open(m.id() + ":fr", m.editor(), "Claire");
    translate(claire, 2, "Toute personne qui vit ici a le droit de rester, de travailler et d'être entendue.");
    String review = base(m) + "/fr/units/2/review";
    assertEquals(409, post(review, m.editor(), new JsonObject().put("name", " claire ")).statusCode());
    assertEquals(409, post(base(m) + "/fr/units/3/review", m.editor(), new JsonObject().put("name", "Dina")).statusCode(),
        "nothing to review in a missing translation");
    assertEquals(400, post(review, m.editor(), new JsonObject().put("name", "")).statusCode());
    assertEquals(400, post(review, m.editor(), new JsonObject().put("name", "Dina").put("state", "done")).statusCode());
    JsonObject reviewed = ok(post(review, m.editor(), new JsonObject().put("name", "Dina")));
    assertEquals("reviewed", reviewed.getString("review"));
    assertEquals("Dina", reviewed.getString("reviewedBy"));
    assertEquals(1, get(base(m), m.viewer()).bodyAsJsonArray().getJsonObject(0).getInteger("reviewed"));

    replace(claire, "entendue", "écoutée");
    JsonObject edited = unit(ok(get(base(m) + "/fr", m.viewer())), 2);
    assertEquals("draft", edited.getString("review"), "an edited translation needs a new review");
    assertEquals(0, get(base(m), m.viewer()).bodyAsJsonArray().getJsonObject(0).getInteger("reviewed"));
  }

  @Test
  void scriptsRoundTripUnchanged() throws Exception {
    String source = "Papers for all.\n\nNo borders.\n\nकोई सीमा नहीं।";
    TestServer.Manifesto m = srv().createManifesto("Scripts", source);
    add(m, "ar");
    OtClient amal = open(m.id() + ":ar", m.editor(), "أمل");
    String ar = "أوراق للجميع، ١٢٣ و\u200Fabc\u064B.";
    String zh = "没有边界。";
    String hi = "कोई सीमा नहीं। क्\u200Dष";
    translate(amal, 1, ar);
    translate(amal, 2, zh);
    translate(amal, 3, hi);
    JsonObject view = ok(get(base(m) + "/ar", m.viewer()));
    assertEquals(ar, unit(view, 1).getString("translation"));
    assertEquals(zh, unit(view, 2).getString("translation"));
    assertEquals(hi, unit(view, 3).getString("translation"));
    assertEquals("أمل", unit(view, 1).getString("translatedBy"));
    JsonObject version = ok(post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "v1")));
    JsonObject published = ok(post(base(m) + "/ar/publish", m.admin(), new JsonObject().put("version", version.getInteger("number"))));
    JsonObject read = ok(get(base(m) + "/ar/published?version=1", m.viewer()));
    assertEquals(ar + "\n\n" + zh + "\n\n" + hi, read.getString("text"));
    assertEquals(published.getString("sha256"), TranslationsApi.sha256(read.getString("text")));
  }

  @Test
  void publishingChecksEveryUnitAndRecordsThePairForGood() throws Exception {
    TestServer.Manifesto m = srv().createManifesto("Publish", SOURCE);
    add(m, "es");
    OtClient ana = open(m.id() + ":es", m.editor(), "Ana");
    translate(ana, 1, "# Nuestra ciudad");
    translate(ana, 2, "Todas las personas tienen derecho a quedarse.");
    JsonObject v1 = ok(post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "v1")));
    int n = v1.getInteger("number");
    assertEquals(403, post(base(m) + "/es/publish", m.editor(), new JsonObject().put("version", n)).statusCode());
    assertEquals(400, post(base(m) + "/es/publish", m.admin(), new JsonObject().put("version", "one")).statusCode());
    assertEquals(404, post(base(m) + "/es/publish", m.admin(), new JsonObject().put("version", 99)).statusCode());
    HttpResponse<Buffer> incomplete = post(base(m) + "/es/publish", m.admin(), new JsonObject().put("version", n));
    assertEquals(409, incomplete.statusCode());
    JsonArray missing = incomplete.bodyAsJsonObject().getJsonObject("fields").getJsonArray("units");
    assertEquals(List.of(3, 4, 5), missing.stream().map(u -> ((JsonObject) u).getInteger("unit")).toList());
    assertEquals(404, get(base(m) + "/es/published?version=" + n, m.viewer()).statusCode(), "nothing recorded");

    translate(ana, 3, "Pedimos servicios para todas las personas.");
    translate(ana, 4, "Sin documentos en la puerta.");
    translate(ana, 5, "Nos reuniremos cada mes.");
    // the live source moves on after the version: the version's text is what is checked
    OtClient editor = open(m.id(), m.editor(), "Editor");
    replace(editor, "every month", "every week");
    HttpResponse<Buffer> stale = post(base(m) + "/es/publish", m.admin(), new JsonObject().put("version", n));
    assertEquals(201, stale.statusCode(), stale.bodyAsString());
    JsonObject pub = stale.bodyAsJsonObject();
    assertEquals(v1.getString("sha256"), pub.getString("sourceSha256"));
    String expected = "# Nuestra ciudad\n\nTodas las personas tienen derecho a quedarse.\n\nPedimos servicios para todas las personas."
        + "\n\nSin documentos en la puerta.\n\nNos reuniremos cada mes.";
    assertEquals(TranslationsApi.sha256(expected), pub.getString("sha256"));

    // an unpublished version's translation is not public
    assertEquals(401, get(base(m) + "/es/published?version=" + n, null).statusCode());
    ok(post("/api/manifestos/" + m.id() + "/versions/" + n + "/publish", m.admin(), null));
    JsonObject read = ok(get(base(m) + "/es/published?version=" + n, null));
    assertEquals(expected, read.getString("text"));
    assertTrue(read.getBoolean("valid"));
    assertEquals(new JsonArray().add(new JsonObject().put("language", "es").put("name", "Español").put("dir", "ltr")),
        get(base(m) + "/published?version=" + n, null).bodyAsJsonArray());

    String url = "jdbc:postgresql://" + srv().config().pgConnectOptions().getHost() + ":"
        + srv().config().pgConnectOptions().getPort() + "/" + srv().config().pgConnectOptions().getDatabase();
    try (Connection c = DriverManager.getConnection(url, srv().config().pgConnectOptions().getUser(), "")) {
      SQLException refused = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> c.createStatement().executeUpdate("UPDATE translation_publications SET text = 'forged'"));
      assertTrue(refused.getMessage().contains("never changed"), refused.getMessage());
      org.junit.jupiter.api.Assertions.assertThrows(SQLException.class,
          () -> c.createStatement().executeUpdate("DELETE FROM translation_publications"));
    }
    assertEquals(expected, ok(get(base(m) + "/es/published?version=" + n, null)).getString("text"));
  }

  @Test
  void memorySuggestsTheClosestTranslationsFromEveryManifesto() throws Exception {
    TestServer.Manifesto first = srv().createManifesto("Memory one", SOURCE);
    add(first, "it");
    OtClient gio = open(first.id() + ":it", first.editor(), "Gio");
    translate(gio, 3, "Chiediamo alla città di aprire i suoi servizi a tutti, qualunque cosa dicano i loro documenti.");
    translate(gio, 5, "Ci riuniremo ogni mese finché queste richieste non saranno soddisfatte.");
    ok(get(base(first) + "/it", first.viewer())); // the memory holds translations as last read
    TestServer.Manifesto other = srv().createManifesto("Memory two",
        "We ask the town to open its services to all, whatever their papers say.\n\nSomething else entirely, about bicycles.");
    add(other, "it");
    assertEquals(403, get(base(other) + "/it/memory?unit=1", other.viewer()).statusCode());
    assertEquals(400, get(base(other) + "/it/memory?unit=x", other.editor()).statusCode());
    JsonObject near = ok(get(base(other) + "/it/memory?unit=1", other.editor()));
    JsonArray suggestions = near.getJsonArray("suggestions");
    assertEquals(1, suggestions.size(), suggestions.encodePrettily());
    JsonObject s = suggestions.getJsonObject(0);
    assertEquals(P2, s.getString("source"));
    assertTrue(s.getString("translation").startsWith("Chiediamo alla città"));
    assertTrue(s.getDouble("similarity") > 0.8 && s.getDouble("similarity") < 1, s.encode());
    assertFalse(s.getBoolean("sameManifesto"));
    assertEquals(0, ok(get(base(other) + "/it/memory?unit=2", other.editor())).getJsonArray("suggestions").size());
    add(other, "de");
    assertEquals(0, ok(get(base(other) + "/de/memory?unit=1", other.editor())).getJsonArray("suggestions").size(),
        "only translations into the same language");
    assertNotNull(near.getInteger("unit"));
  }

  @Test
  void aPublishedTranslationIsPrintedAloneAndSideBySide() throws Exception {
    TestServer.Manifesto m = srv().createManifesto("Water", "# Water\n\nWater is a right for everyone.\n\nNo one is cut off.");
    add(m, "es");
    add(m, "ar");
    OtClient es = open(m.id() + ":es", m.editor(), "Ana");
    translate(es, 1, "# Agua");
    translate(es, 2, "El agua es un derecho de todas las personas.");
    translate(es, 3, "Nadie se queda sin ella.");
    OtClient ar = open(m.id() + ":ar", m.editor(), "أمل");
    translate(ar, 1, "# الماء");
    translate(ar, 2, "الماء حق للجميع.");
    translate(ar, 3, "لا يُقطع عن أحد.");
    int n = ok(post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "v1"))).getInteger("number");
    ok(post("/api/manifestos/" + m.id() + "/versions/" + n + "/publish", m.admin(), null));
    String pdf = "/api/manifestos/" + m.id() + "/versions/" + n + "/pdf";
    assertEquals(404, get(pdf + "?lang=es", null).statusCode(), "nothing published in Spanish yet");
    ok(post(base(m) + "/es/publish", m.admin(), new JsonObject().put("version", n)));
    ok(post(base(m) + "/ar/publish", m.admin(), new JsonObject().put("version", n)));

    HttpResponse<Buffer> spanish = get(pdf + "?lang=es", null);
    assertEquals(200, spanish.statusCode(), spanish.bodyAsString());
    String text = pdfText(spanish);
    assertTrue(text.contains("El agua es un derecho") && !text.contains("Water is a right"), text);

    HttpResponse<Buffer> bilingual = get(pdf + "?edition=bilingual&lang=es&lang2=ar", null);
    assertEquals(200, bilingual.statusCode(), bilingual.bodyAsString());
    String both = Normalizer.normalize(pdfText(bilingual), Normalizer.Form.NFKC);
    assertTrue(both.contains("Nadie se queda sin ella.") && both.contains("الماء"), both);
    assertEquals(List.of(), violations(bilingual.body().getBytes()));
    assertEquals(400, get(pdf + "?edition=bilingual&lang=es&lang2=es", null).statusCode());
    assertEquals(404, get(pdf + "?edition=bilingual&lang=es&lang2=fr", null).statusCode());
  }

  private static String pdfText(HttpResponse<Buffer> r) throws Exception {
    try (PDDocument doc = Loader.loadPDF(r.body().getBytes())) {
      return new PDFTextStripper().getText(doc);
    }
  }

  private static List<String> violations(byte[] pdf) throws Exception {
    VeraGreenfieldFoundryProvider.initialise();
    PDFAFlavour flavour = PDFAFlavour.fromString("2b");
    try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
         PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
      ValidationResult result = validator.validate(parser);
      return result.isCompliant() ? List.of() : result.getTestAssertions().stream()
          .filter(a -> a.getStatus() == TestAssertion.Status.FAILED)
          .map(a -> a.getRuleId().getClause() + ": " + a.getMessage()).distinct().toList();
    }
  }
}
