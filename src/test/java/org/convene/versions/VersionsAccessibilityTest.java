package org.convene.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convene.collab.Addresses;
import org.convene.testing.Axe;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The Versions panel through axe-core (WCAG 2.2 AA), in English and Arabic, on a laptop (1280x800)
 * and a phone (390x844): with a diff shown (inline, with the public address of a published
 * version) and with the history at an earlier edit (and the diff side by side). Any violation, a
 * wrong lang or dir, or a message missing from the catalog fails. On the phone the open panel is
 * a sheet over the whole screen, and closing it gives the text back.
 */
class VersionsAccessibilityTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Api api = new Api(server);
  static TestServer.Manifesto m;

  @BeforeAll
  static void manifesto() throws Exception {
    Chromium.assertReady();
    // An Arabic manifesto: its text keeps its own lang and dir whatever the interface's.
    JsonObject created = server.http().post("/api/manifestos").sendJsonObject(new JsonObject().put("title", "بيان / Manifesto")
        .put("text", "نحن هنا.\nWe are here.").put("language", "ar")).await(10, TimeUnit.SECONDS).bodyAsJsonObject();
    JsonObject tokens = created.getJsonObject("tokens");
    m = new TestServer.Manifesto(created.getString("id"), tokens.getString("admin"), tokens.getString("editor"),
        tokens.getString("viewer"));
    api.save(m, "First reading");
    server.vertx().eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", m.id())
        .put("text", "نحن هنا جميعاً.\nWe are all here.").put("author", "Farid")).await(10, TimeUnit.SECONDS);
    api.save(m, "القراءة الثانية");
    api.ok(api.post("/api/manifestos/" + m.id() + "/versions/2/publish", m.admin(), new JsonObject()));
  }

  @Test
  void laptop() throws Exception {
    check(1280, 800);
  }

  @Test
  void phone() throws Exception {
    check(390, 844);
  }

  private static void check(int width, int height) throws Exception {
    List<String> problems = new ArrayList<>();
    try (Chromium c = new Chromium("Tester", width, height)) {
      for (String lang : List.of("en", "ar")) {
        String dir = lang.equals("ar") ? "rtl" : "ltr";
        String where = lang + " " + width + "x" + height;
        c.driver.get("http://127.0.0.1:" + server.port() + "/m/" + m.id() + "/admin?lang=" + lang + "#token=" + m.admin());
        c.joinIfAsked();
        c.until("the page is live", d -> "saved".equals(c.js("return window.convene.state()"))
            && Boolean.TRUE.equals(c.js("return !document.getElementById('versions-toggle').hidden")));
        c.driver.findElement(By.id("versions-toggle")).click();
        c.until("the versions and the public address", d -> d.findElements(By.cssSelector("#versions-list li")).size() == 2
            && d.findElement(By.id("public-box")).isDisplayed());

        c.until("the QR code", d -> Boolean.TRUE.equals(c.js("const q = document.getElementById('public-qr');"
            + "return q.complete && q.naturalWidth > 0")));
        c.screenshot("versions-public-" + lang + "-" + width + ".png");

        // A diff, inline.
        c.driver.findElement(By.id("compare-button")).click();
        c.until("the diff", d -> !d.findElements(By.cssSelector("#diff ins")).isEmpty());
        if (width < 600) {
          assertTrue((Boolean) c.js("const r = document.getElementById('versions-panel').getBoundingClientRect();"
              + "return r.top <= 0 && r.left <= 0 && r.width >= innerWidth && r.height >= innerHeight"),
              where + ": the open panel is a sheet over the whole screen");
          assertTrue(c.driver.findElement(By.id("versions-close")).isDisplayed(), where + ": Close in view");
          // Tab goes round inside the sheet, never on to the page it hides.
          c.driver.findElement(By.id("history-text")).click();
          new org.openqa.selenium.interactions.Actions(c.driver).sendKeys(Keys.TAB).perform();
          assertEquals("versions-close", c.js("return document.activeElement.id"), where + ": Tab after the last stop");
          new org.openqa.selenium.interactions.Actions(c.driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
          assertEquals("history-text", c.js("return document.activeElement.id"), where + ": Shift+Tab before the first");
        }
        c.screenshot("versions-diff-" + lang + "-" + width + ".png");
        problems.addAll(Axe.problems(c, where + " diff", lang, dir));

        // The history at the first text, and the diff side by side.
        c.driver.findElement(By.cssSelector("input[name='compare-mode'][value='sides']")).click();
        c.until("two columns", d -> d.findElements(By.cssSelector("#diff .diff-text")).size() == 2);
        c.driver.findElement(By.id("history-range")).sendKeys(Keys.HOME);
        c.until("the first text in the history", d -> "0".equals(d.findElement(By.id("history-text")).getAttribute("data-revision")));
        c.driver.findElement(By.id("history-range")).sendKeys(Keys.END);
        c.until("the last edit in the history", d -> !"0".equals(d.findElement(By.id("history-text")).getAttribute("data-revision"))
            && !d.findElement(By.id("history-legend")).getText().isEmpty());
        c.js("const p = document.getElementById('versions-panel'); p.scrollTop = p.scrollHeight");
        c.screenshot("versions-history-" + lang + "-" + width + ".png");
        problems.addAll(Axe.problems(c, where + " history", lang, dir));

        // The text's own language and direction on what shows it, apart from the interface's.
        assertEquals("ar", c.driver.findElement(By.id("history-text")).getAttribute("lang"), where);
        assertEquals("rtl", c.driver.findElement(By.id("history-text")).getAttribute("dir"), where);

        // Closed, the text is the screen's again.
        c.driver.findElement(By.id("versions-close")).click();
        c.until("the panel closed", d -> !d.findElement(By.id("versions-panel")).isDisplayed());
        assertTrue(c.driver.findElement(By.id("editor")).isDisplayed(), where);
      }
    }
    assertEquals(List.of(), problems, String.join("\n", problems));
  }
}
