package org.convene.translations;

import static org.convene.translations.Params.name;
import static org.convene.translations.Params.sameName;
import static org.convene.translations.Params.tag;
import static org.convene.translations.Params.unitParam;
import static org.convene.translations.TranslationsJson.counts;
import static org.convene.translations.TranslationsJson.language;
import static org.convene.translations.TranslationsJson.row;
import static org.convene.translations.TranslationsJson.unit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Json;
import org.convene.common.UiPage;
import org.convene.common.Role;
import org.convene.translations.Translations.Row;
import org.convene.translations.Translations.View;
import org.convene.versions.VersionReader;

/** REST: target languages, the translator's units, review, memory, publishing (docs/translations.md). */
public final class TranslationsApi {
  static final int MEMORY_SUGGESTIONS = 5;

  private final Bearer bearer;
  private final TranslationsRepository repository;
  private final Translations translations;
  private final PublishingApi publishing;
  private final TranslatorLinks links;

  public TranslationsApi(Vertx vertx, Pool pool, Bearer bearer) {
    this.bearer = bearer;
    this.repository = new TranslationsRepository(pool);
    this.translations = new Translations(vertx.eventBus(), repository);
    this.publishing = new PublishingApi(bearer, repository, translations, new VersionReader(vertx, pool));
    this.links = new TranslatorLinks(pool);
  }

  public void mount(Router router) {
    String base = "/api/manifestos/:id/translations";
    router.post(base).handler(ctx -> Json.respond(ctx, () -> add(ctx), 201));
    router.get(base).handler(ctx -> Json.respond(ctx, () -> progress(ctx), 200));
    router.get(base + "/published").handler(ctx -> Json.respond(ctx, () -> publishing.publishedLanguages(ctx), 200));
    router.get(base + "/:lang").handler(ctx -> Json.respond(ctx, () -> units(ctx), 200));
    router.delete(base + "/:lang").handler(ctx -> Json.respond(ctx, () -> remove(ctx), 200));
    router.post(base + "/:lang/units/:unit/confirm").handler(ctx -> Json.respond(ctx, () -> confirm(ctx), 200));
    router.post(base + "/:lang/units/:unit/review").handler(ctx -> Json.respond(ctx, () -> review(ctx), 200));
    router.get(base + "/:lang/memory").handler(ctx -> Json.respond(ctx, () -> memory(ctx), 200));
    router.post(base + "/:lang/links").handler(ctx -> Json.respond(ctx, () -> link(ctx), 201));
    router.post(base + "/:lang/publish").handler(ctx -> Json.respond(ctx, () -> publishing.publish(ctx), 201));
    router.get(base + "/:lang/published").handler(ctx -> Json.respond(ctx, () -> publishing.published(ctx), 200));
    // The pages: the token travels in the fragment, so the pages themselves are public.
    router.get("/m/:id/translate/:lang").handler(ctx -> UiPage.send(ctx, "translate.html"));
    router.get("/m/:id/translations").handler(ctx -> UiPage.send(ctx, "translations.html"));
  }

