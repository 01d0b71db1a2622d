package org.convene.web;

import static org.convene.web.PublicPageTest.call;
import static org.convene.web.PublicPageTest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.convene.common.I18n;
import org.convene.testing.Axe;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * What a newcomer met when every page was tried as one (issue 13's way of looking), kept from coming
 * back. Every page on a phone in a right-to-left language: nothing wider than the screen and no
 * control cut at either edge (a right-to-left page that overflows does so to the left, where nothing
 * scrolls, so scrollWidth alone does not see it). The editor's Signing panel, a sheet over the text on
 * a phone, opened and closed with the keyboard. A languages page or translator's view from a link
 * that cannot work. The start page taking the text's language from the interface's.
 */
class NewcomerBrowserTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final String TITLE = "بيان المهاجرين";
  static final String TEXT = "نحن هنا، ونكتب معًا.\nWe are here, writing together.\n\n我们在这里。";

  static TestServer.Manifesto m;
  static String kioskKey;

  @BeforeAll
  static void publishWithKioskAndTranslation() throws Exception {
    Chromium.assertReady();
    JsonObject created = ok(call(server.http().post("/api/manifestos"), null,
        new JsonObject().put("title", TITLE).put("text", TEXT).put("language", "ar")));
    JsonObject tokens = created.getJsonObject("tokens");
    m = new TestServer.Manifesto(created.getString("id"), tokens.getString("admin"), tokens.getString("editor"),
        tokens.getString("viewer"));
    ok(call(server.http().post(api() + "/versions"), m.admin(), new JsonObject().put("name", "الأولى")));
    ok(call(server.http().post(api() + "/versions/1/publish"), m.admin(), new JsonObject()));
    kioskKey = ok(call(server.http().put(api() + "/signing"), m.admin(), new JsonObject().put("kiosk", true)))
        .getString("kioskKey");
    ok(call(server.http().post(api() + "/translations"), m.admin(), new JsonObject().put("language", "fr")));
  }

  @Test
  void noPageIsWiderThanAPhoneOrCutsAControlInArabic() throws Exception {
    // path -> what shows the page is drawn (a script's work done)
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("/", "return !!document.getElementById('create-form')");
    pages.put("/m/" + m.id() + "/admin#token=" + m.admin(), "return !document.getElementById('rename').hidden");
    pages.put("/m/" + m.id() + "/view#token=" + m.viewer(), "return !document.getElementById('rename').hidden");
    pages.put("/p/" + m.id(), "return document.getElementById('text').textContent.length > 0");
    pages.put("/p/" + m.id() + "/sign", "return !!document.querySelector('form input[name=name]')");
    pages.put("/p/" + m.id() + "/kiosk#key=" + kioskKey, "return !document.getElementById('sign-form').hidden");
    pages.put("/m/" + m.id() + "/translations#token=" + m.admin(), "return document.querySelectorAll('#languages li').length > 0");
    pages.put("/m/" + m.id() + "/translate/fr#token=" + m.admin(), "return !!document.querySelector('.source-cell')");
    pages.put("/no/such/page", "return true");
    List<String> problems = new ArrayList<>();
    try (Chromium c = new Chromium("ليلى", 390, 844)) {
      c.driver.get(origin() + "/?lang=ar");
      for (Map.Entry<String, String> page : pages.entrySet()) {
        c.driver.get("about:blank"); // a new document even where only the fragment changes
        c.driver.get(origin() + page.getKey());
        if (page.getKey().contains("/admin#") || page.getKey().contains("/view#")) {
          c.joinIfAsked();
        } else if (page.getKey().contains("/translate/")) {
          joinTranslator(c);
        }
        c.until(page.getKey() + " drawn", d -> c.js(page.getValue()));
        String where = page.getKey().replaceAll("#.*", "");
        assertEquals("rtl", c.js("return document.documentElement.dir"), where);
        problems.addAll(cutOff(c, where));
        c.screenshot("phone-ar" + where.replace(m.id(), "id").replaceAll("[^A-Za-z0-9]+", "-") + ".png");
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void thePublicPagesButtonsFillTheColumnOnAPhone() throws Exception {
    try (Chromium c = new Chromium("Reader", 390, 844)) {
      for (String lang : List.of("en", "ar")) {
        c.driver.get(origin() + "/p/" + m.id() + "?lang=" + lang);
        c.until("the download buttons", d -> c.js("return document.querySelector('.published-buttons li a, .published-buttons li button')"
            + " && document.querySelector('.published-buttons').getBoundingClientRect().width > 0"));
        Object narrower = c.js("const column = document.querySelector('.published-actions').getBoundingClientRect().width;"
            + "return [...document.querySelectorAll('.published-buttons li')].filter(li => li.getClientRects().length)"
            + ".map(li => li.firstElementChild.getBoundingClientRect().width).filter(w => w < column - 1).join(', ')");
        assertEquals("", narrower, lang + ": buttons narrower than the column");
      }
    }
  }

  @Test
  void theSigningPanelIsASheetOnAPhoneThatEscapeAndCloseShut() throws Exception {
    try (Chromium c = new Chromium("أمل", 390, 844)) {
      c.driver.get(origin() + "/?lang=ar");
      c.driver.get(origin() + "/m/" + m.id() + "/admin#token=" + m.admin());
      c.joinIfAsked();
      c.until("the Signing button", d -> c.driver.findElement(By.id("signing-toggle")).isDisplayed());
      c.driver.findElement(By.id("signing-toggle")).sendKeys(Keys.ENTER);
      c.until("the panel open", d -> c.driver.findElement(By.id("signing-panel")).isDisplayed());
      assertEquals("signing-heading", c.js("return document.activeElement.id"), "the focus goes into the panel");
      assertEquals("جمع التوقيعات", c.driver.findElement(By.id("signing-heading")).getText(), "a visible title");
      assertEquals(Boolean.TRUE, c.js("const r = document.getElementById('signing-panel').getBoundingClientRect();"
          + " return r.top <= 0 && r.left <= 0 && r.right >= innerWidth && r.bottom >= innerHeight"), "a sheet over the whole screen");
      List<String> problems = new ArrayList<>(Axe.problems(c, "signing panel ar 390", "ar", "rtl"));
      problems.addAll(cutOff(c, "signing panel ar 390"));
      assertEquals(List.of(), problems);
      c.screenshot("phone-ar-signing-panel.png");
      new Actions(c.driver).sendKeys(Keys.ESCAPE).perform();
      c.until("Escape closes the panel", d -> !c.driver.findElement(By.id("signing-panel")).isDisplayed());
      assertEquals("signing-toggle", c.js("return document.activeElement.id"), "the focus back on the button");
      assertEquals("false", c.driver.findElement(By.id("signing-toggle")).getAttribute("aria-expanded"));

      c.viewport(1280, 800);
      c.driver.findElement(By.id("signing-toggle")).click();
      c.until("the panel open", d -> c.driver.findElement(By.id("signing-panel")).isDisplayed());
      c.driver.findElement(By.id("signing-close")).click();
      c.until("Close closes the panel", d -> !c.driver.findElement(By.id("signing-panel")).isDisplayed());
      assertEquals("signing-toggle", c.js("return document.activeElement.id"), "the focus back on the button");
    }
  }

  @Test
  void theLanguagesPageWithoutAnAdminLinkOffersNothingThatCannotWork() throws Exception {
    try (Chromium c = new Chromium("Someone", 390, 844)) {
      c.driver.get(origin() + "/m/" + m.id() + "/translations?lang=en");
      c.until("the problem said", d -> c.driver.findElement(By.id("problem")).isDisplayed());
      assertFalse(c.driver.findElement(By.id("add-form")).isDisplayed(), "no form to add a language");
      assertFalse(c.driver.findElement(By.id("editor-link")).isDisplayed(), "no button to an editor it cannot open");
      assertFalse(c.driver.findElement(By.id("languages-heading")).isDisplayed(), "no empty list of languages");
      c.driver.get("about:blank");
      c.driver.get(origin() + "/m/" + m.id() + "/translations#token=" + m.admin());
      c.until("the languages", d -> c.driver.findElement(By.id("add-form")).isDisplayed()
          && c.driver.findElement(By.id("editor-link")).isDisplayed());
    }
  }

  @Test
  void anEmptyTranslationShowsWhereToWriteOnAPhone() throws Exception {
    try (Chromium c = new Chromium("Traductrice", 390, 844)) {
      c.driver.get(origin() + "/m/" + m.id() + "/translate/fr?lang=en#token=" + m.admin());
      joinTranslator(c);
      c.until("the units", d -> c.js("return document.querySelectorAll('.translation-line').length > 0"));
      Object invisible = c.js("return [...document.querySelectorAll('.translation-line')].filter(l => l.textContent === ''"
          + " && parseFloat(getComputedStyle(l).borderInlineStartWidth) === 0).length");
      assertEquals(0L, invisible, "every empty translation line has its frame");
      // The source keeps each line's own direction: the English line of an Arabic text starts at the left.
      Object englishLine = c.js("const t = document.querySelector('.source-text'); return getComputedStyle(t).unicodeBidi");
      assertEquals("plaintext", englishLine);
    }
  }

  @Test
  void theTranslatorsViewSaysAtOnceThatALinkCannotWorkWithoutAskingForAName() throws Exception {
    try (Chromium c = new Chromium("Newcomer", 390, 844)) {
      c.driver.get(origin() + "/?lang=ar");
      Map<String, String> links = Map.of(
          "/m/" + m.id() + "/translate/fr#token=not-a-token", "translate.error.link",
          "/m/" + m.id() + "/translate/de#token=" + m.admin(), "translate.error.noLanguage");
      for (Map.Entry<String, String> link : links.entrySet()) {
        c.driver.get("about:blank");
        c.driver.get(origin() + link.getKey());
        String expected = I18n.format("ar", link.getValue());
        c.until("the reason", d -> expected.equals(c.driver.findElement(By.id("message-text")).getText()));
        assertFalse(c.driver.findElement(By.id("name-panel")).isDisplayed(), "no name asked: " + link.getValue());
        assertFalse(c.driver.findElement(By.id("status")).isDisplayed(), "no \"Connecting…\": " + link.getValue());
      }
    }
  }

  @Test
  void theStartPageAssumesTheTextIsInTheInterfacesLanguage() throws Exception {
    try (Chromium c = new Chromium("Starter", 390, 844)) {
      for (String lang : List.of("ar", "zh", "en")) {
        c.driver.get(origin() + "/?lang=" + lang);
        c.until("the start page", d -> c.driver.findElement(By.id("title")).isDisplayed());
        assertEquals(lang, c.driver.findElement(By.id("language")).getAttribute("value"), "the text's language in " + lang);
      }
    }
  }

  /** The translator's view asks for a name the first time: gives this browser's. */
  static void joinTranslator(Chromium c) {
    c.until("the name prompt or the units", d -> c.js("const p = document.getElementById('name-panel');"
        + " return (p && !p.hidden) || !!document.querySelector('.source-cell')"));
    if (Boolean.TRUE.equals(c.js("return !document.getElementById('name-panel').hidden"))) {
      c.driver.findElement(By.id("name-input")).sendKeys(c.name, Keys.ENTER);
    }
  }

  /** Sideways scrolling, and every visible control that reaches past an edge of the screen. */
  static List<String> cutOff(Chromium c, String where) {
    List<String> out = new ArrayList<>();
    if (!Boolean.TRUE.equals(c.js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))) {
      out.add(where + ": the page scrolls sideways");
    }
    Object cut = c.js("const w = document.documentElement.clientWidth; return [...document.querySelectorAll("
        + "'input:not([type=hidden]), select, textarea, button, a.button, h1, h2, p')]"
        + ".filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.sr-only, .hp'))"
        + ".filter(e => { const r = e.getBoundingClientRect(); return r.width > 1 && (r.left < -0.5 || r.right > w + 0.5); })"
        + ".map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : e.name ? '[name=' + e.name + ']' : '')"
        + " + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right)).join('; ')");
    if (cut != null && !cut.toString().isEmpty()) {
      out.add(where + ": cut at the screen's edge: " + cut);
    }
    return out;
  }

  String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  static String api() {
    return "/api/manifestos/" + m.id();
  }
}
