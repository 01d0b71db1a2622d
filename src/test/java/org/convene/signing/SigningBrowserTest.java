package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
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
  static final GreenMail mail = Signatures.startMail();
  @RegisterExtension
  static final TestServer server = TestServer.perClass(Signatures.env(mail));
  static final Signatures api = new Signatures(server, mail);
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
    mail.stop();
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

  @Test
  void signingWithJavaScriptAndTheCountMovingOnASecondPage() throws Exception {
    TestServer.Manifesto m = api.published("Water is a right", "We demand clean water for all.");
    api.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("goal", 10)));
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
  void theKioskCountsAtOnceAndClearsItselfForTheNextPerson() throws Exception {
    TestServer.Manifesto m = api.published("Sign at the reading", "We were there.");
    JsonObject settings = api.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(), new JsonObject().put("kiosk", true)));
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
}
