package dev.bulwark.agents;

import static dev.bulwark.agents.World.AZS;
import static dev.bulwark.agents.World.BACKENDS;
import static dev.bulwark.agents.World.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.AzId;
import dev.bulwark.core.ledger.ServicePolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The playbook's control-plane telemetry, as the agents and ledger clients report it on a real world. */
class AgentMetricsTest {
  @TempDir Path dir;

  @Test
  void publishingAPlanReportsQuorumDelayBucketLevelClockLagAndLedgerCommits() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.ledgers.values().forEach(l -> l.setMetrics(w.metrics));
      w.startAgents();
      World.await(Duration.ofSeconds(30), () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      World.await(Duration.ofSeconds(10), () -> w.metrics.total("bulwark_dns_updates_total") > 0
          && w.metrics.observations("bulwark_clock_divergence_ms", "actor", "planner@az-a") > 0,
          "the Auditor to read the chain");

      assertThat(w.metrics.observations("bulwark_quorum_delay_ms", "service", SERVICE.value())).isPositive();
      for (AzId az : AZS) {
        java.util.OptionalDouble level = w.metrics.gaugeValue("bulwark_enactor_bucket_tokens", "az", az.value());
        assertThat(level).as("bucket level of %s", az).isPresent();
        assertThat(level.getAsDouble()).isBetween(0.0, 20.0);
      }
      assertThat(w.metrics.counter("bulwark_ledger_commits_total", "action", "AdvancePointer", "outcome", "accepted"))
          .isPositive();
      assertThat(w.metrics.observations("bulwark_ledger_commit_latency_ms", "action", "ProposePlan", "outcome",
          "accepted")).isPositive();
    }
  }
}
