package org.convene.versions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import org.convene.common.Role;
import org.convene.versions.VersionsRepository.Version;
import org.convene.common.Bearer;

/**
 * Read-only access to saved versions for other features (the PDF editions), with the same access
 * rule as {@code GET /api/manifestos/{id}/versions/{n}}: public once published, else for viewers.
 */
public final class VersionReader {
  /** A saved version, as other features need it. */
  public record Saved(String manifestoId, int number, String name, int revision, String text, String sha256,
                      Instant createdAt, boolean published) {}

  /** An author's share of a version's characters; {@code name} is "" for the initial text. */
  public record Contributor(String name, int characters, double share) {}

  private final Versions versions;

  public VersionReader(Vertx vertx, Pool pool) {
    VersionsRepository repository = new VersionsRepository(pool);
    this.versions = new Versions(vertx, repository, new History(vertx, repository));
  }

  /**
   * Version n if the request may read it; null if it does not exist and the request holds a viewer
   * token. Fails 401/403 for an unpublished or missing version without one (the same answer either
   * way, so existence does not leak).
   */
  public Future<Saved> readable(RoutingContext ctx, Bearer bearer, String manifestoId, int n) {
    return versions.find(manifestoId, n).otherwise(err -> null)
        .compose(v -> v != null && v.published() ? Future.succeededFuture(v)
            : bearer.require(ctx, manifestoId, Role.VIEWER).map(grant -> v))
        .map(v -> v == null ? null : saved(v));
  }

  /** The number of the version published last, or null. */
  public Future<Integer> current(String manifestoId) {
    return versions.current(manifestoId);
  }

  /** Each author's share of the text at a revision, largest first. */
  public Future<List<Contributor>> contributors(String manifestoId, int revision) {
    return versions.contributors(manifestoId, revision)
        .map(list -> list.stream().map(c -> new Contributor(c.name(), c.characters(), c.share())).toList());
  }

  private static Saved saved(Version v) {
    return new Saved(v.manifestoId(), v.number(), v.name(), v.revision(), v.text(), v.sha256(), v.createdAt(),
        v.published());
  }
}
