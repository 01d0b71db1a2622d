package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.logging.Logger;
import org.convene.common.ApiError;
import org.convene.common.Bearer;
import org.convene.common.Json;
import org.convene.common.Role;

/**
 * The organisers' tools (admin token): export, counts by day, erase on request, the abuse report,
 * and invalidation by filter with its dry run and its undoing (docs/signing.md).
 */
final class OrganiserApi {
  private static final Logger LOG = Logger.getLogger(OrganiserApi.class.getName());
  private static final String BASE = SigningApi.BASE + "/signatures";

  private final SigningRepository repository;
  private final OrganiserRepository tools;
  private final Bearer bearer;
  private final Shared shared;

  OrganiserApi(SigningRepository repository, Bearer bearer, Shared shared) {
    this.repository = repository;
    this.tools = new OrganiserRepository(repository.pool());
    this.bearer = bearer;
    this.shared = shared;
  }

  void mount(Router router) {
    router.get(BASE + "/export.csv").handler(ctx -> export(ctx, true));
    router.get(BASE + "/export.json").handler(ctx -> export(ctx, false));
    router.get(BASE + "/stats").handler(ctx -> SigningApi.reply(ctx, () -> admin(ctx).compose(id ->
        Future.all(shared.counts.current(repository, id), tools.byDay(id), tools.byLanguage(id)).map(all -> {
          LiveCount.Snapshot s = all.resultAt(0);
          return new JsonObject().put("confirmed", s.body().getLong("confirmed"))
              .put("byCountry", s.body().getJsonObject("byCountry")).put("byDay", all.resultAt(1))
              .put("byLanguage", all.resultAt(2));
        })), 200));
    router.post(BASE + "/erase").handler(ctx -> SigningApi.reply(ctx, () -> erase(ctx), 200));
    router.get(BASE + "/report").handler(ctx -> SigningApi.reply(ctx, () -> admin(ctx).compose(id -> {
      return tools.report(id, SigningApi.intParam(ctx, "minutes", 60), SigningApi.intParam(ctx, "top", 20));
    }), 200));
    router.post(BASE + "/invalidate").handler(ctx -> SigningApi.reply(ctx, () -> invalidate(ctx), 200));
    router.get(BASE + "/invalidations").handler(ctx -> SigningApi.reply(ctx,
        () -> admin(ctx).compose(tools::invalidations), 200));
    router.post(BASE + "/invalidations/:iid/undo").handler(ctx -> SigningApi.reply(ctx, () -> undo(ctx), 200));
  }

  /** The manifesto id once the admin token is checked. */
  private Future<String> admin(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return bearer.require(ctx, id, Role.ADMIN).map(g -> id);
  }

  private void export(RoutingContext ctx, boolean csv) {
    admin(ctx).compose(id -> {
      ctx.response().putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"signatures-" + id + (csv ? ".csv\"" : ".json\""))
          .putHeader("Cache-Control", "no-store");
      return csv
          ? Export.stream(tools.pool(), OrganiserRepository.EXPORT, Tuple.of(id), ctx.response(), Export.csvHeader(),
              Export::csvRow, "", "")
          : Export.stream(tools.pool(), OrganiserRepository.EXPORT, Tuple.of(id), ctx.response(), "[\n",
              Export::jsonRow, ",\n", "\n]\n");
    }).onFailure(err -> {
      if (!ctx.response().headWritten()) {
        Json.error(err).send(ctx);
      } else {
        LOG.warning("export cut short: " + err.getMessage());
        ctx.response().reset();
      }
    });
  }

  private Future<JsonObject> erase(RoutingContext ctx) {
    return admin(ctx).compose(id -> {
      JsonObject body = Json.body(ctx);
      Long signature = body.getLong("id");
      String email = body.getString("email");
      if ((signature == null) == (email == null)) {
        throw ApiError.invalid(new JsonObject().put("id", "give either the signature's id (a number, from the export) "
            + "or the signer's email"));
      }
      String key = email == null ? null : Emails.normalise(email);
      return tools.erase(id, signature, key).map(n -> {
        LOG.info("erased " + n + " signature(s) of " + id + " on request");
        shared.counts.changed(id);
        return new JsonObject().put("erased", n);
      });
    });
  }

  private Future<JsonObject> invalidate(RoutingContext ctx) {
    return admin(ctx).compose(id -> {
      JsonObject body = Json.body(ctx);
      JsonObject bad = new JsonObject();
      String ip = stripped(body, "ip");
      String domain = stripped(body, "domain");
      Instant from = time(body, "from", bad);
      Instant to = time(body, "to", bad);
      if (bad.isEmpty() && ip == null && domain == null && from == null && to == null) {
        bad.put("ip", "give at least one of ip, domain, from, to");
      }
      if (!bad.isEmpty()) {
        throw ApiError.invalid(bad);
      }
      OrganiserRepository.Filter f = new OrganiserRepository.Filter(ip, domain == null ? null : domain.toLowerCase(), from, to);
      if (Boolean.TRUE.equals(body.getBoolean("dryRun"))) {
        return tools.matching(id, f).map(n -> new JsonObject().put("dryRun", true).put("matched", n));
      }
      return tools.invalidate(id, f, Objects.requireNonNullElse(body.getString("reason"), "")).map(done -> {
        LOG.info("invalidated " + done.getInteger("invalidated") + " signature(s) of " + id + " by " + f.json().encode()
            + " (invalidation " + done.getLong("id") + ")");
        shared.counts.changed(id);
        return done;
      });
    }).recover(err -> Future.failedFuture(isBadInet(err)
        ? ApiError.invalid(new JsonObject().put("ip", "an IP address or prefix, like 203.0.113.7 or 203.0.113.0/24"))
        : err));
  }

  private Future<JsonObject> undo(RoutingContext ctx) {
    return admin(ctx).compose(id -> {
      String raw = ctx.pathParam("iid"); // digits: the API document checked it
      return tools.undo(id, Long.parseLong(raw)).map(done -> {
        if (done == null) {
          throw ApiError.of(404, "no invalidation " + raw + " to undo (unknown, or undone already)");
        }
        LOG.info("undid invalidation " + raw + " of " + id + ": " + done.getInteger("restored") + " signature(s) count again");
        shared.counts.changed(id);
        return done;
      });
    });
  }

  private static boolean isBadInet(Throwable err) {
    return err instanceof io.vertx.pgclient.PgException pg && "22P02".equals(pg.getSqlState());
  }

  /** An optional text field, trimmed (its pattern checked by the API document). */
  private static String stripped(JsonObject body, String field) {
    String v = body.getString(field);
    return v == null ? null : v.strip();
  }

  /** An optional ISO 8601 UTC time: the parse is the check (a JSON Schema format is only an annotation). */
  private static Instant time(JsonObject body, String field, JsonObject bad) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse((String) v);
    } catch (DateTimeParseException e) {
      bad.put(field, "an ISO 8601 UTC time such as 2027-05-01T18:00:00Z");
      return null;
    }
  }
}
