package org.convene.manifesto;

import org.convene.common.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.util.Objects;
import org.convene.common.AddressLimiter;
import org.convene.common.ClientAddress;
import org.convene.common.Tokens;
import org.convene.common.Config;
import org.convene.collab.Addresses;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Json;
import org.convene.common.Text;

/**
 * REST: create a manifesto, read it, mail its links to its creator ({@link LinksEmail}). Creating is open to anyone unless CREATE_TOKEN is set, so it is
 * bounded per client address (CREATE_RATE_PER_HOUR, CREATE_BURST) and in size (MAX_INITIAL_TEXT).
 */
public final class ManifestoApi {

  private final ManifestoRepository repository;
  private final Bearer bearer;
  private final EventBus eventBus;
  private final Config.Creation creation;
  private final boolean trustProxy;
  private final AddressLimiter limiter;
  private final byte[] createTokenHash;
  private final LinksEmail linksEmail;

  public ManifestoApi(ManifestoRepository repository, Bearer bearer, Vertx vertx, Config config) {
    this.repository = repository;
    this.bearer = bearer;
    this.eventBus = vertx.eventBus();
    this.creation = config.creation();
    this.trustProxy = config.trustProxy();
    this.limiter = AddressLimiter.shared(vertx, "create", creation.perHour(), creation.burst());
    this.createTokenHash = creation.token() == null ? null : Tokens.hash(creation.token()).getBytes();
    this.linksEmail = new LinksEmail(repository, bearer, vertx, config);
  }

  public void mount(Router router) {
    router.post("/api/manifestos").handler(ctx -> Json.respond(ctx, () -> create(ctx), 201));
    router.get("/api/manifestos/:id").handler(ctx -> Json.respond(ctx, () -> get(ctx), 200));
    linksEmail.mount(router);
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    admit(ctx);
    NewManifesto m = NewManifesto.parse(Json.body(ctx), creation.maxInitialText());
    return repository.create(m.title(), m.language(), m.text()).map(c -> new JsonObject()
        .put("id", c.manifesto().id())
        .put("title", c.manifesto().title())
        .put("tokens", new JsonObject().put("admin", c.admin()).put("editor", c.editor()).put("viewer", c.viewer()))
        .put("emailLinks", linksEmail.available()));
  }

  /** The address's budget first (it also bounds guessing the token), then the creation token if one is set. */
  private void admit(RoutingContext ctx) {
    long wait = limiter.take(ClientAddress.of(ctx, trustProxy));
    if (wait > 0) {
      throw ApiError.rateLimited("too many manifestos created from this address; try again in " + wait + " s", wait);
    }
    if (createTokenHash != null && !MessageDigest.isEqual(createTokenHash, Tokens.hash(bearerToken(ctx)).getBytes())) {
      throw ApiError.of(401, "creating a manifesto on this server needs its creation token:"
          + " send Authorization: Bearer <token>");
    }
  }

  /**
   * {@code POST /api/manifestos}: {title, text?, language?}, its shape checked by the API document (types,
   * title one line of at most 200 characters, language a tag). Left here: the title trimmed, common.Text's
   * characters, and the text's length in UTF-16 units (413, a setting of this server).
   */
  record NewManifesto(String title, String language, String text) {
    static NewManifesto parse(JsonObject body, int maxText) {
      String title = body.getString("title").strip();
      String text = Objects.requireNonNullElse(body.getString("text"), "");
      if (text.length() > maxText) {
        throw new ApiError(413, "too_large", "the initial text is longer than " + maxText
            + " characters (UTF-16 units); create the manifesto with less and add the rest by editing",
            new JsonObject().put("text", "at most " + maxText + " characters"));
      }
      JsonObject bad = new JsonObject();
      if (Text.problem(title) != null) {
        bad.put("title", Text.problem(title));
      }
      if (Text.problem(text) != null) {
        bad.put("text", Text.problem(text));
      }
      if (!bad.isEmpty()) {
        throw ApiError.invalid(bad);
      }
      return new NewManifesto(title, Objects.requireNonNullElse(body.getString("language"), "en"), text);
    }
  }

  /** The bearer token of the request, or "" (which matches no creation token). */
  private static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
  }

  private Future<JsonObject> get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.VIEWER)
        .compose(grant -> repository.find(id))
        .compose(m -> {
          if (m == null) {
            throw ApiError.of(404, "no manifesto " + id);
          }
          return eventBus.<JsonObject>request(Addresses.READ, new JsonObject().put("doc", id))
              .map(reply -> new JsonObject()
                  .put("id", m.id())
                  .put("title", m.title())
                  .put("revision", reply.body().getInteger("revision"))
                  .put("text", reply.body().getString("text"))
                  .put("language", m.language()));
        });
  }
}
