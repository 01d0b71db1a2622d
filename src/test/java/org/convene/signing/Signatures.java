package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.collab.Addresses;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Test support: a real SMTP server (GreenMail), publishing, signing and reading the mail a signer gets.
 * As a class's extension ({@link #perClass}), it starts GreenMail and the server pointed at it before
 * the class's tests and stops both after them.
 */
final class Signatures implements BeforeAllCallback, AfterAllCallback {
  static final Pattern CONFIRM = Pattern.compile("/api/signatures/confirm\\?token=([A-Za-z0-9_-]+)");
  static final Pattern WITHDRAW = Pattern.compile("/api/signatures/withdraw\\?token=([A-Za-z0-9_-]+)");

  final TestServer server;
  final GreenMail mail;

  Signatures(TestServer server, GreenMail mail) {
    this.server = server;
    this.mail = mail;
  }

  /** {@code @RegisterExtension static final Signatures api = Signatures.perClass();} */
  static Signatures perClass() {
    GreenMail g = startMail();
    return new Signatures(TestServer.perClass(env(g)), g);
  }

  /** The same, the server behind a trusted proxy ({@link #envBehindProxy}). */
  static Signatures perClassBehindProxy() {
    GreenMail g = startMail();
    return new Signatures(TestServer.perClass(envBehindProxy(g)), g);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server.beforeAll(context);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      server.afterAll(context);
    } finally {
      mail.stop();
    }
  }

  /** A GreenMail SMTP server on a free port of 127.0.0.1, started. */
  static GreenMail startMail() {
    GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    g.start();
    return g;
  }

  /** {@link #env} behind a trusted proxy: client addresses come from X-Forwarded-For. */
  static Map<String, String> envBehindProxy(GreenMail g) {
    Map<String, String> env = new java.util.HashMap<>(env(g));
    env.put("TRUST_PROXY", "true");
    return env;
  }

  static Map<String, String> env(GreenMail g) {
    return Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(g.getSmtp().getPort()),
        "MAIL_FROM", "Convene <noreply@convene.test>", "PUBLIC_URL", "https://sign.convene.test");
  }

  /** A manifesto with version 1 published. */
  TestServer.Manifesto published(String title, String text) throws Exception {
    TestServer.Manifesto m = server.createManifesto(title, text);
    server.vertx().eventBus().request(Addresses.REPLACE, new JsonObject().put("doc", m.id()).put("text", text + " (final)")
        .put("author", "Amal")).await(20, TimeUnit.SECONDS);
    ok(send(server.http().post("/api/manifestos/" + m.id() + "/versions"), m.admin(), new JsonObject().put("name", "First")));
    ok(send(server.http().post("/api/manifestos/" + m.id() + "/versions/1/publish"), m.admin(), new JsonObject()));
    return m;
  }

  static JsonObject signer(String name, String email, String country, String display) {
    return new JsonObject().put("name", name).put("email", email).put("country", country).put("display", display);
  }

  HttpResponse<Buffer> sign(TestServer.Manifesto m, JsonObject body) throws Exception {
    return send(server.http().post("/api/manifestos/" + m.id() + "/signatures"), null, body);
  }

  /** A signature as it arrives through our own proxy, from the client address it names. */
  HttpResponse<Buffer> signFrom(TestServer.Manifesto m, String forwardedFor, JsonObject body) throws Exception {
    return server.http().post("/api/manifestos/" + m.id() + "/signatures").putHeader("X-Forwarded-For", forwardedFor)
        .sendJsonObject(body).await(30, TimeUnit.SECONDS);
  }

  HttpResponse<Buffer> get(String path) throws Exception {
    return send(server.http().get(path), null, null);
  }

  HttpResponse<Buffer> put(String path, String token, JsonObject body) throws Exception {
    return send(server.http().put(path), token, body);
  }

  HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    return send(server.http().post(path), token, body);
  }

  static HttpResponse<Buffer> send(HttpRequest<Buffer> req, String token, JsonObject body) throws Exception {
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return (body == null ? req.send() : req.sendJsonObject(body)).await(60, TimeUnit.SECONDS);
  }

  static JsonObject ok(HttpResponse<Buffer> r) {
    if (r.statusCode() / 100 != 2) {
      throw new AssertionError(r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject();
  }

  static io.vertx.core.json.JsonArray ok2(HttpResponse<Buffer> r) {
    if (r.statusCode() != 200) {
      throw new AssertionError(r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonArray();
  }

  JsonObject count(TestServer.Manifesto m) throws Exception {
    HttpResponse<Buffer> r = get("/api/manifestos/" + m.id() + "/signatures/count");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  /** Every message received so far for an address. */
  List<MimeMessage> to(String address) throws Exception {
    return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
      try {
        return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  /** Waits for the n-th message to an address and returns it. */
  MimeMessage await(String address, int n) throws Exception {
    Wait.until(30, () -> {
      try {
        return to(address).size() >= n;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, () -> n + " message(s) to " + address);
    return to(address).get(n - 1);
  }

  static String body(MimeMessage m) {
    return GreenMailUtil.getBody(m);
  }

  static String token(MimeMessage m, Pattern link) {
    Matcher matcher = link.matcher(body(m).replace("=\r\n", "").replace("=3D", "="));
    if (!matcher.find()) {
      throw new AssertionError("no link " + link + " in " + body(m));
    }
    return matcher.group(1);
  }

  /** The first column of the first row of a query against the server's database. */
  String sqlValue(String query) throws Exception {
    var o = server.config().pgConnectOptions();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(),
        o.getUser(), o.getPassword());
         Statement s = c.createStatement();
         java.sql.ResultSet r = s.executeQuery(query)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  /** Runs SQL against the server's database, as a stand-in for time passing. */
  void sql(String statement) throws Exception {
    var o = server.config().pgConnectOptions();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(),
        o.getUser(), o.getPassword());
         Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
