package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.common.I18n;
import org.convene.ot.TextOperation;
import org.convene.testing.Axe;
import org.convene.testing.Chromium;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.convene.translations.TranslationText;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The public page /p/{id} and the kiosk in Debian's chromium, in English and in Arabic, at a laptop's
 * and a phone's size: axe-core finds nothing, {@code <html lang dir>} is the interface's while the
 * manifesto's text keeps its own, the reader chooses the language of the text among the published
 * translations and a signature records it, the PDF buttons lead to PDFs, and every state has words.
 */
class PublicPageTest {
  static final GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

  static {
    mail.start();
  }

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("SMTP_HOST", "127.0.0.1",
      "SMTP_PORT", Integer.toString(mail.getSmtp().getPort()), "MAIL_FROM", "Convene <noreply@convene.test>"));

  static final String EN_TITLE = "Water is a right";
  static final String EN_TEXT = "We, the people of the river towns, demand clean water for all.\n\nNo one is cut off.";
  static final String AR_TEXT_1 = "نحن، سكان مدن النهر، نطالب بالماء النظيف للجميع.";
  static final String AR_TEXT_2 = "لا يُقطع الماء عن أحد.";
  static final int[][] SIZES = {{1280, 800}, {390, 844}};

  /** An English manifesto with signatures and its Arabic translation published. */
  static TestServer.Manifesto translated;
  /** An English manifesto with no translation. */
  static TestServer.Manifesto english;
  static String kioskKey;

  @BeforeAll
  static void publish() throws Exception {
    Chromium.assertReady();
    translated = create(EN_TITLE, EN_TEXT, "en");
    ok(call(server.http().post(api(translated) + "/translations"), translated.admin(), new JsonObject().put("language", "ar")));
    OtClient ar = OtClient.open(server.vertx(), server.connect().await(60, TimeUnit.SECONDS), translated.id() + ":ar",
        translated.editor(), "أمل").await(60, TimeUnit.SECONDS);
    translate(ar, List.of(AR_TEXT_1, AR_TEXT_2));
    publishVersion(translated);
    ok(call(server.http().post(api(translated) + "/translations/ar/publish"), translated.admin(), new JsonObject().put("version", 1)));
    JsonObject settings = ok(call(server.http().put(api(translated) + "/signing"), translated.admin(),
        new JsonObject().put("requireEmail", false).put("goal", 100).put("kiosk", true)));
    kioskKey = settings.getString("kioskKey");
    ok(call(server.http().post(api(translated) + "/signatures"), null, new JsonObject().put("name", "أمل حداد")
        .put("country", "SY").put("city", "حلب").put("comment", "من أجل بناتي").put("display", "full")));
    ok(call(server.http().post(api(translated) + "/signatures"), null, new JsonObject().put("name", "Jonas Weber")
        .put("country", "DE").put("city", "Berlin").put("display", "full")));

    english = create("Rivers for all", "Rivers belong to everyone.\n\nNobody owns the water.", "en");
    publishVersion(english);
  }

  @AfterAll
  static void stopMail() {
    mail.stop();
  }

  String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void thePublicPageInEnglishAndArabicAtBothSizesWithItsTextInItsOwnLanguage() throws Exception {
    List<String> problems = new ArrayList<>();
    for (int[] size : SIZES) {
      try (Chromium c = browser(size)) {
        for (String ui : List.of("en", "ar")) {
          String dir = "ar".equals(ui) ? "rtl" : "ltr";
          String where = ui + " " + size[0];
          // The default text: the translation into the interface's language if published, else the original.
          c.driver.get(origin() + "/p/" + translated.id() + "?lang=" + ui);
          awaitCount(c, 2);
          c.until("the list of signers", d -> id(c, "signers").findElements(By.tagName("li")).size() == 2);
          String shown = "ar".equals(ui) ? "ar" : "en";
          c.until("the text in " + shown, d -> shown.equals(id(c, "text").getAttribute("lang")));
          assertEquals("ar".equals(ui) ? "rtl" : "ltr", id(c, "text").getAttribute("dir"), where);
          assertTrue(id(c, "text").getText().contains("ar".equals(ui) ? AR_TEXT_2 : "No one is cut off."), where);
          assertEquals("en", id(c, "title").getAttribute("lang"), "the title is the original's: " + where);
          assertEquals(shown, new Select(id(c, "text-language")).getFirstSelectedOption().getAttribute("value"), where);
          String count = id(c, "sign-count").getText();
          if ("ar".equals(ui)) {
            assertTrue(count.startsWith("توقيعان من أصل ") && count.endsWith(" من الهدف)"), "Arabic plurals and words: " + count);

          } else {
            assertEquals("2 signatures of 100 (2% of the goal)", count, where);
          }
          phoneChecks(c, where);
          c.fullScreenshot("public-" + ui + "-" + size[0] + ".png");
          problems.addAll(Axe.problems(c, "public page " + where, ui, dir));

          // An English manifesto under the Arabic interface: the page is right to left, its text is not.
          c.driver.get(origin() + "/p/" + english.id());
          c.until("the text", d -> !id(c, "text").getText().isBlank());
          assertEquals(ui, c.js("return document.documentElement.lang"), where);
          assertEquals(dir, c.js("return document.documentElement.dir"), where);
          assertEquals("en", id(c, "text").getAttribute("lang"), where);
          assertEquals("ltr", id(c, "text").getAttribute("dir"), where);
          assertEquals("ltr", c.js("return getComputedStyle(document.getElementById('text')).direction"), where);
          assertEquals("ltr", c.js("return getComputedStyle(document.getElementById('title')).direction"), where);
          assertFalse(id(c, "text-language-box").isDisplayed(), "nothing to choose without a translation: " + where);
          problems.addAll(Axe.problems(c, "public page without translations " + where, ui, dir));
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void choosingTheTextsLanguageShowsTheTranslationAndTheSignatureRecordsIt() throws Exception {
    try (Chromium c = browser(SIZES[0])) {
      c.driver.get(origin() + "/p/" + translated.id() + "?lang=en");
      c.until("the original", d -> "en".equals(id(c, "text").getAttribute("lang")));
      assertFalse(id(c, "pdf-bilingual").isDisplayed(), "no side-by-side edition of the original with itself");
      new Select(id(c, "text-language")).selectByValue("ar");
      c.until("the Arabic translation", d -> id(c, "text").getText().contains(AR_TEXT_1));
      assertEquals("ar", id(c, "text").getAttribute("lang"));
      assertEquals("rtl", id(c, "text").getAttribute("dir"));
      assertEquals("ltr", c.js("return document.documentElement.dir"), "the page stays the interface's");
      assertTrue(c.driver.getCurrentUrl().contains("text=ar"), "the choice is in the address: " + c.driver.getCurrentUrl());
      assertTrue(id(c, "pdf-reading").getAttribute("href").contains("lang=ar"), id(c, "pdf-reading").getAttribute("href"));
      assertTrue(id(c, "pdf-bilingual").isDisplayed());

      // Every PDF button leads to a PDF of what is shown.
      for (String button : List.of("pdf-reading", "pdf-print", "pdf-letter", "pdf-bilingual", "pdf-signers")) {
        URI href = URI.create(id(c, button).getAttribute("href"));
        HttpResponse<Buffer> pdf = call(server.http().get(href.getRawPath() + "?" + href.getRawQuery()), null, null);
        assertEquals(200, pdf.statusCode(), button + " " + href + ": " + pdf.bodyAsString());
        assertEquals("application/pdf", pdf.getHeader("Content-Type"), button);
        assertTrue(pdf.body().length() > 1000 && pdf.body().getString(0, 5).equals("%PDF-"), button);
      }

      // Share: the system's sheet where there is one, else the address copied, else shown to copy by hand.
      c.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin(),
          "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
      c.js("delete Navigator.prototype.share");
      id(c, "share").click();
      c.until("the share status", d -> !id(c, "share-status").getText().isBlank());
      String url = origin() + "/p/" + translated.id();
      String status = id(c, "share-status").getText();
      assertTrue(status.equals("Link copied.") || status.contains(url), status);
      if (status.equals("Link copied.")) {
        c.driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
        assertEquals(url, c.driver.executeAsyncScript("navigator.clipboard.readText().then(arguments[0], e => arguments[0](String(e)))"));
      }

      id(c, "sign-name").sendKeys("Leila Haddad");
      new Select(id(c, "sign-country")).selectByValue("LB");
      id(c, "sign-form").findElement(By.cssSelector("button[type=submit]")).click();
      c.until("the answer", d -> id(c, "sign-done").isDisplayed());
      JsonArray signed = new JsonArray(call(server.http().get(api(translated) + "/signatures/export.json"), translated.admin(), null)
          .bodyAsString());
      String language = null;
      for (Object o : signed) {
        if ("Leila Haddad".equals(((JsonObject) o).getString("name"))) {
          language = ((JsonObject) o).getString("language");
        }
      }
      assertEquals("ar", language, "the signature records the language of the text shown: " + signed.encode());

      // Reopened from the address, the page keeps the reader's choice.
      c.driver.navigate().refresh();
      c.until("the Arabic translation again", d -> "ar".equals(id(c, "text").getAttribute("lang")));

      // The header's switch changes the interface, though the page was opened with ?lang=en; the text stays.
      assertFalse(c.driver.getCurrentUrl().contains("lang=en"), c.driver.getCurrentUrl());
      new Select(id(c, "language-switch")).selectByValue("fr");
      c.until("the page in French", d -> "fr".equals(c.js("return document.documentElement.lang")));
      c.until("the Arabic translation still", d -> "ar".equals(id(c, "text").getAttribute("lang")));
      assertEquals("Langue du texte", c.driver.findElement(By.cssSelector("label[for=text-language]")).getText());
    }
  }

  @Test
  void anUnknownOrUnpublishedManifestoAndAServerErrorAreSaidInWords() throws Exception {
    TestServer.Manifesto draft = server.createManifesto("Draft", "Not ready.");
    List<String> problems = new ArrayList<>();
    for (int[] size : SIZES) {
      try (Chromium c = browser(size)) {
        for (String ui : List.of("en", "ar")) {
          String dir = "ar".equals(ui) ? "rtl" : "ltr";
          String where = ui + " " + size[0];
          c.driver.get(origin() + "/p/no-such-manifesto?lang=" + ui);
          c.until("the state", d -> id(c, "state").isDisplayed());
          assertEquals("ar".equals(ui) ? "لا يوجد بيان هنا" : "No manifesto here", id(c, "state-title").getText(), where);
          assertTrue(id(c, "state-home").isDisplayed(), where);
          assertFalse(id(c, "signing").isDisplayed(), where);
          c.fullScreenshot("public-unknown-" + ui + "-" + size[0] + ".png");
          problems.addAll(Axe.problems(c, "unknown manifesto " + where, ui, dir));
          c.driver.get(origin() + "/p/" + draft.id());
          c.until("the state", d -> id(c, "state").isDisplayed());
          assertEquals("ar".equals(ui) ? "لم يُنشر بعد" : "Not published yet", id(c, "state-title").getText(), where);
          problems.addAll(Axe.problems(c, "unpublished manifesto " + where, ui, dir));
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));

    // A server error: the page's words, never the server's.
    try (Chromium c = browser(SIZES[0])) {
      c.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source",
          "const real = window.fetch; window.fetch = (u, o) => String(u).endsWith('/published')"
              + " ? Promise.resolve(new Response(JSON.stringify({error: 'internal', message: 'java.lang.IllegalStateException: boom'}),"
              + " {status: 500, headers: {'Content-Type': 'application/json'}})) : real(u, o);"));
      c.driver.get(origin() + "/p/" + translated.id() + "?lang=en");
      c.until("the state", d -> id(c, "state").isDisplayed());
      assertEquals("The manifesto could not be loaded", id(c, "state-title").getText());
      assertFalse(c.driver.findElement(By.tagName("main")).getText().contains("IllegalStateException"));
      assertTrue(id(c, "state-retry").isDisplayed());
    }
  }

  @Test
  void offlineTheCountSaysItMayBeStaleAndCatchesUp() throws Exception {
    try (Chromium c = browser(SIZES[1])) {
      c.driver.get(origin() + "/p/" + english.id() + "?lang=en");
      awaitCount(c, 0);
      assertFalse(id(c, "sign-stale").isDisplayed());
      c.driver.executeCdpCommand("Network.enable", Map.of());
      c.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
          "downloadThroughput", -1, "uploadThroughput", -1));
      c.until("the stale notice", d -> id(c, "sign-stale").isDisplayed());
      assertTrue(id(c, "sign-stale").getText().contains("may be out of date"), id(c, "sign-stale").getText());
      ok(call(server.http().put(api(english) + "/signing"), english.admin(), new JsonObject().put("requireEmail", false)));
      ok(call(server.http().post(api(english) + "/signatures"), null, new JsonObject().put("name", "Sam")
          .put("country", "FR").put("display", "hidden")));
      c.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
          "downloadThroughput", -1, "uploadThroughput", -1));
      awaitCount(c, 1);
      c.until("the stale notice gone", d -> !id(c, "sign-stale").isDisplayed());
    }
  }

  @Test
  void theKioskInEnglishAndArabicAtBothSizes() throws Exception {
    List<String> problems = new ArrayList<>();
    for (int[] size : SIZES) {
      try (Chromium c = browser(size)) {
        for (String ui : List.of("en", "ar")) {
          String dir = "ar".equals(ui) ? "rtl" : "ltr";
          String where = ui + " " + size[0];
          c.driver.get(origin() + "/?lang=" + ui);
          c.driver.get(origin() + "/p/" + translated.id() + "/kiosk#key=" + kioskKey);
          c.until("the form", d -> id(c, "sign-form").isDisplayed());
          c.until("the count", d -> id(c, "sign-count").getAttribute("data-confirmed") != null);
          assertEquals(EN_TITLE, id(c, "title").getText(), where);
          assertEquals("en", id(c, "title").getAttribute("lang"), where);
          assertEquals("ltr", id(c, "title").getAttribute("dir"), where);
          c.fullScreenshot("kiosk-" + ui + "-" + size[0] + ".png");
          problems.addAll(Axe.problems(c, "kiosk " + where, ui, dir));
        }
        c.driver.get(origin() + "/p/" + translated.id() + "/kiosk");
        c.until("the message", d -> id(c, "message").isDisplayed());
        assertTrue(id(c, "message").getText().contains("لوحة التوقيع"), "the missing key said in Arabic: " + id(c, "message").getText());
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void theSignFormInArabicOnThePublicPageAndTheKioskHasNoEnglishLeft() throws Exception {
    // A manifesto that asks for the email: the hint keeps the page's own (Arabic) wording.
    TestServer.Manifesto asking = create("Bread and roses", "We want bread, and roses too.", "en");
    publishVersion(asking);
    List<String> problems = new ArrayList<>();
    try (Chromium c = browser(SIZES[0])) {
      c.driver.get(origin() + "/p/" + asking.id() + "?lang=ar");
      c.until("the form", d -> id(c, "sign-form").isDisplayed());
      c.until("the comment counter", d -> !id(c, "sign-comment-count").getText().isBlank());
      assertEquals(I18n.format("ar", "signing.page.name"), label(c, "label[for=sign-name]"));
      assertEquals(I18n.format("ar", "signing.form.city"), label(c, "label[for=sign-city] span:first-child"));
      assertEquals(I18n.format("ar", "signing.form.emailHint"), id(c, "sign-email-hint").getText(),
          "the email is required: the page's own hint, in Arabic");
      assertFalse(id(c, "sign-email-optional").isDisplayed());
      problems.addAll(englishLeft(c, "public page"));
      problems.addAll(Axe.problems(c, "sign form, public page ar", "ar", "rtl"));

      // The form's script still writes its own lines, in Arabic.
      id(c, "sign-name").sendKeys("أمل حداد");
      c.until("the initials preview", d -> !id(c, "sign-initials-preview").getText().isBlank());
      assertTrue(id(c, "sign-initials-preview").getText().startsWith("ستظهر"), id(c, "sign-initials-preview").getText());

      c.driver.get(origin() + "/p/" + translated.id() + "/kiosk#key=" + kioskKey);
      c.until("the kiosk's form", d -> id(c, "sign-form").isDisplayed());
      c.until("the comment counter", d -> !id(c, "sign-comment-count").getText().isBlank());
      assertEquals("ar", c.js("return document.documentElement.lang"));
      assertEquals(I18n.format("ar", "signing.page.name"), label(c, "label[for=sign-name]"));
      assertTrue(id(c, "sign-email-optional").isDisplayed(), "no email needed at the kiosk");
      assertEquals(I18n.format("ar", "signing.form.emailOptionalHint"), id(c, "sign-email-hint").getText());
      problems.addAll(englishLeft(c, "kiosk"));
      problems.addAll(Axe.problems(c, "sign form, kiosk ar", "ar", "rtl"));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  // ---- helpers -------------------------------------------------------------------------

  static String label(Chromium c, String css) {
    return ((String) c.js("return document.querySelector(arguments[0]).textContent", css)).trim();
  }

  /**
   * English left in the sign form of an Arabic page: an element whose message is still the English
   * catalog's, a label, legend, option or button other than the Arabic catalog's, any text or worded
   * attribute in Latin letters (the country names, in Arabic too, are left to Intl).
   */
  static List<String> englishLeft(Chromium c, String where) {
    String found = (String) c.js("const form = document.getElementById('sign-form'); const out = [];"
        + "for (const e of form.querySelectorAll('[data-i18n]')) out.push(['key', e.getAttribute('data-i18n'), e.tagName.toLowerCase(), e.textContent.trim()]);"
        + "const walk = document.createTreeWalker(form, NodeFilter.SHOW_TEXT);"
        + "for (let n = walk.nextNode(); n; n = walk.nextNode()) {"
        + "  if (n.parentElement.closest('option:not([value=\"\"])')) continue;"
        + "  if (n.textContent.trim()) out.push(['text', n.textContent.trim()]); }"
        + "for (const e of form.querySelectorAll('[aria-label], [placeholder], [title]'))"
        + "  for (const a of ['aria-label', 'placeholder', 'title']) if (e.hasAttribute(a)) out.push(['text', e.getAttribute(a)]);"
        + "return JSON.stringify(out);");
    List<String> problems = new ArrayList<>();
    int keys = 0;
    for (Object o : new JsonArray(found)) {
      JsonArray entry = (JsonArray) o;
      if ("key".equals(entry.getString(0))) {
        keys++;
        String key = entry.getString(1), tag = entry.getString(2), text = entry.getString(3);
        if (text.equals(I18n.format("en", key))) {
          problems.add(where + ": " + key + " still in English: " + text);
        } else if (List.of("label", "legend", "option", "button", "span").contains(tag) && !text.equals(I18n.format("ar", key))) {
          problems.add(where + ": " + key + " is not the Arabic catalog's: " + text);
        }
      } else if (entry.getString(1).matches("(?s).*[A-Za-z].*")) {
        problems.add(where + ": Latin text left in the form: " + entry.getString(1));
      }
    }
    assertTrue(keys >= 15, where + ": the form's texts come from the catalog (" + keys + " marked)");
    return problems;
  }

  /** On a phone: nothing wider than the screen, nothing over the text, the sign form reachable. */
  static void phoneChecks(Chromium c, String where) {
    assertEquals(Boolean.TRUE, c.js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
        "no sideways scrolling: " + where);
    Object covered = c.js("const t = document.getElementById('text'); t.scrollIntoView({block: 'center'});"
        + "const r = t.getBoundingClientRect(); const x = r.left + r.width / 2, y = Math.max(r.top, 0) + Math.min(r.height, innerHeight) / 2;"
        + "const hit = document.elementFromPoint(x, y); return hit === t || t.contains(hit) ? null : (hit && hit.outerHTML.slice(0, 80));");
    assertEquals(null, covered, "nothing covers the text: " + where);
    WebElement jump = c.driver.findElement(By.cssSelector(".jump-to-sign a"));
    if (jump.isDisplayed()) { // one column: the link leads to the form below the text
      c.js("window.scrollTo(0, 0)");
      jump.click();
      c.until("the sign form in view", d -> Boolean.TRUE.equals(c.js(
          "const r = document.getElementById('signing').getBoundingClientRect(); return r.top >= -1 && r.top < innerHeight")));
    } else {
      assertTrue(id(c, "signing").isDisplayed(), "the form beside the text: " + where);
    }
    WebElement name = id(c, "sign-name");
    c.js("arguments[0].scrollIntoView({block: 'center'})", name);
    assertTrue(name.isDisplayed() && name.isEnabled(), "the sign form is reachable: " + where);
    assertEquals(Boolean.TRUE, c.js("const r = arguments[0].getBoundingClientRect();"
        + " return r.left >= 0 && r.right <= document.documentElement.clientWidth", name), "the form fits the screen: " + where);
  }

  static Chromium browser(int[] size) throws Exception {
    Chromium c = new Chromium("Reader", size[0], size[1]);
    return c;
  }

  static WebElement id(Chromium c, String id) {
    return c.driver.findElement(By.id(id));
  }

  static void awaitCount(Chromium c, int n) {
    c.until("the count shows " + n, d -> String.valueOf(n).equals(id(c, "sign-count").getAttribute("data-confirmed")));
  }

  static String api(TestServer.Manifesto m) {
    return "/api/manifestos/" + m.id();
  }

  static TestServer.Manifesto create(String title, String text, String language) throws Exception {
    JsonObject created = ok(call(server.http().post("/api/manifestos"), null,
        new JsonObject().put("title", title).put("text", text).put("language", language)));
    JsonObject tokens = created.getJsonObject("tokens");
    return new TestServer.Manifesto(created.getString("id"), tokens.getString("admin"), tokens.getString("editor"),
        tokens.getString("viewer"));
  }

  static void publishVersion(TestServer.Manifesto m) throws Exception {
    ok(call(server.http().post(api(m) + "/versions"), m.admin(), new JsonObject().put("name", "First")));
    ok(call(server.http().post(api(m) + "/versions/1/publish"), m.admin(), new JsonObject()));
  }

  /** Types each unit's translation after its marker line, in the order of the markers. */
  static void translate(OtClient c, List<String> paragraphs) throws Exception {
    for (String paragraph : paragraphs) {
      String doc = c.text();
      int marker = -1;
      for (int at = doc.indexOf(TranslationText.MARK); at >= 0; at = doc.indexOf(TranslationText.MARK, at + 1)) {
        int lineEnd = doc.indexOf('\n', at);
        if (lineEnd >= 0 && (lineEnd + 1 >= doc.length() || doc.charAt(lineEnd + 1) == '\n' || doc.charAt(lineEnd + 1) == TranslationText.MARK)) {
          marker = lineEnd + 1; // the first unit still empty
          break;
        }
      }
      assertTrue(marker >= 0, "an empty unit in " + doc);
      c.edit(TextOperation.builder().retain(marker).insert(paragraph).retain(doc.length() - marker).build());
      c.whenIdle().await(60, TimeUnit.SECONDS);
    }
  }

  static HttpResponse<Buffer> call(HttpRequest<Buffer> req, String token, JsonObject body) throws Exception {
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return (body == null ? req.send() : req.sendJsonObject(body)).await(120, TimeUnit.SECONDS);
  }

  static JsonObject ok(HttpResponse<Buffer> r) {
    assertTrue(r.statusCode() / 100 == 2, r.statusCode() + " " + r.bodyAsString());
    return r.bodyAsJsonObject();
  }
}
