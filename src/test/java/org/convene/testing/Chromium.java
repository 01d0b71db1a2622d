package org.convene.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * One headless Debian chromium with a profile (so a localStorage) of its own, driven through Debian's
 * chromedriver: nothing is downloaded. Closing it quits the browser and deletes the profile.
 */
public final class Chromium implements AutoCloseable {
  public static final String BINARY = "/usr/bin/chromium";
  public static final String DRIVER = "/usr/bin/chromedriver";
  static final Duration WAIT = Duration.ofSeconds(20);

  public final String name;
  public final ChromeDriver driver;
  private final ChromeDriverService service;
  private final Path profile;

  public static boolean available() {
    return Files.isExecutable(Path.of(BINARY)) && Files.isExecutable(Path.of(DRIVER));
  }

  /** Fails, saying what to do, unless the browser and the built web app are both here. */
  public static void assertReady() {
    for (String exe : new String[] {BINARY, DRIVER}) {
      if (!Files.isExecutable(Path.of(exe))) {
        fail(exe + " is missing: this test needs Debian's chromium and chromium-driver "
            + "(bin/test installs them: apt-get install chromium chromium-driver)");
      }
    }
    if (Chromium.class.getClassLoader().getResource("webroot/en/editor.html") == null) {
      fail("the web app is not built (run mvn without -Dskip.web once)");
    }
  }

  /** @param name who uses it, for messages */
  public Chromium(String name) throws IOException {
    this(name, 1100, 800);
  }

  /**
   * @param name who uses it, for messages; width and height of its viewport. Headless Chromium keeps
   *     a window at least 500 pixels wide, so the viewport is emulated at exactly this size (as its
   *     developer tools do; a phone's below 600 pixels, with touch and mobile scrolling).
   */
  public Chromium(String name, int width, int height) throws IOException {
    this.name = name;
    this.profile = Files.createTempDirectory("convene-chromium-");
    this.service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions().setBinary(BINARY).addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
        "--window-size=" + width + "," + height, "--lang=en-US", "--user-data-dir=" + profile);
    options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.ACCEPT);
    try {
      this.driver = new ChromeDriver(service, options);
    } catch (RuntimeException e) {
      service.stop();
      deleteProfile();
      throw e;
    }
    viewport(width, height);
  }

  /** The viewport at exactly this size from now on, however narrow. */
  public void viewport(int width, int height) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        java.util.Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 600));
  }

  /** Polls until the condition gives something other than null or false; the message says what the page showed. */
  public <T> T until(String what, Function<WebDriver, T> condition) {
    return new FluentWait<WebDriver>(driver)
        .withTimeout(WAIT)
        .pollingEvery(Duration.ofMillis(50))
        .ignoring(NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .ignoring(JavascriptException.class)
        .withMessage(() -> name + ": " + what + "\n" + describe())
        .until(condition);
  }

  /**
   * The editor page asks for a name the first time (kept in this profile's localStorage after that):
   * waits for the prompt or the started editor, and answers with this browser's name if asked.
   */
  public void joinIfAsked() {
    String seen = until("the name prompt or the editor", d -> (String) js(
        "const panel = document.getElementById('name-panel'), rename = document.getElementById('rename');"
            + "return panel && !panel.hidden ? 'ask' : rename && !rename.hidden ? 'started' : null;"));
    if ("ask".equals(seen)) {
      WebElement input = driver.findElement(By.id("name-input"));
      input.clear();
      input.sendKeys(name, Keys.ENTER);
    }
  }

  public Object js(String script, Object... args) {
    return driver.executeScript(script, args);
  }

  /** The editor page's state and any message it shows, for failure messages. */
  public String describe() {
    try {
      return String.valueOf(js("const c = window.convene; const msg = document.getElementById('message');"
          + "return JSON.stringify({url: location.pathname, state: c && c.state(), revision: c && c.revision(),"
          + " text: c && c.text(), authors: c && c.authors && c.authors(),"
          + " message: msg && !msg.hidden ? msg.textContent.trim() : null,"
          + " alerts: [...document.querySelectorAll('[role=alert]')].map(e => e.textContent.trim()).filter(Boolean)});"));
    } catch (WebDriverException e) {
      return "(page not readable: " + e.getMessage().lines().findFirst().orElse("") + ")";
    }
  }

  /** A PNG for people to look at, in target/screenshots/. */
  public void screenshot(String file) throws IOException {
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(file), driver.getScreenshotAs(OutputType.BYTES));
  }

  /** The whole page, not just the window, from its top, as a PNG in target/screenshots/. */
  public void fullScreenshot(String file) throws IOException {
    js("window.scrollTo(0, 0)");
    Number width = (Number) js("return document.documentElement.clientWidth");
    Number height = (Number) js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)");
    java.util.Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", java.util.Map.of("format", "png",
        "captureBeyondViewport", true, "clip", java.util.Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(file), java.util.Base64.getDecoder().decode((String) shot.get("data")));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } catch (WebDriverException e) {
      // already gone
    }
    service.stop();
    deleteProfile();
  }

  private void deleteProfile() {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir; not worth failing a test over
    }
  }
}
