package dev.bulwark.chaos;

import dev.bulwark.chaos.kpi.Kpis;
import dev.bulwark.chaos.kpi.Timeline;
import dev.bulwark.core.Check;
import java.util.List;

/**
 * One repetition of a scenario: what was recorded, the KPIs and the verdict with its reasons.
 *
 * @param repetition 1-based
 * @param startedAtMillis the engine clock's reading at time zero (ms since the epoch)
 * @param findings why the run deviated or was aborted (empty when it held), one sentence each
 * @param checks what the before/after checks said, one line each (e.g. {@code audit chain: intact: 212 events})
 */
public record RunResult(
    int repetition,
    Mode mode,
    long startedAtMillis,
    Verdict verdict,
    List<String> findings,
    List<String> checks,
    Timeline timeline,
    Kpis.Values kpis) {
  public RunResult {
    Check.arg(repetition >= 1, "repetition must be >= 1, but was %d", repetition);
    Check.notNull(mode, "mode");
    Check.notNull(verdict, "verdict");
    findings = List.copyOf(findings);
    checks = List.copyOf(checks);
    Check.notNull(timeline, "timeline");
    Check.notNull(kpis, "kpis");
  }
}
