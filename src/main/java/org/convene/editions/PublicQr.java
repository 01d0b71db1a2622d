package org.convene.editions;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.util.regex.Pattern;
import org.convene.common.ApiError;
import org.convene.common.Json;
import org.convene.pdf.QrCodes;
import org.convene.versions.VersionReader;

/**
 * {@code GET /p/{id}/qr.svg}: the public page's address, {@code PUBLIC_URL/p/{id}}, as a QR code
 * (the reading PDF's, as SVG), which the editor's Versions panel shows once a version is published.
 * Public like the page itself; 404 until the manifesto has a published version, so it tells no more
 * than the public API does. The image depends on the id and PUBLIC_URL only: cached a day.
 */
public final class PublicQr {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private final VersionReader versions;
  private final String publicUrl;

  public PublicQr(Vertx vertx, Pool pool, String publicUrl) {
    this.versions = new VersionReader(vertx, pool);
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    router.get("/p/:id/qr.svg").handler(this::qr);
  }

  private void qr(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!ID.matcher(id).matches()) {
      ApiError.invalid(new JsonObject().put("id", "letters, digits, - and _, at most 64")).send(ctx);
      return;
    }
    versions.current(id).onSuccess(published -> {
      if (published == null) {
        ctx.response().putHeader("Cache-Control", "no-store");
        ApiError.of(404, "nothing is published for " + id).send(ctx);
        return;
      }
      ctx.response()
          .putHeader("Content-Type", "image/svg+xml; charset=utf-8")
          .putHeader("Cache-Control", "public, max-age=86400")
          .end(QrCodes.svg(publicUrl + "/p/" + id));
    }).onFailure(err -> Json.error(err).send(ctx));
  }
}
