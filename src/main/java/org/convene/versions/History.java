package org.convene.versions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.convene.collab.Addresses;
import org.convene.ot.TextOperation;
import org.convene.common.ApiError;

/**
 * A document as it stood at any revision: its text (the nearest snapshot at or below, plus the
 * operations after it) and who wrote each character (the nearest authorship checkpoint, plus the
 * same replay). Either way at most about a thousand operations are read, composed off the event
 * loop and applied once, whatever the length of the history.
 */
final class History {
  /** Authorship checkpoints are written at every multiple of this revision. */
  static final int CHECKPOINT_EVERY = 1_000;
  /** Checkpoint intervals read with one query when catching up on a long history. */
  static final int READ_INTERVALS = 10;
  /**
   * The server's own edit that restores version n (see {@link Addresses#REPLACE}): its client id
   * starts with "server-" (no participant's can) and its author ends with "(restore of version n)".
   */
  static final Pattern RESTORE_AUTHOR = Pattern.compile(".*\\(restore of version ([0-9]{1,9})\\)$", Pattern.DOTALL);
  private static final int CACHE_SIZE = 64;

  record Text(int revision, String text, Instant time) {}

  private final Vertx vertx;
  private final VersionsRepository repository;
  /** Authorship at (doc, revision) never changes once the revision exists. */
  private final Map<String, Attribution> cache = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Attribution> eldest) {
      return size() > CACHE_SIZE;
    }
  };

  History(Vertx vertx, VersionsRepository repository) {
    this.vertx = vertx;
    this.repository = repository;
  }

  /** Fails with 404 when the document has no such revision (yet). */
  Future<Integer> check(String doc, int revision) {
    return repository.latestRevision(doc).map(latest -> {
      if (revision > latest) {
        throw ApiError.of(404, "no revision " + revision + ": the latest is " + latest);
      }
      return revision;
    });
  }

  /** The text at a revision and when it was made; 404 when it is not stored. */
  Future<Text> textAt(String doc, int revision) {
    return Future.all(text(doc, revision), repository.timeOf(doc, revision))
        .map(all -> new Text(revision, all.resultAt(0), all.resultAt(1)));
  }

  /** The text at a revision; 404 when it is not stored. */
  Future<String> text(String doc, int revision) {
    return repository.textSnapshot(doc, revision).compose(snapshot -> {
      if (snapshot == null) {
        throw ApiError.of(404, "no document " + doc);
      }
      return repository.ops(doc, snapshot.revision(), revision).compose(ops -> {
        complete(ops, snapshot.revision(), revision);
        return ops.isEmpty()
            ? Future.succeededFuture(snapshot.text())
            : vertx.executeBlocking(() -> replay(snapshot.text(), ops), false);
      });
    });
  }

  private static String replay(String text, List<VersionsRepository.StoredOp> ops) {
    List<TextOperation> parsed = new ArrayList<>(ops.size());
    ops.forEach(o -> parsed.add(parse(o.op())));
    // Pairwise, like AuthorOp.composeAll: each component is walked about log2(n) times.
    for (int n = parsed.size(); n > 1; n = (n + 1) / 2) {
      for (int k = 0; k < n / 2; k++) {
        parsed.set(k, parsed.get(2 * k).compose(parsed.get(2 * k + 1)));
      }
      if (n % 2 == 1) {
        parsed.set(n / 2, parsed.get(n - 1));
      }
    }
    return parsed.get(0).apply(text);
  }

  /** Who wrote each character at a revision; 404 when it is not stored. */
  Future<Attribution> authorsAt(String doc, int revision) {
    String key = doc + "\n" + revision;
    Attribution cached;
    synchronized (cache) {
      cached = cache.get(key);
    }
    if (cached != null) {
      return Future.succeededFuture(cached);
    }
    Attribution.Names names = new Attribution.Names();
    return repository.checkpoint(doc, revision).compose(cp -> cp != null
            ? Future.succeededFuture(new Step(cp.revision(), Attribution.decode(cp.runs(), names)))
            : repository.textSnapshot(doc, 0).map(s -> {
              if (s == null) {
                throw ApiError.of(404, "no document " + doc);
              }
              return new Step(0, Attribution.of(names, s.text().length(), Attribution.INITIAL));
            }))
        .compose(start -> advance(doc, names, start, revision))
        .onSuccess(a -> {
          synchronized (cache) {
            cache.put(key, a);
          }
        });
  }

  private record Step(int revision, Attribution attribution) {}

  /**
   * Replays up to {@code target}, reading up to ten checkpoint intervals per query and storing the
   * checkpoint at each multiple of {@link #CHECKPOINT_EVERY} it passes.
   */
  private Future<Attribution> advance(String doc, Attribution.Names names, Step at, int target) {
    if (at.revision() >= target) {
      return Future.succeededFuture(at.attribution());
    }
    int to = Math.min(target, (at.revision() / CHECKPOINT_EVERY + READ_INTERVALS) * CHECKPOINT_EVERY);
    return repository.ops(doc, at.revision(), to)
        .map(ops -> complete(ops, at.revision(), to))
        .compose(ops -> restoredSources(doc, ops).compose(sources ->
            vertx.executeBlocking(() -> replayIntervals(at, ops, sources, names), false)))
        .compose(done -> repository.storeCheckpoints(doc, done.checkpoints())
            .recover(err -> Future.succeededFuture()) // only a cache: the next reader writes it
            .compose(v -> advance(doc, names, done.step(), target)));
  }

  private record Replayed(Step step, List<VersionsRepository.Checkpoint> checkpoints) {}

  private static Replayed replayIntervals(Step at, List<VersionsRepository.StoredOp> ops,
                                          Map<Integer, Attribution> sources, Attribution.Names names) {
    List<VersionsRepository.Checkpoint> checkpoints = new ArrayList<>();
    Attribution attribution = at.attribution();
    int revision = at.revision();
    for (int i = 0; i < ops.size(); ) {
      int end = Math.min(ops.size(), i + CHECKPOINT_EVERY - revision % CHECKPOINT_EVERY);
      attribution = replayAuthors(attribution, ops.subList(i, end), sources, names);
      revision += end - i;
      i = end;
      if (revision % CHECKPOINT_EVERY == 0) {
        checkpoints.add(new VersionsRepository.Checkpoint(revision, attribution.encode()));
      }
    }
    return new Replayed(new Step(revision, attribution), checkpoints);
  }

  /** The authorship of every version these operations restore, by version number. */
  private Future<Map<Integer, Attribution>> restoredSources(String doc, List<VersionsRepository.StoredOp> ops) {
    List<Integer> numbers = new ArrayList<>();
    for (VersionsRepository.StoredOp op : ops) {
      Integer n = restoredVersion(op);
      if (n != null && !numbers.contains(n)) {
        numbers.add(n);
      }
    }
    if (numbers.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Map<Integer, Attribution> sources = new HashMap<>();
    return repository.revisionsOf(Addresses.manifestoOf(doc), numbers).compose(revisions -> {
      Future<Void> chain = Future.succeededFuture();
      for (Map.Entry<Integer, Integer> e : revisions.entrySet()) {
        chain = chain.compose(v -> authorsAt(doc, e.getValue()).map(a -> {
          sources.put(e.getKey(), a);
          return null;
        }));
      }
      return chain.map(v -> sources);
    });
  }

  private static Attribution replayAuthors(Attribution start, List<VersionsRepository.StoredOp> ops,
                                           Map<Integer, Attribution> sources, Attribution.Names names) {
    List<AuthorOp> parsed = new ArrayList<>(ops.size());
    for (VersionsRepository.StoredOp o : ops) {
      TextOperation op = parse(o.op());
      Integer restored = restoredVersion(o);
      Attribution source = restored == null ? null : sources.get(restored);
      parsed.add(source != null && source.length() == op.targetLength()
          ? AuthorOp.restoring(op, source, names)
          : AuthorOp.of(op, names.id(o.author())));
    }
    return AuthorOp.composeAll(parsed).apply(start, names);
  }

  /**
   * Every revision in (after, upTo] must be there: a checkpoint written from a partial history would
   * be wrong for good. Callers ask only for revisions that exist; this keeps it so.
   */
  private static List<VersionsRepository.StoredOp> complete(List<VersionsRepository.StoredOp> ops, int after, int upTo) {
    if (ops.size() != upTo - after) {
      throw ApiError.of(404, "revisions " + (after + 1) + " to " + upTo + " are not all stored");
    }
    return ops;
  }

  private static Integer restoredVersion(VersionsRepository.StoredOp op) {
    if (!op.clientId().startsWith("server-")) {
      return null;
    }
    Matcher m = RESTORE_AUTHOR.matcher(op.author());
    return m.matches() ? Integer.valueOf(m.group(1)) : null;
  }

  private static TextOperation parse(String json) {
    return TextOperation.fromComponents(new JsonArray(json).getList());
  }
}
