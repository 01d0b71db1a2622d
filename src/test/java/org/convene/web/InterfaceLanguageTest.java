package org.convene.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.ibm.icu.text.MessageFormat;
import com.ibm.icu.util.ULocale;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.common.I18n;
import org.convene.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The interface's language on the server: the catalogs ICU4J reads are complete, a request gets the
 * page in the language it asked for (explicit choice, remembered, then Accept-Language), with the
 * right lang and dir, and an unknown address gets a real 404 page in that language.
 */
class InterfaceLanguageTest {
  @RegisterExtension
  static final TestServer server = TestServer.perClass();

  static final Pattern HTML_TAG = Pattern.compile("<html[^>]*>");

  @Test
  void everyCatalogHoldsEnglishsKeysAndIcu4jReadsEachMessage() {
    assertTrue(I18n.languages().containsAll(List.of("en", "es", "fr", "ar", "fa", "zh")), I18n.languages().toString());
    Map<String, String> english = I18n.catalog("en");
    List<String> wrong = new ArrayList<>();
    for (String tag : I18n.languages()) {
      Map<String, String> own = org.convene.common.I18nAccess.read(tag);
      for (String key : english.keySet()) {
        if (!own.containsKey(key)) {
          wrong.add(tag + ": no " + key);
        }
      }
      own.forEach((key, pattern) -> {
        if (!english.containsKey(key)) {
          wrong.add(tag + ": " + key + " is not in English");
        }
        try {
          new MessageFormat(pattern, ULocale.forLanguageTag(tag));
        } catch (IllegalArgumentException e) {
          wrong.add(tag + ": " + key + " " + e.getMessage());
        }
      });
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void negotiationPrefersTheChoiceThenTheBrowsersLanguages() {
    assertEquals("fr", I18n.negotiate("fr", "ar", "es"));
    assertEquals("ar", I18n.negotiate("xx", "ar", "es"));
    assertEquals("es", I18n.negotiate(null, "de", "de-CH, es-MX;q=0.8, en;q=0.5"));
    assertEquals("zh", I18n.negotiate(null, null, "zh-TW"));
    assertEquals("fa", I18n.negotiate(null, null, "fa-IR,fa;q=0.9"));
    assertEquals("en", I18n.negotiate(null, null, "de;q=1, ar;q=0"));
    assertEquals("en", I18n.negotiate(null, null, ";;;=="));
    assertEquals("rtl", I18n.direction("fa"));
    assertEquals("ltr", I18n.direction("zh"));
  }

  static HttpResponse<Buffer> get(String path, String acceptLanguage, String cookie) throws Exception {
    HttpRequest<Buffer> request = server.http().get(path);
    if (acceptLanguage != null) {
      request.putHeader("Accept-Language", acceptLanguage);
    }
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return request.send().await(10, TimeUnit.SECONDS);
  }

  static String htmlTag(HttpResponse<Buffer> r) {
    Matcher m = HTML_TAG.matcher(r.bodyAsString());
    assertTrue(m.find(), r.bodyAsString());
    return m.group();
  }

  @Test
  void eachPageIsServedInTheLanguageAskedFor() throws Exception {
    for (String page : List.of("/", "/m/abc/edit", "/p/abc", "/p/abc/kiosk", "/m/abc/translate/fr")) {
      HttpResponse<Buffer> ar = get(page, "ar-EG,ar;q=0.9,en;q=0.5", null);
      assertEquals(200, ar.statusCode(), page);
      assertEquals("ar", ar.getHeader("Content-Language"), page);
      assertTrue(htmlTag(ar).contains("lang=\"ar\"") && htmlTag(ar).contains("dir=\"rtl\""), page + " " + htmlTag(ar));
      assertTrue(ar.getHeader("Vary").contains("Accept-Language"), page);

      HttpResponse<Buffer> chosen = get(page, "ar", "lang=fr");
      assertTrue(htmlTag(chosen).contains("lang=\"fr\"") && htmlTag(chosen).contains("dir=\"ltr\""), page);
    }
    // The translator's view is about a translation into French; its interface stays the reader's.
    assertTrue(htmlTag(get("/m/abc/translate/fr", "fa", null)).contains("lang=\"fa\""));
  }

  @Test
  void aChoiceMadeWithoutJavaScriptIsRemembered() throws Exception {
    HttpResponse<Buffer> r = get("/?lang=es", "ar", null);
    assertTrue(htmlTag(r).contains("lang=\"es\""), htmlTag(r));
    String cookie = r.cookies().stream().filter(c -> c.startsWith("lang=")).findFirst().orElse(null);
    assertNotNull(cookie, "Set-Cookie lang");
    assertTrue(cookie.startsWith("lang=es;") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), cookie);

    HttpResponse<Buffer> unknown = get("/?lang=xx", "fa", null);
    assertTrue(htmlTag(unknown).contains("lang=\"fa\""), "an unknown choice is no choice");
    assertTrue(unknown.cookies().stream().noneMatch(c -> c.startsWith("lang=")));
  }

  @Test
  void anUnknownAddressGetsAPageInTheReadersLanguageAndApiAddressesKeepJson() throws Exception {
    HttpResponse<Buffer> page = get("/no/such/page", "fr-CA", null);
    assertEquals(404, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(page.bodyAsString().contains(I18n.format("fr", "notFound.title")), page.bodyAsString());
    assertTrue(htmlTag(page).contains("lang=\"fr\""));

    HttpResponse<Buffer> api = get("/api/no/such", "fr", null);
    assertEquals(404, api.statusCode());
    assertTrue(api.getHeader("Content-Type").startsWith("application/json"), api.getHeader("Content-Type"));
  }
}
