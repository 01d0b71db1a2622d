package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.convene.common.Config;

/**
 * Delivers the outbox. Each round claims the due messages (a lease of a few minutes keeps them from
 * being claimed twice), sends them and deletes each one sent; a failure is retried later, the delay
 * doubling from 2 seconds up to an hour, and given up after {@link #MAX_ATTEMPTS}. The outbox is in
 * the database, so what is queued survives a restart; a crash between sending and deleting sends
 * that message again once its lease ends, with the same Message-ID. Without SMTP configured the
 * messages are written to the log instead (their links with them) and deleted.
 *
 * <p>A round in which SMTP took none of the messages it was given pauses sending: while it does not
 * answer, one message is tried every {@link #FIRST_PAUSE_MS} ms, the pause doubling up to
 * {@link #MAX_PAUSE_MS}, and sending resumes in full with the first message it takes. So an SMTP
 * server that is down costs one attempt and one log line per pause, not one per signature taken
 * meanwhile (at thousands a second, a flood of log lines and failed connections on the cores that
 * take the signatures).
 */
final class Mailer {
  private static final Logger LOG = Logger.getLogger(Mailer.class.getName());
  static final int BATCH = 20;
  static final int LEASE_SECONDS = 120;
  static final int MAX_ATTEMPTS = 20;
  static final long POLL_MS = 1000;
  static final long FIRST_PAUSE_MS = 2_000;
  static final long MAX_PAUSE_MS = 30_000;

  private final Vertx vertx;
  private final SigningRepository repository;
  private final Config.Mail config;
  private final MailClient client;
  /** Writes each message from its draft as it is sent. */
  private final Messages messages;
  /** This process, as the outbox's claimed_by. */
  private final String me = java.util.UUID.randomUUID().toString();
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long timer = -1;
  /** While SMTP takes nothing: the current pause (0 when sending normally), and when to try again. */
  private long pauseMs;
  private long pausedUntil;
  /** Why the last message was not sent, for the pause's log line. */
  private String lastFailure = "";
  /** Completes when the round in flight (if any) has recorded its outcome. */
  private Future<Void> current = Future.succeededFuture();

  Mailer(Vertx vertx, SigningRepository repository, Config.Mail config, String publicUrl) {
    this.vertx = vertx;
    this.repository = repository;
    this.config = config;
    this.messages = new Messages(publicUrl);
    this.client = config.configured() ? MailClient.create(vertx, config.clientConfig(publicUrl).setKeepAlive(true).setMaxPoolSize(4)) : null;
  }

