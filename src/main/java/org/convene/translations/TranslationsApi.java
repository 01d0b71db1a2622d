package org.convene.translations;

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
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Json;
import org.convene.common.UiPage;
import org.convene.common.Role;
import org.convene.translations.Translations.Row;
import org.convene.translations.Translations.View;
import org.convene.versions.Diff;
import org.convene.versions.VersionReader;

/** REST: target languages, the translator's units, review, memory, publishing (docs/translations.md). */
public final class TranslationsApi {
  static final int MAX_NAME = 60;
  static final int MEMORY_SUGGESTIONS = 5;

  private final Bearer bearer;
  private final TranslationsRepository repository;
  private final Translations translations;
  private final VersionReader versions;

  public TranslationsApi(Vertx vertx, Pool pool, Bearer bearer) {
    this.bearer = bearer;
    this.repository = new TranslationsRepository(pool);
    this.translations = new Translations(vertx.eventBus(), repository);
    this.versions = new VersionReader(vertx, pool);
  }

  public void mount(Router router) {
    String base = "/api/manifestos/:id/translations";
    router.post(base).handler(ctx -> Json.respond(ctx, () -> add(ctx), 201));
    router.get(base).handler(ctx -> Json.respond(ctx, () -> progress(ctx), 200));
    router.get(base + "/published").handler(ctx -> Json.respond(ctx, () -> publishedLanguages(ctx), 200));
    router.get(base + "/:lang").handler(ctx -> Json.respond(ctx, () -> units(ctx), 200));
    router.delete(base + "/:lang").handler(ctx -> Json.respond(ctx, () -> remove(ctx), 200));
    router.post(base + "/:lang/units/:unit/confirm").handler(ctx -> Json.respond(ctx, () -> confirm(ctx), 200));
    router.post(base + "/:lang/units/:unit/review").handler(ctx -> Json.respond(ctx, () -> review(ctx), 200));
    router.get(base + "/:lang/memory").handler(ctx -> Json.respond(ctx, () -> memory(ctx), 200));
    router.post(base + "/:lang/publish").handler(ctx -> Json.respond(ctx, () -> publish(ctx), 201));
    router.get(base + "/:lang/published").handler(ctx -> Json.respond(ctx, () -> published(ctx), 200));
    // The translator's view: the token travels in the fragment, so the page itself is public.
    router.get("/m/:id/translate/:lang").handler(ctx -> UiPage.send(ctx, "translate.html"));
  }

  private Future<JsonObject> add(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).compose(g -> {
      Object raw = Json.body(ctx).getValue("language");
      Languages.Language lang = raw instanceof String s ? Languages.parse(s) : null;
      if (lang == null) {
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
    return bearer.require(ctx, id, Role.VIEWER).compose(g -> translations.view(id, lang)).map(view -> {
      JsonArray units = new JsonArray();
      view.rows().forEach(r -> units.add(unit(r)));
      JsonObject counts = counts(view);
      JsonObject progress = new JsonObject();
      for (String k : List.of("units", "translated", "upToDate", "reviewed")) {
        progress.put(k, counts.remove(k));
      }
      return counts.put("revision", view.revision()).put("sourceRevision", view.sourceRevision())
          .put("progress", progress).put("units", units);
    });
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
      Object state = body.getValue("state", "reviewed");
      if (!"reviewed".equals(state) && !"draft".equals(state)) {
        throw ApiError.invalid(new JsonObject().put("state", "reviewed or draft"));
      }
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
      int unit = queryUnit(ctx);
      String lang = tag(ctx);
      // The unit's text as last cut (the view recuts on every change): no need to read the source.
      return repository.languages(id).compose(languages -> {
        if (languages.stream().noneMatch(l -> l.language().equals(lang))) {
          throw ApiError.of(404, "no translation into " + lang);
        }
        return repository.unitText(id, unit);
      }).compose(text -> {
        if (text == null) {
          throw ApiError.of(404, "no unit " + unit + " in the source");
        }
        return repository.memory(lang, text, id, unit, MEMORY_SUGGESTIONS);
      }).map(list -> {
        JsonArray out = new JsonArray();
        list.forEach(s -> out.add(new JsonObject().put("source", s.source()).put("translation", s.translation())
            .put("similarity", Math.round(s.similarity() * 1000) / 1000.0).put("sameManifesto", s.manifestoId().equals(id))));
        return new JsonObject().put("unit", unit).put("suggestions", out);
      });
    });
  }

