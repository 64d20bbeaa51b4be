package dev.bulwark.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.agents.legacy.LegacyEnactor;
import dev.bulwark.agents.legacy.LegacyPlanStore;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.core.port.SystemScheduler;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.InitialZone;
import dev.bulwark.dns.ResolverProbe;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.dns.Rfc2136Target;
import dev.bulwark.dns.TsigKey;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same race in legacy mode, the 2025 design: the test asserts that the failure happens (an
 * empty answer, and automation that can't proceed), so that the comparison with safe mode stays
 * honest.
 */
class LegacyModeRaceTest {
  @TempDir Path dir;

  private static final ServiceId SERVICE = ServiceId.of("dynamodb");
  private static final EndpointName ENDPOINT = EndpointName.of("api.bulwark.test");

  private static Plan plan(int hosts) {
    List<Target> t = new ArrayList<>();
    for (int i = 1; i <= hosts; i++) {
      t.add(Target.of("10.0.0." + i, 100, "az-a"));
    }
    return Plan.of(SERVICE, Map.of(ENDPOINT, t));
  }

  @Test
  void delayedEnactorPlusAgeBasedCleanUpEmptiesTheEndpointAndAutomationIsStuck() throws Exception {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    TsigKey key = TsigKey.hmacSha256("enactor-key", Base64.getEncoder().encodeToString(secret));
    try (SystemScheduler scheduler = new SystemScheduler("legacy", 8);
        EmbeddedDnsServer dns = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(InetAddress.getLoopbackAddress(),
            0, dir.resolve("dns"), List.of(key), InitialZone.minimal("bulwark.test")))) {
      Rfc2136Options opts = Rfc2136Options.of(InetAddress.getLoopbackAddress(), dns.port(), "bulwark.test", key);
      LegacyPlanStore store = new LegacyPlanStore();
      store.add(plan(4));
      DelayedDnsTarget slow = new DelayedDnsTarget(new Rfc2136Target(opts));
      // Every update takes a moment, as over a real network: without it whichever Enactor polls
      // first applies and declares a plan active before the other has even read it, and the race
      // this test replays never lines up (seen on loaded CI machines).
      DelayedDnsTarget prompt = new DelayedDnsTarget(new Rfc2136Target(opts));
      prompt.setDelay(Duration.ofMillis(250));
      LegacyEnactor.Options o = new LegacyEnactor.Options(50, 2, 3_000, 5);
      // As in the AWS account: one Enactor applies the newest plans, the other is badly delayed.
      List<LegacyEnactor> enactors = List.of(
          new LegacyEnactor(AzId.of("az-a"), store, prompt, scheduler, o),
          new LegacyEnactor(AzId.of("az-c"), store, slow, scheduler, o));
      enactors.forEach(LegacyEnactor::start);
      World.await(Duration.ofSeconds(20), () -> store.activeGeneration() == 1 && !addresses(opts).isEmpty(),
          "the first plan to be published");

      try (ResolverProbe probe = ResolverProbe.start(dns.address(), ENDPOINT, 20, scheduler)) {
        // az-c picks up the next plan and stalls before its write lands (and stays slow after);
        // a plan storm follows.
        slow.setDelays(List.of(Duration.ofSeconds(2), Duration.ofSeconds(60)));
        store.add(plan(3));
        Thread.sleep(300);
        for (int i = 0; i < 4; i++) {
          store.add(plan(i % 2 == 0 ? 4 : 3));
        }
        World.await(Duration.ofSeconds(30), probe::anyEmptyAnswer, "the endpoint to go empty, as in 2025");
        World.await(Duration.ofSeconds(20), () -> enactors.stream().anyMatch(LegacyEnactor::isStuck),
            "an Enactor to find the active plan missing");
        store.add(plan(4));
        Thread.sleep(1_000);
        assertThat(addresses(opts)).as("automation can't repair itself").isEmpty();
      }
      enactors.forEach(LegacyEnactor::close);
    }
  }

  private static List<InetAddress> addresses(Rfc2136Options opts) {
    ReadOutcome r = new Rfc2136Target(opts).read(ENDPOINT);
    return r instanceof ReadOutcome.Read read ? read.state().addresses() : List.of();
  }
}
