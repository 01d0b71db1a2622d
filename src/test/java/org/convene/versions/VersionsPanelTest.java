package org.convene.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.convene.collab.Addresses;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The Versions panel used as people use it, in Debian's chromium: by keyboard only (open, save,
 * compare, publish, copy the public address, Escape), Compare following the versions saved while
 * it is open (it used to stay on "Now → Now"), and a server out of reach.
 */
class VersionsPanelTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Api api = new Api(server);
  static Chromium chromium;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assertReady();
    chromium = new Chromium("Tester", 1280, 800);
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
  }

  static String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The admin's page, in English, joined and live. */
  static void openAdmin(TestServer.Manifesto m) {
    chromium.driver.get(origin() + "/m/" + m.id() + "/admin?lang=en#token=" + m.admin());
    chromium.joinIfAsked();
    chromium.until("the page is live", d -> "saved".equals(chromium.js("return window.convene.state()"))
        && Boolean.TRUE.equals(chromium.js("return !document.getElementById('versions-toggle').hidden")));
  }

  static WebElement id(String id) {
    return chromium.driver.findElement(By.id(id));
  }

  static String text(String id) {
    return (String) chromium.js("return document.getElementById(arguments[0]).textContent", id);
  }

  static void replaceText(TestServer.Manifesto m, String text) throws Exception {
    server.vertx().eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", m.id()).put("text", text)
        .put("author", "Farid")).await(10, TimeUnit.SECONDS);
  }

  static void press(CharSequence... keys) {
    new Actions(chromium.driver).sendKeys(keys).perform();
  }

  /** Presses Tab until the focus is where `focused` says, as a keyboard user would; fails if it never gets there. */
  static void tabUntil(String what, Supplier<Boolean> focused) {
    for (int i = 0; i < 120; i++) {
      if (focused.get()) {
        return;
      }
      press(Keys.TAB);
    }
    fail("Tab never reaches " + what + "; the focus is on " + chromium.js("const a = document.activeElement;"
        + "return a ? a.outerHTML.slice(0, 200) : null"));
  }

  static void tabTo(String id) {
    tabUntil("#" + id, () -> id.equals(chromium.js("return document.activeElement && document.activeElement.id")));
  }

  static boolean focusedIs(String id) {
    return id.equals(chromium.js("return document.activeElement && document.activeElement.id"));
  }

  @Test
  void saveCompareAndPublishByKeyboardOnly() throws Exception {
    TestServer.Manifesto m = server.createManifesto("By keyboard", "We are here.");
    openAdmin(m);
    chromium.js("document.activeElement && document.activeElement.blur()");

    tabTo("versions-toggle");
    press(Keys.ENTER);
    chromium.until("the panel opens with the focus in it", d -> id("versions-panel").isDisplayed() && focusedIs("versions-heading"));
    assertEquals("true", id("versions-toggle").getAttribute("aria-expanded"));

    // Save a version: type its name, Enter.
    tabTo("version-name");
    press("First reading", Keys.ENTER);
    chromium.until("version 1 in the list", d -> !d.findElements(By.cssSelector("#versions-list li[data-number='1']")).isEmpty());
    chromium.until("the save announced", d -> "Saved as version 1.".equals(text("versions-status")));

    replaceText(m, "We are all here.");
    chromium.until("the editor has the new text", d -> "We are all here.".equals(chromium.js("return window.convene.text()")));
    tabTo("version-name");
    press("Second reading", Keys.ENTER);
    chromium.until("version 2 in the list", d -> !d.findElements(By.cssSelector("#versions-list li[data-number='2']")).isEmpty());

    // Compare: the choices followed the two saves; Enter on Compare shows what changed.
    chromium.until("From and To follow the new versions", d -> "v1".equals(id("compare-from").getAttribute("value"))
        && "v2".equals(id("compare-to").getAttribute("value")));
    tabTo("compare-button");
    press(Keys.ENTER);
    chromium.until("the diff", d -> id("diff").findElements(By.tagName("ins")).stream().anyMatch(e -> e.getText().contains("all")));
    assertTrue(text("compare-summary").startsWith("Version 1 → Version 2: 1 word inserted"), text("compare-summary"));

    // Another From, chosen with the arrow keys: the first text, one above version 1.
    tabTo("compare-from");
    press(Keys.ARROW_UP);
    chromium.until("From is the first text", d -> "r0".equals(id("compare-from").getAttribute("value")));
    tabTo("compare-button");
    press(Keys.ENTER);
    chromium.until("the first text against version 2", d -> text("compare-summary").startsWith("The first text → Version 2"));

    // Publish version 2: its Publish button, by Tab and Enter; the public address appears and takes the focus.
    tabUntil("version 2's Publish button", () -> Boolean.TRUE.equals(chromium.js("const a = document.activeElement;"
        + "return a.tagName === 'BUTTON' && a.textContent === 'Publish' && a.closest('li').dataset.number === '2'")));
    press(Keys.ENTER);
    chromium.until("the public address", d -> id("public-address").isDisplayed());
    String address = origin() + "/p/" + m.id();
    assertEquals(address, id("public-address").getText());
    assertEquals(address, id("public-address").getAttribute("href"));
    assertTrue(focusedIs("public-heading"), "the focus goes to the public address once published");
    chromium.until("the publication announced", d -> text("versions-status").startsWith("Version 2 is published."));

    // Its QR code, loaded from the server, with a name.
    chromium.until("the QR code loaded", d -> Boolean.TRUE.equals(chromium.js(
        "const q = document.getElementById('public-qr'); return q.complete && q.naturalWidth > 0")));
    assertEquals("QR code of the public page’s address", id("public-qr").getAttribute("alt"));
    // Share only where the system offers it.
    assertEquals(chromium.js("return typeof navigator.share !== 'function'"), !id("public-share").isDisplayed());

    // Copy, by keyboard: the address goes to the clipboard.
    chromium.driver.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin(),
        "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    tabTo("public-copy");
    press(Keys.ENTER);
    chromium.until("the copy announced", d -> "Address copied.".equals(text("versions-status")));
    chromium.driver.manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(20));
    assertEquals(address, chromium.driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1]; navigator.clipboard.readText().then(done, e => done('failed: ' + e))"));

    // Escape closes the panel and gives the focus back to its button.
    press(Keys.ESCAPE);
    chromium.until("the panel closed", d -> !id("versions-panel").isDisplayed());
    assertTrue(focusedIs("versions-toggle"), "the focus is back on the Versions button");
    assertEquals("false", id("versions-toggle").getAttribute("aria-expanded"));

    // The public page shows version 2.
    chromium.driver.get(address + "?lang=en");
    chromium.until("the public page", d -> d.findElement(By.id("text")).getText().contains("We are all here."));
  }

  @Test
  void compareFollowsVersionsSavedWhileThePanelIsOpen() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Two saves", "Bread for all.");
    replaceText(m, "Bread and roses for all.");
    String now = "r" + server.read(m).getInteger("revision");
    openAdmin(m);
    id("versions-toggle").click();
    chromium.until("the panel's choices", d -> id("compare-from").findElements(By.tagName("option")).size() == 2);
    assertEquals("r0", id("compare-from").getAttribute("value"), "no versions: from the first text");
    assertEquals(now, id("compare-to").getAttribute("value"), "... to now");

    // A save from the panel, then one by someone else (seen by the panel's poll).
    id("version-name").sendKeys("Draft", Keys.ENTER);
    chromium.until("version 1", d -> "v1".equals(id("compare-from").getAttribute("value"))
        && now.equals(id("compare-to").getAttribute("value")));
    replaceText(m, "Bread and roses for everyone.");
    api.save(m, "Final");
    chromium.until("version 2, saved elsewhere, becomes To", d -> "v1".equals(id("compare-from").getAttribute("value"))
        && "v2".equals(id("compare-to").getAttribute("value")));

    id("compare-button").click();
    chromium.until("the diff between the two saves", d -> !id("diff").findElements(By.tagName("del")).isEmpty());
    assertTrue(id("diff").findElements(By.tagName("ins")).stream().anyMatch(e -> e.getText().contains("everyone")));
    String summary = text("compare-summary");
    assertTrue(summary.startsWith("Version 1 → Version 2: 1 word inserted and 1 word deleted"), summary);
    assertFalse(summary.contains("same text"), summary);

    // Every choice reads as words: a number with a name and a date, never "r89".
    @SuppressWarnings("unchecked")
    List<String> labels = (List<String>) chromium.js(
        "return [...document.querySelectorAll('#compare-from option, #compare-to option')].map(o => o.textContent)");
    for (String label : labels) {
      assertFalse(label.matches("(?s).*\\br\\d+.*"), label);
    }
    assertTrue(labels.stream().anyMatch(l -> l.startsWith("Version 2 · \u2068Final\u2069 · ")), labels.toString());
    assertTrue(labels.contains("Now: the current text"), labels.toString());
    assertTrue(labels.contains("The first text"), labels.toString());

    // The history says which edit it shows, and when, in words.
    chromium.until("the history's position", d -> text("history-at").matches("Edit \\d+ of \\d+"));
    assertTrue(text("history-meta").startsWith("Made "), text("history-meta"));
  }

  @Test
  void aServerOutOfReachIsSaidInWordsAndTheOpenPanelTriesAgain() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Offline", "We are here.");
    api.save(m, "First");
    openAdmin(m);
    chromium.driver.executeCdpCommand("Network.enable", Map.of());
    try {
      chromium.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
          "downloadThroughput", -1, "uploadThroughput", -1));
      id("versions-toggle").click();
      chromium.until("the panel says it will retry", d -> id("versions-error").isDisplayed());
      String said = id("versions-error").getText();
      assertTrue(said.startsWith("The server cannot be reached just now. This panel will try again"), said);
      assertFalse(said.contains("fetch"), said);
    } finally {
      chromium.driver.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
          "downloadThroughput", -1, "uploadThroughput", -1));
    }
    // Back online: the panel recovers by itself.
    chromium.until("the panel recovers", d -> !id("versions-error").isDisplayed()
        && !d.findElements(By.cssSelector("#versions-list li[data-number='1']")).isEmpty());
    id("versions-close").click();
    assertTrue(focusedIs("versions-toggle"), "Close gives the focus back to the Versions button");
  }
}
