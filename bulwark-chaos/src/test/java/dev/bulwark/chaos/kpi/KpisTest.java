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
}
