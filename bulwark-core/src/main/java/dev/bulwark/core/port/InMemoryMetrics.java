package dev.bulwark.core.port;

import dev.bulwark.core.Check;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link Metrics} kept in memory: counters, gauges, and the count, sum and maximum of each recorded
 * series.
 * Thread-safe. At most {@value #MAX_SERIES} distinct series are kept (a series is a name with its
 * tags); later new series are dropped and counted under {@code metrics_dropped_series}.
 */
public final class InMemoryMetrics implements Metrics {
  /** Bound on distinct series, so a tag with unbounded values can't exhaust memory. */
  public static final int MAX_SERIES = 10_000;

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
  private final Map<String, double[]> series = new ConcurrentHashMap<>();
  private final Map<String, Double> gauges = new ConcurrentHashMap<>();

  @Override
  public void count(String name, String... tags) {
    String key = key(name, tags);
    LongAdder a = counters.get(key);
    if (a == null) {
      if (counters.size() >= MAX_SERIES) {
        counters.computeIfAbsent("metrics_dropped_series", k -> new LongAdder()).increment();
        return;
      }
      a = counters.computeIfAbsent(key, k -> new LongAdder());
    }
    a.increment();
  }

  @Override
  public void record(String name, double value, String... tags) {
    String key = key(name, tags);
    if (!roomFor(series, key)) {
      return;
    }
    double[] s = series.computeIfAbsent(key, k -> new double[3]);
    synchronized (s) {
      s[0]++;
      s[1] += value;
      s[2] = Math.max(s[2], value);
    }
  }

  @Override
  public void gauge(String name, double value, String... tags) {
    String key = key(name, tags);
    if (roomFor(gauges, key)) {
      gauges.put(key, value);
    }
  }

  /** True if {@code key} exists in {@code m} or fits under the bound; else counts the drop. */
  private boolean roomFor(Map<String, ?> m, String key) {
    if (m.containsKey(key) || m.size() < MAX_SERIES) {
      return true;
    }
    count("metrics_dropped_series");
    return false;
  }

  /** The last value set on the gauge {@code name} with exactly these tags, if it was ever set. */
  public java.util.OptionalDouble gaugeValue(String name, String... tags) {
    Double v = gauges.get(key(name, tags));
    return v == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(v);
  }

  /** The counter for {@code name} with exactly these tags (0 if never counted). */
  public long counter(String name, String... tags) {
    LongAdder a = counters.get(key(name, tags));
    return a == null ? 0 : a.sum();
  }

  /** Sum of every counter named {@code name}, whatever its tags. */
  public long total(String name) {
    long n = 0;
    for (Map.Entry<String, LongAdder> e : counters.entrySet()) {
      if (e.getKey().equals(name) || e.getKey().startsWith(name + "{")) {
        n += e.getValue().sum();
      }
    }
    return n;
  }

  /** Every counter, by series key ({@code name{k=v,...}}), sorted. */
  public Map<String, Long> counters() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Count of observations recorded under {@code name} with these tags. */
  public long observations(String name, String... tags) {
    double[] s = series.get(key(name, tags));
    if (s == null) {
      return 0;
    }
    synchronized (s) {
      return (long) s[0];
    }
  }

  private static String key(String name, String... tags) {
    Check.notNull(name, "metric name");
    Check.arg(tags.length % 2 == 0, "metric tags come in key, value pairs, but %s has %d", name, tags.length);
    if (tags.length == 0) {
      return name;
    }
    StringBuilder b = new StringBuilder(name).append('{');
    for (int i = 0; i < tags.length; i += 2) {
      b.append(i == 0 ? "" : ",").append(tags[i]).append('=').append(tags[i + 1]);
    }
    return b.append('}').toString();
  }
}
