package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Scenario files: the shipped ones parse; a malformed one gets file, line, column, field and what to do. */
class ScenarioParserTest {
  private static final String OK_HEAD = """
      title: t
      mode: safe
      durationMillis: 1000
      """;

  private static final String ONE_STEP = """
      method:
        - atMillis: 0
          fault: dns-outage
      """;

  static Stream<Arguments> badScenarios() {
    return Stream.of(
        Arguments.of("unknown top-level key", OK_HEAD + "durationMilis: 5\n" + ONE_STEP,
            "bad.yaml:4:1: durationMilis: unknown key; expected one of: dependencies, description, durationMillis, legacy,"
                + " method, mode, repetitions, rollbacks, steadyState, successCriteria, title, topology"),
        Arguments.of("missing method", OK_HEAD,
            "bad.yaml:1:1: method: is required but missing"),
        Arguments.of("mode not safe or legacy", "title: t\nmode: fast\ndurationMillis: 1\n" + ONE_STEP,
            "bad.yaml:2:7: mode: must be safe or legacy, but was \"fast\""),
        Arguments.of("duration not a number", "title: t\nmode: safe\ndurationMillis: soon\n" + ONE_STEP,
            "bad.yaml:3:17: durationMillis: must be a whole number in 1..86400000, but was \"soon\""),
        Arguments.of("step after the end", OK_HEAD + """
            method:
              - atMillis: 5000
                fault: dns-outage
            """, "bad.yaml:5:15: method[0].atMillis: must be a whole number in 0..999, but was 5000"),
        Arguments.of("unknown fault", OK_HEAD + """
            method:
              - atMillis: 0
                fault: meteor
            """, "bad.yaml:6:12: method[0].fault: unknown fault \"meteor\"; expected one of: backend-failure,"
                + " clock-skew, dns-outage, enactor-delay, freeze-controller, health-flapping, kill-controller,"
                + " kill-ledger-peer, latency-skew, plan-storm"),
        Arguments.of("parameter of another fault", OK_HEAD + """
            method:
              - atMillis: 0
                fault: dns-outage
                az: az-a
            """, "bad.yaml:7:5: method[0].az: unknown key; expected one of: atMillis, durationMillis, fault"),
        Arguments.of("unknown AZ", OK_HEAD + """
            method:
              - atMillis: 0
                fault: clock-skew
                az: az-z
                offsetMillis: 1000
            """, "bad.yaml:7:9: method[0].az: unknown AZ \"az-z\"; expected one of: az-a, az-b, az-c"),
        Arguments.of("unknown service", OK_HEAD + """
            method:
              - atMillis: 0
                fault: backend-failure
                service: dynamo
                count: 1
            """, "bad.yaml:7:14: method[0].service: unknown service \"dynamo\"; topology demo has: dynamodb, s3"),
        Arguments.of("fault outlives the scenario", OK_HEAD + """
            method:
              - atMillis: 500
                durationMillis: 600
                fault: dns-outage
            """, "bad.yaml:6:21: method[0].durationMillis: ends at 1100 ms, after the scenario's durationMillis"
                + " (1000); shorten it or leave it out to let the rollbacks remove the fault"),
        Arguments.of("both delay forms", OK_HEAD + """
            method:
              - atMillis: 0
                fault: enactor-delay
                az: az-c
                delayMillis: 5
                delaysMillis: [5]
            """, "bad.yaml:5:5: method[0].delayMillis: give exactly one of delayMillis or delaysMillis"),
        Arguments.of("unknown probe", OK_HEAD + """
            steadyState:
              probes:
                - dns-anwsers: {service: dynamodb}
            """ + ONE_STEP, "bad.yaml:6:20: steadyState.probes[0].dns-anwsers: unknown probe \"dns-anwsers\"; expected"
                + " one of: dns-answers, ledger-invariants, audit-chain-intact, api-health"),
        Arguments.of("misspelt API tolerance", OK_HEAD + """
            steadyState:
              probes:
                - api-health: {maxUnavailableMilis: 10}
            """ + ONE_STEP, "bad.yaml:6:20: steadyState.probes[0].api-health.maxUnavailableMilis: unknown key;"
                + " expected one of: intervalMillis, maxUnavailableMillis"),
        Arguments.of("misspelt tolerance", OK_HEAD + """
            steadyState:
              probes:
                - dns-answers: {service: dynamodb, maxEmptyMilis: 0}
            """ + ONE_STEP, "bad.yaml:6:40: steadyState.probes[0].dns-answers.maxEmptyMilis: unknown key; expected"
                + " one of: endpoint, intervalMillis, maxEmptyMillis, minRecords, service"),
        Arguments.of("unknown KPI", OK_HEAD + ONE_STEP + """
            successCriteria:
              mttx: {max: 1}
            """, "bad.yaml:8:3: successCriteria.mttx: unknown key; expected one of: bri, cfi, deposedWritesLanded,"
                + " emptyAnswerMillis, events, mttdMillis, mtthiMillis, mttmMillis, mttrMillis, promotionDetectMillis,"
                + " promotionMillis, residualDrift, stateLossEvents, unauditedChanges"),
        Arguments.of("bound without min or max", OK_HEAD + ONE_STEP + """
            successCriteria:
              mttrMillis: {}
            """, "bad.yaml:8:15: successCriteria.mttrMillis: needs min, max or both"),
        Arguments.of("min above max", OK_HEAD + ONE_STEP + """
            successCriteria:
              cfi: {min: 0.5, max: 0.1}
            """, "bad.yaml:8:14: successCriteria.cfi.min: min (0.500) is above max (0.100)"),
        Arguments.of("event code in lower case", OK_HEAD + ONE_STEP + """
            successCriteria:
              events:
                - {code: drift, max: 0}
            """, "bad.yaml:9:14: successCriteria.events[0].code: must be an audit code in capitals, such as"
                + " STALE_WRITE_REFUSED, but was \"drift\""),
        Arguments.of("dependency on nothing known", OK_HEAD + ONE_STEP + """
            dependencies:
              lambda: [dynamodb, kinesis]
            """, "bad.yaml:8:22: dependencies.lambda[1]: \"kinesis\" is neither a service of topology demo"
                + " (dynamodb, s3) nor listed under dependencies"),
        Arguments.of("duplicate key", OK_HEAD + "title: again\n" + ONE_STEP,
            "bad.yaml:4:1: title: the key appears twice; keep one"),
        Arguments.of("not YAML", "title: [unclosed\n", "bad.yaml:1:17: not valid YAML: while parsing a flow sequence"),
        Arguments.of("empty file", "", "bad.yaml:1:1: the file is empty; a scenario needs at least title, mode,"
            + " durationMillis and method (see docs/gamedays.md)"),
        Arguments.of("method not a list", OK_HEAD + "method: dns-outage\n",
            "bad.yaml:4:9: method: must be a list (lines starting with '- '), but was \"dns-outage\""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badScenarios")
  void aMalformedScenarioIsRefusedWithFileLineColumnAndField(String why, String yaml, String message) {
    assertThatThrownBy(() -> ScenarioParser.parse("bad.yaml", yaml)).isInstanceOf(ScenarioException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void everyShippedScenarioParses() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of("..", "scenarios"))) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      Scenario sc = ScenarioParser.parse(f);
      assertThat(sc.method()).as(f.toString()).isNotEmpty();
      assertThat(sc.steadyState().dnsProbes()).as(f.toString()).isNotEmpty();
    }
  }

  @Test
  void theRaceScenarioReadsAsWritten() throws Exception {
    Scenario s = ScenarioParser.parse(Path.of("..", "scenarios", "dynamodb-2025-race.yaml"));
    assertThat(s.name()).isEqualTo("dynamodb-2025-race");
    assertThat(s.mode()).isEqualTo(Mode.SAFE);
    assertThat(s.method().get(0).activity()).isEqualTo(new Fault.EnactorDelay("az-c", List.of(3_500L, 60_000L)));
    assertThat(s.method().get(1).activity()).isEqualTo(new Fault.PlanStorm("dynamodb", 6, 500));
    assertThat(s.successCriteria().kpis()).containsKey(Kpi.EMPTY_ANSWER_MILLIS);
    assertThat(s.dependencies()).containsKey("ec2-dwfm");
    assertThat(s.withMode(Mode.LEGACY).mode()).isEqualTo(Mode.LEGACY);
    assertThat(s.steadyState().probes()).contains(new Scenario.Probe.ApiHealth(250, 2_000));
  }

  @Test
  void theControlPlaneScenariosKillAndFreezeThePrimaryController() throws Exception {
    Scenario kill = ScenarioParser.parse(Path.of("..", "scenarios", "control-plane-failure.yaml"));
    assertThat(kill.method().get(0).activity()).isEqualTo(new Fault.KillController());
    assertThat(kill.successCriteria().kpis()).containsKeys(Kpi.PROMOTION_DETECT_MILLIS, Kpi.PROMOTION_MILLIS,
        Kpi.STATE_LOSS_EVENTS, Kpi.UNAUDITED_CHANGES, Kpi.DEPOSED_WRITES_LANDED);
    Scenario freeze = ScenarioParser.parse(Path.of("..", "scenarios", "control-plane-freeze.yaml"));
    assertThat(freeze.method().get(0).activity()).isEqualTo(new Fault.FreezeController());
    assertThat(freeze.method().get(0).durationMillis()).hasValue(7_000);
    assertThatThrownBy(() -> ScenarioParser.parse("bad.yaml", OK_HEAD + """
        method:
          - atMillis: 0
            fault: kill-controller
            az: az-a
        """)).hasMessageContaining("method[0].az: unknown key; expected one of: atMillis, durationMillis, fault");
  }

  @Test
  void theErrorCarriesItsPartsSeparately() {
    assertThatThrownBy(() -> ScenarioParser.parse("x.yaml", OK_HEAD + "method: 3\n"))
        .isInstanceOfSatisfying(ScenarioException.class, e -> {
          assertThat(e.file()).isEqualTo("x.yaml");
          assertThat(e.line()).isEqualTo(4);
          assertThat(e.path()).isEqualTo("method");
          assertThat(e.problem()).startsWith("must be a list");
        });
  }
}
