package org.convene.common;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The web app's pages as the reader asked for them: build.mjs renders each page in each interface
 * language (webroot/&lt;tag&gt;/&lt;page&gt;), and this picks one per request (docs/i18n.md).
 */
public final class UiPage {
  private UiPage() {}

  /**
   * The interface language of this request: {@code ?lang=} (remembered in a cookie for the next
   * pages, so a choice made without JavaScript sticks), the cookie, then {@code Accept-Language}.
   */
  public static String language(RoutingContext ctx) {
    // The query only: a route's own :lang (a translation's language) is not the interface's.
    String explicit = ctx.queryParams().get("lang");
    Cookie cookie = ctx.request().getCookie(I18n.COOKIE);
    String lang = I18n.negotiate(explicit, cookie == null ? null : cookie.getValue(),
        ctx.request().getHeader(HttpHeaders.ACCEPT_LANGUAGE));
    if (I18n.supported(explicit)) {
      ctx.response().addCookie(Cookie.cookie(I18n.COOKIE, explicit).setPath("/").setMaxAge(365L * 24 * 3600)
          .setSameSite(CookieSameSite.LAX));
    }
    return lang;
  }

  /** The page (a file name such as {@code editor.html}) in the request's language, with 200. */
  public static void send(RoutingContext ctx, String page) {
    send(ctx, page, 200);
  }

  public static void send(RoutingContext ctx, String page, int status) {
    String lang = language(ctx);
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Content-Language", lang)
        .putHeader("Vary", "Accept-Language, Cookie")
        .putHeader("Cache-Control", "no-cache")
        .sendFile("webroot/" + lang + "/" + page)
        .onFailure(err -> {
          if (!ctx.response().headWritten()) {
            ctx.response().headers().remove("Content-Language");
            ApiError.of(404, "page missing: the web app was not built (run npm run build in web/)").send(ctx);
          }
        });
  }
}