  /** Runs on the worker's context. */
  void start() {
    if (client == null) {
      LOG.warning("SMTP_HOST is not set: signing mail is not sent. Each message is noted in this log (address "
          + "masked); its text, links included, only at debug level of " + Mailer.class.getName()
          + ", for trying it out. Set SMTP_HOST and MAIL_FROM to send it.");
    } else {
      LOG.info("signing mail goes through " + config.host() + ":" + config.port() + " from " + config.from());
    }
    repository.release(me)
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info(n + " message(s) claimed by a server that stopped without finishing are due again");
          }
        })
        .onComplete(ar -> {
          if (!stopped) {
            timer = vertx.setPeriodic(POLL_MS, id -> round());
            round();
          }
        });
  }

  /** Stops taking messages; a round in flight records its outcome first, so nothing stays leased. */
  Future<Void> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    return current.timeout(10, java.util.concurrent.TimeUnit.SECONDS).otherwiseEmpty()
        .eventually(() -> client == null ? Future.succeededFuture() : client.close());
  }

  /** A round now (coalesced with one already running). Call on the worker's context. */
  void round() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    boolean probing = pauseMs > 0;
    if (probing && System.currentTimeMillis() < pausedUntil) {
      return; // SMTP is down: the poll comes back after the pause
    }
    running = true;
    again = false;
    current = repository.claim(probing ? 1 : BATCH, LEASE_SECONDS, me)
        .compose(due -> {
          List<Future<Boolean>> sends = new ArrayList<>();
          due.forEach(d -> sends.add(deliver(d)));
          return Future.join(sends).map(v -> {
            int sent = (int) sends.stream().filter(Future::result).count();
            return new int[] {due.size(), sent};
          });
        })
        .andThen(ar -> {
          running = false;
          if (ar.failed()) {
            LOG.warning("outbox round failed (retried next round): " + ar.cause());
            return;
          }
          int claimed = ar.result()[0];
          int sent = ar.result()[1];
          if (claimed > 0 && sent == 0) {
            pause();
          } else if (sent > 0 && pauseMs > 0) {
            pauseMs = 0;
            LOG.info("SMTP takes mail again: sending resumed");
          }
          if (pauseMs == 0 && (again || claimed == BATCH)) {
            vertx.runOnContext(v -> round());
          }
        })
        .<Void>mapEmpty().otherwiseEmpty();
  }

  private void pause() {
    if (pauseMs == 0) {
      LOG.warning("SMTP took none of the messages it was given (" + lastFailure + "): sending paused; one message"
          + " is tried every " + FIRST_PAUSE_MS / 1000 + " s, then less often, up to every " + MAX_PAUSE_MS / 1000
          + " s. Signatures are still taken; their mail waits in the outbox (/health shows the backlog).");
    }
    pauseMs = pauseMs == 0 ? FIRST_PAUSE_MS : Math.min(MAX_PAUSE_MS, pauseMs * 2);
    pausedUntil = System.currentTimeMillis() + pauseMs;
  }

  /** Sends one message (or logs it without SMTP); true when it is gone, false when it waits for a retry. */
  private Future<Boolean> deliver(SigningRepository.Due due) {
    SigningRepository.Mail d;
    try {
      d = due.draft() == null ? new SigningRepository.Mail(due.messageId(), due.recipient(), due.subject(), due.text(), due.html())
          : messages.write(due.messageId(), due.recipient(), due.draft());
    } catch (RuntimeException e) { // not a draft this server writes: nothing to send, however often tried
      LOG.warning("giving up mail " + due.messageId() + ": " + e.getMessage());
      return repository.failed(due.id(), String.valueOf(e.getMessage())).map(true);
    }
    if (client == null) {
      // Its links are a signer's capabilities: never at the default level (docs/OPERATIONS.md).
      LOG.info("mail not sent (no SMTP_HOST) to " + mask(d.recipient()) + ", " + d.messageId());
      if (LOG.isLoggable(java.util.logging.Level.FINE)) {
        LOG.fine("text of " + d.messageId() + ": " + d.subject() + "\n" + d.text());
      }
      return repository.sent(due.id()).map(true);
    }
    MailMessage m = new MailMessage().setFrom(config.from()).setTo(d.recipient()).setSubject(d.subject())
        .setText(d.text()).setHtml(d.html())
        .setHeaders(MultiMap.caseInsensitiveMultiMap().add("Message-ID", d.messageId()));
    return client.sendMail(m)
        .compose(result -> repository.sent(due.id()).map(true))
        .recover(err -> {
          String why = String.valueOf(err.getMessage());
          lastFailure = maskAddresses(why);
          if (due.attempts() >= MAX_ATTEMPTS) {
            LOG.warning("giving up mail " + d.messageId() + " after " + due.attempts() + " attempts: " + lastFailure);
            return repository.failed(due.id(), why).map(false);
          }
          int delay = (int) Math.min(3600, 2L << Math.min(20, due.attempts() - 1));
          // One line per message only at debug level: while SMTP is down, pause() says it once.
          LOG.fine(() -> "mail " + d.messageId() + " not sent (attempt " + due.attempts() + "), retry in " + delay + " s: " + lastFailure);
          return repository.retry(due.id(), delay, why).map(false);
        });
  }

  /** a***@example.org: enough for an operator to follow, not a list of addresses in the log. */
  /**
   * An SMTP server's answer with every address in it masked: a refusal often quotes the recipient
   * ("550 5.1.1 <ada@example.org>: Recipient address rejected"), and signers' emails stay out of the log.
   */
  static String maskAddresses(String text) {
    return ADDRESS.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(mask(m.group())));
  }

  private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[^\\s<>()\\[\\]:;,\"']+@[^\\s<>()\\[\\]:;,\"']+");

  static String mask(String email) {
    int at = email.lastIndexOf('@');
    return at <= 0 ? "***" : email.charAt(0) + "***" + email.substring(at);
  }
}
