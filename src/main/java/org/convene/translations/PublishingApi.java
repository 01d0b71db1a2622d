package org.convene.translations;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Json;
import org.convene.common.Role;
import org.convene.versions.VersionReader;

/**
 * REST: publishing a translation with a source version, and reading what was published
 * (docs/translations.md, "Publishing"). Routes are mounted by {@link TranslationsApi}.
 */
final class PublishingApi {
  private final Bearer bearer;
  private final TranslationsRepository repository;
  private final Translations translations;
  private final VersionReader versions;

  PublishingApi(Bearer bearer, TranslationsRepository repository, Translations translations, VersionReader versions) {
    this.bearer = bearer;
    this.repository = repository;
    this.translations = translations;
    this.versions = versions;
  }

  Future<JsonObject> publish(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lang = Params.tag(ctx);
    return bearer.require(ctx, id, Role.ADMIN).compose(g -> {
      JsonObject body = Json.body(ctx);
      int n = body.getInteger("version");
      String by = body.getValue("by") == null ? "admin" : Params.name(body, "by");
      return versions.readable(ctx, bearer, id, n).compose(v -> {
        if (v == null) {
          throw ApiError.of(404, "no version " + n);
        }
        return translations.view(id, lang).compose(view -> {
          Publishing p = Publishing.of(v.text(), view.rows());
          if (!p.missing().isEmpty()) {
            throw new ApiError(409, "incomplete", p.missing().size() + " units of version " + n
                + " have no up-to-date translation: " + p.missing(), new JsonObject().put("units", new JsonArray(p.missing())));
          }
          String sha = TranslationsApi.sha256(p.text());
          return repository.publish(id, lang, n, v.sha256(), p.text(), sha, by).map(at -> new JsonObject()
              .put("language", lang).put("version", n).put("sourceSha256", v.sha256()).put("sha256", sha)
              .put("publishedAt", at.toInstant().toString()).put("publishedBy", by));
        });
      });
    });
  }

  Future<JsonObject> published(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lang = Params.tag(ctx);
    int n = Params.queryInt(ctx, "version");
    return versions.readable(ctx, bearer, id, n).compose(v -> {
      if (v == null) {
        throw ApiError.of(404, "no version " + n);
      }
      return repository.published(id, n, lang);
    }).map(p -> {
      if (p == null) {
        throw ApiError.of(404, "no translation into " + lang + " is published for version " + n);
      }
      Languages.Language language = Languages.parse(p.language());
      return TranslationsJson.language(language).put("version", p.number()).put("sourceSha256", p.sourceSha256())
          .put("text", p.text()).put("sha256", p.sha256()).put("valid", TranslationsApi.sha256(p.text()).equals(p.sha256()))
          .put("publishedAt", p.publishedAt().toInstant().toString());
    });
  }

  Future<JsonArray> publishedLanguages(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int n = Params.queryInt(ctx, "version");
    return versions.readable(ctx, bearer, id, n).compose(v -> {
      if (v == null) {
        throw ApiError.of(404, "no version " + n);
      }
      return repository.publishedLanguages(id, n);
    }).map(tags -> {
      JsonArray out = new JsonArray();
      tags.forEach(t -> out.add(TranslationsJson.language(Languages.parse(t))));
      return out;
    });
  }
}
