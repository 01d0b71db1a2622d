package org.convene.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the browser tests check on every page and state they reach: axe-core's WCAG violations (the
 * npm package from web/node_modules, injected), the page's lang and dir, and that no message key was
 * missing from the interface's catalog (i18n.js records each in conveneMissingMessages).
 */
public final class Axe {
  private Axe() {}

  /** axe-core's violations on the page as it is now, one line each, prefixed with where. */
  public static List<String> violations(Chromium c, String where) throws Exception {
    Path source = Path.of(System.getProperty("basedir", ".")).resolve("web/node_modules/axe-core/axe.min.js");
    assertTrue(Files.exists(source), "axe-core is a devDependency of web/: run npm ci there");
    c.js(Files.readString(source));
    c.driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    String found = (String) c.driver.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => v.impact + ' ' + v.id + ': '"
        + " + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')).join('\\n'))).catch(e => done('axe failed: ' + e));");
    return found.isEmpty() ? List.of() : found.lines().map(l -> where + ": " + l).toList();
  }

  /**
   * Everything wrong with the page as it is now: axe's violations, a {@code <html lang dir>} other
   * than expected, and message keys the scripts asked for that the catalog lacks.
   */
  public static List<String> problems(Chromium c, String where, String lang, String dir) throws Exception {
    List<String> out = new ArrayList<>(violations(c, where));
    Object actualLang = c.js("return document.documentElement.lang");
    Object actualDir = c.js("return document.documentElement.dir || 'ltr'");
    if (!lang.equals(actualLang) || !dir.equals(actualDir)) {
      out.add(where + ": <html lang=" + actualLang + " dir=" + actualDir + ">, expected " + lang + " " + dir);
    }
    Object missing = c.js("return (window.conveneMissingMessages || []).join(', ')");
    if (missing != null && !missing.toString().isEmpty()) {
      out.add(where + ": messages missing from ui_" + lang + ".properties: " + missing);
    }
    return out;
  }
}
