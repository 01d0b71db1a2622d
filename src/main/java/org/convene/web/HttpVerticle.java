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
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.Transport;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.convene.common.Config;
import org.convene.common.Metrics;
import org.convene.collab.BridgeGate;
import org.convene.editions.EditionsApi;
import org.convene.manifesto.ManifestoApi;
import org.convene.manifesto.ManifestoRepository;
import org.convene.signing.SigningApi;
import org.convene.common.Tokens;
import org.convene.common.UiPage;
import org.convene.versions.VersionsApi;

/** The HTTP face: pages, REST, health and the event-bus bridge. Deployed once per core. */
public final class HttpVerticle extends VerticleBase {
  private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(HttpVerticle.class.getName());
  /** A WebSocket message may carry the largest operation in its JSON form (6 bytes per escaped unit). */
  static final int MAX_WS_MESSAGE = Config.MAX_MESSAGE_BYTES;
  /** A manifesto's text in UTF-8 (at most 3 bytes per UTF-16 unit for a full document) plus JSON. */
  static final long MAX_API_BODY = 4L << 20;
  /** How long a stop lets an HTTP request being answered (a PDF, a download) finish. */
  static final long STOP_GRACE_SECONDS = 3;
  private static final String CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
      + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

  private final Config config;
  private final Pool pool;
  private final Tokens tokens;
  private final Metrics metrics;
  private HttpServer server;
  private Router router;
  private SigningApi signing;
  private BridgeGate gate;
  private final AtomicBoolean stopping;

