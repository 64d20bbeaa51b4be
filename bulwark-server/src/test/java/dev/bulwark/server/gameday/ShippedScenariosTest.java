package dev.bulwark.server.gameday;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Each shipped scenario, run through {@code bulwark gameday run} in safe and in legacy mode against
 * a fresh embedded Bulwark (Ratis peers, embedded DNS, loopback load balancers, the real agents, or
 * the 2025 design), as a user would: the exit code, the one-line verdict and the JSON journal are
 * asserted, including the legacy verdicts that must fail.
 */
class ShippedScenariosTest {
  /** Journals and reports stay after the build, for a look or as CI artifacts. */
  static final Path REPORTS = Path.of("target", "gameday-reports");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The last line printed: the one-line verdict. */
  private static String verdictLine(Cli.Outcome o) {
    List<String> lines = o.out().lines().toList();
    return lines.get(lines.size() - 1);
  }

  /** Runs {@code name} in {@code mode} through the CLI and returns its first run's journal. */
  private static Run run(String name, String mode, int expectedExit) throws IOException {
    Cli.Outcome o = Cli.run("gameday", "run", "../scenarios/" + name + ".yaml", "--mode", mode, "--out",
        REPORTS.toString());
    assertThat(o.exitCode()).as("exit code; stderr:%n%s", o.err()).isEqualTo(expectedExit);
    String verdict = verdictLine(o);
    assertThat(verdict).startsWith((expectedExit == 0 ? "HELD " : "DEVIATED ") + name + " (" + mode + ", 1 run): ");
    assertThat(o.out()).as("progress display").contains("inject", "game day:", "wrote ");
    Path journal = REPORTS.resolve(name + "-" + mode + "-run1.json");
    assertThat(REPORTS.resolve(name + "-" + mode + ".html")).isNotEmptyFile();
    JsonNode j = JSON.readTree(journal.toFile());
    assertThat(j.path("verdict").asText()).isEqualTo(expectedExit == 0 ? "HELD" : "DEVIATED");
    assertThat(j.path("exitCode").asInt()).isEqualTo(expectedExit);
    if (expectedExit == 0) {
      assertThat(j.path("findings")).as("findings of a held run").isEmpty();
    }
    return new Run(verdict, j);
  }

  /** What a user sees of one run: the verdict line and the journal. */
  private record Run(String verdict, JsonNode journal) {
    JsonNode kpi(String name) {
      return journal.path("kpis").path(name);
    }

    List<JsonNode> array(String name) {
      return StreamSupport.stream(journal.path(name).spliterator(), false).toList();
    }

    boolean hasEvent(String code) {
      return array("events").stream().anyMatch(e -> e.path("code").asText().equals(code));
    }
  }

  @Test
  void theRaceInSafeModeHoldsWithNoEmptyAnswerAndTheStaleWriteRefused() throws Exception {
    Run r = run("dynamodb-2025-race", "safe", 0);
    assertThat(r.verdict()).contains("the steady-state hypothesis held");
    assertThat(r.kpi("emptyAnswerMillis").asDouble()).isZero();
    assertThat(r.kpi("residualDrift").asDouble()).isZero();
    assertThat(r.hasEvent("STALE_WRITE_REFUSED")).as("the stale write refused by the DNS prerequisite").isTrue();
    assertThat(r.array("samples")).noneMatch(s -> s.path("answered").asBoolean() && s.path("records").asInt() == 0);
  }

  @Test
  void theRaceInLegacyModeEmptiesTheEndpointAndLeavesTheAutomationStuck() throws Exception {
    Run r = run("dynamodb-2025-race", "legacy", 1);
    assertThat(r.verdict()).contains("answered with no address");
    assertThat(r.kpi("emptyAnswerMillis").asDouble()).isPositive();
    assertThat(r.kpi("mttrMillis").isNull()).as("never recovered").isTrue();
    assertThat(r.hasEvent("AUTOMATION_STUCK")).isTrue();
    assertThat(r.hasEvent("ACTIVE_PLAN_DELETED")).isTrue();
  }

  @Test
  void massUnhealthyInSafeModeFailsStaticAndPagesAnOperator() throws Exception {
    Run r = run("mass-unhealthy", "safe", 0);
    assertThat(r.kpi("mtthiMillis").isNumber()).as("an operator was paged").isTrue();
    assertThat(r.hasEvent("FAIL_STATIC_PAGE")).isTrue();
    assertThat(r.array("samples")).allMatch(s -> !s.path("answered").asBoolean() || s.path("records").asInt() == 4);
  }

  @Test
  void massUnhealthyInLegacyModePublishesTheSurvivorAndPagesNobody() throws Exception {
    Run r = run("mass-unhealthy", "legacy", 1);
    assertThat(r.kpi("mtthiMillis").isNull()).as("no page").isTrue();
    assertThat(r.array("findings")).anyMatch(f -> f.asText().contains("served only 1 record(s)"));
  }

  @Test
  void appendixCInSafeModeRefusesTheDeleteAndPublishesTheUpdate() throws Exception {
    Run r = run("appendix-c-race", "safe", 0);
    assertThat(r.array("actions")).anyMatch(a -> a.path("kind").asText().equals("propose-delete")
        && a.path("result").asText().contains("EMPTY_ENDPOINT"));
    assertThat(r.kpi("mttrMillis").asDouble()).as("recovery within 30 s (Scenario 1)").isLessThanOrEqualTo(30_000);
    assertThat(r.kpi("emptyAnswerMillis").asDouble()).isZero();
  }

  @Test
  void appendixCInLegacyModeAppliesTheUnvalidatedDelete() throws Exception {
    Run r = run("appendix-c-race", "legacy", 1);
    assertThat(r.kpi("emptyAnswerMillis").asDouble()).isPositive();
  }

