package org.convene.versions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.convene.collab.Addresses;
import org.convene.versions.VersionsRepository.Version;
import org.convene.common.ApiError;
import org.convene.common.Text;

/** The versions feature: saving, publishing, verifying, restoring and comparing texts. */
final class Versions {
  /** Versions read per query while verifying a chain (each holds a whole text). */
  private static final int VERIFY_BATCH = 50;

  record Contributor(String name, int characters, double share) {}

  record Verification(boolean valid, int checked, Integer brokenAt, String reason) {}

  record Restored(int revision, boolean unchanged) {}

  private final Vertx vertx;
  private final VersionsRepository repository;
  private final History history;

  Versions(Vertx vertx, VersionsRepository repository, History history) {
    this.vertx = vertx;
    this.repository = repository;
    this.history = history;
  }

  History history() {
    return history;
  }

  /**
   * Saves the live text, as the sequencer has it committed, as the next version. A U+0000 that an
   * edit stored before edits were checked is saved as U+FFFD (PostgreSQL text cannot hold it).
   */
  Future<Version> create(String manifestoId, String name, String note, String by) {
    return vertx.eventBus().<JsonObject>request(Addresses.READ, new JsonObject().put("doc", manifestoId))
        .compose(reply -> {
          String text = Text.storable(reply.body().getString("text"));
          int revision = reply.body().getInteger("revision");
          String sha = Chain.sha256(text);
          return repository.append(manifestoId, last -> {
            int number = last == null ? 1 : last.number() + 1;
            Chain.Metadata meta = new Chain.Metadata(manifestoId, number, name, note, revision, Chain.now(), by);
            String chain = Chain.link(last == null ? Chain.GENESIS : last.chain(), sha, meta);
            return new Version(manifestoId, number, name, note, revision, text, sha, chain, meta.createdAt(), by,
                false, null);
          });
        });
  }

  Future<Version> find(String manifestoId, int number) {
    return repository.find(manifestoId, number).map(v -> {
      if (v == null) {
        throw ApiError.of(404, "no version " + number);
      }
      return v;
    });
  }

  /** Each author's share of the characters of the text at a revision, largest first. */
  Future<List<Contributor>> contributors(String manifestoId, int revision) {
    return history.authorsAt(manifestoId, revision).map(a -> a.counts().entrySet().stream()
        .map(e -> new Contributor(e.getKey(), e.getValue(), Math.round(10_000.0 * e.getValue() / a.length()) / 10_000.0))
        .toList());
  }

  /** False when there is no such version. */
  Future<Boolean> publish(String manifestoId, int number, String by) {
    return repository.publish(manifestoId, number, by);
  }

  /** Recomputes every link from version 1 to n; reports the first that does not hold. */
  Future<Verification> verify(String manifestoId, int upTo) {
    return find(manifestoId, upTo).compose(v -> verifyFrom(manifestoId, 1, Chain.GENESIS, upTo));
  }

  private Future<Verification> verifyFrom(String manifestoId, int from, String previous, int upTo) {
    if (from > upTo) {
      return Future.succeededFuture(new Verification(true, upTo, null, null));
    }
    int to = Math.min(upTo, from + VERIFY_BATCH - 1);
    return repository.range(manifestoId, from, to)
        .compose(batch -> vertx.executeBlocking(() -> check(batch, from, to, previous), false))
        .compose(result -> result.verification() != null
            ? Future.succeededFuture(result.verification())
            : verifyFrom(manifestoId, to + 1, result.chain(), upTo));
  }

  private record Checked(Verification verification, String chain) {}

  private static Checked check(List<Version> batch, int from, int to, String previous) {
    int expected = from;
    for (Version v : batch) {
      if (v.number() != expected) {
        return new Checked(new Verification(false, expected, expected, "version " + expected + " is missing"), null);
      }
      String sha = Chain.sha256(v.text());
      if (!sha.equals(v.sha256())) {
        return new Checked(new Verification(false, expected, expected, "the text does not match its sha256"), null);
      }
      if (!Chain.link(previous, sha, v.metadata()).equals(v.chain())) {
        return new Checked(new Verification(false, expected, expected,
            "the chain does not follow from the previous version and this one's text and details"), null);
      }
      previous = v.chain();
      expected++;
    }
    if (expected <= to) {
      return new Checked(new Verification(false, expected, expected, "version " + expected + " is missing"), null);
    }
    return new Checked(null, previous);
  }

  /** Applies the version's text as a new edit on top of history; live clients receive it. */
  Future<Restored> restore(String manifestoId, int number, String by) {
    return find(manifestoId, number).compose(v -> vertx.eventBus()
        .<JsonObject>request(Addresses.READ, new JsonObject().put("doc", manifestoId))
        .compose(now -> now.body().getString("text").equals(v.text())
            ? Future.succeededFuture(new Restored(now.body().getInteger("revision"), true))
            : vertx.eventBus().<JsonObject>request(Addresses.REPLACE, new JsonObject().put("doc", manifestoId)
                    .put("text", v.text()).put("author", by + " (restore of version " + number + ")"))
                .map(reply -> new Restored(reply.body().getInteger("revision"), false))));
  }

  /** A point to compare: a version ("v3") or a revision ("r120"). */
  record Point(char kind, int number) {
    @Override
    public String toString() {
      return kind + Integer.toString(number);
    }
  }

  record Side(Point point, int revision, String text) {}

  Future<Side> resolve(String manifestoId, Point p) {
    return p.kind() == 'v'
        ? find(manifestoId, p.number()).map(v -> new Side(p, v.revision(), v.text()))
        : history.check(manifestoId, p.number()).compose(r -> history.text(manifestoId, r))
            .map(text -> new Side(p, p.number(), text));
  }

  Future<List<Diff.Change>> diff(String from, String to) {
    return vertx.executeBlocking(() -> Diff.between(from, to), false);
  }

  /** The version published last, or null. */
  Future<Version> published(String manifestoId) {
    return repository.current(manifestoId).compose(n -> n == null ? Future.succeededFuture() : find(manifestoId, n));
  }

  Future<Integer> current(String manifestoId) {
    return repository.current(manifestoId);
  }

  Future<List<Version>> list(String manifestoId) {
    return repository.list(manifestoId);
  }
}
