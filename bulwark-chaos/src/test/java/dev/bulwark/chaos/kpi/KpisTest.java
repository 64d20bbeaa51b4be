package dev.bulwark.chaos.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.chaos.GameDayTarget.ControlEvent;
import dev.bulwark.chaos.Kpi;
import dev.bulwark.chaos.kpi.Timeline.FaultWindow;
import dev.bulwark.chaos.kpi.Timeline.ProbeSample;
import dev.bulwark.chaos.kpi.Timeline.ProbedEndpoint;
import dev.bulwark.chaos.kpi.Timeline.RunEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** KPIs on hand-built timelines, including the edge cases: never detected, never recovered. */
class KpisTest {
  private static final String EP = "dynamodb.us-east-1.bulwark.test";

  private static FaultWindow fault(long at, long removed) {
    return new FaultWindow("f1", "backend-failure", "x", at, OptionalLong.of(removed));
  }

  private static RunEvent event(long at, String code) {
    return new RunEvent(at, new ControlEvent(Math.abs(at), 0, "actor", "Observe", "dynamodb", true, code, ""));
  }

  /** Samples every 100 ms from 0 to {@code end}, with {@code records(t)} addresses. */
  private static List<ProbeSample> samples(long end, java.util.function.LongToIntFunction records) {
    List<ProbeSample> out = new ArrayList<>();
    for (long t = 0; t <= end; t += 100) {
      int r = records.applyAsInt(t);
      out.add(new ProbeSample(EP, t, r >= 0, Math.max(0, r), OptionalLong.of(1)));
    }
    return out;
  }

  private static Timeline timeline(List<FaultWindow> faults, List<RunEvent> events, List<ProbeSample> samples,
      int drift, Map<String, List<String>> deps) {
    return new Timeline(2_000, faults, List.of(), events, samples, Map.of(EP, new ProbedEndpoint("dynamodb", 2)), drift, deps);
  }

  @Test
  void detectMitigatePageAndRecoverAreMeasuredFromTheFirstFault() {
    Timeline t = timeline(List.of(fault(500, 1_500)),
        List.of(event(100, "DRIFT"), event(800, "FAIL_STATIC_PAGE"), event(900, "POINTER_ADVANCED"),
            event(1_200, "REPAIRED")),
        samples(2_000, at -> at >= 600 && at < 1_000 ? 1 : 4), 0, Map.of());
    Kpis.Values v = Kpis.compute(t);
    assertThat(v.get(Kpi.MTTD_MILLIS)).as("a DRIFT before the fault does not count").hasValue(300);
    assertThat(v.get(Kpi.MTTM_MILLIS)).hasValue(300);
    assertThat(v.get(Kpi.MTTHI_MILLIS)).hasValue(300);
    assertThat(v.get(Kpi.MTTR_MILLIS)).as("first healthy sample after the last unhealthy one").hasValue(500);
    assertThat(v.get(Kpi.EMPTY_ANSWER_MILLIS)).hasValue(0);
    assertThat(v.get(Kpi.CFI)).hasValue(0);
  }

  @Test
  void aFaultThatIsNeverDetectedHasNoMttdAndNeverRecoveringHasNoMttrNotZero() {
    Timeline t = timeline(List.of(fault(200, 1_000)), List.of(event(50, "DRIFT")),
        samples(2_000, at -> at >= 300 ? 0 : 4), 1, Map.of());
    Kpis.Values v = Kpis.compute(t);
    assertThat(v.get(Kpi.MTTD_MILLIS)).isEmpty();
    assertThat(v.get(Kpi.MTTM_MILLIS)).isEmpty();
    assertThat(v.get(Kpi.MTTHI_MILLIS)).isEmpty();
    assertThat(v.get(Kpi.MTTR_MILLIS)).isEmpty();
    assertThat(v.get(Kpi.EMPTY_ANSWER_MILLIS)).as("300 ms to the end at 2000 ms").hasValue(1_700);
    assertThat(v.get(Kpi.RESIDUAL_DRIFT)).hasValue(1);
    assertThat(v.get(Kpi.CFI)).as("no change at all: undefined").isEmpty();
  }

