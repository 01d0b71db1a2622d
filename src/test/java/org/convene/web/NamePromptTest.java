package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The editor's name prompt says why a name cannot be used (the server's rule, common.Text.name),
 * and a name only the server refuses stops the page with the reason instead of retrying forever.
 */
class NamePromptTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @BeforeAll
  static void ready() {
    Chromium.assertReady();
  }

  static void enter(Chromium b, String name) {
    WebElement input = b.driver.findElement(By.id("name-input"));
    input.clear();
    b.js("arguments[0].value = arguments[1]", input, name);
    input.sendKeys(Keys.ENTER);
  }

  static String error(Chromium b) {
    WebElement e = b.driver.findElement(By.id("name-error"));
    return e.isDisplayed() ? e.getText() : "";
  }

  @Test
  void invisibleOrReservedNamesAreExplainedAndBidiControlsDropped() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Names", "Bread.");
    String url = "http://127.0.0.1:" + server.port() + "/m/" + m.id() + "/edit#token=" + m.editor();
    try (Chromium b = new Chromium("Namer")) {
      b.driver.get(url);
      b.until("the name prompt", d -> d.findElement(By.id("name-panel")).isDisplayed());
      enter(b, "\u200B\u2066\u2069");
      b.until("the prompt says why", d -> error(b).contains("visible"));
      enter(b, "Initial  Text");
      b.until("the prompt says why", d -> error(b).contains("Initial text"));
      enter(b, "\u202EAmal\u202C");
      b.until("joined", d -> "saved".equals(b.js("return window.convene && window.convene.state()")));
      assertEquals("Amal", b.driver.findElement(By.id("whoami")).getText());

      // A look-alike only the server catches (Cyrillic І): the page stops and says so, and forgets the name.
      b.js("localStorage.setItem('convene.name', arguments[0])", "\u0406nitial text");
      b.driver.navigate().refresh();
      b.until("the refusal is shown", d -> String.valueOf(b.js("const m = document.getElementById('message');"
          + "return m && !m.hidden ? m.textContent : ''")).contains("not accepted"));
      assertEquals(null, b.js("return localStorage.getItem('convene.name')"));
      b.driver.navigate().refresh();
      b.until("asked again", d -> d.findElement(By.id("name-panel")).isDisplayed());
    }
  }
}
