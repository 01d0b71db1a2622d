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
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signing in the signer's language (issue 13): the pages without JavaScript, the field errors, the
 * mail (written in the interface language the signer signed in), and the withdraw link that a mail
 * scanner may fetch without withdrawing anything (issue 11).
 */
class SigningLanguagesTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;
  static final GreenMail mail = api.mail;
  static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([A-Za-z0-9_-]+)\"");
  static final String HTML = "text/html,application/xhtml+xml";

  static HttpResponse<Buffer> page(String path, String langCookie) throws Exception {
    HttpRequest<Buffer> req = server.http().get(path).putHeader("Accept", HTML);
    if (langCookie != null) {
      req.putHeader("Cookie", "lang=" + langCookie);
    }
    return req.send().await(30, TimeUnit.SECONDS);
  }

  static void assertArabicPage(HttpResponse<Buffer> r) {
    String body = r.bodyAsString();
    assertTrue(r.getHeader("Content-Type").startsWith("text/html"), r.getHeader("Content-Type"));
    assertTrue(body.contains("<html lang=\"ar\" dir=\"rtl\">"), body);
    assertEquals("ar", r.getHeader("Content-Language"));
    assertTrue(body.contains("<select id=\"language-switch\" name=\"lang\">"), "a language switch: " + body);
    assertTrue(body.contains("<option value=\"ar\" lang=\"ar\" dir=\"rtl\" selected>العربية</option>"), body);
  }

  @Test
  void theFormWithoutJavaScriptIsInArabicWithArabicErrors() throws Exception {
    TestServer.Manifesto m = api.published("Charter of the Commons", "Text.");
    HttpResponse<Buffer> r = page("/p/" + m.id() + "/sign?lang=ar", null);
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertArabicPage(r);
    String form = r.bodyAsString();
    assertTrue(form.contains(">اسمك</label>"), form);
    assertTrue(form.contains(">وقّع</button>"), form);
    assertTrue(form.contains("<option value=\"EG\">مصر</option>"), "countries named in Arabic");
    assertTrue(form.contains("<h1 dir=\"auto\">Charter of the Commons</h1>"), "the title keeps its own direction");
    assertFalse(form.contains("Your name"), "no English left");
    String langCookie = r.headers().getAll("Set-Cookie").stream().filter(c -> c.startsWith("lang=")).findFirst().orElse(null);
    assertNotNull(langCookie, "?lang= is remembered");
    String csrfCookie = r.headers().getAll("Set-Cookie").stream().filter(c -> c.startsWith(Csrf.COOKIE + "="))
        .findFirst().orElseThrow();
    Matcher token = CSRF.matcher(form);
    assertTrue(token.find());

    MultiMap bad = MultiMap.caseInsensitiveMultiMap().add("csrf", token.group(1)).add("name", "").add("email", "not mail")
        .add("country", "ZZ").add("display", "full");
    HttpResponse<Buffer> answer = server.http().post("/api/manifestos/" + m.id() + "/signatures")
        .putHeader("Cookie", "lang=ar; " + csrfCookie.substring(0, csrfCookie.indexOf(';')))
        .sendForm(bad).await(30, TimeUnit.SECONDS);
    assertEquals(400, answer.statusCode(), answer.bodyAsString());
    assertArabicPage(answer);
    String errors = answer.bodyAsString();
    assertTrue(errors.contains("<span class=\"error\" id=\"name-error\">اكتب اسمك من فضلك.</span>"), errors);
    assertTrue(errors.contains("<span class=\"error\" id=\"country-error\">اختر بلدًا من القائمة.</span>"), errors);
    assertTrue(errors.contains("id=\"email\" name=\"email\"") && errors.contains("aria-describedby=\"email-error\""), errors);
    assertTrue(errors.contains("بعض الحقول تحتاج إلى مراجعة."), errors);
    assertFalse(errors.contains("required:"), "never the server's English");
  }

  @Test
  void theJsonAnswerGivesAReasonPerFieldAndPerRefusal() throws Exception {
    TestServer.Manifesto m = api.published("Reasons", "Text.");
    HttpResponse<Buffer> r = api.sign(m, Signatures.signer("", "x@y", "ZZ", "full").put("comment", "x".repeat(501)));
    assertEquals(400, r.statusCode());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals("invalid_input", body.getString("error"));
    assertTrue(body.getJsonObject("fields").getString("name").startsWith("required"), "the contract's words stay");
    assertEquals(new JsonObject().put("name", "required").put("email", "invalid").put("country", "invalid")
        .put("comment", "too_long"), body.getJsonObject("reasons"));
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("open", false)));
    HttpResponse<Buffer> closed = api.sign(m, Signatures.signer("Amal", "amal@example.org", "FR", "full"));
    assertEquals(409, closed.statusCode());
    assertEquals("closed", closed.bodyAsJsonObject().getString("reason"));
    HttpResponse<Buffer> closedPage = page("/p/" + m.id() + "/sign", "fr");
    assertTrue(closedPage.bodyAsString().contains("Les signatures sont closes pour ce manifeste."), closedPage.bodyAsString());
  }

  @Test
  void anArabicSignerGetsAnArabicMailWhoseLinksWork() throws Exception {
    TestServer.Manifesto m = api.published("Charter <of> the Commons", "Text.");
    HttpResponse<Buffer> signed = server.http().post("/api/manifestos/" + m.id() + "/signatures")
        .putHeader("Cookie", "lang=ar").putHeader("Accept-Language", "en")
        .sendJsonObject(Signatures.signer("أمل حداد", "amal.ar@example.org", "SY", "full")).await(30, TimeUnit.SECONDS);
    assertEquals(202, signed.statusCode(), signed.bodyAsString());
    assertEquals("ar", api.sqlValue("SELECT interface_language FROM signatures WHERE email = 'amal.ar@example.org'"));

    MimeMessage message = api.await("amal.ar@example.org", 1);
    assertTrue(message.getSubject().startsWith("أكّد توقيعك: "), message.getSubject());
    assertTrue(message.getSubject().contains("Charter <of> the Commons"), message.getSubject());
    Map<String, String> parts = parts(message);
    String text = parts.get("text/plain") == null ? null : parts.get("text/plain").replace("\r\n", "\n");
    String html = parts.get("text/html");
    assertNotNull(text, parts.keySet().toString());
    assertNotNull(html, parts.keySet().toString());
    assertTrue(text.contains("مرحبًا \u2068أمل حداد\u2069،"), text);
    assertTrue(text.contains("أكّد توقيعي:\nhttps://sign.convene.test/api/signatures/confirm?token="), text);
    assertTrue(html.contains("<html lang=\"ar\" dir=\"rtl\">"), html);
    assertTrue(html.contains("<bdi>Charter &lt;of&gt; the Commons</bdi>"), "escaped and isolated: " + html);
    assertTrue(html.contains("اسحب توقيعي</a>"), html);
    assertFalse(text.contains("Hello") || html.contains("Hello"), "no English");

    String confirm = link(html, Signatures.CONFIRM);
    HttpResponse<Buffer> confirmed = page("/api/signatures/confirm?token=" + confirm, "ar");
    assertEquals(200, confirmed.statusCode(), confirmed.bodyAsString());
    assertArabicPage(confirmed);
    assertTrue(confirmed.bodyAsString().contains("تم تأكيد التوقيع"), confirmed.bodyAsString());
    assertTrue(confirmed.bodyAsString().contains("<a href=\"/p/" + m.id() + "\">العودة إلى البيان</a>"),
        "a way back to the manifesto: " + confirmed.bodyAsString());
    Wait.until(15, () -> count(m) == 1, () -> "counted once confirmed");

    String withdraw = link(html, Signatures.WITHDRAW);
    HttpResponse<Buffer> question = page("/api/signatures/withdraw?token=" + withdraw, "ar");
    assertEquals(200, question.statusCode());
    assertArabicPage(question);
    assertTrue(question.bodyAsString().contains(">اسحب توقيعي</button>"), question.bodyAsString());
  }

  @Test
  void aBrowsersGetOfAWithdrawLinkWithdrawsNothingAScriptsDoes() throws Exception {
    TestServer.Manifesto m = api.published("Scanners", "Text.");
    api.sign(m, Signatures.signer("Kofi Mensah", "kofi@example.org", "GH", "full"));
    MimeMessage message = api.await("kofi@example.org", 1);
    Signatures.ok(api.get("/api/signatures/confirm?token=" + Signatures.token(message, Signatures.CONFIRM)));
    Wait.until(15, () -> count(m) == 1, () -> "counted");
    String withdraw = "/api/signatures/withdraw?token=" + Signatures.token(message, Signatures.WITHDRAW);

    // What a mail scanner does: GET the link, as a browser.
    HttpResponse<Buffer> question = page(withdraw, "en");
    assertEquals(200, question.statusCode());
    assertTrue(question.bodyAsString().contains("Withdraw your signature?"), question.bodyAsString());
    // A form post without the question's token (from elsewhere) changes nothing either.
    HttpResponse<Buffer> forged = server.http().post(withdraw).putHeader("Accept", HTML)
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", "forged")).await(30, TimeUnit.SECONDS);
    assertEquals(403, forged.statusCode());
    assertEquals("confirmed", api.sqlValue("SELECT state FROM signatures WHERE email = 'kofi@example.org'"));
    assertEquals(1, count(m));

    // The person presses the button: the question's form, with its token and cookie.
    Matcher token = CSRF.matcher(question.bodyAsString());
    assertTrue(token.find());
    String cookie = question.headers().getAll("Set-Cookie").stream().filter(c -> c.startsWith(Csrf.COOKIE + "="))
        .findFirst().orElseThrow();
    assertTrue(cookie.contains("Path=/api/signatures/withdraw") && cookie.contains("SameSite=Strict"), cookie);
    HttpResponse<Buffer> done = server.http().post(withdraw).putHeader("Accept", HTML)
        .putHeader("Cookie", cookie.substring(0, cookie.indexOf(';')))
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("csrf", token.group(1))).await(30, TimeUnit.SECONDS);
    assertEquals(200, done.statusCode(), done.bodyAsString());
    assertTrue(done.bodyAsString().contains("Your signature is withdrawn"), done.bodyAsString());
    assertTrue(done.bodyAsString().contains("<a href=\"/p/" + m.id() + "\">Back to the manifesto</a>"), done.bodyAsString());
    assertEquals("withdrawn", api.sqlValue("SELECT state FROM signatures WHERE email = 'kofi@example.org'"));
    Wait.until(15, () -> count(m) == 0, () -> "the count follows");

    // A script's GET withdraws, as the REST contract says.
    api.sign(m, Signatures.signer("Ama Owusu", "ama@example.org", "GH", "full"));
    MimeMessage second = api.await("ama@example.org", 1);
    HttpResponse<Buffer> script = api.get("/api/signatures/withdraw?token=" + Signatures.token(second, Signatures.WITHDRAW));
    assertEquals(200, script.statusCode(), script.bodyAsString());
    assertEquals("withdrawn", script.bodyAsJsonObject().getString("status"));
    assertEquals("withdrawn", api.sqlValue("SELECT state FROM signatures WHERE email = 'ama@example.org'"));
  }

  @Test
  void theOrganisersSeeTheCountByTheLanguageOfTheTextSigned() throws Exception {
    TestServer.Manifesto m = api.published("Languages", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    Signatures.ok(api.sign(m, Signatures.signer("Amal", "a@example.org", "SY", "full").put("language", "ar")));
    Signatures.ok(api.sign(m, Signatures.signer("Bea", "b@example.org", "ES", "full").put("language", "es")));
    Signatures.ok(api.sign(m, Signatures.signer("Cai", "c@example.org", "CN", "full").put("language", "es")));
    Signatures.ok(api.sign(m, Signatures.signer("Dan", "d@example.org", "GB", "full")));
    Signatures.ok(api.post("/api/manifestos/" + m.id() + "/signatures/erase", m.admin(),
        new JsonObject().put("email", "a@example.org")));
    JsonObject stats = Signatures.ok(Signatures.send(server.http().get("/api/manifestos/" + m.id() + "/signatures/stats"),
        m.admin(), null));
    assertEquals(new JsonObject().put("es", 2L).put("en", 1L).put("und", 1L), stats.getJsonObject("byLanguage"),
        "the manifesto's own language by default; an erased signature's is unknown");
    assertEquals(403, Signatures.send(server.http().get("/api/manifestos/" + m.id() + "/signatures/stats"), m.editor(), null)
        .statusCode());
  }

  long count(TestServer.Manifesto m) {
    try {
      return api.count(m).getLong("confirmed");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String link(String html, Pattern pattern) {
    Matcher matcher = pattern.matcher(html);
    assertTrue(matcher.find(), "no " + pattern + " in " + html);
    return matcher.group(1);
  }

  /** The decoded text parts of a mail, by type. */
  static Map<String, String> parts(Part part) throws Exception {
    Map<String, String> out = new HashMap<>();
    if (part.isMimeType("multipart/*")) {
      Multipart multi = (Multipart) part.getContent();
      for (int i = 0; i < multi.getCount(); i++) {
        BodyPart p = multi.getBodyPart(i);
        out.putAll(parts(p));
      }
    } else if (part.isMimeType("text/plain")) {
      out.put("text/plain", (String) part.getContent());
    } else if (part.isMimeType("text/html")) {
      out.put("text/html", (String) part.getContent());
    }
    return out;
  }
}
