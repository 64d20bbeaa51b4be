package dev.bulwark.core.port;

/**
 * Where agents report what they measure: counters and timings with a few tags. The default is
 * {@link #NOOP}; the server adapts it to Prometheus, game days to {@link InMemoryMetrics}. Names
 * and tags are listed in {@code docs/agents.md}.
 */
public interface Metrics {
  /** Adds one to the counter {@code name} with the given tag pairs ({@code key, value, ...}). */
  void count(String name, String... tags);

  /** Records one timing or size observation (milliseconds for times). */
  void record(String name, double value, String... tags);

  /** Drops everything. */
  Metrics NOOP = new Metrics() {
    @Override
    public void count(String name, String... tags) {}

    @Override
    public void record(String name, double value, String... tags) {}
  };
}
