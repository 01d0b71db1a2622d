package org.convene.signing;

import org.convene.common.ClientAddress;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import org.convene.common.ApiError;
import org.convene.common.Config;
import org.convene.common.Json;

/**
 * The no-JavaScript path: {@code GET /p/{id}/sign} renders the form with a CSRF token (also set as
 * a cookie), and a form post to the signatures endpoint is answered with a page (docs/signing.md).
 */
final class FormPost {
  private final Signing signing;
  private final Csrf csrf;
  private final boolean secure;
  private final boolean trustProxy;

  FormPost(Signing signing, Csrf csrf, Config config) {
    this.signing = signing;
    this.csrf = csrf;
    this.secure = config.publicUrl().startsWith("https:");
    this.trustProxy = config.trustProxy();
  }

  void page(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    signing.context(id).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, ar.cause(), id);
        return;
      }
      SigningRepository.Context m = ar.result();
      if (m.version() == null) {
        html(ctx, 409, Pages.message("Not open yet", "Not open for signing yet",
            "Signing opens when the first version is published.", null));
      } else if (!m.settings().accepting(java.time.Instant.now())) {
        html(ctx, 200, Pages.message("Signing closed", m.title(), "Signing is closed for this manifesto.", id));
      } else {
        html(ctx, 200, Pages.form(m, issue(ctx, id), null, null, null));
      }
    });
  }

  void post(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    var form = ctx.request().formAttributes();
    Cookie cookie = ctx.request().getCookie(Csrf.COOKIE);
    long now = System.currentTimeMillis() / 1000;
    if (!csrf.valid(id, form.get(Csrf.FIELD), cookie == null ? null : cookie.getValue(), now)) {
      signing.context(id).onComplete(ar -> {
        if (ar.failed() || ar.result().version() == null) {
          error(ctx, ar.failed() ? ar.cause() : ApiError.of(409, "nothing is published yet"), id);
        } else {
          html(ctx, 403, Pages.form(ar.result(), issue(ctx, id), form, null,
              "This form had expired (or came from elsewhere). Check your details and send it again."));
        }
      });
      return;
    }
    String ip = ClientAddress.address(ctx, trustProxy);
    Signing.Request request = new Signing.Request(id,
        c -> Signer.fromForm(form, c.settings().requireEmail(), c.language()), ip, null);
    signing.sign(request).onComplete(ar -> {
      if (ar.succeeded()) {
        Signing.Outcome o = ar.result();
        html(ctx, o.confirmed() ? 201 : 202, o.confirmed()
            ? Pages.message("Signed", "Thank you", "Your signature counts.", id)
            : Pages.message("Check your mailbox", "One more step",
                "We sent you an email: follow its link to confirm your signature. It counts once confirmed.", id));
      } else if (ar.cause() instanceof Signer.Invalid e) {
        signing.context(id).onComplete(c -> {
          if (c.failed()) {
            error(ctx, c.cause(), id);
          } else {
            html(ctx, 400, Pages.form(c.result(), issue(ctx, id), form, e.fields, "Some fields need another look."));
          }
        });
      } else {
        error(ctx, ar.cause(), id);
      }
    });
  }

  /** A fresh token, set as the cookie and returned for the form's hidden field. */
  private String issue(RoutingContext ctx, String id) {
    String token = csrf.issue(id, System.currentTimeMillis() / 1000);
    ctx.response().addCookie(Cookie.cookie(Csrf.COOKIE, token).setPath("/api/manifestos/" + id + "/signatures")
        .setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setMaxAge(Csrf.LIFETIME_SECONDS).setSecure(secure));
    return token;
  }

  /** A browser following a link from its mail, rather than a script: it asks for HTML. */
  static boolean wantsHtml(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/html");
  }

  /** The answer to a link in the mail, as a page. */
  static void answer(RoutingContext ctx, Future<String> done, String title, String text, String failed) {
    done.onComplete(ar -> {
      if (ar.succeeded()) {
        html(ctx, 200, Pages.message(title, title, text, null));
      } else {
        ApiError e = Json.error(ar.cause());
        html(ctx, e.status(), Pages.message(failed, failed, e.getMessage(), null));
      }
    });
  }

  private static void error(RoutingContext ctx, Throwable cause, String id) {
    if (cause instanceof RateLimited r) {
      ctx.response().putHeader("Retry-After", Long.toString(r.retryAfterSeconds));
      html(ctx, 429, Pages.message("Please wait", "Please wait", r.getMessage(), id));
      return;
    }
    ApiError e = Json.error(cause);
    html(ctx, e.status(), Pages.message("Not signed", "Not signed", e.getMessage(), e.status() == 404 ? null : id));
  }

  private static void html(RoutingContext ctx, int status, String page) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Cache-Control", "no-store").end(page);
    }
  }
}
