package dev.bulwark.server.metrics;

import dev.bulwark.core.Check;
import dev.bulwark.core.port.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The core {@link Metrics} port on a Micrometer {@link MeterRegistry}.
 *
 * <p>Design note. The port speaks in the names the agents use ({@code bulwark_votes_total}, {@code
 * bulwark_vote_delay_ms}); Prometheus wants base units. So the mapping is fixed and small:
 *
 * <ul>
 *   <li>{@link #count} makes a counter of that name; Prometheus shows it ending in {@code _total}.
 *   <li>{@link #record} of a name ending in {@value #MILLIS_SUFFIX} makes a timer without that
 *       suffix, shown in seconds: {@code bulwark_vote_delay_ms} becomes the histogram {@code
 *       bulwark_vote_delay_seconds} ({@code _bucket}, {@code _count}, {@code _sum}) with the fixed
 *       {@link #LATENCY_BUCKETS}, plus the gauge {@code bulwark_vote_delay_seconds_max}. Fixed
 *       buckets keep every series the same size and let dashboards aggregate across AZs with
 *       {@code histogram_quantile}; client-side percentiles could not be aggregated.
 *   <li>{@link #record} of any other name makes a distribution summary (count, sum, max; no
 *       buckets, since the unit and range are unknown).
 *   <li>{@link #gauge} makes a gauge holding the last value set.
 * </ul>
 *
 * <p>Cardinality is bounded twice: callers use only small fixed label sets (documented in {@code
 * docs/metrics.md}), and this adapter keeps at most {@value #MAX_SERIES_PER_NAME} series per name;
 * a series beyond that is dropped and counted in {@code bulwark_metrics_dropped_series_total{name}}.
 * Thread-safe; meters are cached, so a call after the first costs a map lookup.
 */
public final class MicrometerMetrics implements Metrics {
  /** Port names ending in this are timings in milliseconds, exposed in seconds. */
  public static final String MILLIS_SUFFIX = "_ms";

  /** Most series (label combinations) kept per metric name. */
  public static final int MAX_SERIES_PER_NAME = 256;

  /** Counter of series dropped by the {@link #MAX_SERIES_PER_NAME} bound, labelled by metric name. */
  public static final String DROPPED_SERIES = "bulwark_metrics_dropped_series_total";

  /**
   * Histogram buckets of every timing, 1 ms to 10 min: DNS round trips and ledger commits sit at
   * the low end, plan generation (debounce included) in seconds, and quorum delays that wait for a
   * person at the high end.
   */
  public static final List<Duration> LATENCY_BUCKETS = List.of(
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2_500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(10));

  private final MeterRegistry registry;
  private final Map<String, Object> meters = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> seriesPerName = new ConcurrentHashMap<>();

  /** An adapter writing to {@code registry}. */
  public MicrometerMetrics(MeterRegistry registry) {
    this.registry = Check.notNull(registry, "registry");
  }

  @Override
  public void count(String name, String... tags) {
    Counter c = meter("c", name, tags, Counter.class, t -> Counter.builder(name).tags(t).register(registry));
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void record(String name, double value, String... tags) {
    if (!Double.isFinite(value) || value < 0) {
      return; // Micrometer drops negative amounts too; a NaN would poison the sum.
    }
    if (name.endsWith(MILLIS_SUFFIX) && name.length() > MILLIS_SUFFIX.length()) {
      String base = name.substring(0, name.length() - MILLIS_SUFFIX.length());
      Timer t = meter("t", name, tags, Timer.class, tg -> Timer.builder(base).tags(tg)
          .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
          .register(registry));
      if (t != null) {
        t.record(Math.round(value * 1_000_000), TimeUnit.NANOSECONDS);
      }
      return;
    }
    DistributionSummary s = meter("s", name, tags, DistributionSummary.class,
        t -> DistributionSummary.builder(name).tags(t).register(registry));
    if (s != null) {
      s.record(value);
    }
  }

  @Override
  public void gauge(String name, double value, String... tags) {
    AtomicLong bits = meter("g", name, tags, AtomicLong.class, t -> {
      AtomicLong holder = new AtomicLong(Double.doubleToLongBits(Double.NaN));
      Gauge.builder(name, holder, h -> Double.longBitsToDouble(h.get())).tags(t).strongReference(true)
          .register(registry);
      return holder;
    });
    if (bits != null) {
      bits.set(Double.doubleToLongBits(value));
    }
  }

  /** The Prometheus name of a port timing name: {@code x_ms} becomes {@code x_seconds}. */
  public static String exposedTimingName(String portName) {
    Check.arg(portName.endsWith(MILLIS_SUFFIX), "a timing name must end in %s, but was %s", MILLIS_SUFFIX, portName);
    return portName.substring(0, portName.length() - MILLIS_SUFFIX.length()) + "_seconds";
  }

  /** The cached meter of this series, creating it within the per-name bound; null if dropped. */
  private <M> @Nullable M meter(String kind, String name, String[] tags, Class<M> type, Function<Tags, M> create) {
    Check.notNull(name, "metric name");
    Check.arg(tags.length % 2 == 0, "metric tags come in key, value pairs, but %s has %d strings", name,
        tags.length);
    String key = kind + '\u0000' + name + '\u0000' + String.join("\u0000", tags);
    Object m = meters.get(key);
    if (m == null) {
      AtomicInteger n = seriesPerName.computeIfAbsent(name, k -> new AtomicInteger());
      if (n.get() >= MAX_SERIES_PER_NAME) {
        Counter.builder(DROPPED_SERIES).tag("name", name).register(registry).increment();
        return null;
      }
      m = meters.computeIfAbsent(key, k -> {
        n.incrementAndGet();
        return create.apply(Tags.of(tags));
      });
    }
    return type.cast(m);
  }
}
