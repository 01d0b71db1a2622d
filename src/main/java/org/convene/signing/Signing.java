package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Function;
import org.convene.common.ApiError;
import org.convene.common.Config;
import org.convene.common.Tokens;

/**
 * Taking a signature: the manifesto must have a published version and be accepting; the signer is
 * validated, rate-limited per IP (or per kiosk) and stored with its confirmation mail in one
 * statement. A repeat of an email that has signed gets the very same answer as a first signature,
 * and a mail again (a new confirmation link, or word that it counts already) at most every
 * {@link #RESEND_MINUTES} minutes: the answer never tells whether an address has signed.
 */
final class Signing {
  static final int RESEND_MINUTES = 10;
  /** How many times a signature is taken again when a publication overtook it (then 409, sign again). */
  static final int STALE_ATTEMPTS = 3;

  /**
   * What the caller asked: the manifesto, the raw fields (read once the settings are known), who asks,
   * and the interface language they sign in (their mail is written in it).
   */
  record Request(String manifestoId, Function<SigningRepository.Context, Signer> fields, String ip, String kioskKey,
                 String interfaceLanguage) {}

  /** The answer: {@code confirmed} true for 201 confirmed, false for 202 pending. */
  record Outcome(boolean confirmed, SigningRepository.Context context) {
    static final String CONFIRMED = new JsonObject().put("status", "confirmed").encode();
    static final String PENDING = new JsonObject().put("status", "pending").encode();

    /** The body, {@code {"status":"confirmed"}} or {@code {"status":"pending"}}, encoded once for everyone. */
    String encoded() {
      return confirmed ? CONFIRMED : PENDING;
    }
  }

  private final SigningRepository repository;
  private final Shared shared;
  private final Messages messages;
  private final Config.Signing config;

  Signing(SigningRepository repository, Shared shared, Messages messages, Config.Signing config) {
    this.repository = repository;
    this.shared = shared;
    this.messages = messages;
    this.config = config;
  }

  /** The manifesto's context, or 404. */
  Future<SigningRepository.Context> context(String manifestoId) {
    return repository.context(manifestoId).map(c -> {
      if (c == null) {
        throw ApiError.of(404, "no manifesto " + manifestoId);
      }
      return c;
    });
  }

  Future<Outcome> sign(Request request) {
    return sign(request, 0);
  }

  /**
   * {@code attempt} counts the times the signature was found stale (a publication since its context
   * was read): it is then taken again with a fresh context, its rate limit already taken.
   */
  private Future<Outcome> sign(Request request, int attempt) {
    return shared.contexts.get(repository, request.manifestoId()).map(c -> {
      if (c == null) {
        throw ApiError.of(404, "no manifesto " + request.manifestoId());
      }
      return c;
    }).compose(ctx -> {
      Settings settings = ctx.settings();
      if (ctx.version() == null) {
        throw new Refusal(409, "unpublished", "nothing is published yet: signing opens with the first published version");
      }
      Instant now = Instant.now();
      if (!settings.open()) {
        throw new Refusal(409, "closed", "signing is closed for this manifesto");
      }
      if (settings.deadline() != null && !now.isBefore(settings.deadline())) {
        throw new Refusal(409, "deadline", "signing closed at its deadline, " + settings.deadline());
      }
      boolean kiosk = request.kioskKey() != null;
      if (kiosk && !settings.kioskKeyMatches(request.kioskKey())) {
        throw new Refusal(403, "kiosk_key", "this kiosk key is not (or no longer) valid; ask the organisers for the kiosk link");
      }
      Signer signer = request.fields().apply(ctx);
      long wait = attempt > 0 ? 0 : kiosk
          ? shared.limits.take("kiosk " + ctx.id(), settings.kioskPerMinute(), 0, System.currentTimeMillis())
          : shared.limits.take(ctx.id() + " " + request.ip(), settings.perIpBurst(), settings.perIpPerHour(),
              System.currentTimeMillis());
      if (wait > 0) {
        throw new RateLimited(kiosk ? "the kiosk is signing faster than its limit; wait a moment"
            : "too many signatures from this address; try again later", wait, kiosk);
      }
      boolean confirmed = kiosk || !settings.requireEmail();
      if (signer.honeypot()) {
        return Future.succeededFuture(new Outcome(confirmed, ctx)); // a bot: the usual answer, nothing stored
      }
      return store(ctx, signer, confirmed, kiosk, request.ip(), request.interfaceLanguage()).compose(stored -> {
        if (stored) {
          return Future.succeededFuture(new Outcome(confirmed, ctx));
        }
        shared.contexts.invalidate(ctx.id());
        if (attempt >= STALE_ATTEMPTS) {
          throw new Refusal(409, "republished", "a new version was being published as you signed; sign again");
        }
        return sign(request, attempt + 1);
      });
    });
  }

