package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.convene.common.I18n;
import org.convene.testing.Axe;
import org.convene.testing.Chromium;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The sign form (with its errors shown), a kiosk opened from a wrong link, and the organisers'
 * Signing panel in the interface's language, English and Arabic: the words from the catalog, the
 * right lang and dir, no message missing, and no axe-core violation.
 */
class SigningLanguagesBrowserTest {
  @RegisterExtension
  static final Signatures api = Signatures.perClass();
  static final TestServer server = api.server;

  @BeforeAll
  static void ready() {
    Chromium.assertReady();
  }

  String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  @Test
  void theSignFormAndThePanelInEnglishAndArabic() throws Exception {
    List<String> problems = new ArrayList<>();
    for (String[] ui : new String[][] {{"en", "ltr"}, {"ar", "rtl"}}) {
      String lang = ui[0];
      TestServer.Manifesto m = api.published("Water is a right", "We demand clean water for all.");
      String kioskKey = Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(),
          new JsonObject().put("requireEmail", false).put("kiosk", true))).getString("kioskKey");
      Signatures.ok(api.sign(m, Signatures.signer("أمل حداد", null, "SY", "full").put("language", "ar")));
      Signatures.ok(api.sign(m, Signatures.signer("Jonas Weber", null, "DE", "initials")));
      Signatures.ok(api.sign(m, Signatures.signer("Lina", null, "FR", "hidden")));
      for (int[] size : new int[][] {{1280, 800}, {390, 844}}) {
        try (Chromium c = new Chromium("Signer " + lang, size[0], size[1])) {
          String where = lang + " " + size[0];
          // ?lang= chooses the interface's language and is remembered for the pages after.
          c.driver.get(origin() + "/p/" + m.id() + "?lang=" + lang);
          c.until("the count", d -> "3".equals(c.driver.findElement(By.id("sign-count")).getAttribute("data-confirmed")));
          c.until("the form", d -> c.driver.findElement(By.id("sign-form")).isDisplayed());
          c.js("document.getElementById('sign-form').requestSubmit()");
          c.until("the errors", d -> c.driver.findElement(By.id("sign-name-error")).isDisplayed());
          assertEquals(I18n.format(lang, "signing.error.nameRequired"),
              c.driver.findElement(By.id("sign-name-error")).getText(), where);
          assertEquals(I18n.format(lang, "signing.error.countryRequired"),
              c.driver.findElement(By.id("sign-country-error")).getText(), where);
          assertEquals("true", c.driver.findElement(By.id("sign-name")).getAttribute("aria-invalid"));
          c.driver.findElement(By.id("sign-name")).sendKeys("Amal Haddad");
          String preview = c.driver.findElement(By.id("sign-initials-preview")).getText();
          assertEquals(I18n.format(lang, "signing.form.initialsPreview", "initials", "\u2068A. H.\u2069"), preview, where);
          problems.addAll(Axe.problems(c, "sign form with errors " + where, lang, ui[1]));

          // A kiosk opened from an old or mistyped link says so at once, in the interface's language.
          c.driver.get(origin() + "/p/" + m.id() + "/kiosk#key=" + kioskKey + "x");
          c.until("the refusal", d -> c.driver.findElement(By.id("sign-closed")).isDisplayed());
          assertEquals(I18n.format(lang, "signing.refused.kioskKey"), c.driver.findElement(By.id("sign-closed")).getText(), where);
          assertEquals(lang, c.js("return document.documentElement.lang"), where);
          c.fullScreenshot("kiosk-wrong-link-" + lang + "-" + size[0] + ".png");
          problems.addAll(Axe.problems(c, "kiosk with a wrong link " + where, lang, ui[1]));

          // The server's pages without JavaScript: the form, the form with its errors, the withdraw question.
          c.driver.get(origin() + "/p/" + m.id() + "/sign");
          assertEquals(I18n.format(lang, "signing.page.submit"),
              c.driver.findElement(By.cssSelector("form[method=post] button[type=submit]")).getText());
          problems.addAll(Axe.problems(c, "no-script form " + where, lang, ui[1]));
          c.js("const f = document.querySelector('form[method=post]'); f.noValidate = true; f.submit();");
          c.until("the errors", d -> !d.findElements(By.id("name-error")).isEmpty());
          assertEquals(I18n.format(lang, "signing.error.nameRequired"), c.driver.findElement(By.id("name-error")).getText());
          problems.addAll(Axe.problems(c, "no-script form with errors " + where, lang, ui[1]));
          c.driver.get(origin() + "/api/signatures/withdraw?token=not-a-real-link");
          c.until("the question", d -> !d.findElements(By.cssSelector("form[method=post] button")).isEmpty());
          problems.addAll(Axe.problems(c, "withdraw question " + where, lang, ui[1]));

          c.driver.get(origin() + "/m/" + m.id() + "/admin#token=" + m.admin());
          c.joinIfAsked();
          c.until("the Signing button", d -> c.driver.findElement(By.id("signing-toggle")).isDisplayed());
          c.driver.findElement(By.id("signing-toggle")).click();
          c.until("the count", d -> "3".equals(c.driver.findElement(By.id("admin-count")).getAttribute("data-confirmed")));
          assertEquals(I18n.format(lang, "signing.count", "n", 3), c.driver.findElement(By.id("admin-count")).getText(), where);
          assertEquals(I18n.format(lang, "signing.panel.settings"),
              c.driver.findElement(By.id("signing-settings-heading")).getText(), where);
          c.until("the count by language", d -> c.driver.findElements(By.cssSelector("#chart-language li")).size() == 2);
          String byLanguage = c.driver.findElement(By.id("chart-language")).getText();
          assertTrue(byLanguage.contains("ar".equals(lang) ? "العربية" : "Arabic"), byLanguage);
          // A refused setting is said by the field's label, never in the server's English.
          c.js("const g = document.getElementById('set-goal'); g.removeAttribute('min'); g.value = '-5';");
          c.driver.findElement(By.id("signing-save")).click();
          c.until("the error", d -> c.driver.findElement(By.id("signing-error")).isDisplayed());
          String error = c.driver.findElement(By.id("signing-error")).getText();
          assertTrue(error.contains(I18n.format(lang, "signing.panel.goal")), error);
          assertEquals("true", c.driver.findElement(By.id("set-goal")).getAttribute("aria-invalid"));
          problems.addAll(Axe.problems(c, "signing panel " + where, lang, ui[1]));

          if (size[0] == 390) { // last round for this manifesto: erase one signature by its id from the export
            String id = api.sqlValue("SELECT id FROM signatures WHERE manifesto_id = '" + m.id() + "' AND name = 'Jonas Weber'");
            c.driver.findElement(By.id("erase-email")).sendKeys(id);
            c.driver.findElement(By.id("erase-form")).findElement(By.cssSelector("button[type=submit]")).click();
            c.until("erased", d -> I18n.format(lang, "signing.panel.erased").equals(
                c.driver.findElement(By.id("signing-status")).getAttribute("textContent")));
            assertEquals(null, api.sqlValue("SELECT name FROM signatures WHERE id = " + id), "that signature's name is gone");
            assertEquals("أمل حداد", api.sqlValue("SELECT name FROM signatures WHERE manifesto_id = '" + m.id()
                + "' AND country = 'SY'"), "and only that one");
          }
        }
      }
    }
    assertTrue(problems.isEmpty(), "found:\n" + String.join("\n", problems));
  }
}