  @Test
  void anotherServicesRoutineEventsDoNotPassForDetectingThisFault() {
    RunEvent s3 = new RunEvent(100, new ControlEvent(0, 0, "enactor@az-a", "Observe", "s3/s3.example", true,
        "STALE_WRITE_REFUSED", ""));
    RunEvent own = new RunEvent(400, new ControlEvent(1, 0, "enactor@az-a", "Observe", "dynamodb/x.example", true,
        "STALE_WRITE_REFUSED", ""));
    RunEvent fenced = new RunEvent(300, new ControlEvent(2, 0, "planner", "ProposePlan", "authority", false,
        "STALE_TOKEN", ""));
    Timeline t = timeline(List.of(fault(0, 10)), List.of(s3, own), samples(500, at -> 4), 0, Map.of());
    assertThat(Kpis.compute(t).get(Kpi.MTTD_MILLIS)).hasValue(400);
    Timeline withFencing = timeline(List.of(fault(0, 10)), List.of(s3, fenced, own), samples(500, at -> 4), 0,
        Map.of());
    assertThat(Kpis.compute(withFencing).get(Kpi.MTTD_MILLIS)).as("the authority concerns every service")
        .hasValue(300);
  }

  @Test
  void aFaultTheSystemAbsorbsHasZeroRecoveryTime() {
    Timeline t = timeline(List.of(fault(0, 1_000)), List.of(), samples(2_000, at -> 4), 0, Map.of());
    assertThat(Kpis.compute(t).get(Kpi.MTTR_MILLIS)).hasValue(0);
  }

  @Test
  void withoutAnyFaultThereIsNoIncidentToTime() {
    Timeline t = timeline(List.of(), List.of(event(10, "DRIFT")), samples(1_000, at -> 4), 0, Map.of());
    Kpis.Values v = Kpis.compute(t);
    assertThat(v.get(Kpi.MTTD_MILLIS)).isEmpty();
    assertThat(v.get(Kpi.MTTR_MILLIS)).isEmpty();
  }

  @Test
  void unansweredSamplesAreUnhealthyButNotEmptyAnswers() {
    Timeline t = timeline(List.of(fault(0, 500)), List.of(), samples(2_000, at -> at < 500 ? -1 : 4), 0, Map.of());
    Kpis.Values v = Kpis.compute(t);
    assertThat(v.get(Kpi.EMPTY_ANSWER_MILLIS)).hasValue(0);
    assertThat(v.get(Kpi.MTTR_MILLIS)).hasValue(500);
  }

  @Test
  void changeFailureIndexCountsStaleActivationsAndRollbacksOverChanges() {
    Timeline t = timeline(List.of(fault(0, 10)), List.of(event(1, "PLAN_ACTIVATED"), event(2, "PLAN_ACTIVATED"),
        event(3, "STALE_PLAN_ACTIVATED"), event(4, "ROLLED_BACK"), event(-5, "ROLLED_BACK")),
        samples(100, at -> 4), 0, Map.of());
    assertThat(Kpis.compute(t).get(Kpi.CFI)).as("2 failed of 4 changes; events before time zero don't count")
        .hasValue(0.5);
  }

  @Test
  void blastRadiusCountsDependentsTransitivelyButNotTheImpairedServiceItself() {
    Map<String, List<String>> deps = Map.of("ec2-dwfm", List.of("dynamodb"), "nlb", List.of("ec2-dwfm"),
        "lambda", List.of("dynamodb", "nlb"), "billing", List.of("s3"));
    Timeline hurt = timeline(List.of(fault(0, 10)), List.of(), samples(500, at -> at == 200 ? 0 : 4), 0, deps);
    Kpis.Values v = Kpis.compute(hurt);
    assertThat(v.get(Kpi.BRI)).hasValue(3);
    assertThat(v.impairedServices()).containsExactly("dynamodb");
    assertThat(v.affectedDependents()).containsExactlyInAnyOrder("ec2-dwfm", "nlb", "lambda");
    Timeline fine = timeline(List.of(fault(0, 10)), List.of(), samples(500, at -> 4), 0, deps);
    assertThat(Kpis.compute(fine).get(Kpi.BRI)).hasValue(0);
  }

