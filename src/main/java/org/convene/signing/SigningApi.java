package org.convene.signing;

import org.convene.common.ClientAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.function.Supplier;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Config;
import org.convene.common.Futures;
import org.convene.common.Json;
import org.convene.common.Role;
import org.convene.common.UiPage;

/**
 * Signing's HTTP face (docs/signing.md): the public endpoints of the contract's "Signatures" table
 * and the organisers' ones. Its worker (the mail, the live count), one per process, is deployed by
 * the wiring ({@link #worker}).
 */
public final class SigningApi {
  static final String BASE = "/api/manifestos/:id";

  private final Vertx vertx;
  private final SigningRepository repository;
  private final Bearer bearer;
  private final Config config;
  private final Shared shared;
  private final Signing signing;
  private final FormPost forms;

  public SigningApi(Vertx vertx, Pool pool, Bearer bearer, Config config) {
    this.vertx = vertx;
    this.repository = new SigningRepository(pool);
    this.bearer = bearer;
    this.config = config;
    this.shared = Shared.of(vertx);
    this.signing = new Signing(repository, shared, new Messages(config.publicUrl()), config.signing());
    this.forms = new FormPost(signing, shared.csrf, config);
  }

  /**
   * Signing's background work, one per process (the wiring deploys it once): the outbox's mail,
   * the live counts, the purge of old IP addresses.
   */
  public static io.vertx.core.Deployable worker(Vertx vertx, Config config) {
    return new SigningWorker(Shared.of(vertx), config);
  }

  public void mount(Router router) {
    router.post(BASE + "/signatures").handler(this::sign);
    router.get("/p/:id/sign").handler(ctx -> forms.page(ctx));
    router.get("/api/signatures/confirm").handler(this::confirm);
    router.get(FormPost.WITHDRAW_PATH).handler(this::withdrawQuestion);
    router.post(FormPost.WITHDRAW_PATH).handler(this::withdraw);
    router.get(BASE + "/signatures/count").handler(this::count);
    router.get(BASE + "/signatures").handler(ctx -> reply(ctx, () -> list(ctx), 200));
    router.get(BASE + "/signing").handler(ctx -> reply(ctx, () -> settings(ctx), 200));
    router.put(BASE + "/signing").handler(ctx -> reply(ctx, () -> saveSettings(ctx), 200));
    new OrganiserApi(repository, bearer, shared).mount(router);
  }

  /** {backlog, oldestSeconds} of the mail outbox, for /health. */
  public Future<JsonObject> outboxHealth() {
    return repository.backlog();
  }

