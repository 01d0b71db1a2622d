package org.convene.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import org.convene.testing.TestServer;
import org.convene.testing.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The outbox: signatures are taken while SMTP is down, mailed once it is up, across a restart; or logged. */
class MailDeliveryTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static Map<String, String> smtpOn(int port) {
    return Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", Integer.toString(port), "MAIL_FROM", "noreply@convene.test",
        "PUBLIC_URL", "https://sign.convene.test");
  }

  static long backlog(Signatures api) throws Exception {
    return Signatures.ok(api.get("/health")).getJsonObject("outbox").getLong("backlog");
  }

  @Test
  void signaturesAreTakenWhileSmtpIsDownAndMailedOnceItIsUp() throws Exception {
    int port = freePort();
    GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    try (TestServer server = TestServer.start(vertx, smtpOn(port))) {
      Signatures api = new Signatures(server, mail);
      TestServer.Manifesto m = api.published("Down then up", "Text.");
      for (int i = 0; i < 5; i++) {
        assertEquals(202, api.sign(m, Signatures.signer("Signer " + i, "s" + i + "@example.org", "FR", "full")).statusCode());
      }
      assertEquals(5, backlog(api), "queued while SMTP is down");
      Wait.untilChecked(15, () -> Signatures.ok(api.get("/health")).getJsonObject("outbox").getLong("oldestSeconds") >= 1,
          () -> "the oldest message's age");
      mail.start();
      try {
        for (int i = 0; i < 5; i++) {
          api.await("s" + i + "@example.org", 1);
        }
        Wait.untilChecked(30, () -> backlog(api) == 0, () -> "an empty outbox");
        assertEquals(5, mail.getReceivedMessages().length, "each mail sent once");
        String token = Signatures.token(api.to("s3@example.org").get(0), Signatures.CONFIRM);
        Signatures.ok(api.get("/api/signatures/confirm?token=" + token));
        assertEquals(1, api.count(m).getLong("confirmed"));
      } finally {
        mail.stop();
      }
    }
  }

  /**
   * SMTP down during a burst: the mailer pauses after the first round that sends nothing and tries
   * one message per pause, so most of the burst is not tried at all, and the log says so once.
   */
  @Test
  void whileSmtpIsDownOneMessageIsTriedPerPauseNotOnePerSignature() throws Exception {
    int port = freePort(); // nothing listens there
    List<String> logged = new ArrayList<>();
    Handler capture = capturing(logged, r -> r.getLevel() + " " + r.getMessage());
    Logger logger = Logger.getLogger(Mailer.class.getName());
    logger.addHandler(capture);
    try (TestServer server = TestServer.start(vertx, smtpOn(port))) {
      Signatures api = new Signatures(server, null);
      TestServer.Manifesto m = api.published("Down", "Text.");
      Signatures.ok(api.put("/api/manifestos/" + m.id() + "/signing", m.admin(),
          new JsonObject().put("rateLimit", new JsonObject().put("perIpBurst", 0).put("perIpPerHour", 0))));
      int burst = 3 * Mailer.BATCH;
      for (int i = 0; i < burst; i++) {
        assertEquals(202, api.sign(m, Signatures.signer("S " + i, "d" + i + "@example.org", "FR", "full")).statusCode());
      }
      Wait.until(20, () -> snapshot(logged).stream().anyMatch(l -> l.contains("sending paused")), () -> "the pause");
      Thread.sleep(3 * Mailer.FIRST_PAUSE_MS); // room for a probe or two, and for a mailer that did not pause to try them all
      long tried = Long.parseLong(api.sqlValue("SELECT count(*) FROM mail_outbox WHERE attempts > 0"));
      assertTrue(tried <= Mailer.BATCH + 4, tried + " of " + burst + " messages tried while SMTP was down");
      assertEquals(burst, backlog(api), "every message kept");
      assertEquals(1, snapshot(logged).stream().filter(l -> l.contains("sending paused")).count(), "said once: " + snapshot(logged));
      assertTrue(snapshot(logged).stream().noneMatch(l -> l.startsWith("INFO mail ")), "no line per message: " + snapshot(logged));
    } finally {
      logger.removeHandler(capture);
    }
  }

  /**
   * An outbox from before drafts (V17): a message queued with its text and HTML written out is sent as
   * it was written; one whose draft this server cannot read is given up at once, not retried.
   */
  @Test
  void aMessageQueuedWrittenOutIsSentAsWrittenAndAnUnreadableDraftIsGivenUp() throws Exception {
    int port = freePort();
    GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    try (TestServer server = TestServer.start(vertx, smtpOn(port))) {
      Signatures api = new Signatures(server, mail);
      TestServer.Manifesto m = api.published("Upgraded", "Text.");
      api.sql("INSERT INTO mail_outbox (message_id, manifesto_id, recipient, subject, text_body, html_body) VALUES "
          + "('<old-1@sign.convene.test>', '" + m.id() + "', 'old@example.org', 'Written before', 'The text as it was.\n', "
          + "'<!DOCTYPE html><html><body><p>The HTML as it was.</p></body></html>')");
      api.sql("INSERT INTO mail_outbox (message_id, manifesto_id, recipient, draft) VALUES "
          + "('<old-2@sign.convene.test>', '" + m.id() + "', 'broken@example.org', '{\"kind\": \"unknown\"}')");
      mail.start();
      try {
        MimeMessage sent = api.await("old@example.org", 1);
        assertEquals("Written before", sent.getSubject());
        assertEquals("<old-1@sign.convene.test>", sent.getMessageID());
        String raw = new String(sent.getRawInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(raw.contains("The text as it was.") && raw.contains("The HTML as it was."), raw);
        Wait.untilChecked(15, () -> "t".equals(api.sqlValue(
            "SELECT failed_at IS NOT NULL AND draft IS NULL FROM mail_outbox WHERE recipient = 'broken@example.org'")),
            () -> "the unreadable draft given up and cleared");
        assertEquals("1", api.sqlValue("SELECT attempts FROM mail_outbox WHERE recipient = 'broken@example.org'"));
        assertEquals(1, mail.getReceivedMessages().length, "only the readable message sent");
      } finally {
        mail.stop();
      }
    }
  }

  /** What the log keeps of an SMTP refusal: never the address it quotes. */
  @Test
  void anSmtpRefusalIsLoggedWithItsAddressesMasked() {
    assertEquals("550 5.1.1 <a***@example.org>: Recipient address rejected; also r***@sub.example.net",
        Mailer.maskAddresses("550 5.1.1 <ada.l+x@example.org>: Recipient address rejected; also root@sub.example.net"));
    assertEquals("Connection refused: /127.0.0.1:2525", Mailer.maskAddresses("Connection refused: /127.0.0.1:2525"));
  }

  @Test
  void theOutboxSurvivesARestart() throws Exception {
    int port = freePort();
    GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    TestServer first = TestServer.start(vertx, smtpOn(port));
    Signatures api = new Signatures(first, mail);
    TestServer.Manifesto m = api.published("Restart", "Text.");
    assertEquals(202, api.sign(m, Signatures.signer("Ada", "ada@example.org", "GB", "full")).statusCode());
    first.stopServer();
    mail.start();
    Map<String, String> env = new HashMap<>(smtpOn(port));
    env.put("DATABASE_URL", first.config().databaseUrl());
    try (TestServer second = TestServer.start(vertx, env)) {
      Signatures again = new Signatures(second, mail);
      MimeMessage message = again.await("ada@example.org", 1);
      assertTrue(Signatures.body(message).contains("Restart"));
      Signatures.ok(again.get("/api/signatures/confirm?token=" + Signatures.token(message, Signatures.CONFIRM)));
      assertEquals(1, again.count(m).getLong("confirmed"));
    } finally {
      mail.stop();
    }
  }

  @Test
  void withoutSmtpTheServerSaysSoAndKeepsTheLinksToTheDebugLevel() throws Exception {
    List<String> logged = new ArrayList<>();
    Handler capture = capturing(logged,
        r -> r.getLevel().intValue() < java.util.logging.Level.INFO.intValue() ? "DEBUG " + r.getMessage() : r.getMessage());
    Logger logger = Logger.getLogger(Mailer.class.getName());
    logger.addHandler(capture);
    java.util.logging.Level level = logger.getLevel();
    try (TestServer server = TestServer.start(vertx, Map.of())) {
      Signatures api = new Signatures(server, null);
      Wait.until(15, () -> snapshot(logged).stream().anyMatch(l -> l.contains("SMTP_HOST is not set")), () -> "the warning");
      logger.setLevel(java.util.logging.Level.FINE); // as someone trying it out would set it
      TestServer.Manifesto m = api.published("No SMTP", "Text.");
      assertEquals(202, api.sign(m, Signatures.signer("Ada", "ada@example.org", "GB", "full")).statusCode());
      Wait.until(15, () -> snapshot(logged).stream().anyMatch(l -> Signatures.CONFIRM.matcher(l).find()), () -> "the link");
      String line = snapshot(logged).stream().filter(l -> Signatures.CONFIRM.matcher(l).find()).findFirst().orElseThrow();
      assertTrue(line.startsWith("DEBUG "), "the links only at debug level: " + line);
      assertTrue(snapshot(logged).stream().anyMatch(l -> l.startsWith("mail not sent") && l.contains("a***@example.org")),
          "at info, the mail is noted with its address masked: " + snapshot(logged));
      assertTrue(!line.contains("ada@example.org"), "the log masks the address: " + line);
      Matcher token = Signatures.CONFIRM.matcher(line);
      assertTrue(token.find());
      Signatures.ok(api.get("/api/signatures/confirm?token=" + token.group(1)));
      assertEquals(1, api.count(m).getLong("confirmed"));
      assertEquals(0, backlog(api));
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(level);
    }
  }

  /** A log handler adding each record, as {@code line} words it, to {@code logged}. */
  private static Handler capturing(List<String> logged, java.util.function.Function<LogRecord, String> line) {
    return new Handler() {
      @Override
      public void publish(LogRecord r) {
        synchronized (logged) {
          logged.add(line.apply(r));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  private static List<String> snapshot(List<String> logged) {
    synchronized (logged) {
      return new ArrayList<>(logged);
    }
  }

}