  @Test
  void percentilesUseTheNearestRankAndCountNeverRecoveredAsInfinite() {
    List<OptionalDouble> mttr = new ArrayList<>();
    for (int i = 1; i <= 9; i++) {
      mttr.add(OptionalDouble.of(i * 100));
    }
    mttr.add(OptionalDouble.empty());
    Stats s = Stats.of(Kpi.MTTR_MILLIS, mttr);
    assertThat(s.p50()).as("rank ceil(0.5*10)=5").hasValue(500);
    assertThat(s.p90()).as("rank 9").hasValue(900);
    assertThat(s.max()).hasValue(Double.POSITIVE_INFINITY);
    assertThat(s.absent()).isEqualTo(1);
    assertThat(Stats.show(s.max())).isEqualTo("∞");

    Stats one = Stats.of(Kpi.MTTD_MILLIS, List.of(OptionalDouble.of(42)));
    assertThat(one.p50()).hasValue(42);
    assertThat(one.p90()).hasValue(42);

    Stats cfi = Stats.of(Kpi.CFI, List.of(OptionalDouble.empty(), OptionalDouble.of(0.25)));
    assertThat(cfi.runs()).as("an undefined CFI is left out, not infinite").isEqualTo(1);
    assertThat(cfi.max()).hasValue(0.25);
    assertThat(Stats.of(Kpi.CFI, List.of()).p50()).isEmpty();
  }

  /** An event with every field given; ids follow the order of the list, as the target's do. */
  private static RunEvent ev(long at, long id, String actor, String action, boolean accepted, String code,
      String detail) {
    return new RunEvent(at, new ControlEvent(id, 0, actor, action, "dynamodb", accepted, code, detail));
  }

  private static ProbeSample marker(long at, long version, long token) {
    return new ProbeSample(EP, at, true, 4, OptionalLong.of(version), OptionalLong.of(token));
  }

  @Test
  void aPromotionIsDetectedAtPromotedAndCompleteAtTheNewPrimarysFirstFencedCommand() {
    Timeline t = timeline(List.of(fault(1_000, 9_000)), List.of(
            ev(100, 1, "controller@az-a", "RenewAuthority", true, "AUTHORITY_RENEWED", ""),
            ev(3_500, 2, "controller@az-b", "AcquireAuthority", true, "AUTHORITY_GRANTED", "lease lapsed"),
            ev(3_510, 3, "controller@az-b", "Observe", true, "PROMOTED", "promoted after 3000 ms"),
            ev(3_505, 4, "shadow@az-a", "Observe", true, "SHADOW_DIVERGENCE", "a report by the deposed shadow"),
            ev(3_530, 5, "controller@az-b", "RenewAuthority", true, "AUTHORITY_RENEWED", "")),
        samples(2_000, at -> 4), 0, Map.of());
    Kpis.Values v = Kpis.compute(t);
    assertThat(v.get(Kpi.PROMOTION_DETECT_MILLIS)).hasValue(2_510);
    assertThat(v.get(Kpi.PROMOTION_MILLIS)).as("its renewal, not another controller's observation").hasValue(2_530);
    assertThat(v.get(Kpi.MTTD_MILLIS)).as("a promotion is a detection").hasValue(2_510);
    assertThat(v.get(Kpi.DEPOSED_WRITES_LANDED)).hasValue(0);
  }

  @Test
  void withoutAPromotionThePromotionKpisAreAbsentNotZero() {
    Timeline t = timeline(List.of(fault(1_000, 9_000)), List.of(
            ev(1_500, 1, "controller@az-a", "RenewAuthority", true, "AUTHORITY_RENEWED", "")),
        samples(2_000, at -> 4), 0, Map.of());
    Kpis.Values v = Kpis.compute(t);
    assertThat(v.get(Kpi.PROMOTION_DETECT_MILLIS)).isEmpty();
    assertThat(v.get(Kpi.PROMOTION_MILLIS)).isEmpty();
    assertThat(v.get(Kpi.DEPOSED_WRITES_LANDED)).isEmpty();
    assertThat(v.get(Kpi.STATE_LOSS_EVENTS)).as("no state check recorded").isEmpty();
  }

