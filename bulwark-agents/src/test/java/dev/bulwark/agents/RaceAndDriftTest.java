package dev.bulwark.agents;

import static dev.bulwark.agents.World.AZS;
import static dev.bulwark.agents.World.BACKENDS;
import static dev.bulwark.agents.World.ENDPOINT;
import static dev.bulwark.agents.World.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bulwark.core.Marker;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.PlanState;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.dns.ResolverProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The October 2025 race and hand-made drift, against the real control plane. */
class RaceAndDriftTest {
  @TempDir Path dir;

  private static final Duration CONVERGE = Duration.ofSeconds(30);

  private static List<AuditEvent> audit(World w) {
    return w.ledgerState(s -> s.audit().range(0, Integer.MAX_VALUE));
  }

  @Test
  void delayedEnactorIsRefusedByDnsWhileNewerPlansAndTheJanitorRunAndTheEndpointNeverEmpties() throws Exception {
    ServicePolicy policy = ServicePolicy.DEFAULT.withQuarantineTtlMillis(500).withVelocity(1_000, 60_000);
    try (World w = new World(dir, policy)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");

      // Every Enactor reads at once; az-a and az-b write 300 ms later, az-c (the delayed one) 6 s later.
      w.enactorDns.get(AZS.get(0)).setDelay(Duration.ofMillis(300));
      w.enactorDns.get(AZS.get(1)).setDelay(Duration.ofMillis(300));
      w.enactorDns.get(AZS.get(2)).setDelay(Duration.ofSeconds(6));

      List<Long> versions = new CopyOnWriteArrayList<>();
      try (ResolverProbe probe = ResolverProbe.start(w.dns.address(), ENDPOINT, 20, w.scheduler)) {
        var sampler = w.scheduler;
        boolean[] sampling = {true};
        Runnable[] sample = new Runnable[1];
        sample[0] = () -> {
          w.published().marker().map(Marker::version).ifPresent(versions::add);
          if (sampling[0]) {
            sampler.schedule(Duration.ofMillis(50), sample[0]);
          }
        };
        sampler.schedule(Duration.ZERO, sample[0]);

        // A plan storm: newer generations keep coming while az-c sits on its stale view.
        for (int i = 0; i < 3; i++) {
          w.stopBackend("127.0.0.14");
          World.await(CONVERGE, () -> !w.publishedAddresses().contains("127.0.0.14"), "removal " + i);
          w.startBackend("127.0.0.14");
          World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "return " + i);
        }
        World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.code().equals("STALE_WRITE_REFUSED")
            && e.actor().equals("enactor@az-c")), "the delayed write to be refused and audited");
        sampling[0] = false;

        assertThat(probe.anyEmptyAnswer()).as("the probe saw an empty answer (I1)").isFalse();
      }
      List<Long> seen = new ArrayList<>(versions);
      for (int i = 1; i < seen.size(); i++) {
        assertThat(seen.get(i)).as("published version at sample %d", i).isGreaterThanOrEqualTo(seen.get(i - 1));
      }
      Pointer pointer = w.ledgerState(s -> s.pointer(SERVICE));
      PlanState active = w.ledgerState(s -> s.plan(SERVICE, pointer.generation()).orElseThrow().state());
      assertThat(active).isEqualTo(PlanState.ACTIVE);
      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.action().equals("Purge") && e.accepted()),
          "the Janitor to purge a superseded plan");
      boolean intact = w.ledgerState(s -> s.audit().verify().intact());
      assertThat(intact).isTrue();
    }
  }

  @Test
  void recordsChangedBehindBulwarksBackWithNsupdateAreDetectedAndRepaired() throws Exception {
    boolean haveNsupdate = Files.isExecutable(Path.of("/usr/bin/nsupdate"));
    if ("true".equals(System.getenv("CI"))) {
      assertThat(haveNsupdate).as("nsupdate must be installed in CI (bind9-dnsutils)").isTrue();
    }
    assumeTrue(haveNsupdate, "nsupdate is not installed (apt-get install bind9-dnsutils)");
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startAgents();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");

      Path keyFile = dir.resolve("enactor.key");
      Files.writeString(keyFile, w.key.toBindSyntax());
      String script = String.join("\n", "server 127.0.0.1 " + w.dns.port(), "zone " + World.ZONE,
          "update delete " + ENDPOINT + " A", "update add " + ENDPOINT + " 30 A 10.66.66.66", "send", "");
      Process p = new ProcessBuilder("nsupdate", "-k", keyFile.toString()).redirectErrorStream(true).start();
      p.getOutputStream().write(script.getBytes(StandardCharsets.US_ASCII));
      p.getOutputStream().close();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.code().equals("DRIFT")), "drift to be detected");
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "the Auditor to repair DNS");
      // The Auditor rewrites DNS first and records REPAIRED after, so DNS can be right a moment
      // before the audit chain says so.
      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.code().equals("REPAIRED")), "REPAIRED in the audit chain");
      List<AuditEvent> events = audit(w);
      AuditEvent drift = events.stream().filter(e -> e.code().equals("DRIFT") && e.detail().contains("10.66.66.66"))
          .findFirst().orElseThrow();
      // I7: the Auditor repairs in the round that detects the drift, well inside three cycles.
      AuditEvent repaired = events.stream().filter(e -> e.code().equals("REPAIRED") && e.id() > drift.id())
          .findFirst().orElseThrow();
      assertThat(repaired.actor()).isEqualTo(drift.actor());
      assertThat(events.subList((int) drift.id() + 1, (int) repaired.id())).noneMatch(e -> e.actor().equals(drift.actor()));
      assertThat(w.metrics.total("bulwark_drift_total")).isPositive();
      assertThat(w.metrics.observations("bulwark_clock_divergence_ms", "actor", "controller:primary")).isPositive();
    }
  }
}
