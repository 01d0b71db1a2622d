package org.convene.common;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;

/**
 * Where the server's figures go: a Prometheus registry when {@code METRICS=true}, otherwise a registry
 * that keeps nothing, so features record unconditionally and pay (almost) nothing when metrics are off.
 * One per running server, passed through constructors (tests run several servers in one JVM).
 */
public final class Metrics {
  private static final java.util.Set<String> HISTOGRAMS =
      java.util.Set.of("vertx.http.server.response.time", "vertx.pool.queue.time");
  private final MeterRegistry registry;
  private final PrometheusMeterRegistry prometheus;

  private Metrics(MeterRegistry registry, PrometheusMeterRegistry prometheus) {
    this.registry = registry;
    this.prometheus = prometheus;
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

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry /metrics scrapes, when metrics are on. */
  public Optional<PrometheusMeterRegistry> prometheus() {
    return Optional.ofNullable(prometheus);
  }
}
