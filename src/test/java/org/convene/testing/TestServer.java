package org.convene.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.convene.app.App;
import org.convene.common.Config;
import org.convene.common.Metrics;
import org.convene.store.Database;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real server, in-process, on a free port and a database of its own (created by the server itself,
 * as in production, and dropped on close).
 *
 * <p>A test class that shares one server between its tests registers it on a static field,
 * {@code @RegisterExtension static final TestServer server = TestServer.perClass();}: it starts with a
 * Vert.x of its own before the class's {@code @BeforeAll} methods and is closed, Vert.x included,
 * after its {@code @AfterAll} methods.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  /** Where test databases live; override with TEST_DATABASE_URL (a URL without a database name). */
  public static final String BASE_URL =
      System.getenv().getOrDefault("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/");

  public record Manifesto(String id, String admin, String editor, String viewer) {}

  private final Map<String, String> env;
  private Vertx vertx;
  private App app;
  private Config config;
  private WebClient http;
  private boolean stopped;

  private TestServer(Map<String, String> env) {
    this.env = env;
  }

  public static String freshDatabaseUrl() {
    return BASE_URL + "convene_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  public static TestServer start(Vertx vertx) throws Exception {
    return start(vertx, Map.of());
  }

  /** Starts with extra environment variables (e.g. RATE_LIMIT_FRAMES). */
  public static TestServer start(Vertx vertx, Map<String, String> env) throws Exception {
    return new TestServer(env).boot(vertx);
  }

  /** One server for a test class, started and closed by JUnit (see the class comment). */
  public static TestServer perClass() {
    return perClass(Map.of());
  }

  /** The same with extra environment variables. */
  public static TestServer perClass(Map<String, String> env) {
    return new TestServer(env);
  }

  private Config configFromEnv() {
    Map<String, String> all = new HashMap<>();
    all.put("PORT", "0");
    all.put("DATABASE_URL", freshDatabaseUrl());
    all.put("CREATE_RATE_PER_HOUR", "0"); // tests create many manifestos from one address; CreateLimitsTest sets it
    all.put("WARMUP_SECONDS", "0"); // seconds per server started; WarmUpTest sets it
    all.putAll(env);
    return Config.fromEnv(all);
  }

  private TestServer boot(Vertx vertx) throws Exception {
    return boot(vertx, configFromEnv(), null);
  }

  private TestServer boot(Vertx vertx, Config config, Metrics metrics) throws Exception {
    this.vertx = vertx;
    this.config = config;
    this.app = (metrics == null ? App.start(vertx, config) : App.start(vertx, config, metrics)).await(60, TimeUnit.SECONDS);
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(app.port()));
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // The transport the server runs on, and Vert.x's own metrics when the environment turns them on.
    Config config = configFromEnv();
    Metrics metrics = Metrics.create(config);
    boot(App.vertx(metrics), config, metrics);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      if (app != null) {
        close();
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** The Vert.x the server runs on; test clients use it too. */
  public Vertx vertx() {
    return vertx;
  }

  public int port() {
    return app.port();
  }

  /** Every HTTP route the server serves, from its router. */
  public java.util.List<io.vertx.ext.web.Route> routes() {
    return app.routes();
  }

  public Config config() {
    return config;
  }

  public WebClient http() {
    return http;
  }

  /** A plain JDBC connection to this server's database, for reading (or tampering with) what it stored. */
  public java.sql.Connection jdbc() throws java.sql.SQLException {
    io.vertx.pgclient.PgConnectOptions o = config.pgConnectOptions();
    return java.sql.DriverManager.getConnection(
        "jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(), o.getUser(), o.getPassword());
  }

  public Future<BridgeClient> connect() {
    return BridgeClient.connect(vertx, port());
  }

  public Manifesto createManifesto(String title, String text) throws Exception {
    HttpResponse<Buffer> r = http.post("/api/manifestos")
        .sendJsonObject(new JsonObject().put("title", title).put("text", text))
        .await(10, TimeUnit.SECONDS);
    if (r.statusCode() != 201) {
      throw new IllegalStateException("create failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    JsonObject body = r.bodyAsJsonObject();
    JsonObject tokens = body.getJsonObject("tokens");
    return new Manifesto(body.getString("id"), tokens.getString("admin"), tokens.getString("editor"), tokens.getString("viewer"));
  }

  /** The document as the server has it, read over REST. */
  public JsonObject read(Manifesto m) throws Exception {
    HttpResponse<Buffer> r = http.get("/api/manifestos/" + m.id()).bearerTokenAuthentication(m.viewer())
        .send().await(10, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new IllegalStateException("read failed: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  /** Stops the server as SIGTERM would, keeping its database. */
  public void stopServer() throws Exception {
    if (!stopped) {
      stopped = true;
      http.close();
      app.stop().await(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    stopServer();
    Database.drop(config.pgConnectOptions());
  }
}