  private Future<JsonObject> publish(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lang = tag(ctx);
    return bearer.require(ctx, id, Role.ADMIN).compose(g -> {
      JsonObject body = Json.body(ctx);
      if (!(body.getValue("version") instanceof Integer n) || n < 1) {
        throw ApiError.invalid(new JsonObject().put("version", "the number of a saved version"));
      }
      String by = body.getValue("by") == null ? "admin" : name(body, "by");
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
          String sha = sha256(p.text());
          return repository.publish(id, lang, n, v.sha256(), p.text(), sha, by).map(at -> new JsonObject()
              .put("language", lang).put("version", n).put("sourceSha256", v.sha256()).put("sha256", sha)
              .put("publishedAt", at.toInstant().toString()).put("publishedBy", by));
        });
      });
    });
  }

  private Future<JsonObject> published(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String lang = tag(ctx);
    int n = queryInt(ctx, "version");
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
      return language(language).put("version", p.number()).put("sourceSha256", p.sourceSha256())
          .put("text", p.text()).put("sha256", p.sha256()).put("valid", sha256(p.text()).equals(p.sha256()))
          .put("publishedAt", p.publishedAt().toInstant().toString());
    });
  }

  private Future<JsonArray> publishedLanguages(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int n = queryInt(ctx, "version");
    return versions.readable(ctx, bearer, id, n).compose(v -> {
      if (v == null) {
        throw ApiError.of(404, "no version " + n);
      }
      return repository.publishedLanguages(id, n);
    }).map(tags -> {
      JsonArray out = new JsonArray();
      tags.forEach(t -> out.add(language(Languages.parse(t))));
      return out;
    });
  }

  private static JsonObject counts(View view) {
    int translated = 0;
    int current = 0;
    int reviewed = 0;
    for (Row r : view.rows()) {
      translated += r.state().equals("missing") ? 0 : 1;
      current += r.state().equals("current") ? 1 : 0;
      reviewed += r.reviewed() ? 1 : 0;
    }
    return language(Languages.parse(view.language())).put("doc", view.doc()).put("units", view.rows().size())
        .put("translated", translated).put("upToDate", current).put("reviewed", reviewed);
  }

  private static JsonObject unit(Row r) {
    JsonObject out = new JsonObject().put("unit", r.unit().id()).put("source", r.unit().text())
        .put("translation", r.translation()).put("state", r.state())
        .put("review", r.reviewed() ? "reviewed" : "draft");
    if (r.translated() != null) {
      out.put("translatedBy", r.translated().translatedBy()).put("confirmedBy", r.translated().confirmedBy())
          .put("reviewedBy", r.reviewed() ? r.translated().reviewedBy() : null);
    }
    if (r.state().equals("outdated")) {
      String from = r.translated().sourceText() == null ? "" : r.translated().sourceText();
      JsonArray diff = new JsonArray();
      for (Diff.Change c : Diff.between(from, r.unit().text())) {
        diff.add(new JsonObject().put("op", c.kind().name().toLowerCase(java.util.Locale.ROOT)).put("text", c.text()));
      }
      out.put("translatedFrom", from).put("diff", diff);
    }
    return out;
  }

  private static JsonObject language(Languages.Language l) {
    return new JsonObject().put("language", l.tag()).put("name", l.name()).put("dir", l.dir());
  }

  private static Row row(View view, int unit) {
    return view.rows().stream().filter(r -> r.unit().id() == unit).findFirst()
        .orElseThrow(() -> ApiError.of(404, "no unit " + unit + " in the source"));
  }

  /** The path's language in canonical form; 404 for a tag that cannot be one of ours. */
  private static String tag(RoutingContext ctx) {
    Languages.Language l = Languages.parse(ctx.pathParam("lang"));
    if (l == null) {
      throw ApiError.of(404, "no translation into " + ctx.pathParam("lang"));
    }
    return l.tag();
  }

  private static int unitParam(RoutingContext ctx) {
    String raw = ctx.pathParam("unit");
    if (raw == null || !raw.matches("[1-9][0-9]{0,8}")) {
      throw ApiError.of(404, "no unit " + raw);
    }
    return Integer.parseInt(raw);
  }

  private static int queryUnit(RoutingContext ctx) {
    return queryInt(ctx, "unit");
  }

  private static int queryInt(RoutingContext ctx, String name) {
    String raw = ctx.queryParams().get(name);
    if (raw == null || !raw.matches("[1-9][0-9]{0,8}")) {
      throw ApiError.invalid(new JsonObject().put(name, "a whole number from 1"));
    }
    return Integer.parseInt(raw);
  }

  /** A display name: 1 to 60 characters after trimming, no control characters. */
  static String name(JsonObject body, String field) {
    String s = body.getValue(field) instanceof String raw ? raw.strip() : null;
    if (s == null || s.isEmpty() || s.length() > MAX_NAME || s.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiError.invalid(new JsonObject().put(field, "the name you joined with, 1 to " + MAX_NAME + " characters"));
    }
    return s;
  }

  static boolean sameName(String a, String b) {
    return b != null && java.text.Normalizer.normalize(a.strip(), java.text.Normalizer.Form.NFKC)
        .equalsIgnoreCase(java.text.Normalizer.normalize(b.strip(), java.text.Normalizer.Form.NFKC));
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
