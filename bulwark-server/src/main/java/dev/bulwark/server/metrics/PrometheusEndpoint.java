package dev.bulwark.server.metrics;

import dev.bulwark.core.port.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/**
 * One process's Prometheus registry: JVM metrics (memory, GC, threads, class loading, processor,
 * uptime), the {@link Metrics} that agents and the ledger client report to, and the scrape text
 * that the HTTP server serves at {@code /metrics} with {@link #CONTENT_TYPE}. Close it on shutdown
 * to stop the GC listener.
 */
public final class PrometheusEndpoint implements AutoCloseable {
  /** The content type of {@link #scrape()}'s text: Prometheus text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** The path the HTTP server serves the scrape text at. */
  public static final String PATH = "/metrics";

  private final PrometheusMeterRegistry registry;
  private final MicrometerMetrics metrics;
  private final JvmGcMetrics gc;

  private PrometheusEndpoint(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.metrics = new MicrometerMetrics(registry);
    new JvmMemoryMetrics().bindTo(registry);
    this.gc = new JvmGcMetrics();
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** A new registry with the JVM metrics bound. */
  public static PrometheusEndpoint create() {
    return new PrometheusEndpoint(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** What agents and {@code RatisLedger.setMetrics} report to; one instance per endpoint. */
  public Metrics metrics() {
    return metrics;
  }

  /** The Micrometer registry, for binding further meters (e.g. HTTP server metrics). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The current scrape text on each call, in the format named by {@link #CONTENT_TYPE}. */
  public Supplier<String> scrape() {
    return registry::scrape;
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
