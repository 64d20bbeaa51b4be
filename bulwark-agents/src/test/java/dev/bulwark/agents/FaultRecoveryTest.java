package dev.bulwark.agents;

import static dev.bulwark.agents.World.AZS;
import static dev.bulwark.agents.World.BACKENDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.ServicePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad weather: unreachable DNS and a ledger without quorum. Agents back off, say why (audit chain
 * and metrics), and resume by themselves when the fault clears; no agent thread dies.
 */
class FaultRecoveryTest {
  @TempDir Path dir;

  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final List<String> WITHOUT_14 = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");

  private static List<AuditEvent> audit(World w) {
    return w.ledgerState(s -> s.audit().range(0, Integer.MAX_VALUE));
  }

  @Test
  void enactorsReportAnUnreachableDnsServerBackOffAndConvergeWhenItReturns() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");

      w.stopDns();
      w.stopBackend("127.0.0.14");
      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.code().equals("DNS_UNAVAILABLE")),
          "the outage to be recorded in the audit chain");
      World.await(CONVERGE, () -> w.metrics.total("bulwark_dns_read_failures_total") > 0
          && w.metrics.total("bulwark_agent_round_failures_total") > 0, "the outage to show in the metrics");

      w.restartDns();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(WITHOUT_14), "DNS to converge once it is back");
    }
  }

  @Test
  void aRefusedTsigKeyIsReportedAndPublishingResumesOnceTheKeyIsRight() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");

      byte[] wrong = new byte[32];
      new java.security.SecureRandom().nextBytes(wrong);
      w.enactorKey = dev.bulwark.dns.TsigKey.hmacSha256(w.key.name(), java.util.Base64.getEncoder().encodeToString(wrong));
      w.stopBackend("127.0.0.14");
      World.await(CONVERGE, () -> w.metrics.total("bulwark_dns_updates_total") > 0
          && w.metrics.counters().keySet().stream().anyMatch(k -> k.contains("outcome=not_authorized")),
          "updates to be refused as not authorized");
      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.code().equals("DNS_UNAVAILABLE")
          && e.detail().contains("NOT_AUTHORIZED")), "the refusal to be recorded in the audit chain");
      assertThat(w.publishedAddresses()).isEqualTo(BACKENDS);

      w.enactorKey = null;
      World.await(CONVERGE, () -> w.publishedAddresses().equals(WITHOUT_14), "publishing to resume with the right key");
    }
  }

  @Test
  void agentsWaitOutALedgerWithoutQuorumAndResumeWhenAPeerReturns() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");

      w.stopPeer(AZS.get(1));
      w.stopPeer(AZS.get(2));
      w.stopBackend("127.0.0.14");
      World.await(CONVERGE, () -> w.metrics.total("bulwark_agent_round_failures_total") > 0,
          "agents to fail their rounds (no quorum) and back off");
      assertThat(w.publishedAddresses()).as("nothing changes without a quorum").isEqualTo(BACKENDS);

      w.restartPeer(AZS.get(1));
      World.await(CONVERGE, () -> w.publishedAddresses().equals(WITHOUT_14), "DNS to converge once quorum is back");
    }
  }
}
