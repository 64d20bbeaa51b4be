package dev.bulwark.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.ledger.ChainVerification;
import dev.bulwark.core.port.SystemScheduler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's phases, verdicts and output against a scripted target, in a fraction of a second each. */
class GameDayEngineTest {
  @TempDir Path dir;

  private final SystemScheduler scheduler = new SystemScheduler("engine-test", 4);
  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  @AfterEach
  void stop() {
    scheduler.close();
  }

  /** A target whose DNS answer is whatever the test says; it logs what the engine asked of it. */
  static final class ScriptedTarget implements GameDayTarget {
    volatile int records = 3;
    volatile boolean failInjection;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final List<ControlEvent> events = Collections.synchronizedList(new ArrayList<>());
    /** Records served while a fault is in: -1 means unchanged. */
    volatile int recordsDuringFault = -1;

    @Override
    public Mode mode() {
      return Mode.SAFE;
    }

    @Override
    public Topology topology() {
      return Topology.DEMO;
    }

    @Override
    public String endpoint(String service, int index) {
      return service + ".test";
    }

    @Override
    public Injection inject(Fault fault) {
      if (failInjection) {
        throw new IllegalStateException("no such thing here");
      }
      log.add("inject " + fault.kind());
      int before = records;
      if (recordsDuringFault >= 0) {
        records = recordsDuringFault;
      }
      events.add(new ControlEvent(events.size(), System.currentTimeMillis(), "planner", "Observe", "dynamodb", true,
          "FAIL_STATIC_PAGE", "paged"));
      return new Injection() {
        @Override
        public String description() {
          return "scripted " + fault.kind();
        }

        @Override
        public void remove() {
          log.add("remove " + fault.kind());
          records = before;
        }
      };
    }

    @Override
    public String perform(Action action) {
      log.add("perform " + action.kind());
      return "done";
    }

    @Override
    public DnsObservation sampleDns(String endpoint) {
      List<String> a = new ArrayList<>();
      for (int i = 0; i < records; i++) {
        a.add("10.0.0." + (i + 1));
      }
      return new DnsObservation(Optional.empty(), a, OptionalLong.of(1), OptionalLong.of(1));
    }

    @Override
    public List<ControlEvent> events(long fromId, int limit) {
      synchronized (events) {
        return fromId >= events.size() ? List.of()
            : List.copyOf(events.subList((int) fromId, (int) Math.min(events.size(), fromId + limit)));
      }
    }

    @Override
    public Optional<String> invariantViolation() {
      return Optional.empty();
    }

    @Override
    public Optional<ChainVerification> verifyAuditChain() {
      return Optional.of(new ChainVerification(true, events.size(), java.util.OptionalLong.empty(), "intact"));
    }

    @Override
    public List<String> residualDrift() {
      return List.of();
    }

    @Override
    public void close() {
      log.add("close");
    }
  }

  private static Scenario scenario(String extra) throws ScenarioException {
    return ScenarioParser.parse("engine.yaml", """
        title: engine
        mode: safe
        durationMillis: 400
        steadyState:
          warmupMillis: 300
          convergeWithinMillis: 300
          probes:
            - dns-answers: {service: dynamodb, minRecords: 2, intervalMillis: 20}
            - ledger-invariants: {intervalMillis: 50}
            - audit-chain-intact
        method:
          - atMillis: 50
            fault: backend-failure
            service: dynamodb
            count: 1
            durationMillis: 200
          - atMillis: 100
            fault: dns-outage
        rollbacks:
          - action: remove-all-faults
        """ + extra);
  }

