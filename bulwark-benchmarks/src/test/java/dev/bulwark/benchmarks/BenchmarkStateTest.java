package dev.bulwark.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.internal.BinaryWriter;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerState;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.PlanState;
import dev.bulwark.core.ledger.Result;
import org.junit.jupiter.api.Test;

/**
 * Runs each benchmark's setup and one operation, and checks that the state it measures is the
 * state it claims: every command accepted with the intended outcome. No timing is asserted; a slow
 * machine never fails these tests.
 */
class BenchmarkStateTest {

  @Test
  void mixCycleIsAcceptedEndToEndAndPublishesTheNewPlan() {
    LedgerPerIteration s = ready(new LedgerPerIteration());
    LedgerState ledger = s.fixture.ledger();
    long eventsBefore = ledger.audit().size();

    Result last = new ApplyMixBenchmark().mix(s);

    assertThat(last).isInstanceOf(Result.Accepted.class);
    assertThat(((Result.Accepted) last).outcome()).isInstanceOf(Outcome.AppliedRecorded.class);
    assertThat(ledger.audit().size() - eventsBefore).isEqualTo(ApplyMixBenchmark.COMMANDS_PER_CYCLE);
    assertThat(ledger.audit().range(eventsBefore, ApplyMixBenchmark.COMMANDS_PER_CYCLE))
        .allSatisfy(e -> assertThat(e.accepted()).as("%s %s: %s", e.action(), e.subject(), e.detail()).isTrue());
    assertThat(ledger.pointer(PlanRing.SERVICE).version()).isEqualTo(1);
    assertThat(ledger.applied(PlanRing.SERVICE)).hasSize(ApplyMixBenchmark.CHANGED_PER_PLAN);
  }

  @Test
  void mixRunsAFullTurnOfThePlanRingWithoutAnyRejection() {
    PlanRing ring = PlanRing.create(1_000, ApplyMixBenchmark.CHANGED_PER_PLAN);
    LedgerFixture fixture = LedgerFixture.start(ring, LedgerFixture.THROUGHPUT_LIMITS);

    // One more cycle than the ring has plans: the wrap-around must be a small step too.
    for (int i = 0; i <= ring.size(); i++) {
      fixture.cycle();
    }

    LedgerState ledger = fixture.ledger();
    assertThat(LedgerFixture.cycleCommands(ring)).isEqualTo(ApplyMixBenchmark.COMMANDS_PER_CYCLE);
    assertThat(ledger.pointer(PlanRing.SERVICE).version()).isEqualTo(ring.size() + 1L);
    assertThat(ledger.pendingApprovals()).isEmpty();
    assertThat(ledger.audit().range(0, Integer.MAX_VALUE)).allSatisfy(e -> assertThat(e.accepted()).isTrue());
    ledger.checkInvariants();
  }

  @Test
  void eachRingStepChangesExactlyTheNamedEndpoints() {
    PlanRing ring = PlanRing.create(20, 4);

    for (int i = 0; i < ring.size(); i++) {
      Plan before = ring.plan(i - 1L);
      Plan after = ring.plan(i);
      assertThat(after.endpoints().keySet())
          .filteredOn(e -> !before.targets(e).equals(after.targets(e)))
          .containsExactlyElementsOf(ring.changedInto(i));
    }
  }

  @Test
  void proposePlanAppendsANewGenerationEachTime() {
    CommandCostBenchmark.Proposing s = ready(new CommandCostBenchmark.Proposing());

    Generation first = new CommandCostBenchmark().proposePlan(s);
    Generation second = new CommandCostBenchmark().proposePlan(s);

    assertThat(second).isEqualTo(first.next());
    assertThat(stateOf(s, second)).isEqualTo(PlanState.PROPOSED);
  }

  @Test
  void voteBatchApprovesEveryPlanOfTheBatch() {
    CommandCostBenchmark.Voting s = ready(new CommandCostBenchmark.Voting());
    s.proposeBatch();

    Result last = new CommandCostBenchmark().vote(s);

    assertThat(last.isAccepted()).isTrue();
    assertThat(s.batch).allSatisfy(g -> assertThat(stateOf(s, g)).isEqualTo(PlanState.APPROVED));
  }

  @Test
  void advanceBatchMovesThePointerOncePerPlanWithoutOperatorApproval() {
    CommandCostBenchmark.Advancing s = ready(new CommandCostBenchmark.Advancing());
    s.approveBatch();

    Result last = new CommandCostBenchmark().advancePointer(s);

    assertThat(((Result.Accepted) last).outcome()).isInstanceOf(Outcome.PointerAdvanced.class);
    assertThat(s.fixture.ledger().pointer(PlanRing.SERVICE).version())
        .isEqualTo(CommandCostBenchmark.ADVANCES_PER_BATCH);
    assertThat(s.fixture.ledger().pendingApprovals()).isEmpty();
  }

  @Test
  void recordAppliedReReportsThePublishedVersion() {
    CommandCostBenchmark.Reporting s = ready(new CommandCostBenchmark.Reporting());

    Result r = new CommandCostBenchmark().recordApplied(s);
    Result again = new CommandCostBenchmark().recordApplied(s);

    assertThat(((Result.Accepted) r).outcome()).isInstanceOf(Outcome.AppliedRecorded.class);
    assertThat(again.isAccepted()).isTrue();
  }

  @Test
  void planEncodingBaselineWritesTheSameBytesAsThePlan() throws Exception {
    PlanEncodingBenchmark b = new PlanEncodingBenchmark();
    b.endpoints = 1_000;
    b.buildPlan();

    Plan rebuilt = b.planOf();
    Command decoded = b.decodeProposePlan();

    BinaryWriter w = new BinaryWriter();
    rebuilt.writeTo(w);
    assertThat(b.canonicalEncodingByteBuffer()).isEqualTo(w.toByteArray()).isEqualTo(b.canonicalEncoding());
    assertThat(((Command.ProposePlan) decoded).plan()).isEqualTo(rebuilt);
    assertThat(b.sha256()).hasSize(32);
  }

  @Test
  void snapshotRoundTripsAHistoryOfStoredPlans() {
    SnapshotBenchmark b = new SnapshotBenchmark();
    b.endpoints = 20;
    b.plans = 50; // the benchmark stores 10,000; the shape is the same
    b.buildHistory();

    byte[] written = b.toSnapshot();
    LedgerState restored = b.fromSnapshot();

    assertThat(written).hasSize(b.snapshotBytes());
    assertThat(restored.toSnapshot()).isEqualTo(written);
    assertThat(restored.latestGeneration(PlanRing.SERVICE)).isEqualTo(Generation.of(50));
    assertThat(restored.audit().size()).isEqualTo(2 + 50L * ApplyMixBenchmark.COMMANDS_PER_CYCLE);
  }

  private static PlanState stateOf(LedgerPerIteration s, Generation g) {
    return s.fixture.ledger().plan(PlanRing.SERVICE, g).orElseThrow().state();
  }

  /** What JMH does before the first invocation: parameters, trial and iteration setup. */
  private static <T extends LedgerPerIteration> T ready(T s) {
    s.endpoints = 1_000;
    s.buildPlans();
    s.freshLedger();
    return s;
  }
}
