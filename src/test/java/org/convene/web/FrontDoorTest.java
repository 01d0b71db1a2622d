package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.common.I18n;
import org.convene.testing.Axe;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The front door in a real browser: the start page, the links page it leads to, and the 404 page,
 * checked by axe-core in English and Arabic on a desktop and a phone; creating with the keyboard
 * alone up to "Open the editor"; every language's lang, dir and words; the links surviving a reload
 * until the person says they are saved, the download, and the links mailed to the creator.
 */
class FrontDoorTest {
  static final GreenMail MAIL = startMail();

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("SMTP_HOST", "127.0.0.1",
      "SMTP_PORT", Integer.toString(MAIL.getSmtp().getPort()), "MAIL_FROM", "Convene <noreply@convene.test>"));

  static GreenMail startMail() {
    GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    g.start();
    return g;
  }

  @BeforeAll
  static void ready() {
    Chromium.assertReady();
  }

  @AfterAll
  static void stopMail() {
    MAIL.stop();
  }

  static String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** Creates a manifesto through the form (clicking), and waits for the links page. */
  static void create(Chromium b, String title) {
    b.driver.findElement(By.id("title")).sendKeys(title);
    b.driver.findElement(By.id("create-submit")).click();
    waitForLinks(b);
  }

  static void waitForLinks(Chromium b) {
    b.until("the links page", d -> b.driver.findElement(By.id("created")).isDisplayed()
        && !b.driver.findElement(By.id("link-admin")).getText().isEmpty());
  }

  static String href(Chromium b, String id) {
    return b.driver.findElement(By.id(id)).getAttribute("href");
  }

  @Test
  void homeLinksAnd404PassAxeInEnglishAndArabicOnDesktopAndPhone() throws Exception {
    List<String> problems = new ArrayList<>();
    for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
      for (String lang : List.of("en", "ar")) {
        String dir = I18n.direction(lang);
        String where = lang + " " + size[0] + "x" + size[1];
        try (Chromium b = new Chromium("Axe " + where, size[0], size[1])) {
          b.driver.get(url("/?lang=" + lang));
          b.until("the start page", d -> b.driver.findElement(By.id("title")).isDisplayed());
          assertEquals((long) size[0], ((Number) b.js("return window.innerWidth")).longValue(), "the viewport's width");
          problems.addAll(Axe.problems(b, "home " + where, lang, dir));
          b.screenshot("front-door-home-" + lang + "-" + size[0] + ".png");
          create(b, "بيان " + where);
          assertTrue(b.driver.findElement(By.id("email-form")).isDisplayed(), "mail is configured: the form is offered");
          problems.addAll(Axe.problems(b, "links " + where, lang, dir));
          b.screenshot("front-door-links-" + lang + "-" + size[0] + ".png");
          b.driver.get(url("/no/such/page"));
          b.until("the 404 page", d -> b.driver.findElement(By.tagName("h1")).isDisplayed());
          assertEquals(I18n.format(lang, "notFound.title"), b.driver.findElement(By.tagName("h1")).getText().trim());
          problems.addAll(Axe.problems(b, "404 " + where, lang, dir));
          b.screenshot("front-door-404-" + lang + "-" + size[0] + ".png");
          if (size[0] == 390) {
            assertEquals(390L, ((Number) b.js("return window.innerWidth")).longValue());
            Object overflow = b.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0L, ((Number) overflow).longValue(), where + ": the 404 page scrolls sideways");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void createWithTheKeyboardAloneAndOpenTheEditor() throws Exception {
    try (Chromium b = new Chromium("Keyboard")) {
      b.driver.get(url("/?lang=en"));
      b.until("the start page", d -> b.driver.findElement(By.id("title")).isDisplayed());
      tabTo(b, "title", 10);
      new Actions(b.driver).sendKeys("Keyboard manifesto").perform();
      new Actions(b.driver).sendKeys(Keys.ENTER).perform();
      waitForLinks(b);
      assertEquals("created-heading", active(b), "focus moves to the links page's heading");
      String admin = href(b, "link-admin");
      tabTo(b, "open-editor", 10);
      new Actions(b.driver).sendKeys(Keys.ENTER).perform();
      b.until("the editor", d -> b.driver.getCurrentUrl().equals(admin));
      b.until("the editor page", d -> b.driver.findElement(By.id("editor")) != null);
      assertTrue(admin.matches(".*/m/[A-Za-z0-9_-]+/admin#token=[A-Za-z0-9_%-]+"), admin);
      // Back: the tab still holds the links.
      b.driver.navigate().back();
      waitForLinks(b);
      assertEquals(admin, href(b, "link-admin"));
    }
  }

  /** Presses Tab until the element with this id has focus; fails after `most` presses. */
  static void tabTo(Chromium b, String id, int most) {
    for (int i = 0; i < most && !id.equals(active(b)); i++) {
      new Actions(b.driver).sendKeys(Keys.TAB).perform();
    }
    assertEquals(id, active(b), "Tab reaches #" + id);
    Object ring = b.js("const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth");
    assertFalse(String.valueOf(ring).startsWith("none"), "#" + id + " shows its focus: " + ring);
  }

  static String active(Chromium b) {
    return String.valueOf(b.js("return document.activeElement && document.activeElement.id"));
  }

  @Test
  void everyLanguageHasItsLangDirAndWords() throws Exception {
    try (Chromium b = new Chromium("Languages")) {
      for (String lang : I18n.languages()) {
        b.driver.get(url("/?lang=" + lang));
        b.until("the start page in " + lang, d -> b.driver.findElement(By.id("title")).isDisplayed());
        assertEquals(lang, b.js("return document.documentElement.lang"));
        assertEquals(I18n.direction(lang), b.js("return document.documentElement.dir"));
        assertEquals(I18n.format(lang, "create.heading"), b.driver.findElement(By.id("create-heading")).getText().trim());
        assertEquals(I18n.format(lang, "create.pageTitle"), b.driver.getTitle());
        create(b, "Title " + lang);
        assertEquals(I18n.format(lang, "create.ready"), b.driver.findElement(By.id("created-heading")).getText().trim());
        assertEquals(I18n.format(lang, "create.openEditor"), b.driver.findElement(By.id("open-editor")).getText().trim());
        assertEquals(I18n.format(lang, "create.readyTitle"), b.driver.getTitle());
        assertEquals("ltr", b.js("return getComputedStyle(document.getElementById('link-admin')).direction"),
            "links read left to right in " + lang);
        assertEquals("", b.js("return (window.conveneMissingMessages || []).join(', ')"), lang);
        b.driver.findElement(By.id("forget-links")).click();
        b.until("the form again", d -> b.driver.findElement(By.id("title")).isDisplayed());
      }
    }
  }

  @Test
  void refusalsAreSaidInTheInterfacesLanguageNotTheServers() throws Exception {
    try (Chromium b = new Chromium("Refusals")) {
      b.driver.get(url("/?lang=ar"));
      b.until("the start page", d -> b.driver.findElement(By.id("title")).isDisplayed());
      b.driver.findElement(By.id("create-submit")).click();
      b.until("the title's message", d -> b.driver.findElement(By.id("title-error")).isDisplayed());
      assertEquals(I18n.format("ar", "create.errorTitle"), b.driver.findElement(By.id("title-error")).getText().trim());
      // Past the field's own limit, so the server refuses it (in English, field by field).
      b.js("document.getElementById('title').value = arguments[0]", "ع".repeat(201));
      b.driver.findElement(By.id("create-submit")).click();
      b.until("the server's refusal", d -> I18n.format("ar", "create.errorTitleInvalid")
          .equals(b.driver.findElement(By.id("title-error")).getText().trim()));
      assertEquals("true", b.driver.findElement(By.id("title")).getAttribute("aria-invalid"));
      assertEquals("title", active(b));
      assertEquals(List.of(), Axe.problems(b, "home with refusals ar", "ar", "rtl"));
    }
  }

  @Test
  void theLinksSurviveAReloadUntilSavedAndDownloadAsText() throws Exception {
    try (Chromium b = new Chromium("Reload")) {
      b.driver.get(url("/?lang=en"));
      b.until("the start page", d -> b.driver.findElement(By.id("title")).isDisplayed());
      create(b, "Bread: and/roses?");
      String admin = href(b, "link-admin");
      String editor = href(b, "link-editor");
      String viewer = href(b, "link-viewer");

      b.driver.navigate().refresh();
      waitForLinks(b);
      assertEquals(admin, href(b, "link-admin"));
      assertEquals(editor, href(b, "link-editor"));
      assertEquals(viewer, href(b, "link-viewer"));
      assertEquals(admin, href(b, "open-editor"));
      assertEquals("Bread: and/roses?", b.driver.findElement(By.id("created-title")).getText());

      // Another interface language: the page is served again, the links stay.
      new Select(b.driver.findElement(By.id("language-switch"))).selectByValue("fa");
      b.until("the page in Persian", d -> "fa".equals(b.js("return document.documentElement.lang")));
      waitForLinks(b);
      assertEquals("rtl", b.js("return document.documentElement.dir"));
      assertEquals(admin, href(b, "link-admin"));
      assertEquals(I18n.format("fa", "create.ready"), b.driver.findElement(By.id("created-heading")).getText().trim());
      new Select(b.driver.findElement(By.id("language-switch"))).selectByValue("en");
      b.until("the page in English", d -> "en".equals(b.js("return document.documentElement.lang")));
      waitForLinks(b);

      // The download: a text file built in the page, named from the title, holding the three links,
      // saved by the browser as a person's would be.
      Path downloads = Files.createTempDirectory("convene-downloads-");
      b.driver.executeCdpCommand("Browser.setDownloadBehavior",
          Map.of("behavior", "allow", "downloadPath", downloads.toString()));
      b.driver.findElement(By.id("download-links")).click();
      Path saved = downloads.resolve("Bread and roses - links.txt");
      Wait.until(30, () -> Files.exists(saved), () -> "the download in " + downloads + ": "
          + Arrays.toString(downloads.toFile().list()));
      String text = Files.readString(saved, StandardCharsets.UTF_8);
      // Lines end in CRLF: older Notepads show a file of bare LFs as one line.
      assertEquals(text.split("\n", -1).length, text.split("\r\n", -1).length, "every line ends in CRLF");
      for (String link : List.of(admin, editor, viewer)) {
        assertTrue(text.contains(link + "\r\n"), text);
      }
      assertTrue(text.contains("cannot be recovered"), text);
      Files.delete(saved);
      Files.delete(downloads);

      // "I have saved them": the tab forgets, a reload shows the form.
      b.driver.findElement(By.id("forget-links")).click();
      b.until("the form", d -> b.driver.findElement(By.id("title")).isDisplayed());
      assertEquals("title", active(b));
      assertEquals(null, b.js("return sessionStorage.getItem('convene.created')"));
      b.driver.navigate().refresh();
      b.until("the form after a reload", d -> b.driver.findElement(By.id("title")).isDisplayed());
      assertFalse(b.driver.findElement(By.id("created")).isDisplayed());
      assertEquals(null, b.js("return localStorage.length ? JSON.stringify(localStorage) : null"),
          "nothing kept beyond the tab");
    }
  }

  @Test
  void theLinksPageMailsTheLinksToTheCreator() throws Exception {
    try (Chromium b = new Chromium("Mail")) {
      b.driver.get(url("/?lang=ar"));
      b.until("the start page", d -> b.driver.findElement(By.id("title")).isDisplayed());
      create(b, "روابط بالبريد");
      b.driver.findElement(By.id("email")).sendKeys("not-an-address");
      b.driver.findElement(By.id("email-submit")).click();
      b.until("the refusal", d -> b.driver.findElement(By.id("email-error")).isDisplayed());
      assertEquals(I18n.format("ar", "create.emailInvalid"), b.driver.findElement(By.id("email-error")).getText().trim());
      assertEquals("email", active(b), "focus on the field to correct");
      List<String> problems = new ArrayList<>(Axe.problems(b, "links, address refused", "ar", "rtl"));

      b.driver.findElement(By.id("email")).clear();
      b.driver.findElement(By.id("email")).sendKeys("maker@example.org");
      b.driver.findElement(By.id("email-submit")).click();
      b.until("sent", d -> !b.driver.findElement(By.id("email-status")).getText().isEmpty());
      assertFalse(b.driver.findElement(By.id("email-error")).isDisplayed());
      problems.addAll(Axe.problems(b, "links, mail sent", "ar", "rtl"));
      assertEquals(List.of(), problems);
      Wait.until(30, () -> MAIL.getReceivedMessages().length > 0 && received("maker@example.org") != null,
          () -> "the mail to maker@example.org");
      MimeMessage mail = received("maker@example.org");
      assertNotNull(mail);
      assertEquals(I18n.format("ar", "create.mailSubject"), mail.getSubject());
      String text = ((String) mail.getContent()).replace("\r\n", "\n");
      for (String id : List.of("link-admin", "link-editor", "link-viewer")) {
        String link = href(b, id);
        String path = link.substring(link.indexOf("/m/")); // the server writes its PUBLIC_URL before it
        assertTrue(text.contains(path + "\n"), path + " in " + text);
      }
    }
  }

  static MimeMessage received(String address) {
    for (MimeMessage m : MAIL.getReceivedMessages()) {
      try {
        if (m.getAllRecipients()[0].toString().equalsIgnoreCase(address)) {
          return m;
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return null;
  }

  @Test
  void anUnknownAddressIsAPageNotFoundInTheReadersLanguage() throws Exception {
    var r = server.http().get("/nothing/here").putHeader("Accept-Language", "fa-IR,fa;q=0.9")
        .send().await(10, TimeUnit.SECONDS);
    assertEquals(404, r.statusCode());
    String page = r.bodyAsString();
    assertTrue(page.matches("(?s).*<html[^>]*\\blang=\"fa\"[^>]*>.*") && page.matches("(?s).*<html[^>]*\\bdir=\"rtl\"[^>]*>.*"),
        page.substring(0, Math.min(200, page.length())));
    assertTrue(page.contains(I18n.format("fa", "notFound.askAgain")), "the page says what to do");
    assertTrue(page.contains("href=\"/\""), "and leads home");
  }
}