  /** @param stopping set when the server's stop begins: the bridge refuses every frame from then */
  public HttpVerticle(Config config, Pool pool, Tokens tokens, Metrics metrics, AtomicBoolean stopping) {
    this.config = config;
    this.stopping = stopping;
    this.pool = pool;
    this.tokens = tokens;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    this.router = router;
    router.route().handler(RequestLog::handle);
    SlowClients slow = new SlowClients(vertx, config.exposure(), metrics);
    router.route().handler(slow::arrived);
    router.route().handler(HttpVerticle::securityHeaders);
    router.route().handler(HttpVerticle::checkUri);
    router.get("/health").handler(this::health);
    MetricsEndpoint.mount(router, config.metrics(), metrics, () -> signing.outboxHealth());

    // Only methods with a body: Vert.x's BodyHandler throws on a GET that declares a form body.
    router.route("/api/*").method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH).method(HttpMethod.DELETE)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_API_BODY));
    // The API's description, and every request it describes checked against it before the handlers below.
    ApiDocument api = ApiDocument.load(vertx);
    router.get("/api/openapi.json").handler(api::serve);
    router.route("/api/*").handler(api::validate);
    new ManifestoApi(new ManifestoRepository(pool), new Bearer(tokens), vertx, config).mount(router);
    new VersionsApi(vertx, pool, new Bearer(tokens)).mount(router);
    new EditionsApi(vertx, pool, new Bearer(tokens), config.publicUrl()).mount(router);
    new org.convene.editions.PublicQr(vertx, pool, config.publicUrl()).mount(router);
    (signing = new SigningApi(vertx, pool, new Bearer(tokens), config)).mount(router);
    new org.convene.translations.TranslationsApi(vertx, pool, new Bearer(tokens)).mount(router);
    router.route("/api/*").handler(ctx -> ApiDocument.noSuchEndpoint(ctx).send(ctx));

    CorsHandler cors = origins(config.exposure());
    router.route("/eventbus/*").handler(ctx -> {
      if (sameOrigin(ctx)) {
        ctx.next(); // a page this server served, whatever name it was reached by
      } else {
        cors.handle(ctx);
      }
    });
    // XHR transports post their frames; a BodyHandler on the WebSocket upgrade (a GET) would break it.
    router.post("/eventbus/*").handler(BodyHandler.create(false).setBodyLimit(MAX_WS_MESSAGE));
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx, sockJsOptions())
        .bridge(BridgeGate.bridgeOptions(), gate = new BridgeGate(vertx.eventBus(), tokens, config.limits(), metrics, stopping)));

    StaticHandler assets = StaticHandler.create("webroot/assets").setCachingEnabled(true).setIncludeHidden(false);
    // Asset names are fixed, so browsers must revalidate (Last-Modified) rather than keep them a day.
    router.get("/assets/*").handler(ctx -> {
      ctx.response().putHeader("Cache-Control", "no-cache");
      ctx.next();
    }).handler(assets);
    router.get("/").handler(ctx -> UiPage.send(ctx, "index.html"));
    router.get("/p/:id").handler(HttpVerticle::publicPage);
    router.get("/p/:id/kiosk").handler(ctx -> UiPage.send(ctx, "kiosk.html"));
    router.get("/m/:id/:mode").handler(ctx -> {
      String mode = ctx.pathParam("mode");
      if (mode.equals("edit") || mode.equals("view") || mode.equals("admin")) {
        UiPage.send(ctx, "editor.html");
      } else {
        ctx.next();
      }
    });
    // Any other address a browser opens gets a page saying so, in its language.
    router.get().handler(ctx -> UiPage.send(ctx, "404.html", 404));
    router.route().failureHandler(ctx -> failure(ctx).send(ctx));

    HttpServerOptions options = new HttpServerOptions()
        .setPort(config.port())
        .setIdleTimeout(config.exposure().idleSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        // HTTP/1.1 only (browsers never speak h2c; a TLS proxy in front may speak HTTP/2 to them): with
        // h2c on, Vert.x makes the connection only once the first request's headers are in, so nothing
        // could time a client trickling them (SlowClients).
        .setHttp2ClearTextEnabled(false)
        .setMaxWebSocketFrameSize(MAX_WS_MESSAGE) // a client may send a whole message as one frame
        .setMaxWebSocketMessageSize(MAX_WS_MESSAGE)
        // A WebSocket the server closes (a stop, a message too big) is closed once its close frame is
        // written, not when the client answers it: a stop never waits on clients (BridgeGate.stop).
        .setWebSocketClosingTimeout(0)
        // No WebSocket compression on any path (the raw bridge endpoint, SockJS's WebSocket transport):
        // Netty inflates a whole message before the size limit is checked, so 32 KB on the wire could
        // cost 32 MB and seconds of an event loop. Without an agreed extension a frame with RSV1 set is
        // a protocol error, refused on its header. It also halves live editing's fan-out cost.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false)
        // Responses may be gzipped (we choose what we compress); request bodies are never inflated.
        .setCompressionSupported(true)
        .setDecompressionSupported(false);
    return vertx.createHttpServer(options).connectionHandler(slow::opened).requestHandler(request -> {
      if (!wellEncoded(request.path())) {
        brokenPath(request);
      } else {
        router.handle(request);
      }
    }).listen().onSuccess(s -> server = s);
  }

  /**
   * A path that is not valid percent-encoding ("%zz", a "%" at its end). Vert.x's router refuses it with a
   * 400 too, but logs each one as an unhandled exception with its stack, so anyone could fill the log;
   * it is refused here, before the router, in the contract's form.
   */
  static boolean wellEncoded(String path) {
    if (path == null) {
      return true; // no path (an authority-form request): the router answers it
    }
    for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 3)) {
      if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0 || Character.digit(path.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static void brokenPath(io.vertx.core.http.HttpServerRequest request) {
    LOG.fine(() -> "refused a path that is not valid percent-encoding");
    ApiError.of(400, "the address is not valid percent-encoding (a % must be followed by two hex digits)")
        .send(request.response().putHeader("X-Content-Type-Options", "nosniff").putHeader("Cache-Control", "no-store"));
  }

  /**
   * Stops accepting connections (idle ones are closed), then closes every bridge socket at once
   * ({@link BridgeGate#stop}), so that no frame reaches the collab verticle during its final commits.
   * Completes when every connection is closed: at once for the bridge's, at the end of their response
   * (at most {@link #STOP_GRACE_SECONDS}) for requests being answered.
   */
  @Override
  public Future<?> stop() {
    if (server == null) {
      return Future.succeededFuture();
    }
    Future<Void> closed = server.shutdown(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
    gate.stop();
    return closed;
  }

  /**
   * Browsers may open the bridge only from PUBLIC_URL's origin, ALLOWED_ORIGINS, and (when PUBLIC_URL
   * is this machine) any loopback origin; any other Origin is refused (403), the WebSocket handshake
   * included. Requests with no Origin (scripts, other servers) pass: tokens, not origins, carry
   * authority here. No cookie does, so allowing credentials to a listed origin (which sockjs-client's
   * XHR transports ask for) grants nothing; an unlisted origin gets no CORS header at all.
   */
  /**
   * Whether the request's Origin is the origin it was sent to: the page was served by this server under
   * the name the browser used (a test on 127.0.0.1 when PUBLIC_URL names the public host, a second name).
   * Not a cross-site request, so the list of allowed origins does not apply.
   */
  static boolean sameOrigin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    io.vertx.core.net.HostAndPort authority = ctx.request().authority();
    if (origin == null || authority == null) {
      return false;
    }
    String scheme = ctx.request().isSSL() ? "https" : "http";
    int port = authority.port();
    boolean defaultPort = port < 0 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
    String own = scheme + "://" + authority.host().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port);
    return origin.equalsIgnoreCase(own);
  }

  private static CorsHandler origins(Config.Exposure exposure) {
    CorsHandler cors = CorsHandler.create()
        .addOrigins(exposure.allowedOrigins())
        .allowCredentials(true)
        .allowedMethods(java.util.Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeader("Content-Type");
    if (exposure.loopbackOrigins()) {
      cors.addOriginWithRegex("https?://(localhost|127\\.0\\.0\\.1|\\[::1\\])(:[0-9]{1,5})?");
    }
    return cors;
  }

  /**
   * SockJS as the official client uses it: WebSocket first, XHR streaming and polling as fall-backs.
   * JSONP and htmlfile are off: they load as script and iframe, which send no Origin, so they would
   * let any page around the origin check. No JSESSIONID cookie (we run no sticky load balancer).
   */
  private static SockJSHandlerOptions sockJsOptions() {
    return new SockJSHandlerOptions()
        .setRegisterWriteHandler(false)
        .setInsertJSESSIONID(false)
        .addDisabledTransport(Transport.JSON_P.name())
        .addDisabledTransport(Transport.HTML_FILE.name())
        .setSessionTimeout(SockJSHandlerOptions.DEFAULT_SESSION_TIMEOUT) // a session without a receiving connection
        .setHeartbeatInterval(SockJSHandlerOptions.DEFAULT_HEARTBEAT_INTERVAL);
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
      UiPage.send(ctx, "published.html");
    }
  }

  /** A handler's failure in the contract's form; a refusal by one of Vert.x's handlers (4xx) keeps its status. */
  private static ApiError failure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    int status = ctx.statusCode();
    if (!(cause instanceof ApiError) && status >= 400 && status < 500) {
      return ApiError.of(status, cause != null && cause.getMessage() != null ? cause.getMessage() : "request refused");
    }
    return Json.error(cause != null ? cause : ApiError.of(status > 0 ? status : 500, "request failed"));
  }

  /**
   * A NUL in the path or query (as %00) would reach PostgreSQL inside an id, which refuses it with an
   * error that reads as an outage (503); no id, number or parameter of ours holds one. A query that
   * is not valid percent-encoding would make the parameters throw later, where (in the body handler
   * merging a form) nothing answers, so it is refused here.
   */
  private static void checkUri(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (uri.indexOf('\u0000') >= 0 || uri.contains("%00")) {
      ApiError.of(400, "the address holds a NUL character (%00)").send(ctx);
      return;
    }
    try {
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ApiError.of(400, "the query string is not valid percent-encoding").send(ctx);
      return;
    }
    ctx.next();
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