  private void sign(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      forms.post(ctx); // the HTML form of the no-JavaScript path, answered with a page
      return;
    }
    String id = ctx.pathParam("id");
    String ip = ClientAddress.address(ctx, config.trustProxy());
    String kioskKey = ctx.request().getHeader("X-Kiosk-Key");
    JsonObject body;
    try {
      body = Json.body(ctx); // its shape checked by the API document (web/ApiDocument), the rest by Signer
    } catch (ApiError e) {
      e.send(ctx);
      return;
    }
    Signing.Request request = new Signing.Request(id,
        c -> Signer.fromJson(body, c.settings().requireEmail() && kioskKey == null, c.language()), ip, kioskKey,
        UiPage.language(ctx));
    Futures.attempt(() -> signing.sign(request)).onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      if (ar.succeeded()) { // the answer every signer gets, encoded once
        ctx.response().setStatusCode(ar.result().confirmed() ? 201 : 202).putHeader("Content-Type", JSON)
            .end(ar.result().encoded());
      } else {
        reply(ctx, () -> Future.failedFuture(ar.cause()), -1);
      }
    });
  }

  private static final String JSON = "application/json; charset=utf-8";

  private void confirm(RoutingContext ctx) {
    Future<String> done = signing.confirm(ctx.queryParams().get("token"));
    if (FormPost.wantsHtml(ctx)) {
      forms.confirmed(ctx, done);
    } else {
      reply(ctx, () -> done.map(id -> new JsonObject().put("status", "confirmed")), 200);
    }
  }

  /**
   * A browser's GET of a withdraw link changes nothing: people and mail scanners follow the mail's
   * links as browsers, so they get the question with a button that posts. A script's GET withdraws,
   * as the contract says ({@code {status:"withdrawn"}}): the link's token is the secret.
   */
  private void withdrawQuestion(RoutingContext ctx) {
    if (FormPost.wantsHtml(ctx)) {
      forms.withdrawQuestion(ctx);
    } else {
      reply(ctx, () -> signing.withdraw(ctx.queryParams().get("token")).map(id -> new JsonObject().put("status", "withdrawn")), 200);
    }
  }

  /** POST: the question's form (with its CSRF token) answered with a page, or a script's POST with JSON. */
  private void withdraw(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      forms.withdrawPost(ctx);
      return;
    }
    reply(ctx, () -> signing.withdraw(ctx.queryParams().get("token")).map(id -> new JsonObject().put("status", "withdrawn")), 200);
  }

  /** Public and cacheable: a second's max-age, and a weak ETag of the count (304 when it matches). */
  private void count(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    shared.counts.current(repository, id).onComplete(ar -> {
      if (ar.failed()) {
        Json.error(ar.cause()).send(ctx);
        return;
      }
      LiveCount.Snapshot s = ar.result();
      if (s == null) {
        ApiError.of(404, "no manifesto " + id).send(ctx);
        return;
      }
      ctx.response().putHeader("Cache-Control", "public, max-age=1").putHeader("ETag", s.etag());
      String match = ctx.request().getHeader("If-None-Match");
      if (match != null && (match.equals(s.etag()) || match.equals(s.etag().substring(2)))) {
        ctx.response().setStatusCode(304).end();
        return;
      }
      ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(s.body().encode());
    });
  }

  private Future<Object> list(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int page = intParam(ctx, "page", 0);
    int size = intParam(ctx, "size", 20);
    return signing.context(id).compose(c -> repository.publicList(id, page, size)).map(list -> {
      ctx.response().putHeader("Cache-Control", "public, max-age=5");
      return list;
    });
  }

  /** Public: what the page needs (open, deadline, goal, requireEmail); an admin token shows everything. */
  private Future<JsonObject> settings(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    boolean admin = ctx.request().getHeader("Authorization") != null;
    String kioskKey = ctx.request().getHeader("X-Kiosk-Key");
    return (admin ? bearer.require(ctx, id, Role.ADMIN).mapEmpty() : Future.succeededFuture())
        .compose(v -> signing.context(id))
        .map(c -> admin ? c.settings().adminJson() : kioskKey == null ? c.settings().publicJson()
            // the kiosk page asks as it opens, so a wrong link is known before anyone has typed
            : c.settings().publicJson().put("kioskKey", c.settings().kioskKeyMatches(kioskKey) ? "valid" : "invalid"));
  }

  private Future<JsonObject> saveSettings(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).compose(g -> signing.context(id)).compose(c -> {
      Settings next = c.settings().merge(Json.body(ctx));
      return repository.saveSettings(id, next).map(v -> {
        shared.contexts.invalidate(id); // before answering: the next signature sees the new settings
        shared.counts.changed(id); // the goal is part of the live count
        return next.adminJson();
      });
    });
  }

  /** A query's whole number, its range checked by the API document; {@code fallback} when left out. */
  static int intParam(RoutingContext ctx, String name, int fallback) {
    String raw = ctx.queryParams().get(name);
    return raw == null || raw.isEmpty() ? fallback : Integer.parseInt(raw);
  }

  /**
   * Writes a handler's result as JSON with {@code status} (-1: the status the handler set), or its
   * failure in the contract's form; a rate limit gets its own Retry-After.
   */
  static void reply(RoutingContext ctx, Supplier<Future<?>> work, int status) {
    Futures.attempt(work::get).onComplete(ar -> {
      if (ctx.response().ended()) {
        return;
      }
      if (ar.succeeded()) {
        if (status > 0) {
          ctx.response().setStatusCode(status);
        }
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
            .end(io.vertx.core.json.Json.encode(ar.result()));
      } else if (ar.cause() instanceof Refusal r) {
        ctx.response().setStatusCode(r.status).putHeader("Content-Type", "application/json; charset=utf-8")
            .end(r.json().encode());
      } else if (ar.cause() instanceof RateLimited r) {
        ctx.response().setStatusCode(429).putHeader("Retry-After", Long.toString(r.retryAfterSeconds))
            .putHeader("Content-Type", "application/json; charset=utf-8")
            .end(new JsonObject().put("error", "rate_limited").put("message", r.getMessage())
                .put("reason", r.kiosk ? "kiosk" : "address").encode());
      } else {
        Json.error(ar.cause()).send(ctx);
      }
    });
  }
}
