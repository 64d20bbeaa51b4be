package dev.bulwark.agents;

import static dev.bulwark.agents.World.BACKENDS;
import static dev.bulwark.agents.World.ENDPOINT;
import static dev.bulwark.agents.World.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.PauseScope;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.dns.ResolverProbe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The automation end to end: real ledger peers, real DNS, real HTTP backends, no mocks. */
class AgentsEndToEndTest {
  @TempDir Path dir;

  private static final Duration CONVERGE = Duration.ofSeconds(30);

  @Test
  void failedBackendsLeaveDnsAndRecoveredOnesReturnWhileTheEndpointIsNeverEmpty() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      try (ResolverProbe probe = ResolverProbe.start(w.dns.address(), ENDPOINT, 20, w.scheduler)) {
        w.stopBackend("127.0.0.13");
        World.await(CONVERGE, () -> w.publishedAddresses().equals(List.of("127.0.0.11", "127.0.0.12", "127.0.0.14")),
            "the failed backend to leave DNS");
        w.startBackend("127.0.0.13");
        World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "the recovered backend to return");
        assertThat(probe.rounds()).isPositive();
        assertThat(probe.anyEmptyAnswer()).as("the probe saw an empty answer (I1)").isFalse();
      }
      assertThat(w.published().marker()).isPresent();
    }
  }

  @Test
  void threeOfFourBackendsFailingAtOnceFailsStaticAndPagesAnOperator() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      long version = w.published().marker().orElseThrow().version();
      w.stopBackend("127.0.0.11");
      w.stopBackend("127.0.0.12");
      w.stopBackend("127.0.0.13");
      World.await(CONVERGE, () -> w.planner.failingStatic().contains(SERVICE), "the Planner to fail static");
      Thread.sleep(2_000);
      assertThat(w.publishedAddresses()).isEqualTo(BACKENDS);
      assertThat(w.published().marker().orElseThrow().version()).isEqualTo(version);
    }
  }

  @Test
  void pausedServiceChangesNothingInDnsAndConvergesOnResume() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      w.submit(new Command.Pause(PauseScope.service(SERVICE), "change freeze", ActorId.of("operator:alice"),
          w.scheduler.nowMillis()));
      w.stopBackend("127.0.0.14");
      Thread.sleep(3_000);
      assertThat(w.publishedAddresses()).isEqualTo(BACKENDS);
      w.submit(new Command.Resume(PauseScope.service(SERVICE), "", ActorId.of("operator:alice"),
          w.scheduler.nowMillis()));
      World.await(CONVERGE, () -> w.publishedAddresses().equals(List.of("127.0.0.11", "127.0.0.12", "127.0.0.13")),
          "DNS to converge after resume");
    }
  }
}
