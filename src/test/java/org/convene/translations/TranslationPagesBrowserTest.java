package org.convene.translations;

import static org.convene.translations.TranslationsApiTest.add;
import static org.convene.translations.TranslationsApiTest.get;
import static org.convene.translations.TranslationsApiTest.ok;
import static org.convene.translations.TranslationsApiTest.open;
import static org.convene.translations.TranslationsApiTest.post;
import static org.convene.translations.TranslationsApiTest.replace;
import static org.convene.translations.TranslationsApiTest.translate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.testing.Axe;
import org.convene.testing.Chromium;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The translator's view and the languages page in real Chromium: axe-core and the pages' languages
 * in English and Arabic interfaces, on a wide screen and a phone, with an Arabic translation of an
 * English source and an English translation of an Arabic one; the source beside its translation on
 * a wide screen and above it on a phone; keyboard-only translation; the languages page's work.
 */
class TranslationPagesBrowserTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final String EN1 = "Water is a right for everyone.";
  static final String EN2 = "No one is cut off for unpaid bills.";
  static final String EN3 = "We meet every Friday at the fountain.";
  static final String AR1 = "الماء حق للجميع.";
  static final String AR2 = "لا يُقطع الماء عن أحد بسبب فواتير غير مدفوعة.";
  static final String AR3 = "نلتقي كل يوم جمعة عند النافورة.";

  @BeforeAll
  static void helpers() {
    TranslationsApiTest.serverForHelpers = server;
  }

  @AfterAll
  static void noHelpers() {
    TranslationsApiTest.serverForHelpers = null;
  }

  /** A manifesto in {@code language} with three paragraphs, translated into {@code target}: unit 1 current, 2 outdated, 3 missing. */
  private static TestServer.Manifesto prepared(String language, List<String> source, String target, List<String> translation)
      throws Exception {
    JsonObject created = server.http().post("/api/manifestos").sendJsonObject(new JsonObject().put("title", "Water · الماء")
        .put("language", language).put("text", String.join("\n\n", source))).await(30, TimeUnit.SECONDS).bodyAsJsonObject();
    JsonObject tokens = created.getJsonObject("tokens");
    TestServer.Manifesto m = new TestServer.Manifesto(created.getString("id"), tokens.getString("admin"),
        tokens.getString("editor"), tokens.getString("viewer"));
    add(m, target);
    OtClient translator = open(m.id() + ":" + target, m.editor(), "Amal");
    translate(translator, 1, translation.get(0));
    translate(translator, 2, translation.get(1));
    ok(get(TranslationsApiTest.base(m) + "/" + target, m.editor())); // read: both follow the source as it is now
    OtClient editor = open(m.id(), m.editor(), "Editor");
    String second = source.get(1);
    replace(editor, second.substring(0, second.length() - 1), second.substring(0, second.length() - 1) + " " + "!");
    ok(post("/api/manifestos/" + m.id() + "/versions", m.admin(), new JsonObject().put("name", "First")));
    return m;
  }

  private String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  private Chromium browser(String name, String ui, int width, int height) throws Exception {
    Chromium c = new Chromium(name, width, height);
    if (width < 500) {
      // headless Chromium keeps windows at least 500 wide: a phone's viewport is emulated
      c.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
          "deviceScaleFactor", 1, "mobile", true));
    }
    c.driver.get(url("/?lang=" + ui)); // the interface's language, remembered in the cookie
    c.js("localStorage.setItem('convene.name', arguments[0])", name);
    return c;
  }

  private static void openView(Chromium c, String path) {
    c.driver.get(path);
    c.until("three units shown", d -> ((Number) c.js("return document.querySelectorAll('.source-unit').length")).intValue() == 3);
    c.until("editable", d -> "saved".equals(c.js("return window.convene.state()")));
    c.until("states known", d -> states(c).equals(List.of("current", "outdated", "missing")));
  }

  @SuppressWarnings("unchecked")
  private static List<String> states(Chromium c) {
    return (List<String>) c.js("return window.convene.units().map(u => u.state)");
  }

  @Test
  void bothPagesPassAxeInEnglishAndArabicOnWideScreensAndPhones() throws Exception {
    Chromium.assertReady();
    TestServer.Manifesto enToAr = prepared("en", List.of(EN1, EN2, EN3), "ar", List.of(AR1, AR2));
    TestServer.Manifesto arToEn = prepared("ar", List.of(AR1, AR2, AR3), "en", List.of(EN1, EN2));
    List<String> problems = new ArrayList<>();
    for (String ui : List.of("en", "ar")) {
      String dir = ui.equals("ar") ? "rtl" : "ltr";
      for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
        try (Chromium c = browser("Farid", ui, size[0], size[1])) {
          for (Map.Entry<TestServer.Manifesto, String[]> e : Map.of(enToAr, new String[] {"en", "ar"},
              arToEn, new String[] {"ar", "en"}).entrySet()) {
            TestServer.Manifesto m = e.getKey();
            String source = e.getValue()[0];
            String target = e.getValue()[1];
            String where = ui + " interface, " + size[0] + "x" + size[1] + ", " + source + " to " + target;
            openView(c, url("/m/" + m.id() + "/translate/" + target + "#token=" + m.editor()));
            // the missing unit's suggestions open (the memory knows the other manifesto's translations)
            c.driver.findElement(By.cssSelector(".source-unit[data-unit=\"3\"] button")).click();
            c.until("the suggestions", d -> c.js("return document.querySelector('.source-unit[data-unit=\"3\"] .memory')"));
            problems.addAll(Axe.problems(c, "translator view, " + where, ui, dir));
            problems.addAll(languages(c, where, source, target, ui));
            problems.addAll(layout(c, where, size[0] >= 1000, dir));
            c.screenshot("translate-" + ui + "-" + size[0] + "-" + source + "-" + target + ".png");

            c.driver.get(url("/m/" + m.id() + "/translations#token=" + m.admin()));
            c.until("the language's card", d -> c.js("return document.querySelector('.language-card h3')"));
            problems.addAll(Axe.problems(c, "languages page, " + where, ui, dir));
            c.screenshot("translations-" + ui + "-" + size[0] + "-" + source + ".png");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Three languages kept apart: the interface's labels, the source's text, the translation's lines. */
  private static List<String> languages(Chromium c, String where, String source, String target, String ui) {
    List<String> out = new ArrayList<>();
    String found = (String) c.js("const q = (s) => document.querySelector(s);"
        + "const line = q('.cm-content .translation-line');"
        + "return JSON.stringify({sourceLang: q('.source-text').lang, sourceDir: q('.source-text').dir,"
        + " contentLang: q('.cm-content').lang, lineDir: line.dir, cellLang: q('.source-cell').lang,"
        + " cellDir: q('.source-cell').dir});");
    JsonObject f = new JsonObject(found);
    String sourceDir = source.equals("ar") ? "rtl" : "ltr";
    String targetDir = target.equals("ar") ? "rtl" : "ltr";
    JsonObject expected = new JsonObject().put("sourceLang", source).put("sourceDir", sourceDir).put("contentLang", target)
        .put("lineDir", targetDir).put("cellLang", ui).put("cellDir", ui.equals("ar") ? "rtl" : "ltr");
    if (!f.equals(expected)) {
      out.add(where + ": languages " + f.encode() + ", expected " + expected.encode());
    }
    return out;
  }

  /** Side by side on a wide screen (the source at the interface's start), stacked on a phone. */
  private static List<String> layout(Chromium c, String where, boolean wide, String dir) {
    String found = (String) c.js("const box = (e) => e.getBoundingClientRect();"
        + "const out = [];"
        + "for (const unit of document.querySelectorAll('.source-unit')) {"
        + "  const cell = box(unit.querySelector('.source-cell'));"
        + "  let line = unit.nextElementSibling;"
        + "  if (!line || !line.classList.contains('cm-line')) continue;"
        + "  const l = box(line);"
        + "  out.push({cellLeft: cell.left, cellRight: cell.right, cellTop: cell.top, cellBottom: cell.bottom,"
        + "            lineLeft: l.left, lineRight: l.right, lineTop: l.top});"
        + "}"
        + "return JSON.stringify(out);");
    JsonArray units = new JsonArray(found);
    List<String> out = new ArrayList<>();
    if (units.size() != 3) {
      out.add(where + ": expected 3 units with their lines, found " + found);
    }
    for (int i = 0; i < units.size(); i++) {
      JsonObject u = units.getJsonObject(i);
      double cellLeft = u.getDouble("cellLeft");
      double cellRight = u.getDouble("cellRight");
      double lineLeft = u.getDouble("lineLeft");
      double lineRight = u.getDouble("lineRight");
      boolean ok;
      if (wide) {
        boolean beside = dir.equals("ltr") ? cellRight <= lineLeft : cellLeft >= lineRight;
        boolean level = Math.abs(u.getDouble("cellTop") - u.getDouble("lineTop")) < 2;
        ok = beside && level;
      } else {
        ok = u.getDouble("cellBottom") <= u.getDouble("lineTop") + 0.5 && lineRight - lineLeft > 300
            && ((Number) c.js("return document.documentElement.clientWidth")).intValue() <= 390;
      }
      if (!ok) {
        out.add(where + ": unit " + (i + 1) + " is not " + (wide ? "beside" : "above") + " its translation: " + u.encode());
      }
    }
    return out;
  }

  @Test
  void aTranslatorJoinsAndTranslatesAUnitWithTheKeyboardOnly() throws Exception {
    Chromium.assertReady();
    TestServer.Manifesto m = prepared("en", List.of(EN1, EN2, EN3), "ar", List.of(AR1, AR2));
    String view = url("/m/" + m.id() + "/translate/ar#token=" + m.editor());
    try (Chromium c = browser("Farid", "en", 1280, 800)) {
      // the first visit asks for a name in the page, the focus in its field
      c.js("localStorage.removeItem('convene.name')");
      c.driver.get(view);
      c.until("the name asked", d -> (Boolean) c.js("return !document.getElementById('name-panel').hidden"
          + " && document.activeElement.id === 'name-input'"));
      assertEquals(List.of(), Axe.problems(c, "name panel", "en", "ltr"));
      c.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
      c.until("an empty name refused", d -> "true".equals(c.js("return document.activeElement.getAttribute('aria-invalid')")));
      c.driver.switchTo().activeElement().sendKeys("Farid", Keys.ENTER);
      c.until("joined, the caret in the first unit's translation", d -> (Boolean) c.js(
          "return document.activeElement.classList.contains('cm-content') && window.convene.state() === 'saved'"
              + " && window.convene.caretUnit() === 1"));

      // the next visit: Tab reaches the skip link first; Enter follows it, Tab enters the translation
      c.driver.get(url("/health"));
      openView(c, view);
      c.driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
      assertEquals("skip-link", c.js("return document.activeElement.className"));
      c.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
      c.until("the units focused", d -> "editor".equals(c.js("return document.activeElement.id")));
      c.driver.switchTo().activeElement().sendKeys(Keys.TAB);
      c.until("the caret in the first unit's translation", d -> (Boolean) c.js(
          "return document.activeElement.classList.contains('cm-content') && window.convene.caretUnit() === 1"));
      // Alt+Down twice: from the first unit to the third, the one not translated yet
      c.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.ALT, Keys.ARROW_DOWN));
      c.driver.switchTo().activeElement().sendKeys(Keys.chord(Keys.ALT, Keys.ARROW_DOWN));
      assertEquals(3L, c.js("return window.convene.caretUnit()"));
      c.driver.switchTo().activeElement().sendKeys(AR3);
      c.until("the third unit translated and saved", d -> states(c).equals(List.of("current", "outdated", "current"))
          && "saved".equals(c.js("return window.convene.state()")));
      assertEquals("Saved", c.js("return document.getElementById('status').textContent"));
      JsonObject saved = ok(get(TranslationsApiTest.base(m) + "/ar", m.editor()));
      JsonObject third = TranslationsApiTest.unit(saved, 3);
      assertEquals(AR3, third.getString("translation").strip());
      assertEquals("current", third.getString("state"));
      assertEquals("Farid", third.getString("translatedBy"));
      // the outdated unit's "Still correct" by keyboard: Tab from the text reaches the units' buttons
      WebElement still = c.driver.findElement(By.cssSelector(".source-unit[data-unit=\"2\"] button"));
      for (int i = 0; i < 10 && !still.equals(c.driver.switchTo().activeElement()); i++) {
        c.driver.switchTo().activeElement().sendKeys(Keys.TAB);
      }
      assertEquals(still, c.driver.switchTo().activeElement());
      still.sendKeys(Keys.ENTER);
      c.until("the second unit confirmed", d -> states(c).equals(List.of("current", "current", "current")));
      c.until("the caret back in its translation", d -> (Boolean) c.js(
          "return document.activeElement.classList.contains('cm-content') && window.convene.caretUnit() === 2"));
    }
  }

  @Test
  void suggestionsOpenWithTheKeyboardAndEscapeClosesThem() throws Exception {
    Chromium.assertReady();
    TestServer.Manifesto m = prepared("en", List.of(EN1, EN2, EN3), "ar", List.of(AR1, AR2));
    try (Chromium c = browser("Farid", "en", 1280, 800)) {
      openView(c, url("/m/" + m.id() + "/translate/ar#token=" + m.editor()));
      WebElement open = c.driver.findElement(By.xpath("//div[@data-unit='3']//button[normalize-space()='Suggestions']"));
      c.js("arguments[0].focus()", open);
      open.sendKeys(Keys.ENTER);
      c.until("the suggestions, focused", d -> (Boolean) c.js(
          "const a = document.activeElement; return !!a.closest('.memory')"));
      c.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
      c.until("closed, the focus back on Suggestions", d -> (Boolean) c.js(
          "const a = document.activeElement; return !document.querySelector('.memory') && a.tagName === 'BUTTON'"
              + " && a.closest('.source-unit').dataset.unit === '3'"));
    }
  }

  @Test
  void theLanguagesPageAddsALanguageMintsATranslatorLinkAndPublishes() throws Exception {
    Chromium.assertReady();
    TestServer.Manifesto m = prepared("en", List.of(EN1, EN2, EN3), "ar", List.of(AR1, AR2));
    try (Chromium c = browser("Admin", "en", 1280, 800)) {
      c.driver.get(url("/m/" + m.id() + "/translations#token=" + m.admin()));
      c.until("the Arabic card", d -> c.js("return document.querySelector('.language-card[data-language=\"ar\"]')"));
      String progress = (String) c.js("return document.querySelector('.language-card[data-language=\"ar\"] .progress').textContent");
      assertTrue(progress.contains("67% (2 of 3)") && progress.contains("33% (1 of 3)"), progress);
      // adding Spanish from the list of names, with the keyboard only: Tab to the list, type its name, Enter
      WebElement choice = c.driver.findElement(By.id("add-choice"));
      for (int i = 0; i < 30 && !choice.equals(c.driver.switchTo().activeElement()); i++) {
        c.driver.switchTo().activeElement().sendKeys(Keys.TAB);
      }
      assertEquals(choice, c.driver.switchTo().activeElement());
      choice.sendKeys("español");
      assertEquals("es", choice.getDomProperty("value"));
      c.driver.switchTo().activeElement().sendKeys(Keys.TAB);
      assertEquals("submit", c.js("return document.activeElement.type"));
      c.driver.switchTo().activeElement().sendKeys(Keys.ENTER);
      c.until("the Spanish card, its heading focused", d -> (Boolean) c.js(
          "return document.activeElement.id === 'language-es'"));
      assertEquals("Español", c.js("return document.querySelector('.language-card[data-language=\"es\"] h3 [lang]').textContent"));
      // a tag that is no language is refused before it is sent
      new Select(c.driver.findElement(By.id("add-choice"))).selectByValue("*other");
      c.driver.findElement(By.id("add-tag")).sendKeys("en_US");
      c.driver.findElement(By.cssSelector("#add-form button[type=submit]")).click();
      c.until("the field's error", d -> "true".equals(c.js("return document.getElementById('add-tag').getAttribute('aria-invalid')")));
      assertEquals(2, get(TranslationsApiTest.base(m), m.admin()).bodyAsJsonArray().size()); // Arabic and Spanish
      // a translator link: an editor link that opens the Arabic view
      c.driver.findElement(By.xpath("//li[@data-language='ar']//button[normalize-space()='Create a translator link']")).click();
      String link = (String) c.until("the link", d -> c.js("const i = document.getElementById('link-ar'); return i && i.value"));
      assertTrue(link.contains("/m/" + m.id() + "/translate/ar#token="), link);
      String token = link.substring(link.indexOf("#token=") + 7);
      assertEquals(200, get(TranslationsApiTest.base(m) + "/ar", token).statusCode());
      assertEquals(403, post("/api/manifestos/" + m.id() + "/versions", token, new JsonObject().put("name", "x")).statusCode());
      // publishing version 1 in Arabic: unit 2 is outdated, unit 3 missing
      c.driver.findElement(By.xpath("//li[@data-language='ar']//button[normalize-space()='Publish']")).click();
      String incomplete = (String) c.until("the units in the way", d -> c.js(
          "const r = document.querySelector('li[data-language=\"ar\"] .publish-result'); return r && r.textContent || null"));
      assertTrue(incomplete.contains("2 units of this version have no up-to-date translation") && incomplete.contains(EN3), incomplete);
      OtClient translator = open(m.id() + ":ar", m.editor(), "Amal");
      translate(translator, 2, AR2 + " !");
      translate(translator, 3, AR3);
      c.js("window.convene.reload()");
      c.until("reloaded", d -> ((String) c.js("return document.querySelector('li[data-language=\"ar\"] .progress').textContent")).contains("100% (3 of 3)"));
      c.driver.findElement(By.xpath("//li[@data-language='ar']//button[normalize-space()='Publish']")).click();
      c.until("published", d -> ((String) c.js("return document.getElementById('notice').textContent")).contains("published with version 1"));
      assertEquals(200, get(TranslationsApiTest.base(m) + "/ar/published?version=1", m.admin()).statusCode());
    }
  }
}
