package org.convene.manifesto;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.convene.common.AddressLimiter;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.ClientAddress;
import org.convene.common.Config;
import org.convene.common.I18n;
import org.convene.common.Json;
import org.convene.common.Role;
import org.convene.common.Tokens;
import org.convene.common.UiPage;

/**
 * {@code POST /api/manifestos/{id}/links/email}: the links page mails a manifesto's three links to
 * the person who created it. Only an admin may ask, the edit and view tokens must be this
 * manifesto's own (their hashes compared as the token store keeps them), and the message is a fixed
 * text in the asker's interface language holding nothing but the three links: no title or other
 * text of the asker's choosing, so it is worthless as a relay. Bounded per manifesto and per client
 * address.
 *
 * <p>Sent directly over SMTP, not through signing's outbox: the outbox keeps each body in the
 * database until it is sent, and the admin link must exist nowhere in clear (the database holds
 * only its hash, and backups copy the database). Sending at once also lets the page say whether
 * the mail server took the message.
 */
final class LinksEmail {
  /** Messages per manifesto at once, and then one an hour. */
  static final int PER_MANIFESTO_BURST = 3;
  static final int PER_MANIFESTO_PER_HOUR = 1;
  /** Requests per client address at once, and then per hour. */
  static final int PER_ADDRESS_BURST = 5;
  static final int PER_ADDRESS_PER_HOUR = 10;
  private static final Logger LOG = Logger.getLogger(LinksEmail.class.getName());

  private final ManifestoRepository repository;
  private final Bearer bearer;
  private final Config.Mail mail;
  private final String publicUrl;
  private final boolean trustProxy;
  private final AddressLimiter perAddress;
  private final AddressLimiter perManifesto;
  private final MailClient client;

  LinksEmail(ManifestoRepository repository, Bearer bearer, Vertx vertx, Config config) {
    this.repository = repository;
    this.bearer = bearer;
    this.mail = config.mail();
    this.publicUrl = config.publicUrl();
    this.trustProxy = config.trustProxy();
    this.perAddress = AddressLimiter.shared(vertx, "links-email", PER_ADDRESS_PER_HOUR, PER_ADDRESS_BURST);
    // Keyed by manifesto id: the limiter's buckets serve any key.
    this.perManifesto = AddressLimiter.shared(vertx, "links-email-manifesto", PER_MANIFESTO_PER_HOUR, PER_MANIFESTO_BURST);
    // One pool for all the HTTP verticles; it closes with Vert.x.
    this.client = mail.configured() ? MailClient.createShared(vertx, mail.clientConfig(publicUrl).setKeepAlive(false), "convene.links-email") : null;
    // Said once per server (each event loop's HTTP verticle builds one of these).
    if (client == null && vertx.sharedData().getLocalMap("convene.said").putIfAbsent("links-email-off", true) == null) {
      LOG.info("SMTP_HOST is not set: the links page does not offer to email a new manifesto's links; they are shown"
          + " once, to download or copy, and never written to this log");
    }
  }

  /** Whether this server mails the links (the creation answer tells the page). */
  boolean available() {
    return client != null;
  }

  void mount(Router router) {
    router.post("/api/manifestos/:id/links/email").handler(ctx -> Json.respond(ctx, () -> send(ctx), 200));
  }

  private Future<JsonObject> send(RoutingContext ctx) {
    if (client == null) {
      throw ApiError.of(503, "this server does not send mail (SMTP_HOST is not set): download or copy the links instead");
    }
    long wait = perAddress.take(ClientAddress.of(ctx, trustProxy));
    if (wait > 0) {
      throw ApiError.rateLimited("too many link emails asked for from this address; try again in " + wait + " s", wait);
    }
    String id = ctx.pathParam("id");
    String lang = UiPage.language(ctx);
    String admin = adminToken(ctx);
    return bearer.require(ctx, id, Role.ADMIN)
        .compose(grant -> repository.find(id))
        .compose(m -> {
          if (m == null) {
            throw ApiError.of(404, "no manifesto " + id);
          }
          Request r = Request.parse(Json.body(ctx));
          return repository.tokenHashes(id).map(hashes -> {
            if (!holds(hashes, Role.EDITOR, r.editor())) {
              throw ApiError.of(403, "editor is not this manifesto's edit token");
            }
            if (!holds(hashes, Role.VIEWER, r.viewer())) {
              throw ApiError.of(403, "viewer is not this manifesto's view token");
            }
            return r;
          });
        })
        .compose(r -> {
          long later = perManifesto.take(id);
          if (later > 0) {
            throw ApiError.rateLimited("the links of this manifesto have been mailed " + PER_MANIFESTO_BURST
                + " times already; try again in " + later + " s", later);
          }
          return client.sendMail(message(lang, id, admin, r)).timeout(60, TimeUnit.SECONDS)
              .recover(err -> Future.failedFuture(ApiError.of(503,
                  "the mail server did not take the message; try again in a few minutes")));
        })
        .map(result -> new JsonObject().put("status", "sent"));
  }

  /** {@code {email, editor, viewer}}, their shape checked by the API document; the address trimmed. */
  record Request(String email, String editor, String viewer) {
    static Request parse(JsonObject body) {
      return new Request(body.getString("email").strip(), body.getString("editor"), body.getString("viewer"));
    }
  }

  private static boolean holds(Map<Role, List<byte[]>> hashes, Role role, String token) {
    byte[] given = Tokens.hash(token).getBytes();
    return hashes.getOrDefault(role, List.of()).stream().anyMatch(h -> MessageDigest.isEqual(h, given));
  }

  /** The admin token the request was authorised with (Bearer has checked it by then). */
  private static String adminToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
  }

  private MailMessage message(String lang, String id, String admin, Request r) {
    String base = publicUrl + "/m/" + encode(id);
    String text = I18n.format(lang, "create.mailBody",
        "admin", base + "/admin#token=" + encode(admin),
        "editor", base + "/edit#token=" + encode(r.editor()),
        "viewer", base + "/view#token=" + encode(r.viewer()),
        "site", URI.create(publicUrl).getHost());
    return new MailMessage().setFrom(mail.from()).setTo(r.email())
        .setSubject(I18n.format(lang, "create.mailSubject")).setText(text);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
