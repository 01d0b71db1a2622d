package org.convene.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * "Show authors" in two real browsers: Amal and Bruno type into one manifesto at once (Latin, Arabic,
 * a character outside the BMP); each page colours the other's text in the other's colour, its own in
 * its own, the initial text as such, and agrees with the server's authorship; after a reload the
 * toggle is still on and the colours are the same. Needs the built web app and Debian's chromium.
 */
class AuthorsBrowserTest {
  static final String INITIAL = "نحن هنا.\nWe are here.";

  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Api api = new Api(server);
  static Chromium amal;
  static Chromium bruno;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assertReady();
    amal = new Chromium("Amal");
    bruno = new Chromium("Bruno");
  }

  @AfterAll
  static void stop() throws Exception {
    for (Chromium b : new Chromium[] {amal, bruno}) {
      if (b != null) {
        b.close();
      }
    }
  }

  @Test
  void eachPageColoursTheOthersTextInTheOthersColourAndAReloadShowsTheSame() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Who wrote what", INITIAL);
    api.save(m, "As it started");
    String link = "http://127.0.0.1:" + server.port() + "/m/" + m.id() + "/edit#token="
        + URLEncoder.encode(m.editor(), StandardCharsets.UTF_8);
    CompletableFuture.allOf(
        CompletableFuture.runAsync(() -> open(amal, link)), CompletableFuture.runAsync(() -> open(bruno, link)))
        .get(60, TimeUnit.SECONDS);

    // Amal shows authors before anyone types (the runs of revision 0, then kept by the page).
    WebElement toggle = amal.driver.findElement(By.id("authors-toggle"));
    assertEquals("false", toggle.getAttribute("aria-pressed"), "off by default");
    toggle.click();
    assertEquals("true", toggle.getAttribute("aria-pressed"));
    amal.until("the legend shows the initial text", d -> legend(amal).contains("Initial text"));

    // Both type at once: Amal at the end, Bruno at the start.
    String amalWrote = " Amal 🌍 كتبت";
    String brunoWrote = "Bruno wrote: ";
    CompletableFuture.allOf(
        CompletableFuture.runAsync(() -> type(amal, Keys.END, amalWrote)),
        CompletableFuture.runAsync(() -> type(bruno, Keys.HOME, brunoWrote)))
        .get(60, TimeUnit.SECONDS);
    String expected = brunoWrote + INITIAL + amalWrote;
    for (Chromium b : List.of(amal, bruno)) {
      b.until("both texts arrived and are saved", d -> expected.equals(b.js("return window.convene.text()"))
          && "saved".equals(b.js("return window.convene.state()"))
          && Objects.equals(amal.js("return window.convene.revision()"), bruno.js("return window.convene.revision()")));
    }

    // Bruno shows authors only now: the runs of a later revision.
    bruno.driver.findElement(By.id("authors-toggle")).click();
    JsonArray serverRuns = serverRuns(m, ((Number) amal.js("return window.convene.revision()")).intValue());
    for (Chromium b : List.of(amal, bruno)) {
      b.until("the page's authorship is the server's", d -> serverRuns.equals(shownRuns(b)));
      checkColours(b, brunoWrote, amalWrote);
    }
    assertNotEquals(authorColor("Amal"), authorColor("Bruno"));
    // Most characters first; Amal and Bruno wrote as many, so by name.
    bruno.until("the legend names everyone", d -> legend(bruno).equals(List.of("Initial text", "Amal", "Bruno")));
    assertEquals(List.of("Initial text"), bruno.driver.findElements(By.cssSelector("#authors-legend .initial-credit"))
        .stream().map(WebElement::getText).toList(), "the initial text's credit is set apart from names");

    // After a reload: still shown (remembered), the same runs, the same colours.
    for (Chromium b : List.of(amal, bruno)) {
      b.driver.navigate().refresh();
      b.until("the page is back and up to date", d -> "saved".equals(b.js("return window.convene ? window.convene.state() : null"))
          && expected.equals(b.js("return window.convene.text()")));
      assertEquals("true", b.driver.findElement(By.id("authors-toggle")).getAttribute("aria-pressed"), b.name);
      b.until("the same authorship after the reload", d -> serverRuns.equals(shownRuns(b)));
      checkColours(b, brunoWrote, amalWrote);
      b.until("the legend names everyone", d -> legend(b).equals(List.of("Initial text", "Amal", "Bruno")));
    }

    bruno.screenshot("editor-authors.png");

    // A restore gives the text the authorship it had in that version, not the restorer's: only the
    // server knows it, so the pages ask for it again.
    int restored = api.ok(api.post("/api/manifestos/" + m.id() + "/versions/1/restore", m.admin(),
        new JsonObject().put("by", "Leila"))).getInteger("revision");
    JsonArray restoredRuns = serverRuns(m, restored);
    assertEquals(new JsonArray().add(new JsonObject().put("author", "").put("length", INITIAL.length())), restoredRuns);
    for (Chromium b : List.of(amal, bruno)) {
      b.until("the restored text and its authorship", d -> INITIAL.equals(b.js("return window.convene.text()"))
          && restoredRuns.equals(shownRuns(b)));
      b.until("only the initial text is coloured", d -> marked(b).fieldNames().equals(Set.of("")));
    }

    // Off again: no colours, and remembered as off.
    amal.driver.findElement(By.id("authors-toggle")).click();
    amal.until("the colours are gone", d -> d.findElements(By.cssSelector(".cm-content .cm-author")).isEmpty());
    assertEquals("0", amal.js("return localStorage.getItem('convene.showAuthors')"));
    assertTrue(amal.driver.findElement(By.id("authors-legend")).getAttribute("hidden") != null, "the legend is hidden");
  }

  static void open(Chromium b, String link) {
    b.driver.get(link);
    b.joinIfAsked();
    b.until("connected", d -> "saved".equals(b.js("return window.convene.state()")) && b.js("return window.convene.role()") != null);
  }

  static void type(Chromium b, Keys where, String text) {
    WebElement content = b.driver.findElement(By.cssSelector(".cm-content"));
    content.sendKeys(Keys.chord(Keys.CONTROL, where));
    for (String word : text.split("(?<= )")) {
      content.sendKeys(word);
    }
  }

  /** The runs the page shows, as the REST API writes them. */
  static JsonArray shownRuns(Chromium b) {
    Object runs = b.js("return JSON.stringify(window.convene.authors())");
    return "null".equals(runs) ? null : new JsonArray((String) runs);
  }

  static JsonArray serverRuns(TestServer.Manifesto m, int revision) throws Exception {
    return api.ok(api.get("/api/manifestos/" + m.id() + "/revisions/" + revision + "?authors=true", m.viewer()))
        .getJsonArray("runs");
  }

  /** Each author's marked text in the editor (carets of others left out), with its titles and background colours. */
  static JsonObject marked(Chromium b) {
    return new JsonObject((String) b.js("const out = {};"
        + "for (const e of document.querySelectorAll('.cm-content .cm-author')) {"
        + "  const a = out[e.dataset.author] || (out[e.dataset.author] = {text: '', titles: [], styles: []});"
        + "  const copy = e.cloneNode(true); copy.querySelectorAll('.cm-remote-caret').forEach(x => x.remove());"
        + "  a.text += copy.textContent;"
        + "  if (!a.titles.includes(e.title)) a.titles.push(e.title);"
        + "  const s = e.style.backgroundColor; if (!a.styles.includes(s)) a.styles.push(s);"
        + "}"
        + "return JSON.stringify(out);"));
  }

  static void checkColours(Chromium b, String brunoWrote, String amalWrote) {
    JsonObject marked = b.until("the text is coloured by author", d -> {
      JsonObject all = marked(b);
      return all.containsKey("Amal") && all.containsKey("Bruno") && all.containsKey("") ? all : null;
    });
    String page = b.name + "'s page: " + marked.encode();
    for (String[] expect : new String[][] {
        {"Bruno", brunoWrote, "Bruno"}, {"Amal", amalWrote, "Amal"}, {"", INITIAL.replace("\n", ""), "Initial text"}}) {
      JsonObject a = marked.getJsonObject(expect[0]);
      assertEquals(expect[1], a.getString("text"), page);
      assertEquals(List.of(expect[2]), a.getJsonArray("titles").getList(), page);
      // The browser writes colours as rgb(): let it convert the expected one too.
      Object color = b.js("const d = document.createElement('div'); d.style.backgroundColor = arguments[0];"
          + " return d.style.backgroundColor;", authorColor(expect[0]));
      assertEquals(List.of(color), a.getJsonArray("styles").getList(), page);
    }
  }

  static List<String> legend(Chromium b) {
    return b.driver.findElements(By.cssSelector("#authors-legend li")).stream().map(WebElement::getText).toList();
  }

  /** versions.js authorColor, the history slider's colours: the editor must use the same. */
  static String authorColor(String name) {
    if (name.isEmpty()) {
      return "hsl(0, 0%, 92%)";
    }
    int h = 0;
    for (int cp : name.codePoints().toArray()) {
      h = (h * 31 + cp) % 360;
    }
    return "hsl(" + h + ", 75%, 86%)";
  }
}