  /** True once stored (or known as a repeat), false when its version was stale and nothing was stored. */
  private Future<Boolean> store(SigningRepository.Context ctx, Signer signer, boolean confirmed, boolean kiosk, String ip,
      String lang) {
    SigningRepository.NewSignature n = signature(ctx, signer, confirmed, kiosk, ip, lang);
    return shared.batcher.insert(repository, n).compose(inserted -> {
      if (inserted == SigningRepository.Inserted.STALE) {
        return Future.succeededFuture(false);
      }
      if (inserted == SigningRepository.Inserted.STORED) {
        org.convene.common.Metrics.current().signatureReceived(confirmed);
        if (!confirmed) {
          shared.nudge.run();
        }
        return Future.succeededFuture(true); // a confirmed one is counted by the batch (Batcher)
      }
      return repository.repeat(ctx.id(), signer.emailKey(), RESEND_MINUTES, (conn, existing) -> {
        if (existing.invalidated() || (existing.state().equals("confirmed") && confirmed)) {
          return Future.succeededFuture();
        }
        if (confirmed) { // pending or withdrawn, and no email needed now: counted at once
          return SigningRepository.resign(conn, existing.id(), n);
        }
        if (existing.recentlyMailed()) {
          return Future.succeededFuture();
        }
        if (existing.state().equals("confirmed")) {
          String withdraw = Tokens.newToken();
          return SigningRepository.newWithdrawLink(conn, ctx.id(), existing.id(), Tokens.hash(withdraw),
              messages.alreadySignedDraft(ctx, signer, withdraw, lang));
        }
        return SigningRepository.resign(conn, existing.id(), signature(ctx, signer, false, kiosk, ip, lang));
      }).map(true).onSuccess(v -> {
        if (confirmed) {
          shared.counts.changed(ctx.id());
        } else {
          shared.nudge.run();
        }
      });
    });
  }

  /** The row to store, with fresh link tokens and the confirmation mail when one is needed. */
  private SigningRepository.NewSignature signature(SigningRepository.Context ctx, Signer signer, boolean confirmed,
      boolean kiosk, String ip, String lang) {
    Buffer confirmHash = null;
    Buffer withdrawHash = null;
    SigningRepository.Queued mail = null;
    if (!confirmed) {
      String confirm = Tokens.newToken();
      String withdraw = Tokens.newToken();
      confirmHash = Tokens.hash(confirm);
      withdrawHash = Tokens.hash(withdraw);
      mail = messages.confirmationDraft(ctx, signer, config.confirmDays(), confirm, withdraw, lang);
    }
    return new SigningRepository.NewSignature(ctx.id(), signer, ctx.version(), ctx.sha256(), confirmed, kiosk, ip,
        confirmHash, config.confirmDays(), withdrawHash, mail, lang);
  }

  /** Follows a confirmation link: the manifesto's id once confirmed (for a way back to it), or 404/409 saying why not. */
  Future<String> confirm(String token) {
    return repository.confirm(Tokens.hash(token)).map(followed -> {
      if (followed == null) {
        throw new Refusal(404, "unknown_link", "this confirmation link is not known (it may have been replaced by a newer one)");
      }
      switch (followed.outcome()) {
        case "confirmed" -> {
          shared.counts.changed(followed.manifestoId());
          org.convene.common.Metrics.current().signatureConfirmed();
        }
        case "expired" -> throw new Refusal(404, "expired", "this confirmation link has expired; sign again to get a new one");
        default -> throw new Refusal(409, "withdrawn", "this signature was withdrawn; sign again to sign anew");
      }
      return followed.manifestoId();
    });
  }

  /** Follows a withdraw link (at any time, also before confirming): the manifesto's id, for a way back to it. */
  Future<String> withdraw(String token) {
    return repository.withdraw(Tokens.hash(token)).map(manifestoId -> {
      if (manifestoId == null) {
        throw new Refusal(404, "unknown_link", "this withdraw link is not known (it may have been replaced by a newer one)");
      }
      shared.counts.changed(manifestoId);
      return manifestoId;
    });
  }
}
