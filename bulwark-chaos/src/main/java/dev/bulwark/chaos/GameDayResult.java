package dev.bulwark.chaos;

import dev.bulwark.chaos.kpi.Kpis;
import dev.bulwark.chaos.kpi.Stats;
import dev.bulwark.core.Check;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A whole game day: every run, the KPI statistics over runs, the overall verdict and where the
 * journal and report were written.
 *
 * @param files the journals and the report written, if an output directory was given
 */
public record GameDayResult(Scenario scenario, List<RunResult> runs, Verdict verdict, List<Path> files) {
  public GameDayResult {
    Check.notNull(scenario, "scenario");
    runs = List.copyOf(runs);
    Check.notNull(verdict, "verdict");
    files = List.copyOf(files);
  }

  /** The process exit code: 0 held, 1 deviated, 2 aborted. */
  public int exitCode() {
    return verdict.exitCode();
  }

  /** p50/p90/max of every KPI over the runs. */
  public List<Stats> stats() {
    List<Kpis.Values> values = runs.stream().map(RunResult::kpis).toList();
    List<Stats> out = new ArrayList<>();
    for (Kpi k : Kpi.values()) {
      out.add(Stats.of(k, Kpis.column(values, k)));
    }
    return out;
  }

  /** The HTML report among {@link #files}, if one was written. */
  public Optional<Path> report() {
    return files.stream().filter(p -> p.toString().endsWith(".html")).findFirst();
  }

  /**
   * One line for the terminal, e.g. {@code DEVIATED dynamodb-2025-race (legacy, 1 run): ...}: the
   * verdict, the scenario, and the first finding or the headline KPIs.
   */
  public String oneLine() {
    StringBuilder b = new StringBuilder();
    b.append(verdict).append(' ').append(scenario.name()).append(" (").append(scenario.mode().yamlName()).append(", ")
        .append(runs.size()).append(runs.size() == 1 ? " run" : " runs").append("): ");
    List<String> findings = runs.stream().flatMap(r -> r.findings().stream()).distinct().toList();
    if (findings.isEmpty()) {
      b.append("the steady-state hypothesis held");
    } else {
      b.append(findings.get(0));
      if (findings.size() > 1) {
        b.append(" (+").append(findings.size() - 1).append(" more)");
      }
    }
    List<Stats> s = stats();
    b.append("; empty answers p50 ").append(Stats.show(s.get(Kpi.EMPTY_ANSWER_MILLIS.ordinal()).p50())).append(" ms")
        .append(", MTTR p50 ").append(Stats.show(s.get(Kpi.MTTR_MILLIS.ordinal()).p50())).append(" ms");
    return b.toString();
  }
}
