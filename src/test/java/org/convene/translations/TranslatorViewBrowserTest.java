package org.convene.translations;

import static org.convene.translations.TranslationsApiTest.add;
import static org.convene.translations.TranslationsApiTest.open;
import static org.convene.translations.TranslationsApiTest.replace;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.convene.testing.Chromium;
import org.convene.testing.OtClient;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two translators co-edit the Arabic translation in real browsers while an editor changes the
 * source: the changed unit turns outdated on both screens with its diff; the others stay as they were.
 */
class TranslatorViewBrowserTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  @Test
  void aSourceEditTurnsItsUnitOutdatedOnBothTranslatorsScreens() throws Exception {
    Chromium.assertReady();
    TranslationsApiTest.serverForHelpers = server;
    try {
      run();
    } finally {
      TranslationsApiTest.serverForHelpers = null;
    }
  }

  private void run() throws Exception {
    TestServer.Manifesto m = server.createManifesto("Water",
        "Water is a right for everyone.\n\nNo one is cut off for unpaid bills.\n\nWe meet every Friday.");
    add(m, "ar");
    String url = "http://127.0.0.1:" + server.port() + "/m/" + m.id() + "/translate/ar#token=" + m.editor();
    try (Chromium amal = new Chromium("Amal"); Chromium farid = new Chromium("Farid")) {
      for (Chromium b : List.of(amal, farid)) {
        b.driver.get("http://127.0.0.1:" + server.port() + "/health");
        b.js("localStorage.setItem('convene.name', arguments[0])", b.name);
        b.driver.get(url);
        b.until("three source units", d -> ((Number) b.js("return document.querySelectorAll('.source-unit').length")).intValue() == 3);
        b.until("editable", d -> "saved".equals(b.js("return window.convene.state()")));
      }
      // Amal types the first unit's translation, Farid the second's, at once in the same document
      type(amal, 0, "الماء حق للجميع.");
      type(farid, 1, "لا يُقطع الماء عن أحد بسبب فواتير غير مدفوعة.");
      for (Chromium b : List.of(amal, farid)) {
        b.until("both translations current", d -> states(b).equals(List.of("current", "current", "missing")));
      }
      OtClient editor = open(m.id(), m.editor(), "Editor");
      replace(editor, "for unpaid bills", "for unpaid water bills");
      for (Chromium b : List.of(amal, farid)) {
        b.until("the second unit outdated", d -> states(b).equals(List.of("current", "outdated", "missing")));
        String diff = (String) b.until("its diff", d -> b.js(
            "const u = document.querySelector('.source-unit[data-unit=\"2\"] .source-diff'); return u && u.innerHTML"));
        assertEquals("<span>No one is cut off for unpaid </span><ins>water </ins><span>bills.</span>", diff);
      }
      String text = (String) amal.js("return window.convene.text()");
      assertEquals(text, farid.js("return window.convene.text()"));
    }
  }

  /** Puts the caret at the end of the n-th unit's translation and types there. */
  private static void type(Chromium b, int n, String text) {
    b.until("the caret in unit " + (n + 1), d -> b.js("return window.convene.focusUnit(arguments[0])", n + 1));
    b.driver.switchTo().activeElement().sendKeys(text);
  }

  @SuppressWarnings("unchecked")
  private static List<String> states(Chromium b) {
    return (List<String>) b.js("return window.convene.units().map(u => u.state)");
  }
}
