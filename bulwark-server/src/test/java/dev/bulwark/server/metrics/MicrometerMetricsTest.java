package dev.bulwark.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.port.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The port's calls as Prometheus shows them: names, types, units, buckets and the cardinality bound. */
class MicrometerMetricsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Metrics metrics = new MicrometerMetrics(registry);

  @Test
  void countsAreCountersEndingInTotalWithTheirLabels() {
    metrics.count("bulwark_votes_total", "az", "az-a", "decision", "approve");
    metrics.count("bulwark_votes_total", "az", "az-a", "decision", "approve");
    assertThat(registry.scrape())
        .contains("# TYPE bulwark_votes_total counter")
        .contains("bulwark_votes_total{az=\"az-a\",decision=\"approve\"} 2.0")
        .doesNotContain("bulwark_votes_total_total");
  }

  @Test
  void millisecondTimingsBecomeHistogramsInSecondsWithTheFixedBuckets() {
    metrics.record("bulwark_vote_delay_ms", 12.5, "az", "az-b");
    String text = registry.scrape();
    assertThat(text)
        .contains("# TYPE bulwark_vote_delay_seconds histogram")
        .contains("bulwark_vote_delay_seconds_bucket{az=\"az-b\",le=\"0.01\"} 0")
        .contains("bulwark_vote_delay_seconds_bucket{az=\"az-b\",le=\"0.025\"} 1")
        .contains("bulwark_vote_delay_seconds_bucket{az=\"az-b\",le=\"600.0\"} 1")
        .contains("bulwark_vote_delay_seconds_bucket{az=\"az-b\",le=\"+Inf\"} 1")
        .contains("bulwark_vote_delay_seconds_count{az=\"az-b\"} 1")
        .contains("bulwark_vote_delay_seconds_sum{az=\"az-b\"} 0.0125")
        .contains("# TYPE bulwark_vote_delay_seconds_max gauge")
        .doesNotContain("bulwark_vote_delay_ms");
    assertThat(text.lines().filter(l -> l.startsWith("bulwark_vote_delay_seconds_bucket")))
        .hasSize(MicrometerMetrics.LATENCY_BUCKETS.size() + 1);
  }

  @Test
  void recordingsWithoutAUnitAreSummariesAndGaugesHoldTheLastValue() {
    metrics.record("bulwark_batch_size", 3, "az", "az-a");
    metrics.gauge("bulwark_enactor_bucket_tokens", 20, "az", "az-a");
    metrics.gauge("bulwark_enactor_bucket_tokens", 7.5, "az", "az-a");
    assertThat(registry.scrape())
        .contains("# TYPE bulwark_batch_size summary")
        .contains("bulwark_batch_size_sum{az=\"az-a\"} 3.0")
        .contains("# TYPE bulwark_enactor_bucket_tokens gauge")
        .contains("bulwark_enactor_bucket_tokens{az=\"az-a\"} 7.5");
  }

  @Test
  void negativeAndNonFiniteObservationsAreDropped() {
    metrics.record("bulwark_vote_delay_ms", -5, "az", "az-a");
    metrics.record("bulwark_vote_delay_ms", Double.NaN, "az", "az-a");
    metrics.record("bulwark_vote_delay_ms", 1, "az", "az-a");
    assertThat(registry.scrape()).contains("bulwark_vote_delay_seconds_count{az=\"az-a\"} 1");
  }

  @Test
  void seriesBeyondTheBoundPerNameAreDroppedAndCounted() {
    for (int i = 0; i < MicrometerMetrics.MAX_SERIES_PER_NAME + 10; i++) {
      metrics.count("bulwark_votes_total", "az", "az-" + i, "decision", "approve");
    }
    String text = registry.scrape();
    assertThat(text.lines().filter(l -> l.startsWith("bulwark_votes_total{")))
        .hasSize(MicrometerMetrics.MAX_SERIES_PER_NAME);
    assertThat(text).contains("bulwark_metrics_dropped_series_total{name=\"bulwark_votes_total\"} 10.0");
  }

  @Test
  void tagsThatDoNotComeInPairsAreRefusedNamingTheMetric() {
    assertThatThrownBy(() -> metrics.count("bulwark_votes_total", "az"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bulwark_votes_total");
  }

  @Test
  void theEndpointBindsJvmMetricsAndItsScrapeShowsWhatAgentsReport() {
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.create()) {
      endpoint.metrics().count("bulwark_drift_total", "service", "dynamodb");
      String text = endpoint.scrape().get();
      assertThat(text)
          .contains("bulwark_drift_total{service=\"dynamodb\"} 1.0")
          .contains("jvm_memory_used_bytes{area=\"heap\"")
          .contains("jvm_threads_live_threads")
          .contains("jvm_classes_loaded_classes")
          .contains("process_uptime_seconds")
          .contains("system_cpu_count");
      assertThat(PrometheusEndpoint.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }
  }
}
