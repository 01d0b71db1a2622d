package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.convene.testing.Axe;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Signing in Debian's chromium: on the public page with JavaScript (errors beside their fields, the
 * answer, the confirmation link from the mail), the count moving on a second open page; without
 * JavaScript (the server's form); and at the kiosk, which counts at once and clears itself.
 */
class SigningBrowserTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;
  static final GreenMail mail = api.mail;
  static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assertReady();
    chromium = new Chromium("Signer", 1280, 900);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  static WebElement id(Chromium c, String id) {
    return c.driver.findElement(By.id(id));
  }

  /** Waits until the public page shows the given count (the data-confirmed of #sign-count). */
  static void awaitCount(Chromium c, int n) {
    c.until("the count shows " + n, d -> String.valueOf(n).equals(id(c, "sign-count").getAttribute("data-confirmed")));
  }

  /** The form offers exactly the countries the server takes (Signer checks Locale.getISOCountries()). */
  @Test
  void theFormsCountriesAreTheServers() throws Exception {
    String source = Files.readString(Path.of(System.getProperty("basedir", ".")).resolve("web/src/sign.js"));
    java.util.regex.Matcher list = java.util.regex.Pattern.compile("export const COUNTRIES = \\(([^)]*)\\)").matcher(source);
    assertTrue(list.find(), "COUNTRIES in web/src/sign.js");
    java.util.Set<String> browser = new java.util.TreeSet<>();
    java.util.regex.Matcher code = java.util.regex.Pattern.compile("\\b[A-Z]{2}\\b").matcher(list.group(1));
    while (code.find()) {
      browser.add(code.group());
    }
    assertEquals(new java.util.TreeSet<>(List.of(java.util.Locale.getISOCountries())), browser);
  }

  @Test
  void signingWithJavaScriptAndTheCountMovingOnASecondPage() throws Exception {
    TestServer.Manifesto m = api.published("Water is a right", "We demand clean water for all.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("goal", 10)));
    try (Chromium watcher = new Chromium("Watcher", 390, 844)) {
      watcher.driver.get(origin() + "/p/" + m.id());
      awaitCount(watcher, 0);
      assertEquals("0 signatures of 10 (0% of the goal)", id(watcher, "sign-count").getText());

      chromium.driver.get(origin() + "/p/" + m.id());
      chromium.until("the text", d -> id(chromium, "manifesto").isDisplayed());
      awaitCount(chromium, 0);
      // Sent empty: each required field says what is missing, beside it and tied to it.
      id(chromium, "sign-form").findElement(By.cssSelector("button[type=submit]")).click();
      for (String field : List.of("name", "email", "country")) {
        WebElement input = id(chromium, "sign-" + field);
        WebElement error = id(chromium, "sign-" + field + "-error");
        assertTrue(error.isDisplayed(), field + " has its error shown");
        assertFalse(error.getText().isBlank());
        assertEquals("true", input.getAttribute("aria-invalid"), field);
        assertTrue(input.getAttribute("aria-describedby").contains("sign-" + field + "-error"), field);
      }
      assertEquals("sign-name", chromium.driver.switchTo().activeElement().getAttribute("id"), "the first bad field has the focus");

      id(chromium, "sign-name").sendKeys("أمل حداد");
      assertEquals(null, id(chromium, "sign-name").getAttribute("aria-invalid"), "typing clears the field's error");
      id(chromium, "sign-email").sendKeys("Amal.Haddad@example.org");
      new Select(id(chromium, "sign-country")).selectByValue("SY");
      id(chromium, "sign-city").sendKeys("Aleppo");
      id(chromium, "sign-comment").sendKeys("For my daughters <script>alert(1)</script>");
      id(chromium, "sign-display-full").click();
      id(chromium, "sign-form").findElement(By.cssSelector("button[type=submit]")).click();
      chromium.until("the answer", d -> id(chromium, "sign-done").isDisplayed());
      assertTrue(id(chromium, "sign-done-text").getText().startsWith("Check your email"), id(chromium, "sign-done-text").getText());
      assertFalse(id(chromium, "sign-form").isDisplayed());

      // Not counted before the link in the mail is followed.
      String token = Signatures.token(api.await("Amal.Haddad@example.org", 1), Signatures.CONFIRM);
      assertEquals("0", id(watcher, "sign-count").getAttribute("data-confirmed"));
      chromium.driver.get(origin() + "/api/signatures/confirm?token=" + token);

      // The second page, left open all along, follows the live count, the countries and the list.
      awaitCount(watcher, 1);
      assertEquals("1 signature of 10 (10% of the goal)", id(watcher, "sign-count").getText());
      assertEquals("0.1", id(watcher, "sign-meter").getAttribute("value"));
      watcher.until("Syria in the countries", d -> !d.findElements(By.cssSelector("#countries tr[data-country=SY]")).isEmpty());
      assertTrue(watcher.driver.findElement(By.cssSelector("#countries tr[data-country=SY]")).getText().contains("Syria"));
      watcher.until("the signer listed", d -> id(watcher, "signers").getText().contains("أمل حداد"));
      String listed = id(watcher, "signers").getText();
      assertTrue(listed.contains("Aleppo, Syria"), listed);
      assertTrue(listed.contains("For my daughters <script>alert(1)</script>"), "the comment as text, not markup: " + listed);
      assertTrue(id(watcher, "signers").findElements(By.tagName("script")).isEmpty());
      assertFalse(watcher.driver.getPageSource().toLowerCase().contains("amal.haddad@example.org"), "no email on a public page");
      // With a signer, the PDF with the list of signers is offered, and served.
      assertTrue(id(watcher, "pdf-signers").isDisplayed());
      String pdf = java.net.URI.create(id(watcher, "pdf-signers").getAttribute("href")).getRawPath() + "?"
          + java.net.URI.create(id(watcher, "pdf-signers").getAttribute("href")).getRawQuery();
      var answer = api.get(pdf);
      assertEquals(200, answer.statusCode(), pdf + ": " + answer.bodyAsString());
      assertEquals("application/pdf", answer.getHeader("Content-Type"));
    }
  }

  @Test
  void signingWithoutJavaScript() throws Exception {
    TestServer.Manifesto m = api.published("Rivers for all", "Rivers belong to everyone.");
    try (Chromium plain = new Chromium("No script", 390, 844)) {
      plain.driver.executeCdpCommand("Emulation.setScriptExecutionDisabled", Map.of("value", true));
      plain.driver.get(origin() + "/p/" + m.id());
      assertFalse(id(plain, "sign-form").isDisplayed(), "the scripted form is not offered without scripts");
      id(plain, "sign-nojs").click();
      plain.until("the server's sign form", d -> !d.findElements(By.cssSelector("form[method=post] input[name=name]")).isEmpty());
      assertTrue(plain.driver.getCurrentUrl().endsWith("/p/" + m.id() + "/sign"), plain.driver.getCurrentUrl());
      WebElement form = plain.driver.findElement(By.cssSelector("form[method=post]"));
      assertEquals("/api/manifestos/" + m.id() + "/signatures", java.net.URI.create(form.getAttribute("action")).getPath());
      form.findElement(By.name("name")).sendKeys("Farid Benali");
      form.findElement(By.name("email")).sendKeys("farid@example.org");
      new Select(form.findElement(By.name("country"))).selectByValue("FR");
      form.findElement(By.cssSelector("input[name=display][value=initials]")).click();
      form.findElement(By.cssSelector("button[type=submit], input[type=submit]")).click();
      plain.until("the answer page", d -> d.findElements(By.cssSelector("input[name=name]")).isEmpty());
      assertTrue(plain.driver.getPageSource().toLowerCase().contains("email"), "it says to look in the mail: " + plain.driver.getPageSource());

      String token = Signatures.token(api.await("farid@example.org", 1), Signatures.CONFIRM);
      plain.driver.get(origin() + "/api/signatures/confirm?token=" + token);
      assertEquals(1, api.count(m).getInteger("confirmed"));
      JsonObject first = api.ok2(api.get("/api/manifestos/" + m.id() + "/signatures")).getJsonObject(0);
      assertEquals("F. B.", first.getString("displayName"));
    }
  }

  @Test
  void aClosedManifestoSaysSoAndOffersNoForm() throws Exception {
    TestServer.Manifesto m = api.published("Closed", "Signing is over.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("open", false)));
    chromium.driver.get(origin() + "/p/" + m.id());
    chromium.until("the notice", d -> id(chromium, "sign-closed").isDisplayed());
    assertEquals("Signing is closed: no more signatures are taken.", id(chromium, "sign-closed").getText());
    assertFalse(id(chromium, "sign-form").isDisplayed());
    awaitCount(chromium, 0);
    assertFalse(id(chromium, "sign-form").isDisplayed(), "the count arriving does not bring the form back");
  }

  @Test
  void theKioskCountsAtOnceAndClearsItselfForTheNextPerson() throws Exception {
    TestServer.Manifesto m = api.published("Sign at the reading", "We were there.");
    JsonObject settings = Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("kiosk", true)));
    String key = settings.getString("kioskKey");
    chromium.driver.get(origin() + "/p/" + m.id() + "/kiosk#key=" + key);
    awaitCount(chromium, 0);
    for (String[] person : new String[][] {{"Leila", "MA"}, {"Jonas", "DE"}}) {
      chromium.until("an empty form", d -> id(chromium, "sign-form").isDisplayed());
      assertEquals("", id(chromium, "sign-name").getAttribute("value"), "nothing left from the person before");
      assertEquals(null, id(chromium, "sign-email").getAttribute("required"), "no email needed at the kiosk");
      id(chromium, "sign-name").sendKeys(person[0]);
      new Select(id(chromium, "sign-country")).selectByValue(person[1]);
      id(chromium, "sign-form").findElement(By.cssSelector("button[type=submit]")).click();
      chromium.until("the thank-you", d -> id(chromium, "sign-done").isDisplayed());
      assertEquals("Thank you! Your signature is counted.", id(chromium, "sign-done-text").getText());
      assertEquals("", id(chromium, "sign-name").getAttribute("value"), "cleared at once");
      id(chromium, "sign-next").click();
    }
    awaitCount(chromium, 2);
    assertEquals(2, api.count(m).getInteger("confirmed"));
  }

  /** A wrong (or replaced) kiosk link says so as the page opens, before anyone types, not at the first Sign. */
  @Test
  void aKioskOpenedWithAWrongKeySaysSoAtOnce() throws Exception {
    TestServer.Manifesto m = api.published("Wrong kiosk link", "Text.");
    String key = Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("kiosk", true)))
        .getString("kioskKey");
    String path = "/api/manifestos/" + m.id() + "/signing";
    assertEquals("valid", Signatures.ok(server.http().get(path).putHeader("X-Kiosk-Key", key).send()
        .await(10, java.util.concurrent.TimeUnit.SECONDS)).getString("kioskKey"));
    JsonObject wrong = Signatures.ok(server.http().get(path).putHeader("X-Kiosk-Key", key + "x").send()
        .await(10, java.util.concurrent.TimeUnit.SECONDS));
    assertEquals("invalid", wrong.getString("kioskKey"));
    assertFalse(wrong.encode().contains(key), "the key itself is never answered without the admin token");
    assertFalse(Signatures.ok(api.get(path)).containsKey("kioskKey"), "nothing about keys without one");

    chromium.driver.get(origin() + "/p/" + m.id() + "/kiosk#key=" + key + "x");
    chromium.until("the refusal", d -> id(chromium, "sign-closed").isDisplayed());
    assertEquals("This kiosk’s link is no longer valid. Ask the organisers for the current kiosk link.",
        id(chromium, "sign-closed").getText());
    assertFalse(id(chromium, "sign-form").isDisplayed(), "no form to fill in for nothing");
  }

  @Test
  void theAdminPanelSavesSettingsShowsTheKioskLinkAndFollowsTheCount() throws Exception {
    TestServer.Manifesto m = api.published("Admin view", "Text.");
    Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("requireEmail", false)));
    Signatures.ok(api.sign(m, Signatures.signer("Amal Haddad", null, "SY", "full")));

    // An editor's page has no Signing button.
    chromium.driver.get(origin() + "/m/" + m.id() + "/edit#token=" + m.editor());
    chromium.joinIfAsked();
    chromium.until("the editor", d -> "saved".equals(chromium.js("return window.convene.state()")));
    assertFalse(id(chromium, "signing-toggle").isDisplayed());

    chromium.driver.get(origin() + "/m/" + m.id() + "/admin#token=" + m.admin());
    chromium.joinIfAsked();
    chromium.until("the Signing button", d -> id(chromium, "signing-toggle").isDisplayed());
    id(chromium, "signing-toggle").click();
    assertEquals("true", id(chromium, "signing-toggle").getAttribute("aria-expanded"));
    chromium.until("the count", d -> "1".equals(id(chromium, "admin-count").getAttribute("data-confirmed")));
    chromium.until("Syria charted", d -> id(chromium, "chart-country").getText().contains("Syria"));
    assertFalse(id(chromium, "set-require-email").isSelected(), "the stored setting is shown");

    WebElement goal = id(chromium, "set-goal");
    goal.clear();
    goal.sendKeys("40");
    id(chromium, "set-kiosk").click();
    id(chromium, "signing-save").click();
    chromium.until("the kiosk link", d -> id(chromium, "kiosk-box").isDisplayed());
    JsonObject stored = Signatures.ok(Signatures.send(server.http().get("/api/manifestos/" + m.id() + "/signing"), m.admin(), null));
    assertEquals(40, stored.getInteger("goal"));
    assertTrue(stored.getBoolean("kiosk"));
    assertEquals(origin() + "/p/" + m.id() + "/kiosk#key=" + stored.getString("kioskKey"), id(chromium, "kiosk-link").getText());

    // A second signature moves the panel's count, now against the goal.
    Signatures.ok(api.sign(m, Signatures.signer("Jonas", null, "DE", "initials")));
    chromium.until("the new count", d -> "2".equals(id(chromium, "admin-count").getAttribute("data-confirmed")));
    assertEquals("2 signatures of 40 (5% of the goal)", id(chromium, "admin-count").getText());
    chromium.until("today charted", d -> id(chromium, "chart-day").findElements(By.tagName("li")).size() == 1);

    // The export is fetched with the token in a header and saved from a blob (kept here instead of saved).
    chromium.js("window.saved = []; const make = URL.createObjectURL;"
        + " URL.createObjectURL = b => { window.lastBlob = b; return make.call(URL, b); };"
        + " HTMLAnchorElement.prototype.click = function () { const name = this.download;"
        + " if (name) window.lastBlob.text().then(t => window.saved.push({name, text: t})); };");
    id(chromium, "export-csv").click();
    chromium.until("the CSV", d -> ((Number) chromium.js("return window.saved.length")).intValue() == 1);
    String csv = (String) chromium.js("return window.saved[0].text");
    assertTrue(((String) chromium.js("return window.saved[0].name")).endsWith(".csv"));
    assertTrue(csv.contains("Amal Haddad") && csv.contains("Jonas"), csv);
    id(chromium, "export-json").click();
    chromium.until("the JSON", d -> ((Number) chromium.js("return window.saved.length")).intValue() == 2);
    assertTrue(((String) chromium.js("return window.saved[1].text")).contains("\"name\":\"Jonas\""),
        (String) chromium.js("return window.saved[1].text"));

    // The abuse report names the address the signatures came from; invalidating it takes a dry run first.
    id(chromium, "abuse-load").click();
    chromium.until("the report", d -> id(chromium, "abuse-ips").getText().contains("127.0.0.1"));
    id(chromium, "inv-ip").sendKeys("127.0.0.1");
    assertFalse(id(chromium, "invalidate-apply").isDisplayed(), "nothing to apply before a dry run");
    id(chromium, "invalidate-form").findElement(By.cssSelector("button[type=submit]")).click();
    chromium.until("the dry run", d -> id(chromium, "invalidate-result").getText().startsWith("2 signatures match"));
    assertEquals(2, api.count(m).getInteger("confirmed"), "a dry run changes nothing");
    id(chromium, "invalidate-apply").click();
    chromium.until("the count falls", d -> "0".equals(id(chromium, "admin-count").getAttribute("data-confirmed")));
    chromium.until("the log", d -> !id(chromium, "invalidations").findElements(By.tagName("button")).isEmpty());
    id(chromium, "invalidations").findElement(By.tagName("button")).click();
    chromium.until("the count comes back", d -> "2".equals(id(chromium, "admin-count").getAttribute("data-confirmed")));
  }

  /**
   * The pages at a phone's and a laptop's size, in English and in Arabic (right to left), saved to
   * target/screenshots/ for people to look at; axe-core (from web/node_modules) checks each.
   */
  @Test
  void thePagesPassAxeOnAPhoneAndALaptopInEnglishAndArabic() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String[] lang : new String[][] {{"en", "Water is a right", "We, the people of the river towns, demand clean water for all."},
        {"ar", "الماء حق", "نحن، سكان مدن النهر، نطالب بالماء النظيف للجميع."}}) {
      TestServer.Manifesto m = publishedIn(lang[1], lang[2], lang[0]);
      JsonObject settings = Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject()
          .put("requireEmail", false).put("goal", 100).put("deadline", "2031-05-01T18:00:00Z").put("kiosk", true)));
      Signatures.ok(api.sign(m, Signatures.signer("أمل حداد", null, "SY", "full").put("city", "حلب").put("comment", "من أجل بناتي")));
      Signatures.ok(api.sign(m, Signatures.signer("Jonas Weber", null, "DE", "initials").put("city", "Berlin")));
      Signatures.ok(api.sign(m, Signatures.signer("Hidden Person", null, "FR", "hidden")));
      for (int[] size : new int[][] {{390, 844}, {1280, 800}}) {
        try (Chromium c = new Chromium("Looker", size[0], size[1])) {
          String tag = lang[0] + "-" + size[0];
          c.driver.get(origin() + "/p/" + m.id());
          awaitCount(c, 3);
          c.until("the list", d -> id(c, "signers").findElements(By.tagName("li")).size() == 2);
          // The page is the interface's (English here); the manifesto's text keeps its own direction.
          assertEquals("ltr", c.js("return document.documentElement.dir"));
          assertEquals("ar".equals(lang[0]) ? "rtl" : "ltr", id(c, "text").getAttribute("dir"));
          c.fullScreenshot("signing-public-" + tag + ".png");
          problems.addAll(Axe.violations(c, "public page " + tag));
          // Errors shown beside their fields are checked too.
          c.js("document.getElementById('sign-form').requestSubmit()");
          c.until("the errors", d -> id(c, "sign-name-error").isDisplayed());
          c.fullScreenshot("signing-public-errors-" + tag + ".png");
          problems.addAll(Axe.violations(c, "public page with errors " + tag));

          c.driver.get(origin() + "/p/" + m.id() + "/kiosk#key=" + settings.getString("kioskKey"));
          awaitCount(c, 3);
          c.fullScreenshot("signing-kiosk-" + tag + ".png");
          problems.addAll(Axe.violations(c, "kiosk " + tag));

          c.driver.get(origin() + "/m/" + m.id() + "/admin#token=" + m.admin());
          c.joinIfAsked();
          c.until("the Signing button", d -> id(c, "signing-toggle").isDisplayed());
          id(c, "signing-toggle").click();
          c.until("the count", d -> "3".equals(id(c, "admin-count").getAttribute("data-confirmed")));
          c.js("document.getElementById('signing-panel').style.maxHeight = 'none'"); // the whole panel in the picture
          c.fullScreenshot("signing-panel-" + tag + ".png");
          problems.addAll(Axe.violations(c, "signing panel " + tag));
        }
      }
    }
    assertTrue(problems.isEmpty(), "axe-core found:\n" + String.join("\n", problems));
  }

  /** A manifesto in a language, its version 1 published. */
  static TestServer.Manifesto publishedIn(String title, String text, String language) throws Exception {
    JsonObject created = Signatures.ok(Signatures.send(server.http().post("/api/manifestos"), null,
        new JsonObject().put("title", title).put("text", text).put("language", language)));
    JsonObject tokens = created.getJsonObject("tokens");
    TestServer.Manifesto m = new TestServer.Manifesto(created.getString("id"), tokens.getString("admin"),
        tokens.getString("editor"), tokens.getString("viewer"));
    Signatures.ok(Signatures.send(server.http().post("/api/manifestos/" + m.id() + "/versions"), m.admin(), new JsonObject().put("name", "First")));
    Signatures.ok(Signatures.send(server.http().post("/api/manifestos/" + m.id() + "/versions/1/publish"), m.admin(), new JsonObject()));
    return m;
  }

}
