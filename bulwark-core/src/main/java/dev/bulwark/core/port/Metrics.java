package dev.bulwark.core.port;

/**
 * Where agents report what they measure: counters, timings and gauges with a few tags. The
 * default is {@link #NOOP}; the server adapts it to Prometheus, game days to {@link
 * InMemoryMetrics}. Names and tags are listed in {@code docs/agents.md} and {@code docs/metrics.md};
 * tag values must come from small, fixed sets (AZs, services, outcome names), never from free text.
 */
public interface Metrics {
  /** Adds one to the counter {@code name} with the given tag pairs ({@code key, value, ...}). */
  void count(String name, String... tags);

  /** Records one timing or size observation (milliseconds for times). */
  void record(String name, double value, String... tags);

  /**
   * Sets the gauge {@code name} to its current value, e.g. the tokens left in a bucket. Gauges are
   * optional: the default drops the value.
   */
  default void gauge(String name, double value, String... tags) {}

  /** Drops everything. */
  Metrics NOOP = new Metrics() {
    @Override
    public void count(String name, String... tags) {}

    @Override
    public void record(String name, double value, String... tags) {}
  };
}