  private GameDayResult run(Scenario s, ScriptedTarget t, Optional<Path> out) {
    return new GameDay(scheduler, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(s, (sc, rep) -> t,
        new GameDay.Options(Optional.empty(), OptionalInt.empty(), out));
  }

  @Test
  void aHypothesisThatHoldsExitsZeroAndEveryFaultIsRemovedWithItsTimes() throws Exception {
    ScriptedTarget t = new ScriptedTarget();
    GameDayResult r = run(scenario("successCriteria:\n  mtthiMillis: {max: 5000}\n"), t, Optional.empty());
    assertThat(r.runs().get(0).findings()).isEmpty();
    assertThat(r.verdict()).isEqualTo(Verdict.HELD);
    assertThat(r.exitCode()).isZero();
    assertThat(t.log).containsExactly("inject backend-failure", "inject dns-outage", "remove backend-failure",
        "remove dns-outage", "close");
    var faults = r.runs().get(0).timeline().faults();
    assertThat(faults).hasSize(2);
    assertThat(faults.get(0).injectedAtMillis()).isBetween(40L, 200L);
    assertThat(faults.get(0).removedAtMillis().getAsLong()).isBetween(240L, 400L);
    assertThat(faults.get(1).removedAtMillis().getAsLong()).as("removed by the rollbacks").isGreaterThanOrEqualTo(400);
    assertThat(r.runs().get(0).kpis().get(Kpi.MTTHI_MILLIS)).isPresent();
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("inject   f1 backend-failure", "remove   f1",
        "rollback remove all faults", "HELD engine (safe, 1 run)");
  }

  @Test
  void aDeviationExitsOneAndSaysWhy() throws Exception {
    ScriptedTarget t = new ScriptedTarget();
    t.recordsDuringFault = 0;
    GameDayResult r = run(scenario(""), t, Optional.empty());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.runs().get(0).findings()).anyMatch(f -> f.startsWith("dynamodb.test answered with no address for"));
    assertThat(r.oneLine()).startsWith("DEVIATED engine (safe, 1 run): dynamodb.test answered with no address");
  }

  @Test
  void aFaultThatCannotBeInjectedAbortsWithExitTwoAndTheRollbacksStillRun() throws Exception {
    ScriptedTarget t = new ScriptedTarget();
    t.failInjection = true;
    GameDayResult r = run(scenario(""), t, Optional.empty());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.runs().get(0).findings()).singleElement().asString()
        .contains("could not inject f1 (backend-failure): no such thing here");
    assertThat(progress.toString(StandardCharsets.UTF_8)).contains("rollback remove all faults");
    assertThat(t.log).containsExactly("close");
  }

  @Test
  void aSteadyStateThatNeverHoldsAbortsBeforeAnyFault() throws Exception {
    ScriptedTarget t = new ScriptedTarget();
    t.records = 1;
    GameDayResult r = run(scenario(""), t, Optional.empty());
    assertThat(r.verdict()).isEqualTo(Verdict.ABORTED);
    assertThat(r.runs().get(0).findings().get(0)).contains("the steady state did not hold before the method",
        "dynamodb.test serves 1 record(s); the hypothesis needs at least 2");
    assertThat(t.log).containsExactly("close");
  }

  @Test
  void repetitionsGetFreshTargetsAndTheJournalAndSelfContainedReportAreWritten() throws Exception {
    AtomicInteger opened = new AtomicInteger();
    Path out = dir.resolve("out");
    GameDayResult r = new GameDay(scheduler, new PrintStream(progress, true, StandardCharsets.UTF_8)).run(
        scenario(""), (sc, rep) -> {
          opened.incrementAndGet();
          return new ScriptedTarget();
        }, new GameDay.Options(Optional.of(Mode.LEGACY), OptionalInt.of(2), Optional.of(out)));
    assertThat(opened).hasValue(2);
    assertThat(r.scenario().mode()).isEqualTo(Mode.LEGACY);
    assertThat(r.files()).extracting(p -> p.getFileName().toString())
        .containsExactly("engine-legacy-run1.json", "engine-legacy-run2.json", "engine-legacy.html");
    JsonNode j = new ObjectMapper().readTree(out.resolve("engine-legacy-run2.json").toFile());
    assertThat(j.get("repetition").asInt()).isEqualTo(2);
    assertThat(j.get("verdict").asText()).isEqualTo("HELD");
    assertThat(j.get("faults")).hasSize(2);
    assertThat(j.get("samples").size()).isGreaterThan(5);
    assertThat(j.get("kpis").has("mttrMillis")).isTrue();
    assertThat(j.get("kpis").get("cfi").isNull()).as("an absent KPI (no change made) is null, not 0").isTrue();
    String html = Files.readString(out.resolve("engine-legacy.html"));
    assertThat(html).contains("<svg", "KPIs over 2 run(s)", "mttrMillis", "f1 backend-failure");
    assertThat(html).doesNotContain("<script", "src=", "href=", "@import", "url(");
  }
}
