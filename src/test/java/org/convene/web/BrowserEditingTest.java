package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.convene.testing.BridgeClient;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * The real web app in a real (headless) Chromium against the in-process server: people typing at
 * once in two browsers, a reader following live, and the create page handing out working links.
 * Uses Debian's chromium and chromedriver directly, so nothing is ever downloaded.
 */
class BrowserEditingTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Duration POLL = Duration.ofMillis(50);

  static Vertx vertx;
  static TestServer server;
  static ExecutorService hands; // one thread per person: they type at the same time
  static Browser amina; // editor
  static Browser bruno; // editor, later the one who creates a manifesto
  static Browser chidi; // reader
  static final List<Browser> STARTED = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Chromium.assertReady();
    // Should the JVM end without stop() (a killed fork), the browsers still go with it.
    Runtime.getRuntime().addShutdownHook(new Thread(BrowserEditingTest::closeBrowsers));
    vertx = Vertx.vertx();
    hands = Executors.newFixedThreadPool(3);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    // Browsers start while the server (and its database) does.
    List<Future<Browser>> launching = List.of(
        pool.submit(() -> new Browser("Amina")), pool.submit(() -> new Browser("Bruno")), pool.submit(() -> new Browser("Chidi")));
    try {
      server = TestServer.start(vertx);
    } finally {
      // Whatever happened, let every launch finish so that stop() closes each browser that started.
      for (Future<Browser> f : launching) {
        try {
          f.get(90, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
          // reported just below
        }
      }
      pool.shutdownNow();
    }
    amina = launching.get(0).get(1, TimeUnit.SECONDS);
    bruno = launching.get(1).get(1, TimeUnit.SECONDS);
    chidi = launching.get(2).get(1, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    closeBrowsers();
    if (server != null) {
      server.close();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (hands != null) {
      hands.shutdownNow();
    }
  }

  static void closeBrowsers() {
    for (Browser b : STARTED) {
      if (STARTED.remove(b)) {
        b.close();
      }
    }
  }

  // ---- the tests ----------------------------------------------------------------------

  @Test
  void theServerServesThePagesAndTheirScripts() throws Exception {
    // Without these no page works; failing here says why the others fail.
    Map<String, String> types = Map.of(
        "/", "text/html", "/m/someid/edit", "text/html",
        "/assets/create.js", "javascript", "/assets/editor.js", "javascript", "/assets/app.css", "text/css");
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> e : types.entrySet()) {
      HttpResponse<Buffer> r = server.http().get(e.getKey()).send().await(10, TimeUnit.SECONDS);
      String type = String.valueOf(r.getHeader("Content-Type"));
      if (r.statusCode() != 200 || !type.contains(e.getValue())) {
        wrong.add("GET " + e.getKey() + " -> " + r.statusCode() + " " + type);
      }
    }
    assertEquals(List.of(), wrong, "the web app's pages and assets (served as webroot/ from the classpath)");
  }

  @Test
  void twoPeopleTypingAtOnceEndWithTheServersText() throws Exception {
    String initial = "We demand bread.\nWe refuse fear.";
    TestServer.Manifesto m = server.createManifesto("Two writers", initial);
    String editLink = link(m.id(), "edit", m.editor());
    CompletableFuture<Void> openA = CompletableFuture.runAsync(() -> amina.openEditor(editLink), hands);
    CompletableFuture<Void> openB = CompletableFuture.runAsync(() -> bruno.openEditor(editLink), hands);
    CompletableFuture.allOf(openA, openB).get(40, TimeUnit.SECONDS);
    for (Browser b : List.of(amina, bruno)) {
      assertEquals("editor", b.call("role"), b.name);
      assertEquals(initial, b.call("text"), b.name);
    }

    // Amina types at the very start, Bruno at the very end, both at the same time, with real
    // key input: Latin, accented, Arabic (right-to-left) and a character outside the BMP.
    List<String> aminaWords = List.of("Freedom", "مرحبا", "now", "🌍");
    List<String> brunoWords = List.of("café", "solidarity", "شكرا", "forever");
    // Word by word in step: each word of one is typed while the other types a word of theirs.
    CyclicBarrier inStep = new CyclicBarrier(2);
    CompletableFuture<Void> typingA = CompletableFuture.runAsync(() -> {
      WebElement content = amina.content();
      content.sendKeys(Keys.chord(Keys.CONTROL, Keys.HOME));
      for (String w : aminaWords) {
        await(inStep);
        content.sendKeys(w + " ");
      }
    }, hands);
    CompletableFuture<Void> typingB = CompletableFuture.runAsync(() -> {
      WebElement content = bruno.content();
      content.sendKeys(Keys.chord(Keys.CONTROL, Keys.END));
      for (String w : brunoWords) {
        await(inStep);
        content.sendKeys(" " + w);
      }
    }, hands);
    CompletableFuture.allOf(typingA, typingB).get(40, TimeUnit.SECONDS);

    // Neither typed where the other did, so however the edits interleaved, the result is known.
    String expected = String.join(" ", aminaWords) + " " + initial + " " + String.join(" ", brunoWords);
    waitFor("both editors saved the same text at the same revision", () -> amina.describe() + "\n" + bruno.describe(),
        () -> amina.saved() && bruno.saved()
            && Objects.equals(amina.call("revision"), bruno.call("revision"))
            && expected.equals(amina.call("text")) && expected.equals(bruno.call("text")));

    JsonObject stored = server.read(m);
    String textA = (String) amina.call("text");
    String textB = (String) bruno.call("text");
    assertEquals(textA, textB, "both pages show the same text");
    assertEquals(stored.getString("text"), textA, "the pages show the server's text");
    assertEquals(stored.getInteger("revision").longValue(), ((Number) amina.call("revision")).longValue());
    assertEquals(stored.getInteger("revision").longValue(), ((Number) bruno.call("revision")).longValue());
    for (String w : Stream.concat(aminaWords.stream(), brunoWords.stream()).toList()) {
      assertTrue(stored.getString("text").contains(w), "the text holds " + w);
    }
    assertTrue(stored.getInteger("revision") >= 2, "the edits reached the server as operations");
    assertEquals(expected, stored.getString("text"));

    // Both typed into the history (how their operations interleave depends on timing, so it is only shown).
    BridgeClient bridge = server.connect().await(10, TimeUnit.SECONDS);
    JsonArray ops = bridge.request("manifesto.history", new JsonObject().put("doc", m.id()).put("from", 0), m.viewer())
        .await(10, TimeUnit.SECONDS).getJsonArray("ops");
    bridge.close().await(10, TimeUnit.SECONDS);
    List<String> authors = ops.stream().map(o -> ((JsonObject) o).getString("name")).toList();
    long turns = IntStream.range(1, authors.size()).filter(i -> !authors.get(i).equals(authors.get(i - 1))).count();
    System.out.println("authors of the " + authors.size() + " operations, in order: " + authors);
    System.out.println("turns between the two authors: " + turns);
    assertEquals(Set.of("Amina", "Bruno"), Set.copyOf(authors), "every operation is by one of the two: " + authors);

    // Each sees the other in the people list; their names and status are on the page.
    waitFor("each editor lists both people", () -> amina.describe() + "\n" + bruno.describe(),
        () -> amina.participantNames().containsAll(List.of("Amina", "Bruno"))
            && bruno.participantNames().containsAll(List.of("Amina", "Bruno")));
    assertEquals("Saved", amina.driver.findElement(By.id("status")).getText());
    assertEquals("Two writers", amina.driver.findElement(By.id("title")).getText());
    amina.screenshot("editor-two-writers.png");
  }

  @Test
  void aReaderCannotTypeAndFollowsTheEditorsLive() throws Exception {
    String initial = "Bread and roses.";
    TestServer.Manifesto m = server.createManifesto("Read along", initial);
    CompletableFuture<Void> openEditor = CompletableFuture.runAsync(() -> amina.openEditor(link(m.id(), "edit", m.editor())), hands);
    CompletableFuture<Void> openReader = CompletableFuture.runAsync(() -> chidi.openEditor(link(m.id(), "view", m.viewer())), hands);
    CompletableFuture.allOf(openEditor, openReader).get(40, TimeUnit.SECONDS);

    assertEquals("viewer", chidi.call("role"));
    assertEquals(initial, chidi.call("text"));
    WebElement content = chidi.content();
    assertEquals("false", content.getAttribute("contenteditable"), "the reader's text is not editable");
    assertEquals("Read only", chidi.driver.findElement(By.id("role")).getText());
    assertEquals("Up to date", chidi.driver.findElement(By.id("status")).getText());
    assertEquals("true", content.getAttribute("aria-readonly"));
    assertTrue(chidi.driver.findElement(By.id("role-note")).getText().contains("ask whoever shared this link for the edit link"),
        "the reader is told how to get to write");
    assertEquals("Reader", chidi.driver.findElement(By.id("whoami")).getText(), "a reader is not asked for a name");

    // The reader tries to type: by clicking in and pressing keys, and straight at the element.
    Object revisionBefore = chidi.call("revision");
    new Actions(chidi.driver).click(content).sendKeys("sneaky").sendKeys(Keys.BACK_SPACE).sendKeys(Keys.ENTER).perform();
    try {
      content.sendKeys("more sneaky");
    } catch (WebDriverException refused) {
      // chromedriver may refuse keys for a non-editable element: just as good
    }
    // Keys are dispatched before sendKeys returns, and the editor reads the DOM's changes before the
    // next script runs: a change typing made would show here already.
    assertEquals(initial, chidi.call("text"), "typing does not change the reader's text");
    assertEquals(revisionBefore, chidi.call("revision"));
    assertEquals("saved", chidi.call("state"));
    assertEquals(initial, server.read(m).getString("text"), "nothing reached the server");

    // The editor writes; the reader sees each change arrive.
    WebElement editorContent = amina.content();
    editorContent.sendKeys(Keys.chord(Keys.CONTROL, Keys.END));
    editorContent.sendKeys(" We march.");
    String first = initial + " We march.";
    waitFor("the reader receives the first edit", chidi::describe, () -> first.equals(chidi.call("text")));
    assertEquals(first, server.read(m).getString("text"), "nothing the reader typed reached the server");
    editorContent.sendKeys(Keys.chord(Keys.CONTROL, Keys.HOME));
    editorContent.sendKeys("نعم! ");
    String second = "نعم! " + first;
    waitFor("the reader and the editor agree at the same revision", () -> amina.describe() + "\n" + chidi.describe(),
        () -> amina.saved() && second.equals(amina.call("text")) && second.equals(chidi.call("text"))
            && Objects.equals(amina.call("revision"), chidi.call("revision")));
    JsonObject stored = server.read(m);
    assertEquals(stored.getString("text"), chidi.call("text"));
    assertEquals(stored.getInteger("revision").longValue(), ((Number) chidi.call("revision")).longValue());
    assertEquals("false", chidi.content().getAttribute("contenteditable"), "still read-only after live changes");
    assertEquals("saved", chidi.call("state"));
    chidi.screenshot("reader.png");
  }

  /** A long paste is one large operation, sent as one message (Chromium cuts it into frames). */
  @Test
  void aLongPasteInArabicIsSavedWhole() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Paste", "البيان: ");
    amina.openEditor(link(m.id(), "edit", m.editor()));
    // About 120 KB of UTF-8 in one operation: the size of a long chapter pasted at once.
    String chapter = "نحن المهاجرين نكتب هذا البيان معًا. ".repeat(1_800);
    WebElement content = amina.content();
    content.click();
    content.sendKeys(Keys.chord(Keys.CONTROL, Keys.END));
    amina.driver.executeScript("document.execCommand('insertText', false, arguments[0]);", chapter);
    String expected = "البيان: " + chapter;
    waitFor("the paste is saved", amina::describe, () -> amina.saved() && expected.equals(amina.call("text")));
    assertEquals(expected, server.read(m).getString("text"));
  }

  @Test
  void theCreatePageHandsOutThreeLinksAndTheEditLinkOpensTheNewManifesto() throws Exception {
    String title = "Kitchen manifesto";
    String text = "نريد خبزا.\nWe want bread, café and roses.";
    bruno.driver.get(base() + "/");
    WebElement submit = bruno.visible(By.id("create-submit"));

    // No title: the form says so and sends nothing.
    submit.click();
    WebElement titleError = bruno.visible(By.id("title-error"));
    assertTrue(!titleError.getText().isBlank(), "a message for the missing title");
    assertEquals("true", bruno.driver.findElement(By.id("title")).getAttribute("aria-invalid"));

    bruno.driver.findElement(By.id("title")).sendKeys(title);
    WebElement area = bruno.driver.findElement(By.id("text"));
    String[] lines = text.split("\n");
    area.sendKeys(lines[0], Keys.ENTER, lines[1]);
    WebElement language = bruno.driver.findElement(By.id("language"));
    language.clear();
    language.sendKeys("ar");
    submit.click();

    bruno.visible(By.id("created"));
    assertEquals(title, bruno.driver.findElement(By.id("created-title")).getText());
    Map<String, String> hrefs = Map.of(
        "admin", bruno.driver.findElement(By.id("link-admin")).getAttribute("href"),
        "edit", bruno.driver.findElement(By.id("link-editor")).getAttribute("href"),
        "view", bruno.driver.findElement(By.id("link-viewer")).getAttribute("href"));
    Pattern shape = Pattern.compile("^" + Pattern.quote(base()) + "/m/([^/#]+)/(admin|edit|view)#token=(.+)$");
    String id = null;
    List<String> tokens = new ArrayList<>();
    for (Map.Entry<String, String> e : hrefs.entrySet()) {
      Matcher link = shape.matcher(e.getValue());
      assertTrue(link.matches(), e.getKey() + " link: " + e.getValue());
      assertEquals(e.getKey(), link.group(2));
      id = id == null ? link.group(1) : id;
      assertEquals(id, link.group(1), "the three links name the same manifesto");
      tokens.add(URLDecoder.decode(link.group(3), StandardCharsets.UTF_8));
    }
    assertEquals(3, tokens.stream().distinct().count(), "three different tokens");
    assertEquals(hrefs.get("edit"), bruno.driver.findElement(By.id("link-editor")).getText(), "the link is shown as text");

    // Follow the edit link from the page, as a person would.
    bruno.driver.findElement(By.id("link-editor")).click();
    bruno.joinIfAsked();
    bruno.waitReady();
    assertEquals("editor", bruno.call("role"));
    assertEquals(text, bruno.call("text"));
    assertTrue(bruno.driver.getCurrentUrl().startsWith(base() + "/m/" + id + "/edit#token="), bruno.driver.getCurrentUrl());
    bruno.waitUntil("the title is shown", d -> title.equals(d.findElement(By.id("title")).getText()));
    assertEquals("rtl", bruno.driver.findElement(By.id("editor")).getAttribute("dir"), "an Arabic manifesto lays out right to left");
    assertEquals("ar", bruno.content().getAttribute("lang"));

    TestServer.Manifesto created = new TestServer.Manifesto(id,
        URLDecoder.decode(hrefs.get("admin").replaceFirst(".*#token=", ""), StandardCharsets.UTF_8),
        URLDecoder.decode(hrefs.get("edit").replaceFirst(".*#token=", ""), StandardCharsets.UTF_8),
        URLDecoder.decode(hrefs.get("view").replaceFirst(".*#token=", ""), StandardCharsets.UTF_8));
    JsonObject stored = server.read(created);
    assertEquals(title, stored.getString("title"));
    assertEquals(text, stored.getString("text"));
    assertEquals("ar", stored.getString("language"));
    assertEquals(0, stored.getInteger("revision"));

    // And it is live: a word typed here reaches the server.
    WebElement content = bruno.content();
    content.sendKeys(Keys.chord(Keys.CONTROL, Keys.END));
    content.sendKeys(" Now!");
    waitFor("the new manifesto takes an edit", bruno::describe,
        () -> bruno.saved() && (text + " Now!").equals(bruno.call("text")));
    assertEquals(text + " Now!", server.read(created).getString("text"));
    bruno.screenshot("editor-arabic-rtl.png");
  }

  // ---- helpers -------------------------------------------------------------------------

  static String base() {
    return "http://127.0.0.1:" + server.port();
  }

  static String link(String id, String page, String token) {
    return base() + "/m/" + id + "/" + page + "#token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  static void await(CyclicBarrier barrier) {
    try {
      barrier.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("the other typist stopped", e);
    }
  }

  /** Polls until the condition holds; on timeout the message carries what the pages show. */
  static void waitFor(String what, Supplier<String> state, BooleanSupplier condition) {
    new FluentWait<>(Boolean.TRUE)
        .withTimeout(WAIT)
        .pollingEvery(POLL)
        .ignoring(WebDriverException.class)
        .withMessage(() -> what + "\n" + state.get())
        .until(x -> condition.getAsBoolean());
  }

  /** One headless Chromium with its own profile, and what these tests do with it. */
  static final class Browser implements AutoCloseable {
    final String name;
    final Chromium chromium;
    final ChromeDriver driver;

    Browser(String name) throws IOException {
      this.name = name;
      this.chromium = new Chromium(name, 900, 700);
      this.driver = chromium.driver;
      STARTED.add(this);
    }

    /**
     * Opens an editor page, joins under this browser's name if asked, and waits until it is live. A
     * reader's page asks for no name: it joins as a reader.
     */
    void openEditor(String url) {
      driver.get(url);
      if (url.contains("/view#")) {
        waitUntil("the reader's page starts without asking a name",
            d -> d.findElement(By.id("rename")).isDisplayed() && !d.findElement(By.id("name-panel")).isDisplayed());
      } else {
        joinIfAsked();
      }
      waitReady();
    }

    /** The page asks for a name the first time (kept in localStorage after that). */
    void joinIfAsked() {
      chromium.joinIfAsked();
      waitUntil("the name is shown", d -> name.equals(d.findElement(By.id("whoami")).getText()));
    }

    void waitReady() {
      waitUntil("the page is connected and up to date", d -> saved() && call("role") != null);
      assertEquals("saved", driver.findElement(By.id("status")).getAttribute("data-state"));
    }

    WebElement content() {
      return driver.findElement(By.cssSelector(".cm-content"));
    }

    WebElement visible(By by) {
      return waitUntil(by + " is shown", d -> {
        WebElement e = d.findElement(by);
        return e.isDisplayed() ? e : null;
      });
    }

    <T> T waitUntil(String what, Function<WebDriver, T> condition) {
      return new FluentWait<WebDriver>(driver)
          .withTimeout(WAIT)
          .pollingEvery(POLL)
          .ignoring(NoSuchElementException.class)
          .ignoring(JavascriptException.class)
          .withMessage(() -> name + ": " + what + "\n" + describe())
          .until(condition);
    }

    /** window.convene.&lt;hook&gt;(). */
    Object call(String hook) {
      return driver.executeScript("return window.convene ? window.convene." + hook + "() : null;");
    }

    boolean saved() {
      return "saved".equals(call("state"))
          && "saved".equals(driver.findElement(By.id("status")).getAttribute("data-state"));
    }

    @SuppressWarnings("unchecked")
    List<String> participantNames() {
      List<Map<String, Object>> people = (List<Map<String, Object>>) call("participants");
      return people == null ? List.of() : people.stream().map(p -> String.valueOf(p.get("name"))).collect(Collectors.toList());
    }

    String describe() {
      try {
        return name + ": " + driver.executeScript(
            "const c = window.convene;"
                + "if (!c) return 'no window.convene (editor.js not running) at ' + location.pathname + ', assets: ' + performance"
                + "  .getEntriesByType('resource').filter(e => e.name.includes('/assets/'))"
                + "  .map(e => new URL(e.name).pathname + ' -> ' + (e.responseStatus || '?')).join(', ');"
                + "const msg = document.getElementById('message');"
                + "return JSON.stringify({state: c.state(), revision: c.revision(), role: c.role(), text: c.text(),"
                + " status: document.getElementById('status').textContent,"
                + " message: msg && !msg.hidden ? msg.textContent.trim() : null});");
      } catch (WebDriverException e) {
        return name + ": (page not readable: " + e.getMessage().lines().findFirst().orElse("") + ")";
      }
    }

    /** A PNG for people to look at, in target/screenshots/. */
    void screenshot(String file) throws IOException {
      chromium.screenshot(file);
    }

    @Override
    public void close() {
      chromium.close();
    }
  }
}