  private Future<JsonObject> add(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).compose(g -> {
      Languages.Language lang = Languages.parse(Json.body(ctx).getString("language"));
      if (lang == null) { // a tag, but of no language ICU can name
        throw ApiError.invalid(new JsonObject().put("language", "a BCP 47 tag of a known language, such as es, ar, fa-IR or zh-Hant"));
      }
      return repository.sourceLanguage(id).compose(source -> {
        if (source == null) {
          throw ApiError.of(404, "no manifesto " + id);
        }
        if (source.equalsIgnoreCase(lang.tag())) {
          throw ApiError.invalid(new JsonObject().put("language", "is the manifesto's own language"));
        }
        String doc = id + ":" + lang.tag();
        return translations.source(id)
            .compose(s -> repository.addLanguage(id, lang.tag(), doc, TranslationText.initial(s.units())))
            .map(added -> {
              if (!added) {
                throw ApiError.of(409, "a translation into " + lang.tag() + " exists already");
              }
              return language(lang).put("doc", doc);
            });
      });
    });
  }

  private Future<JsonObject> remove(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).compose(g -> repository.removeLanguage(id, tag(ctx)))
        .map(removed -> {
          if (!removed) {
            throw ApiError.of(404, "no translation into " + ctx.pathParam("lang"));
          }
          return new JsonObject().put("language", tag(ctx)).put("removed", true);
        });
  }

  private Future<JsonArray> progress(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.VIEWER).compose(g -> repository.languages(id))
        .compose(languages -> translations.source(id).compose(source -> {
          List<Future<View>> views = new ArrayList<>();
          languages.forEach(l -> views.add(translations.view(id, l.language(), source)));
          return Future.all(views).map(all -> {
            JsonArray out = new JsonArray();
            views.forEach(v -> out.add(counts(v.result())));
            return out;
          });
        }));
  }

  private Future<JsonObject> units(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lang = tag(ctx);
    return bearer.require(ctx, id, Role.VIEWER).compose(g -> translations.view(id, lang))
        .compose(view -> repository.sourceLanguage(id).map(source -> {
      JsonArray units = new JsonArray();
      view.rows().forEach(r -> units.add(unit(r)));
      JsonObject counts = counts(view);
      JsonObject progress = new JsonObject();
      for (String k : List.of("units", "translated", "upToDate", "reviewed")) {
        progress.put(k, counts.remove(k));
      }
      return counts.put("revision", view.revision()).put("sourceRevision", view.sourceRevision())
          .put("source", TranslationsJson.source(source)).put("progress", progress).put("units", units);
    }));
  }

  /** A new editor link for translators, opening this language's view (tokens are stored hashed: one each time). */
  private Future<JsonObject> link(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lang = tag(ctx);
    return bearer.require(ctx, id, Role.ADMIN).compose(g -> repository.languages(id)).compose(languages -> {
      if (languages.stream().noneMatch(l -> l.language().equals(lang))) {
        throw ApiError.of(404, "no translation into " + lang);
      }
      return links.create(id);
    }).map(token -> new JsonObject().put("language", lang).put("role", "editor")
        .put("path", "/m/" + id + "/translate/" + lang + "#token=" + token));
  }

  private Future<JsonObject> confirm(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.EDITOR).compose(g -> {
      String name = name(Json.body(ctx), "name");
      int unit = unitParam(ctx);
      return translations.view(id, tag(ctx)).compose(view -> {
        Row row = row(view, unit);
        if (row.state().equals("missing")) {
          throw ApiError.of(409, "unit " + unit + " has no translation to confirm");
        }
        return repository.confirm(id, tag(ctx), unit, row.unit().text(), name);
      }).compose(v -> translations.view(id, tag(ctx))).map(view -> unit(row(view, unit)));
    });
  }

  private Future<JsonObject> review(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.EDITOR).compose(g -> {
      JsonObject body = Json.body(ctx);
      String name = name(body, "name");
      String state = Objects.requireNonNullElse(body.getString("state"), "reviewed");
      int unit = unitParam(ctx);
      return translations.view(id, tag(ctx)).compose(view -> {
        Row row = row(view, unit);
        if (state.equals("reviewed")) {
          if (!row.state().equals("current")) {
            throw ApiError.of(409, "unit " + unit + " is " + row.state() + ": only an up-to-date translation is reviewed");
          }
          if (sameName(name, row.translated().translatedBy())) {
            throw ApiError.of(409, "a translation is reviewed by someone other than its translator ("
                + row.translated().translatedBy() + ")");
          }
        }
        return repository.review(id, tag(ctx), unit, state.equals("reviewed") ? name : null);
      }).compose(v -> translations.view(id, tag(ctx))).map(view -> unit(row(view, unit)));
    });
  }

  private Future<JsonObject> memory(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.EDITOR).compose(g -> {
      int unit = Params.queryInt(ctx, "unit");
      String lang = tag(ctx);
      // The unit's text as last cut (the view recuts on every change): one query, no need to read the source.
      return repository.memory(lang, id, unit, MEMORY_SUGGESTIONS).map(memory -> {
        if (!memory.known()) {
          throw ApiError.of(404, "no translation into " + lang);
        }
        if (memory.source() == null) {
          throw ApiError.of(404, "no unit " + unit + " in the source");
        }
        return memory.suggestions();
      }).map(list -> {
        JsonArray out = new JsonArray();
        list.forEach(s -> out.add(new JsonObject().put("source", s.source()).put("translation", s.translation())
            .put("similarity", Math.round(s.similarity() * 1000) / 1000.0).put("sameManifesto", s.manifestoId().equals(id))));
        return new JsonObject().put("unit", unit).put("suggestions", out);
      });
    });
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
