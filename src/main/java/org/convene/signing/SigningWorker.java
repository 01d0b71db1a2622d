package org.convene.signing;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.logging.Logger;
import org.convene.common.Config;

/**
 * Signing's background work, once per process: the outbox sender, the live count's once-a-second
 * publication, and the daily forgetting of signers' IP addresses past their retention.
 */
final class SigningWorker extends VerticleBase {
  private static final Logger LOG = Logger.getLogger(SigningWorker.class.getName());
  private static final long PURGE_MS = 3_600_000;

  /** The worker's own two connections, so its reads never queue behind a burst of signatures. */
  private io.vertx.sqlclient.Pool own;
  private SigningRepository repository;
  private final Shared shared;
  private final Config config;
  private Mailer mailer;

  SigningWorker(Shared shared, Config config) {
    this.shared = shared;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    own = io.vertx.pgclient.PgBuilder.pool()
        .with(new io.vertx.sqlclient.PoolOptions().setMaxSize(2).setName("convene-signing-worker").setShared(false))
        .connectingTo(new io.vertx.pgclient.PgConnectOptions(config.pgConnectOptions()).setCachePreparedStatements(true))
        .using(vertx)
        .build();
    repository = new SigningRepository(own);
    mailer = new Mailer(vertx, repository, config.mail(), config.publicUrl());
    mailer.start();
    // A burst of pending signatures is one mail round on the worker's loop, not one per signature
    // (a nudge after the flag is cleared asks for another round, which Mailer.round coalesces in turn).
    shared.nudge = coalesced(context, mailer::round);
    // The live counts: published at once after a quiet second, at most once a second (Pacer). The tick
    // each second retries a count whose read failed.
    Pacer pacer = new Pacer(1_000_000_000L, System::nanoTime, (ms, action) -> vertx.setTimer(ms, id -> action.run()),
        () -> shared.counts.publishChanged(repository, vertx.eventBus()));
    shared.counts.onChange = coalesced(context, pacer::changed);
    vertx.setPeriodic(1000, id -> {
      if (shared.counts.anyChanged()) {
        pacer.changed();
      }
    });
    vertx.setPeriodic(PURGE_MS, id -> purge());
    purge();
    return Future.succeededFuture();
  }

  /**
   * {@code action} on {@code context}, called from any thread: calls that come while one is waiting to
   * run are one task, not one each (the flag is cleared before it runs, so a later call is never lost).
   */
  static Runnable coalesced(io.vertx.core.Context context, Runnable action) {
    var asked = new java.util.concurrent.atomic.AtomicBoolean();
    return () -> {
      if (asked.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          asked.set(false);
          action.run();
        });
      }
    };
  }

  private void purge() {
    repository.forgetAddresses(config.signing().ipRetentionDays())
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("forgot the IP address of " + n + " signatures older than " + config.signing().ipRetentionDays() + " days");
          }
        })
        .onFailure(err -> LOG.warning("IP retention purge failed (retried in an hour): " + err));
  }

  @Override
  public Future<?> stop() {
    shared.nudge = () -> { };
    shared.counts.onChange = () -> { };
    return mailer.stop().eventually(() -> own.close());
  }
}
