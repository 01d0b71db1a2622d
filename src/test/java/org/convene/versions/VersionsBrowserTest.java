package org.convene.versions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convene.collab.Addresses;
import org.convene.ot.TextOperation;
import org.convene.testing.Chromium;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Versions panel and the public page in Debian's chromium: a diff between two versions (inline
 * and side by side), the history slider with author colours, saving and publishing from the page.
 * Needs the built web app (mvn without -Dskip.web, or an earlier build) and /usr/bin/chromedriver.
 */
class VersionsBrowserTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();
  static final Api api = new Api(server);
  static Chromium chromium;
  static WebDriver browser;

  @BeforeAll
  static void start() throws Exception {
    Chromium.assertReady();
    chromium = new Chromium("Tester", 1280, 900);
    browser = chromium.driver;
  }

  @AfterAll
  static void stop() throws Exception {
    if (chromium != null) {
      chromium.close();
    }
  }

  static WebDriverWait waiting() {
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    // The versions list is rebuilt after each action: an element found just before may be gone.
    wait.ignoring(StaleElementReferenceException.class);
    wait.withMessage(() -> "page says: " + browser.findElements(By.cssSelector("[role=alert]")).stream()
        .map(WebElement::getText).toList() + "; console: " + browser.manage().logs().get("browser").getAll());
    return wait;
  }

  static WebElement id(String id) {
    return browser.findElement(By.id(id));
  }

  /** Joins as "Tester" if the page asks, then waits until the page is live. */
  static void join() {
    chromium.joinIfAsked();
    waiting().until(d -> "saved".equals(((JavascriptExecutor) d).executeScript("return window.convene.state()"))
        && id("versions-toggle").isDisplayed());
  }

  @Test
  void theDiffTheSliderAndThePublicPage() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Our manifesto", "نحن هنا.\nWe are here.");
    OtClient amal = OtClient.open(server.vertx(), server.connect().await(10, TimeUnit.SECONDS), m.id(), m.editor(), "Amal")
        .await(10, TimeUnit.SECONDS);
    amal.edit(TextOperation.builder().retain(amal.text().length()).insert("\nAmal was here.").build());
    amal.whenIdle().await(10, TimeUnit.SECONDS);
    api.save(m, "First reading");
    server.vertx().eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", m.id())
        .put("text", "نحن هنا جميعاً.\nWe are still here.\nAmal was here.").put("author", "Farid"))
        .await(10, TimeUnit.SECONDS);
    api.save(m, "Second reading");

    String origin = "http://127.0.0.1:" + server.port();
    browser.get(origin + "/m/" + m.id() + "/admin#token=" + m.admin());
    join();
    id("versions-toggle").click();
    assertEquals("true", id("versions-toggle").getAttribute("aria-expanded"));
    waiting().until(d -> id("versions-list").findElements(By.tagName("li")).size() == 2);

    // Compare: by default the version before the last against the last.
    id("compare-button").click();
    waiting().until(d -> !id("diff").findElements(By.tagName("ins")).isEmpty());
    List<WebElement> inserted = id("diff").findElements(By.tagName("ins"));
    List<WebElement> deleted = id("diff").findElements(By.tagName("del"));
    assertTrue(inserted.stream().anyMatch(e -> e.getText().contains("جميعاً")), "Arabic insertion is marked");
    assertTrue(inserted.stream().anyMatch(e -> e.getText().contains("still")), "English insertion is marked");
    assertTrue(deleted.isEmpty(), "nothing was deleted");
    assertTrue(id("compare-summary").getText().startsWith("Version 1 → Version 2: "), id("compare-summary").getText());
    browser.findElement(By.cssSelector("input[name='compare-mode'][value='sides']")).click();
    waiting().until(d -> id("diff").findElements(By.className("diff-text")).size() == 2);
    List<WebElement> columns = id("diff").findElements(By.className("diff-text"));
    assertTrue(columns.get(0).findElements(By.tagName("ins")).isEmpty());
    assertFalse(columns.get(1).findElements(By.tagName("ins")).isEmpty());
    assertTrue(columns.get(0).getText().contains("We are here."));

    // The slider: the first revision, then the last, coloured by author.
    WebElement range = id("history-range");
    waiting().until(d -> "2".equals(range.getAttribute("max")) && "2".equals(id("history-text").getAttribute("data-revision")));
    range.sendKeys(Keys.HOME);
    waiting().until(d -> "0".equals(id("history-text").getAttribute("data-revision")));
    assertEquals("نحن هنا.\nWe are here.", (String) ((JavascriptExecutor) browser)
        .executeScript("return document.getElementById('history-text').textContent"));
    range.sendKeys(Keys.END);
    waiting().until(d -> "2".equals(id("history-text").getAttribute("data-revision")));
    List<WebElement> byAmal = id("history-text").findElements(By.cssSelector("span[data-author='Amal']"));
    assertTrue(byAmal.stream().anyMatch(e -> e.getText().contains("Amal was here.")));
    assertEquals("Amal", byAmal.get(0).getAttribute("title"));
    assertFalse(byAmal.get(0).getCssValue("background-color").isEmpty());
    assertTrue(id("history-legend").getText().contains("Farid"), id("history-legend").getText());

    // An admin saves and publishes from the page; the public page shows that version.
    id("version-name").sendKeys("Saved in the browser");
    id("version-save").click();
    waiting().until(d -> id("versions-list").findElements(By.tagName("li")).size() == 3);
    WebElement v3 = id("versions-list").findElement(By.cssSelector("li[data-number='3']"));
    assertTrue(v3.getText().contains("Tester"), "saved by the name given on the page: " + v3.getText());
    v3.findElements(By.tagName("button")).stream().filter(b -> b.getText().equals("Publish")).findFirst().orElseThrow().click();
    waiting().until(d -> id("versions-list").findElement(By.cssSelector("li[data-number='3']")).getText().contains("Published"));

    browser.get(origin + "/p/" + m.id());
    waiting().until(d -> id("manifesto").isDisplayed());
    assertEquals("Our manifesto", id("title").getText());
    assertTrue(id("text").getText().contains("We are still here."));
    assertEquals(Chain.sha256("نحن هنا جميعاً.\nWe are still here.\nAmal was here."), id("sha256").getText());
    assertTrue(id("meta").getText().startsWith("Version 3"), id("meta").getText());
  }

  @Test
  void anOpenPanelShowsWhatOthersSaveAndPublishAndFollowsTheLiveRevision() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Kept up to date", "We are here.");
    OtClient amal = OtClient.open(server.vertx(), server.connect().await(10, TimeUnit.SECONDS), m.id(), m.editor(), "Amal")
        .await(10, TimeUnit.SECONDS);
    api.save(m, "First reading");

    // An editor's page with the panel open; someone else (an admin, over REST) saves and publishes.
    browser.get("http://127.0.0.1:" + server.port() + "/m/" + m.id() + "/edit#token=" + m.editor());
    join();
    id("versions-toggle").click();
    waiting().until(d -> id("versions-list").findElements(By.cssSelector("li[data-number]")).size() == 1);
    WebElement v1 = id("versions-list").findElement(By.cssSelector("li[data-number='1']"));
    WebElement details = v1.findElements(By.tagName("button")).stream()
        .filter(b -> b.getText().equals("Details")).findFirst().orElseThrow();
    details.click(); // opens the details, and keeps the focus
    waiting().until(d -> v1.findElement(By.className("version-details")).isDisplayed());

    api.save(m, "Second reading");
    // Within the poll interval (10 s), without reopening the panel.
    waiting().until(d -> !id("versions-list").findElements(By.cssSelector("li[data-number='2']")).isEmpty());
    assertEquals("true", id("versions-toggle").getAttribute("aria-expanded"));
    List<WebElement> items = id("versions-list").findElements(By.cssSelector("li[data-number]"));
    assertEquals(List.of("2", "1"), items.stream().map(e -> e.getAttribute("data-number")).toList(), "newest first");
    // The unchanged version was not redrawn: the same element, its details still open, the focus still there.
    assertEquals(v1, items.get(1));
    assertTrue(v1.findElement(By.className("version-details")).isDisplayed());
    assertEquals(details, browser.switchTo().activeElement());

    api.ok(api.post("/api/manifestos/" + m.id() + "/versions/1/publish", m.admin(), new JsonObject()));
    waiting().until(d -> id("versions-list").findElement(By.cssSelector("li[data-number='1']")).getText().contains("Published"));
    WebElement published = id("versions-list").findElement(By.cssSelector("li[data-number='1']"));
    assertTrue(published.findElement(By.className("version-details")).isDisplayed(), "the open details are carried over");
    assertEquals("Details", browser.switchTo().activeElement().getText(), "the focus stays on the same button");

    // The text grows: the slider's end follows the live revision, and shows it.
    WebElement range = id("history-range");
    assertEquals("0", range.getAttribute("max"));
    amal.edit(TextOperation.builder().retain(amal.text().length()).insert(" Still here.").build());
    amal.edit(TextOperation.builder().retain(amal.text().length()).insert(" نحن هنا.").build());
    amal.whenIdle().await(10, TimeUnit.SECONDS);
    String last = String.valueOf(amal.revision());
    waiting().until(d -> last.equals(range.getAttribute("max")) && last.equals(range.getAttribute("value"))
        && last.equals(id("history-text").getAttribute("data-revision")));
    assertEquals("We are here. Still here. نحن هنا.", id("history-text").getText());
  }
}
