package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signing without JavaScript: the server's form page, its CSRF token, and pages as answers. */
class NoScriptFormTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;
  static final GreenMail mail = api.mail;
  static final Pattern FIELD = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");

  /** The form page's token and the cookie it set. */
  record Form(String field, String cookie, String page) {}

  static Form open(TestServer.Manifesto m) throws Exception {
    HttpResponse<Buffer> r = api.get("/p/" + m.id() + "/sign");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"));
    String setCookie = r.getHeader("Set-Cookie");
    assertNotNull(setCookie);
    assertTrue(setCookie.toLowerCase().contains("httponly") && setCookie.contains("SameSite=Strict"), setCookie);
    assertTrue(setCookie.contains("Path=/api/manifestos/" + m.id() + "/signatures"), setCookie);
    Matcher field = FIELD.matcher(r.bodyAsString());
    assertTrue(field.find(), r.bodyAsString());
    String cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    return new Form(field.group(1), cookie, r.bodyAsString());
  }

  static HttpResponse<Buffer> post(TestServer.Manifesto m, MultiMap fields, String cookie) throws Exception {
    HttpRequest<Buffer> req = server.http().post("/api/manifestos/" + m.id() + "/signatures");
    if (cookie != null) {
      req.putHeader("Cookie", Csrf.COOKIE + "=" + cookie);
    }
    return req.sendForm(fields).await(30, TimeUnit.SECONDS);
  }

  static MultiMap fields(Form form, String name, String email) {
    MultiMap f = MultiMap.caseInsensitiveMultiMap().add("name", name).add("email", email).add("country", "CM")
        .add("city", "Douala").add("display", "full").add("updates", "on");
    if (form != null) {
      f.add("csrf", form.field());
    }
    return f;
  }

  @Test
  void aFormPostWithItsTokenSignsAndIsAnsweredWithAPage() throws Exception {
    TestServer.Manifesto m = api.published("Without <script>", "Text.");
    Form form = open(m);
    assertTrue(form.page().contains("Without &lt;script&gt;"), "the title is escaped");
    assertTrue(form.page().contains("<option value=\"CM\">Cameroon</option>"));
    assertTrue(form.page().contains("name=\"website\""), "the honeypot is in the form");

    HttpResponse<Buffer> r = post(m, fields(form, "Ngozi Ékambi", "ngozi@example.org"), form.cookie());
    assertEquals(202, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(r.bodyAsString().contains("follow its link"), r.bodyAsString());

    var message = api.await("ngozi@example.org", 1);
    HttpResponse<Buffer> confirmed = server.http().get("/api/signatures/confirm?token=" + Signatures.token(message, Signatures.CONFIRM))
        .putHeader("Accept", "text/html,application/xhtml+xml").send().await(30, TimeUnit.SECONDS);
    assertEquals(200, confirmed.statusCode());
    assertTrue(confirmed.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(confirmed.bodyAsString().contains("your signature counts"), confirmed.bodyAsString());
    JsonObject entry = Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures")).getJsonObject(0);
    assertEquals("Ngozi Ékambi", entry.getString("displayName"), "UTF-8 form fields kept as typed");
    assertEquals("CM", entry.getString("country"));
  }

  /**
   * A mail program may cut or lengthen a link: a browser following it gets a page, not the API's JSON.
   * A confirmation link says it is not known; a withdraw link asks first (its GET changes nothing), and
   * one longer than any token says it is not known.
   */
  @Test
  void aMangledLinkFromTheMailIsAnsweredWithAPage() throws Exception {
    for (String token : List.of("x".repeat(43) + "%3E", "x".repeat(150))) {
      HttpResponse<Buffer> confirm = browserGet("/api/signatures/confirm?token=" + token);
      assertEquals(404, confirm.statusCode(), confirm.bodyAsString());
      assertTrue(confirm.getHeader("Content-Type").startsWith("text/html"), confirm.bodyAsString());
      assertTrue(confirm.bodyAsString().contains("This link is not known"), confirm.bodyAsString());
    }
    HttpResponse<Buffer> longWithdraw = browserGet("/api/signatures/withdraw?token=" + "x".repeat(150));
    assertEquals(400, longWithdraw.statusCode(), longWithdraw.bodyAsString());
    assertTrue(longWithdraw.getHeader("Content-Type").startsWith("text/html"), longWithdraw.bodyAsString());
    assertTrue(longWithdraw.bodyAsString().contains("This link is not known"), longWithdraw.bodyAsString());
  }

  private static HttpResponse<Buffer> browserGet(String uri) throws Exception {
    return server.http().get(uri).putHeader("Accept", "text/html,application/xhtml+xml").send().await(30, TimeUnit.SECONDS);
  }

  @Test
  void withoutAMatchingTokenNothingIsStoredAndTheFormComesBack() throws Exception {
    TestServer.Manifesto m = api.published("Tokens", "Text.");
    Form form = open(m);
    HttpResponse<Buffer> noCookie = post(m, fields(form, "Cross Site", "cross@example.org"), null);
    assertEquals(403, noCookie.statusCode());
    assertTrue(noCookie.bodyAsString().contains("value=\"Cross Site\""), "the values are kept");
    assertTrue(FIELD.matcher(noCookie.bodyAsString()).find(), "with a fresh token");
    assertEquals(403, post(m, fields(null, "No Field", "nofield@example.org"), form.cookie()).statusCode());
    Form other = open(api.published("Another", "Text."));
    assertEquals(403, post(m, fields(other, "Wrong Manifesto", "wrong@example.org"), other.cookie()).statusCode(),
        "a token is for one manifesto");
    String forged = form.field().substring(0, 20) + (form.field().charAt(20) == 'A' ? 'B' : 'A') + form.field().substring(21);
    assertEquals(403, post(m, fields(new Form(forged, forged, ""), "Forged", "forged@example.org"), forged).statusCode());
    assertEquals(202, post(m, fields(form, "Real One", "real@example.org"), form.cookie()).statusCode());
    api.await("real@example.org", 1);
    for (String who : new String[] {"cross@example.org", "nofield@example.org", "wrong@example.org", "forged@example.org"}) {
      assertEquals(0, api.to(who).size(), who + " was not stored, so not mailed");
    }
  }

  @Test
  void errorsAreShownBesideTheirFieldsEscaped() throws Exception {
    TestServer.Manifesto m = api.published("Errors", "Text.");
    Form form = open(m);
    MultiMap bad = fields(form, "<script>alert(1)</script>", "not an email").set("country", "ZZ");
    HttpResponse<Buffer> r = post(m, bad, form.cookie());
    assertEquals(400, r.statusCode());
    String page = r.bodyAsString();
    assertTrue(page.contains("id=\"email-error\""), page);
    assertTrue(page.contains("id=\"country-error\""), page);
    assertFalse(page.contains("id=\"name-error\""), "the name was fine");
    assertFalse(page.contains("<script>alert"), "what people typed is escaped");
    assertTrue(page.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""), page);
    assertEquals(0, api.count(m).getLong("confirmed"));
  }

  /**
   * The form's fields are checked by the API document (its SignerForm schema), but answered here: the
   * token first (403 and the form again, nothing said of the fields), then each finding beside its
   * field in the reader's language, with the values as sent.
   */
  @Test
  void theDocumentsFindingsAreShownBesideTheirFieldsInTheReadersLanguageAfterTheToken() throws Exception {
    TestServer.Manifesto m = api.published("Checked", "Text.");
    Form form = open(m);
    MultiMap bad = fields(form, "n".repeat(101), "not an email").set("comment", "tab\there").add("country", "FR");
    HttpResponse<Buffer> stale = server.http().post("/api/manifestos/" + m.id() + "/signatures")
        .putHeader("Cookie", "lang=fr").sendForm(bad).await(30, TimeUnit.SECONDS);
    assertEquals(403, stale.statusCode(), stale.bodyAsString());
    assertTrue(stale.bodyAsString().contains("Ce formulaire avait expiré"), stale.bodyAsString());
    assertFalse(stale.bodyAsString().contains("class=\"error\" id=\"name-error\""), "the token is checked first");

    HttpResponse<Buffer> r = server.http().post("/api/manifestos/" + m.id() + "/signatures")
        .putHeader("Cookie", "lang=fr; " + Csrf.COOKIE + "=" + form.cookie()).sendForm(bad).await(30, TimeUnit.SECONDS);
    assertEquals(400, r.statusCode(), r.bodyAsString());
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"));
    assertEquals("fr", r.getHeader("Content-Language"));
    String page = r.bodyAsString();
    assertTrue(page.contains("<span class=\"error\" id=\"name-error\">Votre nom est trop long : 100 caractères au plus.</span>"), page);
    assertTrue(page.contains("<span class=\"error\" id=\"email-error\">Cela ne ressemble pas à une adresse e-mail (nom@exemple.org).</span>"), page);
    assertTrue(page.contains("<span class=\"error\" id=\"comment-error\">Le commentaire contient un caractère de contrôle invisible ; retapez-le.</span>"), page);
    assertTrue(page.contains("<span class=\"error\" id=\"country-error\">Choisissez un pays dans la liste.</span>"),
        "a field given twice: " + page);
    assertFalse(page.contains("id=\"city-error\""), "the city was fine");
    assertTrue(page.contains("Certains champs sont à revoir."), page);
    assertTrue(page.contains("value=\"" + "n".repeat(101) + "\""), "the values as sent");
    assertTrue(FIELD.matcher(page).find(), "with a fresh token");
    assertEquals(0, api.count(m).getLong("confirmed"));
    assertEquals(0, api.to("not an email").size());
  }

  /**
   * A form sends each line break as CR LF; the document counts a comment's length with LF, as the page's
   * textarea and a script's JSON do, so a comment that fits the textarea fits the rule.
   */
  @Test
  void aCommentThatFitsTheTextareaFitsTheRule() throws Exception {
    TestServer.Manifesto m = api.published("Lines", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    Form form = open(m);
    String[] lines = new String[10];
    java.util.Arrays.fill(lines, "l".repeat(49));
    MultiMap f = fields(form, "Line Breaker", "").set("comment", String.join("\r\n", lines)); // 499 with LF, 508 sent
    HttpResponse<Buffer> r = post(m, f, form.cookie());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject entry = Signatures.ok2(api.get("/api/manifestos/" + m.id() + "/signatures")).getJsonObject(0);
    assertEquals(String.join("\n", lines), entry.getString("comment"));
    lines[0] = "l".repeat(53); // 503 with LF
    Form again = open(m);
    HttpResponse<Buffer> tooLong = post(m, fields(again, "Line Breaker", "").set("comment", String.join("\n", lines)).add("name", "x"), again.cookie());
    assertEquals(400, tooLong.statusCode(), tooLong.bodyAsString());
    assertTrue(tooLong.bodyAsString().contains("id=\"comment-error\""), tooLong.bodyAsString());
    assertTrue(tooLong.bodyAsString().contains("id=\"name-error\""), "a name given twice: " + tooLong.bodyAsString());
  }

  @Test
  void withoutEmailRequiredTheFormSignsAtOnce() throws Exception {
    TestServer.Manifesto m = api.published("Reading", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    Form form = open(m);
    HttpResponse<Buffer> r = post(m, fields(form, "Walk In", "").set("display", "initials"), form.cookie());
    assertEquals(201, r.statusCode(), r.bodyAsString());
    assertEquals(1, api.count(m).getLong("confirmed"));
    assertEquals(404, api.get("/p/nosuch/sign").statusCode());
  }
}
