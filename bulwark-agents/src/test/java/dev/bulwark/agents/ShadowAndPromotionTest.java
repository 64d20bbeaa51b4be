package dev.bulwark.agents;

import static dev.bulwark.agents.World.AZS;
import static dev.bulwark.agents.World.BACKENDS;
import static dev.bulwark.agents.World.SERVICE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.AuthorityLease;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.core.port.HealthSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whitepaper's Scenario 2 on the real control plane (three Ratis peers, the embedded DNS
 * server, loopback backends): a primary controller and a shadow, promotion when the primary dies
 * or an operator asks, a frozen primary that comes back fenced, and a shadow that catches a
 * primary that is wrong. Timings are measured and logged, never asserted.
 */
class ShadowAndPromotionTest {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowAndPromotionTest.class);

  @TempDir Path dir;

  private static final Duration CONVERGE = Duration.ofSeconds(30);
  private static final List<String> WITHOUT_14 = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");
  private static final Set<String> AZ_A_CONTROLLER = Set.of("controller@az-a", "planner@az-a", "janitor@az-a",
      "auditor@az-a");
  private static final Set<String> FENCED_CODES = Set.of("STALE_TOKEN", "NOT_LEASE_HOLDER");

  private static List<AuditEvent> audit(World w) {
    return w.ledgerState(s -> s.audit().range(0, Integer.MAX_VALUE));
  }

  private static AuthorityLease lease(World w) {
    return w.ledgerState(s -> s.authority().orElseThrow());
  }

  private static AuditEvent first(List<AuditEvent> events, long afterId, Predicate<AuditEvent> p, String what) {
    return events.stream().filter(e -> e.id() > afterId && p.test(e)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + what + " in the audit chain after event " + afterId));
  }

  private static AuditEvent grantTo(List<AuditEvent> events, String holder) {
    return first(events, -1, e -> e.action().equals("AcquireAuthority") && e.accepted() && e.actor().equals(holder),
        "grant to " + holder);
  }

  @Test
  void aKilledPrimaryIsReplacedByTheShadowAndTheNextHealthChangeReachesDnsWithNothingLost() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startControllerPair(h -> h, AZS);
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      List<AuditEvent> acknowledged = audit(w);

      long killed = System.nanoTime();
      w.primary.close();
      World.await(CONVERGE, () -> w.shadow.role() == Controller.Role.PRIMARY, "the shadow to promote itself");
      long promotedMillis = (System.nanoTime() - killed) / 1_000_000;
      w.stopBackend("127.0.0.14");
      long changed = System.nanoTime();
      World.await(CONVERGE, () -> w.publishedAddresses().equals(WITHOUT_14), "the next health change to reach DNS");
      LOG.info("MEASURED kill -> shadow holds the lease: {} ms (lease TTL {} ms); health change -> DNS under the new"
          + " epoch: {} ms", promotedMillis, World.PAIR_LEASE_TTL_MILLIS, (System.nanoTime() - changed) / 1_000_000);

      List<AuditEvent> events = audit(w);
      assertThat(events.subList(0, acknowledged.size())).as("every acknowledged write survives").isEqualTo(acknowledged);
      boolean intact = w.ledgerState(s -> s.audit().verify().intact());
      assertThat(intact).as("the audit chain verifies").isTrue();
      AuditEvent grant = grantTo(events, "controller@az-b");
      assertThat(grant.detail()).contains("lease of controller@az-a").contains("lapsed");
      AuditEvent promoted = first(events, grant.id(), e -> e.code().equals("PROMOTED")
          && e.actor().equals("controller@az-b"), "PROMOTED");
      assertThat(promoted.detail()).contains("promoted after");
      first(events, grant.id(), e -> e.accepted() && e.action().equals("ProposePlan")
          && e.actor().equals("planner@az-b"), "the new primary's first proposal");
      assertThat(events.stream().filter(e -> e.id() > grant.id() && e.accepted()
          && AZ_A_CONTROLLER.contains(e.actor()))).as("the killed primary acts no more").isEmpty();
      FencingToken current = lease(w).token();
      assertThat(w.published().marker().map(Marker::token)).contains(current);
    }
  }

  @Test
  void aFrozenPrimaryThatResumesAfterThePromotionLandsNoWriteInTheLedgerOrInDns() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startControllerPair(h -> h, AZS);
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      FencingToken oldToken = lease(w).token();

      // The other AZs' Enactors write a second late, so az-a's is the first to try the next update;
      // az-a's node (controller and Enactor) freezes right after its Enactor read the marker.
      w.enactorDns.get(AZS.get(1)).setDelay(Duration.ofSeconds(1));
      w.enactorDns.get(AZS.get(2)).setDelay(Duration.ofSeconds(1));
      w.freezeOnApply.get(AZS.get(0)).arm();
      w.stopBackend("127.0.0.14");
      assertThat(w.freezeOnApply.get(AZS.get(0)).frozen().await(30, TimeUnit.SECONDS))
          .as("az-a's Enactor to start an update and freeze").isTrue();
      long frozen = System.nanoTime();
      String markerAtFreeze = w.published().rawMarker().orElseThrow();

      World.await(CONVERGE, () -> w.shadow.role() == Controller.Role.PRIMARY, "the shadow to promote itself");
      long promotedMillis = (System.nanoTime() - frozen) / 1_000_000;
      FencingToken newToken = lease(w).token();
      w.enactorDns.values().forEach(d -> d.setDelay(Duration.ZERO));
      w.startBackend("127.0.0.14");
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS)
          && w.published().marker().orElseThrow().token().equals(newToken), "the new epoch to publish the return");
      Thread.sleep(World.PAIR_LEASE_TTL_MILLIS); // the old primary stays frozen well past its TTL
      Marker beforeResume = w.published().marker().orElseThrow();
      long grantId = grantTo(audit(w), "controller@az-b").id();

      w.primary.resume();
      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.id() > grantId && e.actor().equals("enactor@az-a")
          && e.code().equals("STALE_WRITE_REFUSED")), "DNS to refuse the frozen Enactor's update");
      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.id() > grantId && e.code().equals("FENCED")
          && e.actor().equals("controller@az-a")), "the old primary to record that it was fenced");
      LOG.info("MEASURED freeze -> shadow holds the lease: {} ms (lease TTL {} ms)", promotedMillis,
          World.PAIR_LEASE_TTL_MILLIS);

      List<AuditEvent> events = audit(w);
      assertThat(w.primary.role()).isEqualTo(Controller.Role.SHADOW);
      assertThat(events.stream().filter(e -> e.id() > grantId && AZ_A_CONTROLLER.contains(e.actor())
          && !e.action().equals("Observe"))).as("the old primary's fenced commands after the promotion")
          .isNotEmpty().allSatisfy(e -> {
            assertThat(e.accepted()).as("%s", e).isFalse();
            assertThat(e.code()).isIn(FENCED_CODES);
          });
      AuditEvent refused = first(events, grantId, e -> e.actor().equals("enactor@az-a")
          && e.code().equals("STALE_WRITE_REFUSED"), "the refused update");
      assertThat(refused.detail()).contains(markerAtFreeze);
      assertThat(w.published().marker()).as("the marker is not changed by the resumed node").contains(beforeResume);
      assertThat(w.publishedAddresses()).isEqualTo(BACKENDS);
      assertThat(oldToken).isLessThan(newToken);
      boolean intact = w.ledgerState(s -> s.audit().verify().intact());
      assertThat(intact).as("the audit chain verifies").isTrue();
    }
  }

  @Test
  void anOperatorPromotesTheShadowWhileThePrimaryIsHealthyAndTheOldPrimaryBecomesTheShadow() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startControllerPair(h -> h, AZS);
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      AuthorityLease before = lease(w);

      long asked = System.nanoTime();
      Controller.Promotion p = w.shadow.promote(ActorId.of("operator:alice"), "game day: control-plane-failure");
      World.await(CONVERGE, () -> w.primary.role() == Controller.Role.SHADOW, "the old primary to stand down");
      LOG.info("MEASURED operator promotion -> old primary stands down: {} ms", (System.nanoTime() - asked) / 1_000_000);
      assertThat(p.status()).as(p.message()).isEqualTo(Controller.PromotionStatus.PROMOTED);
      assertThat(w.shadow.role()).isEqualTo(Controller.Role.PRIMARY);
      assertThat(w.shadow.promote(ActorId.of("operator:alice"), "again").status())
          .isEqualTo(Controller.PromotionStatus.ALREADY_PRIMARY);

      w.stopBackend("127.0.0.14");
      World.await(CONVERGE, () -> w.publishedAddresses().equals(WITHOUT_14), "the new primary to carry the change");
      List<AuditEvent> events = audit(w);
      AuditEvent request = first(events, before.eventId(), e -> e.code().equals("PROMOTION_REQUESTED"), "the request");
      assertThat(request.actor()).isEqualTo("operator:alice");
      assertThat(request.detail()).contains("game day: control-plane-failure");
      AuditEvent grant = first(events, request.id(), e -> e.action().equals("AcquireAuthority") && e.accepted(),
          "the forced grant");
      assertThat(grant.actor()).isEqualTo("controller@az-b");
      assertThat(grant.detail()).contains("forced takeover from controller@az-a");
      first(events, grant.id(), e -> e.code().equals("PROMOTED") && e.actor().equals("controller@az-b"), "PROMOTED");
      first(events, grant.id(), e -> e.code().equals("FENCED") && e.actor().equals("controller@az-a"), "FENCED");
      assertThat(events.stream().filter(e -> e.id() > grant.id() && e.accepted() && AZ_A_CONTROLLER.contains(e.actor())
          && !e.action().equals("Observe"))).as("the old primary acts no more").isEmpty();
      assertThat(w.published().marker().map(Marker::token)).contains(lease(w).token());
    }
  }

  @Test
  void theShadowReportsAPrimaryThatIsWrongWithBothDecisions() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      Target wronglyDown = w.topology.allTargets().stream().filter(t -> t.addressText().equals("127.0.0.13"))
          .findFirst().orElseThrow();
      boolean[] wrong = {false};
      long[] flippedAt = {0};
      w.startControllerPair(real -> new HealthSource() {
        @Override
        public dev.bulwark.core.AzId az() {
          return real.az();
        }

        @Override
        public Map<Target, Health> snapshot() {
          Map<Target, Health> view = new LinkedHashMap<>(real.snapshot());
          if (wrong[0]) {
            view.put(wronglyDown, new Health(false, flippedAt[0]));
          }
          return view;
        }
      }, AZS);
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");

      flippedAt[0] = w.scheduler.nowMillis();
      wrong[0] = true;
      World.await(CONVERGE, () -> audit(w).stream().anyMatch(e -> e.code().equals("SHADOW_DIVERGENCE")),
          "the shadow to report the divergence");
      AuditEvent d = audit(w).stream().filter(e -> e.code().equals("SHADOW_DIVERGENCE")).findFirst().orElseThrow();
      LOG.info("divergence report: {}", d.detail());
      assertThat(d.actor()).isEqualTo("shadow@az-b");
      assertThat(d.detail()).contains("Primary: ").contains("Shadow: ").contains("controller@az-a")
          .contains("127.0.0.13");
      assertThat(w.metrics.counter("bulwark_shadow_divergence_total", "service", SERVICE.value())).isPositive();
      assertThat(w.shadow.shadow().verdicts().get(SERVICE).agrees()).isFalse();
    }
  }

  @Test
  void enactorsOfOtherAzsPublishUnderTheCurrentEpochWhenThePrimarysOwnAzHasNone() throws Exception {
    try (World w = new World(dir, ServicePolicy.DEFAULT)) {
      w.startControllerPair(h -> h, List.of(AZS.get(1), AZS.get(2)));
      World.await(CONVERGE, () -> w.publishedAddresses().equals(BACKENDS), "all four backends in DNS");
      w.stopBackend("127.0.0.14");
      World.await(CONVERGE, () -> w.publishedAddresses().equals(WITHOUT_14), "the change to reach DNS");

      FencingToken current = lease(w).token();
      assertThat(lease(w).holder().value()).isEqualTo("controller@az-a");
      assertThat(w.published().marker().map(Marker::token)).contains(current);
      assertThat(audit(w).stream().filter(e -> e.action().equals("RecordApplied") && e.accepted())
          .map(AuditEvent::actor)).isNotEmpty().allMatch(a -> a.equals("enactor@az-b") || a.equals("enactor@az-c"));
    }
  }
}
