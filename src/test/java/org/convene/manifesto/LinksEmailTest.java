package org.convene.manifesto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/manifestos/{id}/links/email} against a real SMTP server (GreenMail): the three
 * links arrive, in the asker's language and nothing else with them; tokens of another manifesto are
 * refused; it is bounded per manifesto and per address; without SMTP it says so and logs no link.
 */
class LinksEmailTest {
  static final GreenMail MAIL = startMail();
  static final String PUBLIC_URL = "https://convene.test";

  @RegisterExtension
  static final TestServer server = TestServer.perClass(Map.of("SMTP_HOST", "127.0.0.1",
      "SMTP_PORT", Integer.toString(MAIL.getSmtp().getPort()), "MAIL_FROM", "Convene <noreply@convene.test>",
      "PUBLIC_URL", PUBLIC_URL, "TRUST_PROXY", "true"));

  /** Each test asks from addresses of its own (the server trusts X-Forwarded-For here). */
  static final AtomicInteger CLIENT = new AtomicInteger(1);

  static GreenMail startMail() {
    GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
    g.start();
    return g;
  }

  @AfterAll
  static void stopMail() {
    MAIL.stop();
  }

  record Created(String id, String title, String admin, String editor, String viewer, boolean emailLinks) {}

  static Created create(TestServer on, String title) throws Exception {
    HttpResponse<Buffer> r = on.http().post("/api/manifestos").putHeader("Content-Type", "application/json")
        .putHeader("X-Forwarded-For", "198.51.100.200")
        .sendJsonObject(new JsonObject().put("title", title).put("text", "Text.")).await(10, TimeUnit.SECONDS);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject b = r.bodyAsJsonObject();
    JsonObject t = b.getJsonObject("tokens");
    return new Created(b.getString("id"), title, t.getString("admin"), t.getString("editor"), t.getString("viewer"),
        b.getBoolean("emailLinks"));
  }

  static HttpResponse<Buffer> ask(TestServer on, String id, String bearer, String client, String lang, JsonObject body)
      throws Exception {
    HttpRequest<Buffer> req = on.http().post("/api/manifestos/" + id + "/links/email")
        .putHeader("Content-Type", "application/json").putHeader("X-Forwarded-For", client);
    if (bearer != null) {
      req.bearerTokenAuthentication(bearer);
    }
    if (lang != null) {
      req.putHeader("Accept-Language", lang);
    }
    return req.sendBuffer(Buffer.buffer(body.encode())).await(30, TimeUnit.SECONDS);
  }

  static JsonObject body(String email, Created m) {
    return new JsonObject().put("email", email).put("editor", m.editor()).put("viewer", m.viewer());
  }

  static String client() {
    return "203.0.113." + CLIENT.getAndIncrement();
  }

