package org.convene.versions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.List;
import org.convene.manifesto.ManifestoRepository;
import org.convene.common.Role;
import org.convene.versions.VersionsRepository.Version;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Json;

/** REST for versions, history and diffs (docs/rest-api.md). Handlers: check, decode, call, encode. */
public final class VersionsApi {
  private static final String BASE = "/api/manifestos/:id";

  private final Versions versions;
  private final ManifestoRepository manifestos;
  private final Bearer bearer;

  public VersionsApi(Vertx vertx, Pool pool, Bearer bearer) {
    VersionsRepository repository = new VersionsRepository(pool);
    this.versions = new Versions(vertx, repository, new History(vertx, repository));
    this.manifestos = new ManifestoRepository(pool);
    this.bearer = bearer;
  }

  public void mount(Router router) {
    router.post(BASE + "/versions").handler(ctx -> Json.respond(ctx, () -> create(ctx), 201));
    router.get(BASE + "/versions").handler(ctx -> Json.respond(ctx, () -> list(ctx), 200));
    router.get(BASE + "/versions/:n").handler(ctx -> Json.respond(ctx, () -> get(ctx), 200));
    router.post(BASE + "/versions/:n/publish").handler(ctx -> Json.respond(ctx, () -> publish(ctx), 200));
    router.get(BASE + "/versions/:n/verify").handler(ctx -> Json.respond(ctx, () -> verify(ctx), 200));
    router.post(BASE + "/versions/:n/restore").handler(ctx -> Json.respond(ctx, () -> restore(ctx), 200));
    router.get(BASE + "/revisions/:r").handler(ctx -> Json.respond(ctx, () -> revision(ctx), 200));
    router.get(BASE + "/diff").handler(ctx -> Json.respond(ctx, () -> diff(ctx), 200));
    router.get(BASE + "/published").handler(ctx -> Json.respond(ctx, () -> published(ctx), 200));
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).compose(grant -> {
      Input.NewVersion in = Input.NewVersion.parse(Json.body(ctx));
      return versions.create(id, in.name(), in.note(), in.by());
    }).map(v -> summary(v, null).put("chain", v.chain()));
  }

  private Future<JsonArray> list(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.VIEWER)
        .compose(grant -> Future.all(versions.list(id), versions.current(id)))
        .map(all -> {
          JsonArray out = new JsonArray();
          List<Version> list = all.resultAt(0);
          list.forEach(v -> out.add(summary(v, all.resultAt(1))));
          return out;
        });
  }

  /** Public once published; before that, for viewers (and the same 401/403 whether it exists or not). */
  private Future<JsonObject> get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int n = Integer.parseInt(ctx.pathParam("n"));
    return versions.find(id, n).otherwise(err -> null)
        .compose(v -> v != null && v.published() ? Future.succeededFuture(v)
            : bearer.require(ctx, id, Role.VIEWER).compose(grant -> versions.find(id, n)))
        .compose(this::full);
  }

  private Future<JsonObject> publish(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).compose(grant -> {
      int n = Integer.parseInt(ctx.pathParam("n"));
      return versions.publish(id, n, Input.by(Input.optionalBody(ctx))).map(found -> {
        if (!found) {
          throw ApiError.of(404, "no version " + n);
        }
        return new JsonObject().put("number", n).put("published", true);
      });
    });
  }

  private Future<JsonObject> verify(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.VIEWER)
        .compose(grant -> versions.verify(id, Integer.parseInt(ctx.pathParam("n"))))
        .map(v -> new JsonObject().put("valid", v.valid()).put("checked", v.checked())
            .put("brokenAt", v.brokenAt()).put("reason", v.reason()));
  }

  private Future<JsonObject> restore(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).compose(grant -> {
      int n = Integer.parseInt(ctx.pathParam("n"));
      return versions.restore(id, n, Input.by(Input.optionalBody(ctx)))
          .map(r -> new JsonObject().put("revision", r.revision()).put("number", n).put("unchanged", r.unchanged()));
    });
  }

  private Future<JsonObject> revision(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    History history = versions.history();
    return bearer.require(ctx, id, Role.VIEWER).compose(grant -> {
      int r = Integer.parseInt(ctx.pathParam("r"));
      boolean authors = "true".equals(ctx.queryParams().get("authors"));
      // All at once: replaying refuses a revision that is not stored, so nothing waits for the check.
      return Future.all(history.check(id, r), history.textAt(id, r),
          authors ? history.authorsAt(id, r) : Future.succeededFuture());
    }).map(all -> {
      History.Text t = all.resultAt(1);
      JsonObject out = new JsonObject().put("revision", t.revision()).put("text", t.text())
          .put("time", t.time() == null ? null : Chain.time(t.time()));
      Attribution a = all.resultAt(2);
      return a == null ? out : out.put("runs", runs(a));
    });
  }

  private Future<JsonObject> diff(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.VIEWER).compose(grant -> {
      Versions.Point from = point(ctx.queryParams().get("from"));
      Versions.Point to = point(ctx.queryParams().get("to"));
      return Future.all(versions.resolve(id, from), versions.resolve(id, to));
    }).compose(sides -> {
      Versions.Side a = sides.resultAt(0);
      Versions.Side b = sides.resultAt(1);
      return versions.diff(a.text(), b.text()).map(changes -> {
        JsonArray out = new JsonArray();
        for (Diff.Change c : changes) {
          JsonObject change = new JsonObject().put("op", c.kind().name().toLowerCase(java.util.Locale.ROOT)).put("text", c.text());
          out.add(c.move() == 0 ? change : change.put("move", c.move()));
        }
        return new JsonObject().put("from", a.point().toString()).put("to", b.point().toString())
            .put("fromRevision", a.revision()).put("toRevision", b.revision()).put("changes", out);
      });
    });
  }

  /** Public: the version published last, with the manifesto's title and language, for the public page. */
  private Future<JsonObject> published(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return versions.published(id).compose(v -> {
      if (v == null) {
        throw ApiError.of(404, "nothing is published for " + id + " yet");
      }
      return Future.all(full(v), manifestos.find(id));
    }).map(all -> {
      ManifestoRepository.Manifesto m = all.resultAt(1);
      return all.<JsonObject>resultAt(0).put("title", m.title()).put("language", m.language());
    });
  }

  private Future<JsonObject> full(Version v) {
    return Future.all(versions.contributors(v.manifestoId(), v.revision()), versions.current(v.manifestoId()))
        .map(all -> {
          JsonArray contributors = new JsonArray();
          List<Versions.Contributor> list = all.resultAt(0);
          for (Versions.Contributor c : list) {
            JsonObject credit = new JsonObject().put("name", c.name()).put("share", c.share())
                .put("characters", c.characters());
            contributors.add(c.name().equals(Attribution.INITIAL) ? credit.put("initial", true) : credit);
          }
          return summary(v, all.resultAt(1)).put("chain", v.chain()).put("text", v.text())
              .put("contributors", contributors);
        });
  }

  private static JsonObject summary(Version v, Integer current) {
    return new JsonObject()
        .put("number", v.number())
        .put("name", v.name())
        .put("note", v.note())
        .put("revision", v.revision())
        .put("sha256", v.sha256())
        .put("published", v.published())
        .put("current", current != null && current == v.number())
        .put("createdAt", Chain.time(v.createdAt()))
        .put("createdBy", v.createdBy())
        .put("publishedAt", v.publishedAt() == null ? null : Chain.time(v.publishedAt()));
  }

  private static JsonArray runs(Attribution a) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < a.runs(); i++) {
      out.add(new JsonObject().put("author", a.authorAt(i)).put("length", a.lengthAt(i)));
    }
    return out;
  }

  /** "v3" or "r120", as the API document lets through. */
  private static Versions.Point point(String raw) {
    return new Versions.Point(raw.charAt(0), Integer.parseInt(raw.substring(1)));
  }
}
