package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import org.convene.common.ApiError;
import org.convene.common.ClientAddress;
import org.convene.common.Config;
import org.convene.common.I18n;
import org.convene.common.Json;
import org.convene.common.UiPage;

/**
 * The no-JavaScript path, in the reader's interface language: {@code GET /p/{id}/sign} renders the
 * form with a CSRF token (also set as a cookie), a form post to the signatures endpoint is answered
 * with a page, and the links in the mail answer browsers with pages (docs/signing.md).
 */
final class FormPost {
  /** What the withdraw question's CSRF token is bound to (the signature is not known before the post). */
  static final String WITHDRAW_SCOPE = "withdraw";
  static final String WITHDRAW_PATH = "/api/signatures/withdraw";

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
    String lang = UiPage.language(ctx);
    signing.context(id).onComplete(ar -> {
      if (ar.failed()) {
        error(ctx, lang, ar.cause(), id);
        return;
      }
      SigningRepository.Context m = ar.result();
      if (m.version() == null) {
        refused(ctx, lang, 409, "unpublished", m, null);
      } else if (!m.settings().accepting(Instant.now())) {
        refused(ctx, lang, 200, m.settings().open() ? "deadline" : "closed", m, id);
      } else {
        html(ctx, lang, 200, Pages.form(lang, m, issue(ctx, id, signaturesPath(id)), null, null, null));
      }
    });
  }

  void post(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lang = UiPage.language(ctx);
    var form = ctx.request().formAttributes();
    if (!validToken(ctx, id, form.get(Csrf.FIELD))) {
      signing.context(id).onComplete(ar -> {
        if (ar.failed() || ar.result().version() == null) {
          error(ctx, lang, ar.failed() ? ar.cause() : new Refusal(409, "unpublished", "nothing is published yet"), id);
        } else {
          html(ctx, lang, 403, Pages.form(lang, ar.result(), issue(ctx, id, signaturesPath(id)), form, null,
              I18n.format(lang, "signing.page.expired")));
        }
      });
      return;
    }
    // What the API document found wrong with the form, left for this page (after the token's check).
    ApiError found = ctx.get(ApiError.FORM_FINDINGS);
    if (found != null) {
      invalid(ctx, lang, id, form, found);
      return;
    }
    String ip = ClientAddress.address(ctx, trustProxy);
    Signing.Request request = new Signing.Request(id,
        c -> Signer.fromForm(form, c.settings().requireEmail(), c.language()), ip, null, lang);
    signing.sign(request).onComplete(ar -> {
      if (ar.succeeded()) {
        boolean confirmed = ar.result().confirmed();
        html(ctx, lang, confirmed ? 201 : 202, confirmed
            ? page(lang, "signing.page.thanksTitle", "signing.page.thanksText", id)
            : page(lang, "signing.page.pendingTitle", "signing.page.pendingText", id));
      } else if (ar.cause() instanceof ApiError e && e.reasons() != null) {
        invalid(ctx, lang, id, form, e);
      } else {
        error(ctx, lang, ar.cause(), id);
      }
    });
  }

  /** The form again, as sent, each field's problem beside it in the reader's language (from its reason). */
  private void invalid(RoutingContext ctx, String lang, String id, io.vertx.core.MultiMap form, ApiError e) {
    signing.context(id).onComplete(c -> {
      if (c.failed()) {
        error(ctx, lang, c.cause(), id);
      } else if (c.result().version() == null) {
        error(ctx, lang, new Refusal(409, "unpublished", "nothing is published yet"), id);
      } else {
        html(ctx, lang, 400, Pages.form(lang, c.result(), issue(ctx, id, signaturesPath(id)), form, e.reasons(),
            I18n.format(lang, "signing.page.fixErrors")));
      }
    });
  }

  /** A browser following a confirmation link: a page saying what happened. */
  void confirmed(RoutingContext ctx, Future<String> done) {
    String lang = UiPage.language(ctx);
    String token = ctx.queryParams().get("token");
    Pages.Switch again = new Pages.Switch("/api/signatures/confirm", token == null ? java.util.Map.of()
        : java.util.Map.of("token", token));
    done.onComplete(ar -> {
      if (ar.succeeded()) {
        html(ctx, lang, 200, Pages.message(lang, I18n.format(lang, "signing.page.confirmedTitle"),
            I18n.format(lang, "signing.page.confirmedText"), ar.result(), again));
      } else {
        int status = ar.cause() instanceof Refusal r ? r.status : Json.error(ar.cause()).status();
        html(ctx, lang, status, Pages.message(lang, I18n.format(lang, "signing.page.notConfirmedTitle"),
            linkProblem(lang, ar.cause()), null, again));
      }
    });
  }

  /** GET of a withdraw link from a browser: the question, with a button that posts. Nothing changes. */
  void withdrawQuestion(RoutingContext ctx) {
    String lang = UiPage.language(ctx);
    String token = ctx.queryParams().get("token");
    if (token == null || token.isEmpty() || token.length() > 100) {
      html(ctx, lang, 400, Pages.message(lang, I18n.format(lang, "signing.page.notWithdrawnTitle"),
          I18n.format(lang, "signing.page.unknownLink"), null, Pages.Switch.to(WITHDRAW_PATH)));
      return;
    }
    html(ctx, lang, 200, Pages.withdrawQuestion(lang, token, issue(ctx, WITHDRAW_SCOPE, WITHDRAW_PATH), null));
  }

  /** The withdraw question's form post: with its token it withdraws, without it the question comes back. */
  void withdrawPost(RoutingContext ctx) {
    String lang = UiPage.language(ctx);
    String token = ctx.queryParams().get("token");
    if (!validToken(ctx, WITHDRAW_SCOPE, ctx.request().formAttributes().get(Csrf.FIELD))) {
      html(ctx, lang, 403, Pages.withdrawQuestion(lang, token == null ? "" : token,
          issue(ctx, WITHDRAW_SCOPE, WITHDRAW_PATH), I18n.format(lang, "signing.page.expired")));
      return;
    }
    signing.withdraw(token).onComplete(ar -> {
      Pages.Switch to = new Pages.Switch(WITHDRAW_PATH, token == null ? java.util.Map.of() : java.util.Map.of("token", token));
      if (ar.succeeded()) {
        html(ctx, lang, 200, Pages.message(lang, I18n.format(lang, "signing.page.withdrawnTitle"),
            I18n.format(lang, "signing.page.withdrawnText"), ar.result(), to));
      } else {
        int status = ar.cause() instanceof Refusal r ? r.status : Json.error(ar.cause()).status();
        html(ctx, lang, status, Pages.message(lang, I18n.format(lang, "signing.page.notWithdrawnTitle"),
            linkProblem(lang, ar.cause()), null, to));
      }
    });
  }

  private boolean validToken(RoutingContext ctx, String scope, String field) {
    Cookie cookie = ctx.request().getCookie(Csrf.COOKIE);
    return csrf.valid(scope, field, cookie == null ? null : cookie.getValue(), System.currentTimeMillis() / 1000);
  }

  private static String signaturesPath(String id) {
    return "/api/manifestos/" + id + "/signatures";
  }

  /** A fresh token, set as the cookie (for the path the form posts to) and returned for the form's hidden field. */
  private String issue(RoutingContext ctx, String scope, String path) {
    String token = csrf.issue(scope, System.currentTimeMillis() / 1000);
    ctx.response().addCookie(Cookie.cookie(Csrf.COOKIE, token).setPath(path)
        .setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setMaxAge(Csrf.LIFETIME_SECONDS).setSecure(secure));
    return token;
  }

  /** A browser following a link from its mail, rather than a script: it asks for HTML. */
  static boolean wantsHtml(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    return accept != null && accept.contains("text/html");
  }

  /** Why a link in the mail did not work, in words. */
  private static String linkProblem(String lang, Throwable cause) {
    String reason = cause instanceof Refusal r ? r.reason : "unknown_link";
    return switch (reason) {
      case "expired" -> I18n.format(lang, "signing.page.expiredLink");
      case "withdrawn" -> I18n.format(lang, "signing.page.withdrawnLink");
      case "unknown_link" -> I18n.format(lang, "signing.page.unknownLink");
      default -> I18n.format(lang, "common.serverError");
    };
  }

  private static String page(String lang, String title, String text, String id) {
    return Pages.message(lang, I18n.format(lang, title), I18n.format(lang, text), id, Pages.Switch.to("/p/" + id));
  }

  private void refused(RoutingContext ctx, String lang, int status, String reason, SigningRepository.Context m,
      String back) {
    String words = switch (reason) {
      case "unpublished" -> I18n.format(lang, "signing.page.unpublished");
      case "republished" -> I18n.format(lang, "signing.refused.republished");
      case "deadline" -> I18n.format(lang, "signing.page.deadline", "deadline",
          Date.from(m.settings().deadline() == null ? Instant.now() : m.settings().deadline()));
      case "kiosk_key" -> I18n.format(lang, "signing.page.kioskKey");
      default -> I18n.format(lang, "signing.page.closed");
    };
    html(ctx, lang, status, Pages.message(lang, m.title(), words, back, Pages.Switch.to("/p/" + m.id() + "/sign")));
  }

  private void error(RoutingContext ctx, String lang, Throwable cause, String id) {
    Pages.Switch to = Pages.Switch.to("/p/" + id);
    if (cause instanceof RateLimited r) {
      ctx.response().putHeader("Retry-After", Long.toString(r.retryAfterSeconds));
      html(ctx, lang, 429, Pages.message(lang, I18n.format(lang, "signing.page.waitTitle"),
          I18n.format(lang, "signing.page.wait", "minutes", Math.max(1, (r.retryAfterSeconds + 59) / 60)), id, to));
      return;
    }
    if (cause instanceof Refusal r) {
      signing.context(id).onComplete(c -> {
        if (c.succeeded()) {
          refused(ctx, lang, r.status, r.reason, c.result(), id);
        } else {
          error(ctx, lang, c.cause(), id);
        }
      });
      return;
    }
    ApiError e = Json.error(cause);
    boolean missing = e.status() == 404;
    html(ctx, lang, e.status(), Pages.message(lang, I18n.format(lang, "signing.page.notSignedTitle"),
        I18n.format(lang, missing ? "signing.page.noManifesto" : "common.serverError"), missing ? null : id,
        missing ? Pages.Switch.to("/") : to));
  }

  private static void html(RoutingContext ctx, String lang, int status, String page) {
    if (!ctx.response().ended()) {
      ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Content-Language", lang).putHeader("Vary", "Accept-Language, Cookie")
          .putHeader("Cache-Control", "no-store").end(page);
    }
  }
}
