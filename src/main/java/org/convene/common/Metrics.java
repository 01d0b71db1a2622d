package org.convene.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the server's figures go: a Prometheus registry when {@code METRICS=true}, otherwise a registry
 * that keeps nothing, so features record unconditionally and pay (almost) nothing when metrics are off.
 * One per running server, passed through constructors (tests run several servers in one JVM), and
 * attached to its Vert.x ({@link #of}) for the features that other people's constructors reach.
 *
 * <p>The server's own meters are all made here, once, so {@code docs/OPERATIONS.md} can list them from
 * one place. Recording one is a counter increment, an atomic add or a histogram bucket increment:
 * nothing allocates, blocks or takes a lock on the paths that edits take. Gauges read atomics that
 * their owners keep current on their own event loops, never the owners' state itself.
 */
public final class Metrics implements Shareable {
  private static final String MAP = "org.convene.metrics";
  private static final Metrics NONE = none();
  private static final java.util.Set<String> HISTOGRAMS =
      java.util.Set.of("vertx.http.server.response.time", "vertx.pool.queue.time");

  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;

  private final Counter editsApplied;
  private final Counter editsRefused;
  private final Timer ackLatency;
  private final AtomicLong queued = new AtomicLong();
  private final DistributionSummary batchSize;
  private final Counter publications;
  private final Counter publicationFrames;
  private final Counter droppedBacklog;
  private final Counter droppedRequestBody;
  private final AtomicLong openDocuments = new AtomicLong();
  private final AtomicLong participants = new AtomicLong();
  private final Counter signaturesReceived;
  private final Counter signaturesConfirmed;
  private final AtomicLong outboxBacklog = new AtomicLong();
  private final AtomicLong outboxOldestSeconds = new AtomicLong();

  private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
    editsApplied = Counter.builder("convene.edits.applied")
        .description("Edits committed by the documents' sequencers").register(registry);
    editsRefused = Counter.builder("convene.edits.refused").tag("reason", "busy")
        .description("Edits refused with 429 because the document's queue would take over a second").register(registry);
    ackLatency = Timer.builder("convene.ack.latency")
        .description("From an edit reaching its document's sequencer to its acknowledgement, commit included")
        .serviceLevelObjectives(millis(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000))
        .register(registry);
    Gauge.builder("convene.sequencer.queued", queued, AtomicLong::get)
        .description("Edits waiting in the documents' sequencer queues, all documents together").register(registry);
    batchSize = DistributionSummary.builder("convene.sequencer.batch.edits")
        .description("Edits per group commit")
        .serviceLevelObjectives(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000).register(registry);
    publications = Counter.builder("convene.publications")
        .description("Messages of committed operations published to a document's subscribers").register(registry);
    publicationFrames = Counter.builder("convene.publication.frames")
        .description("Publication frames written to bridge sockets (one message to N sockets is N)").register(registry);
    droppedBacklog = dropped(registry, "backlog");
    droppedRequestBody = dropped(registry, "request_body");
    Gauge.builder("convene.documents.open", openDocuments, AtomicLong::get)
        .description("Documents loaded in memory (each with its sequencer)").register(registry);
    Gauge.builder("convene.participants", participants, AtomicLong::get)
        .description("Participants bound to a live connection, all documents together").register(registry);
    signaturesReceived = Counter.builder("convene.signatures.received")
        .description("Signatures stored: pending a confirmation, or counted at once").register(registry);
    signaturesConfirmed = Counter.builder("convene.signatures.confirmed")
        .description("Signatures that became counted: by their link, or at once (kiosk, no email required)")
        .register(registry);
    Gauge.builder("convene.mail.outbox.backlog", outboxBacklog, AtomicLong::get)
        .description("Mails waiting in the outbox, read at each scrape").register(registry);
    Gauge.builder("convene.mail.outbox.oldest", outboxOldestSeconds, AtomicLong::get).baseUnit("seconds")
        .description("Age of the oldest mail waiting in the outbox, read at each scrape").register(registry);
    for (String edition : new String[] {"print", "reading", "bilingual"}) {
      pdfRenders(registry, edition); // present (at 0) before the first render, for rate() and alerts
    }
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder("convene.sockets.dropped").tag("reason", reason)
        .description("Connections closed for being slow: a bridge socket not reading its publications "
            + "(backlog), a request body not arriving in time (request_body)").register(registry);
  }

  private static Duration[] millis(long... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofMillis(values[i]);
    }
    return out;
  }

  public static Metrics create(Config config) {
    if (!config.metrics().enabled()) {
      return none();
    }
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Buckets for the times alerts are written on, so a p99 can be computed across servers and windows.
    prometheus.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
        return HISTOGRAMS.contains(id.getName())
            ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
            : config;
      }
    });
    return new Metrics(prometheus, prometheus);
  }

  /** Records nothing: an empty composite registry hands out no-op meters. */
  public static Metrics none() {
    return new Metrics(new CompositeMeterRegistry(), null);
  }

  /** Makes these the metrics {@link #of} returns for this Vert.x (the last server started on it). */
  public void attach(Vertx vertx) {
    vertx.sharedData().<String, Metrics>getLocalMap(MAP).put("metrics", this);
  }

  /** The metrics of the server running on this Vert.x; records nothing when none was attached. */
  public static Metrics of(Vertx vertx) {
    Metrics attached = vertx.sharedData().<String, Metrics>getLocalMap(MAP).get("metrics");
    return attached == null ? NONE : attached;
  }

  /** The metrics of the Vert.x whose event loop or worker runs the caller; nothing recorded elsewhere. */
  public static Metrics current() {
    Context context = Vertx.currentContext();
    return context == null ? NONE : of(context.owner());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry /metrics scrapes, when metrics are on. */
  public Optional<PrometheusMeterRegistry> prometheus() {
    return Optional.ofNullable(prometheus);
  }

  // Live editing (collab), on the collab verticle's event loop.

  public void editsApplied(int n) {
    editsApplied.increment(n);
  }

  public void editRefused() {
    editsRefused.increment();
  }

  /** An edit acknowledged, queued since {@code since} (System.nanoTime). */
  public void acknowledged(long since) {
    ackLatency.record(System.nanoTime() - since, TimeUnit.NANOSECONDS);
  }

  /** Edits queued (positive) or taken off a queue (negative). */
  public void queued(int delta) {
    queued.addAndGet(delta);
  }

  public void batch(int edits) {
    batchSize.record(edits);
  }

  public void published() {
    publications.increment();
  }

  public void framesWritten(int n) {
    publicationFrames.increment(n);
  }

  public void droppedForBacklog() {
    droppedBacklog.increment();
  }

  public void droppedForSlowBody() {
    droppedRequestBody.increment();
  }

  public void openDocuments(int n) {
    openDocuments.set(n);
  }

  public void participants(int n) {
    participants.set(n);
  }

  // Signing.

  public void signatureReceived(boolean counted) {
    signaturesReceived.increment();
    if (counted) {
      signaturesConfirmed.increment();
    }
  }

  public void signatureConfirmed() {
    signaturesConfirmed.increment();
  }

  /** The outbox as last read ({backlog, oldestSeconds} from signing's health query). */
  public void outbox(long backlog, long oldestSeconds) {
    outboxBacklog.set(backlog);
    outboxOldestSeconds.set(oldestSeconds);
  }

  // PDF editions, on the render workers.

  /** A PDF rendered (or failed to), taking {@code nanos}; {@code edition} is print, reading or bilingual. */
  public void pdfRendered(String edition, long nanos) {
    pdfRenders(registry, edition).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Registered on first use, the same timer after (Micrometer keeps one meter per name and tags). */
  private static Timer pdfRenders(MeterRegistry registry, String edition) {
    return Timer.builder("convene.pdf.renders").tag("edition", edition)
        .description("PDF editions rendered (cache misses), and their time")
        .serviceLevelObjectives(millis(50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000))
        .register(registry);
  }
}
