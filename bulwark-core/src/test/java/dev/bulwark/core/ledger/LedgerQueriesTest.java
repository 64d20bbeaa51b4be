package dev.bulwark.core.ledger;

import static dev.bulwark.core.ledger.LedgerFixture.ALICE;
import static dev.bulwark.core.ledger.LedgerFixture.API;
import static dev.bulwark.core.ledger.LedgerFixture.AZ_A;
import static dev.bulwark.core.ledger.LedgerFixture.DDB;
import static dev.bulwark.core.ledger.LedgerFixture.PLANNER;
import static dev.bulwark.core.ledger.LedgerFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The read-only queries the HTTP API needs: summaries, details, overview, audit search and verify. */
class LedgerQueriesTest {

  @Test
  void serviceSummariesListEveryServiceWithPointerLastKnownGoodAndControls() {
    LedgerFixture f = LedgerFixture.withService();
    Generation g1 = f.publish(plan(1, 2, 3));
    Generation g2 = f.publish(plan(1, 2, 4));
    f.accepted(new Command.Pin(DDB, "freeze", ALICE, f.now));

    List<LedgerQuery.ServiceSummary> all = new LedgerQuery.ServiceSummaries().evaluate(f.ledger);

    assertThat(all).hasSize(1);
    LedgerQuery.ServiceSummary s = all.get(0);
    assertThat(s.definition().service()).isEqualTo(DDB);
    assertThat(s.pointer()).isEqualTo(new Pointer(2, g2));
    assertThat(s.latestGeneration()).isEqualTo(g2);
    assertThat(s.lastKnownGood()).contains(g1);
    assertThat(s.controls()).isEqualTo(new LedgerQuery.Controls(false, true));
  }

  @Test
  void serviceDetailCarriesTheLiveMarkersAndIsEmptyForAnUnknownService() {
    LedgerFixture f = LedgerFixture.withService();
    f.publish(plan(1, 2));
    f.reportApplied(API, AZ_A);

    LedgerQuery.ServiceDetail d = new LedgerQuery.ServiceDetailOf(DDB).evaluate(f.ledger).orElseThrow();

    assertThat(d.applied()).containsOnlyKeys(API);
    assertThat(d.applied().get(API).version()).isEqualTo(1);
    assertThat(new LedgerQuery.ServiceDetailOf(ServiceId.of("nope")).evaluate(f.ledger)).isEmpty();
  }

  @Test
  void overviewCountsServicesPendingStepsAndAuditEvents() {
    LedgerFixture f = LedgerFixture.withService();
    f.accepted(new Command.Pause(PauseScope.GLOBAL, "maintenance", ALICE, f.now));

    LedgerQuery.Overview o = new LedgerQuery.OverviewOf().evaluate(f.ledger);

    assertThat(o.services()).isEqualTo(1);
    assertThat(o.pendingApprovals()).isZero();
    assertThat(o.auditEvents()).isEqualTo(f.ledger.audit().size());
    assertThat(o.lastLogIndex()).isEqualTo(f.logIndex);
    assertThat(o.authority()).isPresent();
    assertThat(o.pauses()).containsKey(PauseScope.GLOBAL);
  }

  @Test
  void verifyAuditReportsAnIntactChain() {
    LedgerFixture f = LedgerFixture.withService();
    f.publish(plan(1, 2));

    ChainVerification v = new LedgerQuery.VerifyAudit().evaluate(f.ledger);

    assertThat(v.intact()).isTrue();
    assertThat(v.eventsChecked()).isEqualTo(f.ledger.audit().size());
  }

  @Test
  void auditSearchFiltersByServiceActorAndCodeAndPagesWithACursor() {
    LedgerFixture f = LedgerFixture.withService();
    f.publish(plan(1, 2));
    f.publish(plan(1, 3));
    f.accepted(new Command.Pause(PauseScope.service(DDB), "look", ALICE, f.now));
    f.accepted(new Command.Pause(PauseScope.GLOBAL, "all", ALICE, f.now));

    LedgerQuery.AuditPage byPlanner = new LedgerQuery.AuditSearch(0, 1_000, Optional.empty(),
        Optional.of(PLANNER.value()), Optional.empty()).evaluate(f.ledger);
    assertThat(byPlanner.events()).isNotEmpty().allSatisfy(e -> assertThat(e.actor()).isEqualTo(PLANNER.value()));
    assertThat(byPlanner.more()).isFalse();
    assertThat(byPlanner.next()).isEqualTo(f.ledger.audit().size());

    LedgerQuery.AuditPage advances = new LedgerQuery.AuditSearch(0, 1, Optional.of(DDB), Optional.empty(),
        Optional.of("POINTER_ADVANCED")).evaluate(f.ledger);
    assertThat(advances.events()).hasSize(1);
    assertThat(advances.more()).isTrue();
    LedgerQuery.AuditPage second = new LedgerQuery.AuditSearch(advances.next(), 1, Optional.of(DDB),
        Optional.empty(), Optional.of("POINTER_ADVANCED")).evaluate(f.ledger);
    assertThat(second.events()).hasSize(1);
    assertThat(second.events().get(0).id()).isGreaterThan(advances.events().get(0).id());

    LedgerQuery.AuditPage aboutDdb = new LedgerQuery.AuditSearch(0, 1_000, Optional.of(DDB), Optional.empty(),
        Optional.empty()).evaluate(f.ledger);
    assertThat(aboutDdb.events()).extracting(AuditEvent::subject).contains("service:dynamodb")
        .doesNotContain("global", "authority");
  }

  @Test
  void auditSearchRefusesAnUnboundedPage() {
    assertThatThrownBy(() -> new LedgerQuery.AuditSearch(0, 1_001, Optional.empty(), Optional.empty(),
        Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be 1..1000");
  }
}
