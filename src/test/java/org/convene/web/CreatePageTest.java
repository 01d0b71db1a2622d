package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The start page in a real browser against a server that restricts creating: it asks for the
 * creation token on 401, says when the first text is too long (413) and when to come back (429).
 */
class CreatePageTest {
  static final String TOKEN = "organisers-only-7Hq2Lx9";

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("CREATE_TOKEN", TOKEN, "CREATE_RATE_PER_HOUR", "1",
      "CREATE_BURST", "4", "MAX_INITIAL_TEXT", "1000"));

  @BeforeAll
  static void ready() {
    Chromium.assertReady();
  }

  static String shown(Chromium b, String id) {
    WebElement e = b.driver.findElement(By.id(id));
    return e.isDisplayed() ? e.getText().trim() : "";
  }

  static void submit(Chromium b) {
    b.driver.findElement(By.id("create-submit")).click();
    b.until("the page answered", d -> b.driver.findElement(By.id("create-submit")).isEnabled()
        && !shown(b, "form-error").isEmpty() || !shown(b, "token-error").isEmpty() || !shown(b, "text-error").isEmpty()
        || b.driver.findElement(By.id("created")).isDisplayed());
  }

  @Test
  void refusalsAreExplainedAndTheTokenIsAskedFor() throws Exception {
    try (Chromium b = new Chromium("Organiser")) {
      b.driver.get("http://127.0.0.1:" + server.port() + "/");
      assertFalse(b.driver.findElement(By.id("token")).isDisplayed(), "no token field until the server asks");
      b.driver.findElement(By.id("title")).sendKeys("Bread and roses");

      submit(b); // 401: the field appears
      assertTrue(b.driver.findElement(By.id("token")).isDisplayed());
      assertTrue(shown(b, "token-error").contains("creation token"), shown(b, "token-error"));

      b.driver.findElement(By.id("token")).sendKeys("a wrong guess");
      submit(b); // 401 again
      assertTrue(shown(b, "token-error").contains("not right"), shown(b, "token-error"));

      b.driver.findElement(By.id("token")).clear();
      b.driver.findElement(By.id("token")).sendKeys(TOKEN);
      b.js("document.getElementById('text').value = arguments[0]", "We demand bread. ".repeat(60)); // 1,020
      submit(b); // 413
      assertTrue(shown(b, "form-error").contains("too long"), shown(b, "form-error"));
      assertTrue(shown(b, "text-error").contains("1,000"), "the limit, as the language writes numbers: " + shown(b, "text-error"));
      assertEquals("", shown(b, "token-error"));

      b.js("document.getElementById('text').value = arguments[0]", "We demand bread.");
      submit(b); // 201
      assertTrue(b.driver.findElement(By.id("created")).isDisplayed(), b.describe());

      b.driver.get("http://127.0.0.1:" + server.port() + "/");
      assertTrue(b.driver.findElement(By.id("created")).isDisplayed(), "the tab keeps the links page");
      b.driver.findElement(By.id("forget-links")).click();
      b.driver.findElement(By.id("title")).sendKeys("Once more");
      submit(b); // the fifth attempt from this address within the hour: 429
      String said = shown(b, "form-error");
      assertTrue(said.contains("Too many manifestos") && said.contains("in 60 minutes"), said);
      assertEquals("Once more", b.driver.findElement(By.id("title")).getAttribute("value"), "what was typed stays");
    }
  }
}
