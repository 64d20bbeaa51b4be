package dev.bulwark.server.gameday;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.chaos.GameDay;
import dev.bulwark.chaos.GameDayResult;
import dev.bulwark.chaos.Kpi;
import dev.bulwark.chaos.Mode;
import dev.bulwark.chaos.RunResult;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.ScenarioParser;
import dev.bulwark.chaos.Verdict;
import dev.bulwark.chaos.kpi.Timeline;
import dev.bulwark.core.port.SystemScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each shipped scenario, run for real against an in-process control plane (Ratis peers, embedded
 * DNS, loopback load balancers, the real agents) in safe and in legacy mode, with its verdict
 * asserted, including the legacy verdicts that must fail.
 */
class ShippedScenariosTest {
  @TempDir Path dir;

  /** Journals and reports stay after the build, for a look or as CI artifacts. */
  static final Path REPORTS = Path.of("target", "gameday-reports");

  static Path scenario(String name) {
    return Path.of("..", "scenarios", name + ".yaml");
  }

  private GameDayResult run(String name, Mode mode) throws Exception {
    Scenario s = ScenarioParser.parse(scenario(name));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    try (SystemScheduler scheduler = new SystemScheduler("gameday", 6);
        PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8)) {
      GameDayResult r = new GameDay(scheduler, new TeePrintStream(out)).run(s, EmbeddedGameDayTarget.factory(dir.resolve("w")),
          new GameDay.Options(Optional.of(mode), OptionalInt.empty(), Optional.of(REPORTS)));
      String text = progress.toString(StandardCharsets.UTF_8);
      assertThat(text).as("progress display").contains("inject", "game day:", r.verdict().name());
      assertThat(r.files()).allSatisfy(f -> assertThat(Files.size(f)).isPositive());
      return r;
    }
  }

  @Test
  void theRaceInSafeModeHoldsWithNoEmptyAnswerAndTheStaleWriteRefused() throws Exception {
    GameDayResult r = run("dynamodb-2025-race", Mode.SAFE);
    assertThat(r.runs().get(0).findings()).isEmpty();
    assertThat(r.exitCode()).isZero();
    RunResult run = r.runs().get(0);
    assertThat(run.kpis().get(Kpi.EMPTY_ANSWER_MILLIS).getAsDouble()).isZero();
    assertThat(run.kpis().get(Kpi.RESIDUAL_DRIFT).getAsDouble()).isZero();
    assertThat(run.timeline().events()).anyMatch(e -> e.event().code().equals("STALE_WRITE_REFUSED"));
    assertThat(run.timeline().samples()).noneMatch(Timeline.ProbeSample::isEmpty);
  }

  @Test
  void theRaceInLegacyModeEmptiesTheEndpointAndLeavesTheAutomationStuck() throws Exception {
    GameDayResult r = run("dynamodb-2025-race", Mode.LEGACY);
    assertThat(r.exitCode()).isEqualTo(1);
    RunResult run = r.runs().get(0);
    assertThat(run.verdict()).isEqualTo(Verdict.DEVIATED);
    assertThat(run.kpis().get(Kpi.EMPTY_ANSWER_MILLIS).getAsDouble()).isPositive();
    assertThat(run.kpis().get(Kpi.MTTR_MILLIS)).as("never recovered").isEmpty();
    assertThat(run.timeline().events()).anyMatch(e -> e.event().code().equals("AUTOMATION_STUCK"));
    assertThat(run.timeline().events()).anyMatch(e -> e.event().code().equals("ACTIVE_PLAN_DELETED"));
    assertThat(run.findings()).anyMatch(f -> f.contains("answered with no address"));
  }

  @Test
  void massUnhealthyInSafeModeFailsStaticAndPagesAnOperator() throws Exception {
    GameDayResult r = run("mass-unhealthy", Mode.SAFE);
    assertThat(r.runs().get(0).findings()).isEmpty();
    assertThat(r.exitCode()).isZero();
    RunResult run = r.runs().get(0);
    assertThat(run.kpis().get(Kpi.MTTHI_MILLIS)).isPresent();
    assertThat(run.timeline().samples()).allMatch(s -> !s.answered() || s.records() == 4);
  }

  @Test
  void massUnhealthyInLegacyModePublishesTheSurvivorAndPagesNobody() throws Exception {
    GameDayResult r = run("mass-unhealthy", Mode.LEGACY);
    assertThat(r.exitCode()).isEqualTo(1);
    RunResult run = r.runs().get(0);
    assertThat(run.kpis().get(Kpi.MTTHI_MILLIS)).as("no page").isEmpty();
    assertThat(run.findings()).anyMatch(f -> f.contains("served only 1 record(s)"));
  }

  @Test
  void appendixCInSafeModeRefusesTheDeleteAndPublishesTheUpdate() throws Exception {
    GameDayResult r = run("appendix-c-race", Mode.SAFE);
    assertThat(r.runs().get(0).findings()).isEmpty();
    assertThat(r.exitCode()).isZero();
    RunResult run = r.runs().get(0);
    assertThat(run.timeline().actions()).anyMatch(a -> a.kind().equals("propose-delete")
        && a.result().contains("EMPTY_ENDPOINT"));
    assertThat(run.kpis().get(Kpi.MTTR_MILLIS).getAsDouble()).isLessThanOrEqualTo(30_000);
  }

  @Test
  void appendixCInLegacyModeAppliesTheUnvalidatedDelete() throws Exception {
    GameDayResult r = run("appendix-c-race", Mode.LEGACY);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.runs().get(0).kpis().get(Kpi.EMPTY_ANSWER_MILLIS).getAsDouble()).isPositive();
  }

  @Test
  void losingTheLedgerLeaderMidRolloutLosesNothingAndDnsConverges() throws Exception {
    GameDayResult r = run("leader-loss-during-apply", Mode.SAFE);
    assertThat(r.runs().get(0).findings()).isEmpty();
    assertThat(r.exitCode()).isZero();
    RunResult run = r.runs().get(0);
    assertThat(run.timeline().faults()).anyMatch(f -> f.kind().equals("kill-ledger-peer")
        && f.description().startsWith("killed ledger peer") && f.removedAtMillis().isPresent());
    assertThat(run.kpis().get(Kpi.MTTR_MILLIS)).isPresent();
    assertThat(run.checks()).anyMatch(c -> c.startsWith("after: audit chain: intact"));
  }

  @Test
  void aClockRunningAheadCannotMakeAStaleWriteWinAgainstLogIndexFencing() throws Exception {
    GameDayResult r = run("clock-skew-fencing", Mode.SAFE);
    assertThat(r.runs().get(0).findings()).isEmpty();
    assertThat(r.exitCode()).isZero();
    assertThat(r.runs().get(0).timeline().faults()).anyMatch(f -> f.kind().equals("clock-skew"));
  }

  @Test
  void timestampFencingAcceptsTheStaleWriteFromTheFastClockAndRefusesTheCorrectOnes() throws Exception {
    GameDayResult r = run("clock-skew-fencing", Mode.LEGACY);
    assertThat(r.exitCode()).isEqualTo(1);
    RunResult run = r.runs().get(0);
    assertThat(run.kpis().get(Kpi.RESIDUAL_DRIFT).getAsDouble()).as("DNS stuck on the stale content").isPositive();
    assertThat(run.timeline().events()).anyMatch(e -> e.event().code().equals("STALE_PLAN_ACTIVATED"));
  }

  @Test
  void theLegacyDesignHasNoLedgerToLoseButNoAuditChainEither() throws Exception {
    GameDayResult r = run("leader-loss-during-apply", Mode.LEGACY);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.runs().get(0).timeline().faults()).anyMatch(f -> f.description().startsWith("nothing to kill"));
    assertThat(r.runs().get(0).findings()).anyMatch(f -> f.contains("no audit chain"));
  }
}