  @Test
  void aDeposedPrimarysAcceptedCommandsAndAStaleEpochMarkerInDnsCountAsLandedWrites() {
    List<RunEvent> events = List.of(
        ev(3_000, 1, "controller@az-b", "Observe", true, "PROMOTED", ""),
        ev(8_000, 2, "controller@az-a", "RenewAuthority", false, "STALE_TOKEN", "refused: does not count"),
        ev(8_010, 3, "controller@az-a", "Observe", true, "FENCED", "an observation: does not count"),
        ev(8_020, 4, "enactor@az-a", "RecordApplied", true, "APPLIED_RECORDED", "Enactors follow the lease"),
        ev(8_030, 5, "planner@az-a", "ProposePlan", true, "PLAN_PROPOSED", "landed"),
        ev(8_040, 6, "auditor@az-a", "Observe", true, "REPAIRED", "an observation of a repair"),
        ev(8_050, 7, "janitor@az-a", "MarkForDeletion", true, "MARKED_FOR_DELETION", "landed"));
    List<ProbeSample> dns = List.of(marker(0, 1, 5), marker(100, 1, 5), marker(4_000, 2, 46), marker(8_100, 2, 5),
        marker(8_200, 2, 5), marker(8_300, 3, 46));
    Timeline t = timeline(List.of(fault(1_000, 9_000)), events, dns, 0, Map.of());
    assertThat(Kpis.deposedLedgerWrites(t)).isEqualTo(2);
    assertThat(Kpis.staleEpochMarkers(t, 3_000)).as("t5 back in DNS once, seen twice").isEqualTo(1);
    assertThat(Kpis.staleEpochMarkers(t, 9_000)).as("only after the promotion").isZero();
    assertThat(Kpis.compute(t).get(Kpi.DEPOSED_WRITES_LANDED)).hasValue(3);
  }

  @Test
  void everyNewMarkerVersionInDnsNeedsAnAuditedPointerMove() {
    List<RunEvent> events = List.of(
        new RunEvent(500, new ControlEvent(1, 0, "planner@az-b", "AdvancePointer", "dynamodb/g2", true,
            "POINTER_ADVANCED", "pointer v1/g1 -> v2/g2 (approved by az-a, az-b)")),
        new RunEvent(600, new ControlEvent(2, 0, "planner@az-b", "AdvancePointer", "s3/g4", true,
            "POINTER_ADVANCED", "pointer v2/g3 -> v3/g4 (approved by az-a, az-b)")));
    List<ProbeSample> dns = List.of(marker(0, 1, 5), marker(700, 2, 5), marker(800, 3, 5), marker(900, 2, 5),
        marker(1_000, 3, 5));
    Timeline t = timeline(List.of(fault(100, 900)), events, dns, 0, Map.of());
    assertThat(Kpis.compute(t).get(Kpi.UNAUDITED_CHANGES)).as("v3 of dynamodb: only s3 moved to v3; the first"
        + " sample is the baseline and a return to a known version is no new change").hasValue(1);
  }

  @Test
  void stateLossCountsEventsMissingOrChangedAfterTheRun() {
    Timeline base = timeline(List.of(fault(0, 10)), List.of(), samples(500, at -> 4), 0, Map.of());
    Timeline lost = new Timeline(base.endMillis(), base.faults(), base.actions(), base.events(), base.samples(),
        base.probes(), 0, Map.of(), java.util.Optional.of(new Timeline.StateCheck(40, 1, 2)));
    assertThat(Kpis.compute(lost).get(Kpi.STATE_LOSS_EVENTS)).hasValue(3);
    Timeline kept = new Timeline(base.endMillis(), base.faults(), base.actions(), base.events(), base.samples(),
        base.probes(), 0, Map.of(), java.util.Optional.of(new Timeline.StateCheck(40, 0, 0)));
    assertThat(Kpis.compute(kept).get(Kpi.STATE_LOSS_EVENTS)).hasValue(0);
  }
}