  @Test
  void losingTheLedgerLeaderMidRolloutLosesNothingAndDnsConverges() throws Exception {
    Run r = run("leader-loss-during-apply", "safe", 0);
    assertThat(r.array("faults")).anyMatch(f -> f.path("kind").asText().equals("kill-ledger-peer")
        && f.path("description").asText().startsWith("killed ledger peer") && f.path("removedAtMillis").isNumber());
    assertThat(r.kpi("mttrMillis").isNumber()).isTrue();
    assertThat(r.array("checks")).anyMatch(c -> c.asText().startsWith("after: audit chain: intact"));
    assertThat(r.array("checks")).as("the operators' API answered again after the leader loss")
        .anyMatch(c -> c.asText().startsWith("API after the run (GET http://127.0.0.1:") && c.asText().contains("healthy;"));
  }

  @Test
  void aClockRunningAheadCannotMakeAStaleWriteWinAgainstLogIndexFencing() throws Exception {
    Run r = run("clock-skew-fencing", "safe", 0);
    assertThat(r.array("faults")).anyMatch(f -> f.path("kind").asText().equals("clock-skew"));
    assertThat(r.hasEvent("STALE_PLAN_ACTIVATED")).isFalse();
  }

  @Test
  void timestampFencingAcceptsTheStaleWriteFromTheFastClockAndRefusesTheCorrectOnes() throws Exception {
    Run r = run("clock-skew-fencing", "legacy", 1);
    assertThat(r.kpi("residualDrift").asDouble()).as("DNS stuck on the stale content").isPositive();
    assertThat(r.hasEvent("STALE_PLAN_ACTIVATED")).isTrue();
  }

  @Test
  void theLegacyDesignHasNoLedgerToLoseButNoAuditChainEither() throws Exception {
    Run r = run("leader-loss-during-apply", "legacy", 1);
    assertThat(r.array("faults")).anyMatch(f -> f.path("description").asText().startsWith("nothing to kill"));
    assertThat(r.array("findings")).anyMatch(f -> f.asText().contains("no audit chain"));
  }

  /** The accepted events of the journal by {@code actor} with {@code code}. */
  private static List<JsonNode> eventsOf(Run r, String actor, String code) {
    return r.array("events").stream().filter(e -> e.path("actor").asText().equals(actor)
        && e.path("code").asText().equals(code)).toList();
  }

  @Test
  void aKilledPrimaryControllerIsReplacedByTheShadowAndTheNextHealthChangeReachesDnsUnderTheNewEpoch()
      throws Exception {
    Run r = run("control-plane-failure", "safe", 0);
    assertThat(r.array("faults")).anyMatch(f -> f.path("kind").asText().equals("kill-controller")
        && f.path("description").asText().startsWith("killed the primary controller controller@az-a"));
    assertThat(r.kpi("promotionDetectMillis").asDouble()).as("Bulwark's target").isLessThanOrEqualTo(5_000);
    assertThat(r.kpi("promotionMillis").asDouble()).as("Bulwark's target").isLessThanOrEqualTo(10_000);
    assertThat(r.kpi("mttdMillis").asDouble()).as("the paper's MTTD").isLessThan(60_000);
    assertThat(r.kpi("stateLossEvents").asDouble()).isZero();
    assertThat(r.journal().path("stateCheck").path("acknowledged").asLong()).isPositive();
    assertThat(r.kpi("unauditedChanges").asDouble()).isZero();
    assertThat(r.kpi("deposedWritesLanded").asDouble()).isZero();
    assertThat(eventsOf(r, "controller@az-b", "PROMOTED")).hasSize(1);
    assertThat(r.array("checks")).anyMatch(c -> c.asText().startsWith("after: audit chain: intact"));
    // The health change reached DNS under the new epoch: three records, and a marker token newer than
    // the one written before the kill.
    long before = r.array("samples").get(0).path("token").asLong();
    assertThat(r.array("samples")).anyMatch(s -> s.path("records").asInt() == 3 && s.path("token").asLong() > before);
  }

  @Test
  void aFrozenPrimaryControllerResumesFencedAndNoneOfItsWritesLand() throws Exception {
    Run r = run("control-plane-freeze", "safe", 0);
    assertThat(r.array("faults")).anyMatch(f -> f.path("kind").asText().equals("freeze-controller")
        && f.path("removedAtMillis").isNumber());
    assertThat(r.kpi("promotionDetectMillis").asDouble()).isLessThanOrEqualTo(5_000);
    assertThat(r.kpi("deposedWritesLanded").asDouble()).isZero();
    assertThat(r.kpi("stateLossEvents").asDouble()).isZero();
    assertThat(eventsOf(r, "controller@az-a", "FENCED")).as("the resumed primary finds itself fenced").isNotEmpty();
    assertThat(r.array("events")).filteredOn(e -> e.path("actor").asText().equals("controller@az-a")
        && e.path("action").asText().equals("RenewAuthority")
        && e.path("atMillis").asLong() >= 1_000).as("its stale renewal").isNotEmpty()
        .noneMatch(e -> e.path("accepted").asBoolean() && e.path("atMillis").asLong() >= 1_500);
  }

  @Test
  void theLegacyDesignHasNoControllerToKillAndNoShadowToPromote() throws Exception {
    Run r = run("control-plane-failure", "legacy", 1);
    assertThat(r.array("faults")).anyMatch(f -> f.path("description").asText().startsWith("nothing to kill"));
    assertThat(r.kpi("promotionDetectMillis").isNull()).as("nobody is promoted").isTrue();
    assertThat(r.array("findings")).anyMatch(f -> f.asText().contains("no audit chain"));
  }
}
