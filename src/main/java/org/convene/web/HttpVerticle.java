package org.convene.web;

import org.convene.common.Bearer;
import org.convene.common.Json;
import org.convene.common.ApiError;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.convene.common.Config;
import org.convene.common.Metrics;
import org.convene.collab.BridgeGate;
import org.convene.editions.EditionsApi;
import org.convene.manifesto.ManifestoApi;
import org.convene.manifesto.ManifestoRepository;
import org.convene.signing.SigningApi;
import org.convene.common.Tokens;
import org.convene.versions.VersionsApi;

/** The HTTP face: pages, REST, health and the event-bus bridge. Deployed once per core. */
public final class HttpVerticle extends VerticleBase {
  /** A WebSocket message may carry the largest operation in its JSON form (6 bytes per escaped unit). */
  static final int MAX_WS_MESSAGE = Config.MAX_MESSAGE_BYTES;
  /** A manifesto's text in UTF-8 (at most 3 bytes per UTF-16 unit for a full document) plus JSON. */
  static final long MAX_API_BODY = 4L << 20;
  private static final String CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; "
      + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Config config;
  private final Pool pool;
  private final Tokens tokens;
  private final Metrics metrics;
  private HttpServer server;
  private Router router;
  private SigningApi signing;

  public HttpVerticle(Config config, Pool pool, Tokens tokens, Metrics metrics) {
    this.config = config;
    this.pool = pool;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    this.router = router;
    router.route().handler(RequestLog::handle);
    router.route().handler(HttpVerticle::securityHeaders);
    router.get("/health").handler(this::health);
    MetricsEndpoint.mount(router, config.metrics(), metrics);

    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_API_BODY));
    new ManifestoApi(new ManifestoRepository(pool), new Bearer(tokens), vertx, config).mount(router);
    new VersionsApi(vertx, pool, new Bearer(tokens)).mount(router);
    new EditionsApi(vertx, pool, new Bearer(tokens), config.publicUrl()).mount(router);
    (signing = new SigningApi(vertx, pool, new Bearer(tokens), config)).mount(router);
    new org.convene.translations.TranslationsApi(vertx, pool, new Bearer(tokens)).mount(router);
    router.route("/api/*").handler(ctx -> ApiError.of(404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()).send(ctx));

    // XHR transports post their frames; a BodyHandler on the WebSocket upgrade (a GET) would break it.
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(MAX_WS_MESSAGE));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, new SockJSHandlerOptions().setRegisterWriteHandler(false))
        .bridge(BridgeGate.bridgeOptions(), new BridgeGate(vertx.eventBus(), tokens, config.limits())));

    StaticHandler assets = StaticHandler.create("webroot/assets").setCachingEnabled(true).setIncludeHidden(false);
    // Asset names are fixed, so browsers must revalidate (Last-Modified) rather than keep them a day.
    router.get("/assets/*").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-cache");
      ctx.next();
    }).handler(assets);
    router.get("/").handler(ctx -> page(ctx, "webroot/index.html"));
    router.get("/p/:id").handler(HttpVerticle::publicPage);
    router.get("/p/:id/kiosk").handler(ctx -> page(ctx, "webroot/kiosk.html"));
    router.get("/m/:id/:mode").handler(ctx -> {
      String mode = ctx.pathParam("mode");
      if (mode.equals("edit") || mode.equals("view") || mode.equals("admin")) {
        page(ctx, "webroot/editor.html");
      } else {
        ctx.next();
      }
    });
    router.route().failureHandler(ctx -> Json.error(ctx.failure() != null ? ctx.failure()
        : ApiError.of(ctx.statusCode() > 0 ? ctx.statusCode() : 500, "request failed")).send(ctx));

    HttpServerOptions options = new HttpServerOptions()
        .setPort(config.port())
        .setMaxWebSocketFrameSize(MAX_WS_MESSAGE) // a client may send a whole message as one frame
        .setMaxWebSocketMessageSize(MAX_WS_MESSAGE)
        .setCompressionSupported(true);
    return vertx.createHttpServer(options).requestHandler(router).listen().onSuccess(s -> server = s);
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** Every route served, in order: the tests walk them all (a token in a query string is never accepted). */
  public List<Route> routes() {
    return router.getRoutes();
  }

  private void health(RoutingContext ctx) {
    pool.query("SELECT 1").execute()
        .timeout(2, TimeUnit.SECONDS)
        .compose(ok -> signing.outboxHealth().timeout(2, TimeUnit.SECONDS).otherwiseEmpty())
        .onComplete(ar -> {
          JsonObject body = ar.succeeded()
              ? new JsonObject().put("status", "ok").put("database", "ok")
              : new JsonObject().put("status", "unavailable")
                  .put("database", "unreachable: " + ar.cause().getMessage());
          if (ar.succeeded() && ar.result() != null) {
            body.put("outbox", ar.result()); // signing's mail: {backlog, oldestSeconds}
          }
          ctx.response().setStatusCode(ar.succeeded() ? 200 : 503)
              .putHeader("Content-Type", "application/json; charset=utf-8")
              .putHeader("Cache-Control", "no-store")
              .end(body.encode());
        });
  }

  /**
   * The public page. Without JavaScript it cannot name its own id, so its sign link is "?sign",
   * which leads to the sign form the server renders (docs/signing.md).
   */
  private static void publicPage(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (ctx.queryParams().contains("sign") && id.matches("[A-Za-z0-9_-]{1,64}")) {
      ctx.response().setStatusCode(303).putHeader("Location", "/p/" + id + "/sign").end();
    } else {
      page(ctx, "webroot/published.html");
    }
  }

  private static void page(RoutingContext ctx, String resource) {
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-cache")
        .sendFile(resource)
        .onFailure(err -> ApiError.of(404, "page missing: the web app was not built (run npm run build in web/)").send(ctx));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Referrer-Policy", "no-referrer")
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Content-Security-Policy", CSP);
    ctx.next();
  }
}
