package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.common.I18n;
import org.convene.testing.Axe;
import org.convene.testing.BridgeClient;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * Every state of the editor page a person can meet, in English and in Arabic, on a wide screen and
 * on a phone: each in words, in the reader's language, with axe-core finding nothing; and the
 * editor used with the keyboard alone.
 */
class EditorPageTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final String TEXT = "We demand bread.\n".repeat(40) + "And roses.";

  @BeforeAll
  static void ready() {
    Chromium.assertReady();
  }

  @Test
  void everyStateHasWordsInTheReadersLanguageAndPassesAxe() throws Exception {
    TestServer.Manifesto m = create("Bread and roses", TEXT, "en");
    List<String> problems = new ArrayList<>();
    for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
      try (Chromium c = new Chromium("Tester", size[0], size[1])) {
        for (String lang : List.of("en", "ar")) {
          String where = lang + " " + size[0] + "x" + size[1];
          String dir = "ar".equals(lang) ? "rtl" : "ltr";
          open(c, origin() + "/?lang=" + lang);
          c.js("localStorage.clear()");
          assertEquals((long) size[0], c.js("return innerWidth"), where + ": the viewport's width");

          // A link without its token: says so, instead of connecting forever.
          open(c, origin() + "/m/" + m.id() + "/edit");
          c.until("the incomplete link is explained", d -> d.findElement(By.id("link-problem")).isDisplayed());
          assertEquals(I18n.format(lang, "editor.link.incompleteTitle"), text(c, "link-problem-heading"), where);
          assertEquals(I18n.format(lang, "editor.status.notConnected"), text(c, "status"), where);
          assertEquals(I18n.format(lang, "editor.documentTitle", "title", I18n.format(lang, "editor.link.incompleteTitle")),
              c.driver.getTitle(), where + ": the window's title says it too");
          assertFalse(c.driver.findElement(By.id("name-panel")).isDisplayed(), where + ": no name asked for a link that cannot work");
          problems.addAll(Axe.problems(c, "missing token " + where, lang, dir));

          // A token the server does not take: says so, and offers nothing that cannot work.
          open(c, link(m.id(), "edit", "not-a-token"));
          c.until("the invalid link is explained", d -> d.findElement(By.id("link-problem")).isDisplayed());
          assertEquals(I18n.format(lang, "editor.link.invalidTitle"), text(c, "link-problem-heading"), where);
          for (String button : List.of("versions-toggle", "authors-toggle", "signing-toggle", "rename")) {
            assertFalse(c.driver.findElement(By.id(button)).isDisplayed(), where + ": " + button);
          }
          problems.addAll(Axe.problems(c, "invalid token " + where, lang, dir));
          c.screenshot("editor-invalid-token-" + lang + "-" + size[0] + ".png");

          // The name prompt, then the editor.
          open(c, link(m.id(), "edit", m.editor()));
          c.until("the name prompt", d -> d.findElement(By.id("name-panel")).isDisplayed());
          assertEquals("name-input", c.js("return document.activeElement.id"), where + ": the prompt has the focus");
          assertFalse(c.driver.findElement(By.id("status")).isDisplayed(), where + ": no “Connecting…” while nothing connects");
          problems.addAll(Axe.problems(c, "name prompt " + where, lang, dir));
          c.screenshot("editor-name-prompt-" + lang + "-" + size[0] + ".png");
          new Actions(c.driver).sendKeys("Tester", Keys.ENTER).perform();
          awaitSaved(c);
          assertEquals(I18n.format(lang, "editor.note.editor"), text(c, "role-note"), where);
          assertEquals(I18n.format(lang, "editor.status.saved"), text(c, "status"), where);
          assertEquals("", c.js("return document.getElementById('announce').textContent"), where + ": nothing came back on first load");
          // The manifesto keeps its own language and direction inside any interface.
          WebElement editor = c.driver.findElement(By.id("editor"));
          assertEquals("en", editor.getAttribute("lang"), where);
          assertEquals("ltr", editor.getAttribute("dir"), where);
          assertEquals(dir, c.js("return getComputedStyle(document.querySelector('.toolbar')).direction"), where);
          problems.addAll(Axe.problems(c, "editor " + where, lang, dir));
          c.screenshot("editor-editor-" + lang + "-" + size[0] + ".png");
          assertCaretVisible(c, Keys.END, where);
          assertCaretVisible(c, Keys.HOME, where);

          // A reader: no name asked, a read-only text, and words saying how to get to write.
          open(c, link(m.id(), "view", m.viewer()));
          awaitSaved(c);
          assertFalse(c.driver.findElement(By.id("name-panel")).isDisplayed(), where);
          assertEquals(I18n.format(lang, "editor.note.reader"), text(c, "role-note"), where);
          assertEquals(I18n.format(lang, "editor.role.viewer"), text(c, "role"), where);
          WebElement content = c.driver.findElement(By.cssSelector(".cm-content"));
          assertEquals("true", content.getAttribute("aria-readonly"), where);
          String before = server.read(m).getString("text");
          content.click();
          new Actions(c.driver).sendKeys("sneaky", Keys.ENTER).perform();
          assertEquals(before, c.js("return window.convene.text()"), where + ": typing changes nothing");
          problems.addAll(Axe.problems(c, "viewer " + where, lang, dir));
          c.screenshot("editor-viewer-" + lang + "-" + size[0] + ".png");
          assertEquals(before, server.read(m).getString("text"), "nothing a reader typed reached the server");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Each interface language: the page says it (lang, dir), and every message its scripts ask for is there. */
  @Test
  void everyLanguageHasItsLangDirAndMessages() throws Exception {
    TestServer.Manifesto m = create("سلام", "نحن هنا.", "ar");
    List<String> problems = new ArrayList<>();
    try (Chromium c = new Chromium("Languages", 1280, 800)) {
      for (String lang : I18n.languages()) {
        open(c, origin() + "/?lang=" + lang);
        open(c, link(m.id(), "view", m.viewer()));
        awaitSaved(c);
        assertEquals(I18n.format(lang, "editor.status.upToDate"), text(c, "status"), lang);
        assertEquals(I18n.format(lang, "editor.people.count", "n", 1), text(c, "people-count"), lang);
        // The manifesto is Arabic whatever the interface's language.
        assertEquals("ar", c.driver.findElement(By.id("editor")).getAttribute("lang"), lang);
        assertEquals("rtl", c.driver.findElement(By.id("editor")).getAttribute("dir"), lang);
        assertEquals("ar", c.driver.findElement(By.cssSelector(".cm-content")).getAttribute("lang"), lang);
        problems.addAll(Axe.problems(c, "viewer " + lang, lang, I18n.direction(lang)));
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Join with the keyboard alone: the focus goes into the text, shows a ring, and typing is saved. */
  @Test
  void keyboardOnlyJoinTypeAndSave() throws Exception {
    TestServer.Manifesto m = create("Keys", "Bread.", "en");
    try (Chromium c = new Chromium("Keyboard", 1280, 800)) {
      open(c, link(m.id(), "edit", m.editor()));
      c.until("the name prompt has the focus", d -> "name-input".equals(c.js("return document.activeElement.id")));
      new Actions(c.driver).sendKeys("Kim", Keys.ENTER).perform();
      awaitSaved(c);
      c.until("the focus is in the text", d -> Boolean.TRUE.equals(
          c.js("return document.activeElement.classList.contains('cm-content')")));
      String outline = (String) c.js("const s = getComputedStyle(document.querySelector('.cm-editor'));"
          + "return s.outlineStyle + ' ' + s.outlineWidth");
      assertTrue(outline.startsWith("solid") && !outline.endsWith(" 0px"), "a visible focus ring: " + outline);
      new Actions(c.driver).sendKeys(Keys.chord(Keys.CONTROL, Keys.END)).sendKeys(" Roses too.").perform();
      c.until("the typing reached the server", d -> read(m).equals("Bread. Roses too."));

      // After a reload (the name is remembered): the skip link is the first stop and leads to the text.
      c.driver.navigate().refresh();
      awaitSaved(c);
      c.js("document.activeElement.blur()");
      new Actions(c.driver).sendKeys(Keys.TAB).perform();
      assertEquals("skip", c.js("return document.activeElement.id"));
      new Actions(c.driver).sendKeys(Keys.ENTER).perform();
      c.until("the skip link leads into the text", d -> Boolean.TRUE.equals(
          c.js("return document.activeElement.classList.contains('cm-content')")));

      // The people list opens from the keyboard and Escape closes it, the focus back on its summary.
      c.js("document.querySelector('#people summary').focus()");
      new Actions(c.driver).sendKeys(Keys.ENTER).perform();
      c.until("the people list is open", d -> Boolean.TRUE.equals(c.js("return document.getElementById('people').open")));
      new Actions(c.driver).sendKeys(Keys.ESCAPE).perform();
      c.until("Escape closed it", d -> Boolean.FALSE.equals(c.js("return document.getElementById('people').open")));
      assertEquals("SUMMARY", c.js("return document.activeElement.tagName"));

      // Changing one's name: Escape cancels, and the focus goes back to the button.
      c.js("document.getElementById('rename').focus()");
      new Actions(c.driver).sendKeys(Keys.ENTER).perform();
      c.until("the name prompt", d -> d.findElement(By.id("name-panel")).isDisplayed());
      new Actions(c.driver).sendKeys(Keys.ESCAPE).perform();
      c.until("the prompt closed", d -> !d.findElement(By.id("name-panel")).isDisplayed());
      assertEquals("rename", c.js("return document.activeElement.id"));
      assertEquals("Kim", text(c, "whoami"));

      // The language switch reloads the page in the language chosen, with its link (#token=...) whole.
      String before = c.driver.getCurrentUrl();
      c.js("const s = document.getElementById('language-switch'); s.value = 'fa'; s.dispatchEvent(new Event('change'))");
      c.until("the page in Persian", d -> "fa".equals(c.js("return document.documentElement.lang")));
      awaitSaved(c);
      assertEquals(before, c.driver.getCurrentUrl());
      assertEquals("rtl", c.js("return document.documentElement.dir"));
      assertEquals(I18n.format("fa", "editor.status.saved"), text(c, "status"));
    }
  }

  /** Another person's cursor: their name below the line, readable on their colour, gone after a while. */
  @Test
  void remoteCursorLabelsAreReadableAndLeaveTheLineAboveFree() throws Exception {
    TestServer.Manifesto m = create("Cursors", "First line.\nSecond line.\nThird line.", "en");
    try (Chromium c = new Chromium("Watcher", 1280, 800)) {
      open(c, link(m.id(), "edit", m.editor()));
      c.joinIfAsked();
      awaitSaved(c);
      BridgeClient bridge = server.connect().await(10, TimeUnit.SECONDS);
      try {
        JsonObject opened = bridge.request("manifesto.open", new JsonObject().put("doc", m.id()).put("name", "Zoë"), m.editor())
            .await(10, TimeUnit.SECONDS);
        int at = "First line.\nSecond".length();
        bridge.send("manifesto.presence", new JsonObject().put("doc", m.id()).put("clientId", opened.getString("clientId"))
            .put("revision", opened.getInteger("revision"))
            .put("selection", new JsonObject().put("ranges", new JsonArray().add(new JsonObject().put("anchor", at).put("head", at)))),
            m.editor());
        c.until("the label is shown", d -> "visible".equals(c.js(
            "const l = document.querySelector('.cm-remote-name'); return l && l.textContent === 'Zoë' && getComputedStyle(l).visibility")));
        String measured = (String) c.js("const label = document.querySelector('.cm-remote-name');"
            + "const caret = label.parentElement.getBoundingClientRect(), box = label.getBoundingClientRect();"
            + "const rgb = (s) => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);"
            + "const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)"
            + "  .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);"
            + "const s = getComputedStyle(label), a = lum(rgb(s.color)), b = lum(rgb(s.backgroundColor));"
            + "return ((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)).toFixed(2) + ' ' + (box.top >= caret.bottom - 1);");
        String[] parts = measured.split(" ");
        assertTrue(Double.parseDouble(parts[0]) >= 4.5, "label contrast " + parts[0] + ":1");
        assertEquals("true", parts[1], "the label is below the caret's line, not over the line above");
        c.until("the label goes after a while", d -> "hidden".equals(c.js(
            "return getComputedStyle(document.querySelector('.cm-remote-name')).visibility")));
        new Actions(c.driver).moveToElement(c.driver.findElements(By.cssSelector(".cm-line")).get(1)).perform();
        c.until("and shows again under the pointer", d -> "visible".equals(c.js(
            "return getComputedStyle(document.querySelector('.cm-remote-name')).visibility")));
      } finally {
        bridge.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  /** The server goes away: the status says the page will reconnect, the people list is marked stale. */
  @Test
  void offlineIsSaidAndThePeopleListMarkedStale() throws Exception {
    // A server of its own, on a Vert.x of its own (two on one event bus would answer for each other).
    Vertx vertx = Vertx.vertx();
    TestServer going = TestServer.start(vertx);
    try (Chromium c = new Chromium("Offline", 1280, 800)) {
      HttpResponse<Buffer> r = going.http().post("/api/manifestos")
          .sendJsonObject(new JsonObject().put("title", "Gone soon").put("text", "Bread.").put("language", "en"))
          .await(10, TimeUnit.SECONDS);
      JsonObject tokens = r.bodyAsJsonObject().getJsonObject("tokens");
      String base = "http://127.0.0.1:" + going.port();
      String id = r.bodyAsJsonObject().getString("id");
      // Two pages, one in each language, both live when the server goes.
      List<String> langs = List.of("en", "ar");
      List<String> windows = new ArrayList<>();
      for (String lang : langs) {
        if (!windows.isEmpty()) {
          c.driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
        }
        windows.add(c.driver.getWindowHandle());
        open(c, base + "/?lang=" + lang);
        open(c, base + "/m/" + id + "/edit#token=" + URLEncoder.encode(tokens.getString("editor"), StandardCharsets.UTF_8));
        c.joinIfAsked();
        awaitSaved(c);
        assertEquals("", c.js("return document.getElementById('announce').textContent"), lang + ": no “back online” on first load");
      }
      going.stopServer();
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < langs.size(); i++) {
        String lang = langs.get(i);
        c.driver.switchTo().window(windows.get(i));
        c.until("offline", d -> "offline".equals(d.findElement(By.id("status")).getAttribute("data-state")));
        assertEquals(I18n.format(lang, "editor.status.offline"), text(c, "status"), lang);
        assertEquals(I18n.format(lang, "editor.status.offline"),
            c.js("return document.getElementById('announce').textContent"), lang + ": going offline is announced");
        assertEquals(Boolean.TRUE, c.js("return document.getElementById('people').hasAttribute('data-stale')"), lang);
        c.js("document.getElementById('people').open = true");
        assertTrue(c.driver.findElement(By.id("people-stale-note")).isDisplayed(), lang);
        problems.addAll(Axe.problems(c, "offline " + lang, lang, "ar".equals(lang) ? "rtl" : "ltr"));
      }
      assertEquals(List.of(), problems);
    } finally {
      going.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  // ---- helpers -------------------------------------------------------------------------

  static String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  static String link(String id, String page, String token) {
    return origin() + "/m/" + id + "/" + page + "#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  static TestServer.Manifesto create(String title, String text, String language) throws Exception {
    HttpResponse<Buffer> r = server.http().post("/api/manifestos")
        .sendJsonObject(new JsonObject().put("title", title).put("text", text).put("language", language))
        .await(10, TimeUnit.SECONDS);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject tokens = r.bodyAsJsonObject().getJsonObject("tokens");
    return new TestServer.Manifesto(r.bodyAsJsonObject().getString("id"),
        tokens.getString("admin"), tokens.getString("editor"), tokens.getString("viewer"));
  }

  static String read(TestServer.Manifesto m) {
    try {
      return server.read(m).getString("text");
    } catch (Exception e) {
      return "";
    }
  }

  /** A fresh load, even when only the fragment differs from the address shown. */
  static void open(Chromium c, String url) {
    c.driver.get("about:blank");
    c.driver.get(url);
  }

  static String text(Chromium c, String id) {
    return c.driver.findElement(By.id(id)).getText();
  }

  static void awaitSaved(Chromium c) {
    c.until("the page is live", d -> {
      try {
        return "saved".equals(c.js("return window.convene.state()"))
            && "saved".equals(d.findElement(By.id("status")).getAttribute("data-state"));
      } catch (WebDriverException e) {
        return false;
      }
    });
  }

  /** Moves the caret (Ctrl+End or Ctrl+Home) and checks that what is at its place is the text, not the toolbar. */
  static void assertCaretVisible(Chromium c, Keys where, String context) {
    c.js("document.querySelector('.cm-content').focus()");
    new Actions(c.driver).sendKeys(Keys.chord(Keys.CONTROL, where)).perform();
    c.until(context + ": the caret is in view, not under the toolbar", d -> Boolean.TRUE.equals(c.js(
        "const cursor = document.querySelector('.cm-cursor-primary'); if (!cursor) return false;"
            + "const r = cursor.getBoundingClientRect(); if (r.height === 0) return false;"
            + "const at = document.elementFromPoint(r.left + 1, (r.top + r.bottom) / 2);"
            + "return r.top >= 0 && r.bottom <= innerHeight && at !== null && at.closest('.cm-editor') !== null;")));
  }
}