  static List<MimeMessage> to(String address) {
    return Arrays.stream(MAIL.getReceivedMessages()).filter(m -> {
      try {
        return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  @Test
  void theThreeLinksArriveInTheAskersLanguageAndNothingElse() throws Exception {
    Created m = create(server, "Pain et roses: SPAM-FREE-OFFER");
    assertTrue(m.emailLinks(), "the creation answer says the links can be mailed");
    HttpResponse<Buffer> r = ask(server, m.id(), m.admin(), client(), "fr-FR,fr;q=0.9", body("Creator@Example.org", m));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    assertEquals("sent", r.bodyAsJsonObject().getString("status"));

    List<MimeMessage> got = to("Creator@Example.org");
    assertEquals(1, got.size(), "sent once, before the answer");
    MimeMessage mail = got.get(0);
    assertEquals("Les liens de votre manifeste", mail.getSubject());
    assertTrue(mail.getFrom()[0].toString().contains("noreply@convene.test"), mail.getFrom()[0].toString());
    String text = ((String) mail.getContent()).replace("\r\n", "\n");
    String base = PUBLIC_URL + "/m/" + m.id();
    assertTrue(text.contains(base + "/admin#token=" + m.admin() + "\n"), text);
    assertTrue(text.contains(base + "/edit#token=" + m.editor() + "\n"), text);
    assertTrue(text.contains(base + "/view#token=" + m.viewer() + "\n"), text);
    assertTrue(text.contains("Lien d’administration"), "in French: " + text);
    assertFalse(text.contains("SPAM-FREE-OFFER"), "nothing of the asker's choosing but the address: " + text);
    // Nothing but the links' own host is a link: the template is fixed.
    assertEquals(3, text.split("https?://", -1).length - 1, text);
  }

  @Test
  void tokensOfAnotherManifestoAreRefusedAndNothingIsSent() throws Exception {
    Created a = create(server, "A");
    Created b = create(server, "B");
    String who = "victim@example.org";
    String c = client();
    JsonObject mixedEditor = body(who, a).put("editor", b.editor());
    JsonObject mixedViewer = body(who, a).put("viewer", b.viewer());
    JsonObject swapped = body(who, a).put("editor", a.viewer()).put("viewer", a.editor());
    assertRefused(403, ask(server, a.id(), a.admin(), c, null, mixedEditor), "editor");
    assertRefused(403, ask(server, a.id(), a.admin(), c, null, mixedViewer), "viewer");
    assertRefused(403, ask(server, a.id(), a.admin(), c, null, swapped), "editor");
    String c2 = client();
    assertRefused(403, ask(server, a.id(), b.admin(), c2, null, body(who, a)), "not for this manifesto");
    assertRefused(403, ask(server, a.id(), a.editor(), c2, null, body(who, a)), "needs admin");
    assertRefused(401, ask(server, a.id(), null, c2, null, body(who, a)), "Bearer");
    assertRefused(401, ask(server, a.id(), "guessed-token", c2, null, body(who, a)), "unknown token");
    String c3 = client();
    HttpResponse<Buffer> bad = ask(server, a.id(), a.admin(), c3, null, body("not an address", a).put("viewer", 7));
    assertRefused(400, bad, "invalid");
    assertTrue(bad.bodyAsJsonObject().getJsonObject("fields").containsKey("email"), bad.bodyAsString());
    assertTrue(bad.bodyAsJsonObject().getJsonObject("fields").containsKey("viewer"), bad.bodyAsString());
    assertRefused(400, ask(server, a.id(), a.admin(), c3, null, body("a@b.c\r\nBcc: x@evil.example", a)), "invalid");
    assertEquals(List.of(), to(who), "nothing sent for a refused request");
    assertEquals(List.of(), to("x@evil.example"));
  }

  @Test
  void boundedPerManifestoAndPerAddress() throws Exception {
    Created m = create(server, "Often");
    for (int i = 0; i < LinksEmail.PER_MANIFESTO_BURST; i++) {
      HttpResponse<Buffer> r = ask(server, m.id(), m.admin(), client(), null, body("often" + i + "@example.org", m));
      assertEquals(200, r.statusCode(), r.bodyAsString());
    }
    HttpResponse<Buffer> more = ask(server, m.id(), m.admin(), client(), null, body("often9@example.org", m));
    assertRefused(429, more, "mailed");
    assertTrue(Long.parseLong(more.getHeader("Retry-After")) > 0);
    assertEquals(List.of(), to("often9@example.org"));

    String one = client();
    for (int i = 0; i < LinksEmail.PER_ADDRESS_BURST; i++) {
      Created other = create(server, "Other " + i);
      assertEquals(200, ask(server, other.id(), other.admin(), one, null, body("addr" + i + "@example.org", other)).statusCode());
    }
    Created last = create(server, "Last");
    assertRefused(429, ask(server, last.id(), last.admin(), one, null, body("addr9@example.org", last)), "this address");
    assertEquals(List.of(), to("addr9@example.org"));
  }

  @Test
  void withoutSmtpTheAnswerSaysSoAndNoLinkIsLogged() throws Exception {
    List<String> logged = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        logged.add(e.getLoggerName() + " " + e.getFormattedMessage());
      }
    };
    capture.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
    capture.start();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(capture);
    Vertx vertx = Vertx.vertx();
    try (TestServer bare = TestServer.start(vertx, Map.of())) {
      Created m = create(bare, "No mail here");
      assertFalse(m.emailLinks(), "the page is told not to offer mail");
      HttpResponse<Buffer> r = ask(bare, m.id(), m.admin(), client(), null, body("me@example.org", m));
      assertRefused(503, r, "SMTP_HOST");
      Wait.until(15, () -> logged.stream().anyMatch(l -> l.contains("signing mail is not sent")), () -> "signing's warning");
      assertEquals(1, logged.stream().filter(l -> l.contains("offer to email a new manifesto's links")).count(),
          "the log says once, and truly, where a manifesto's links are: " + logged);
      for (String line : logged) {
        for (String token : List.of(m.admin(), m.editor(), m.viewer())) {
          assertFalse(line.contains(token), "a creation link in the log: " + line);
        }
        if (line.contains("written to this log")) {
          assertTrue(line.contains("signing mail") || line.contains("never written to this log"),
              "only signing's mail is said to be logged: " + line);
        }
      }
    } finally {
      root.detachAppender(capture);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  static void assertRefused(int status, HttpResponse<Buffer> r, String says) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertTrue(r.bodyAsJsonObject().getString("message").contains(says), r.bodyAsString());
  }
}
