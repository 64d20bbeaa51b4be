package dev.bulwark.chaos;

import java.util.Locale;
import java.util.Optional;

/** The KPIs a game day reports, with their scenario-file names (definitions in docs/kpis.md). */
public enum Kpi {
  /** Mean time to detect: first fault to the first detecting event. */
  MTTD_MILLIS("mttdMillis", "ms"),
  /** Mean time to mitigate: first fault to the first mitigating action. */
  MTTM_MILLIS("mttmMillis", "ms"),
  /** Mean time to recover: first fault to the moment steady state holds again for good. */
  MTTR_MILLIS("mttrMillis", "ms"),
  /** Mean time to human intervention: first fault to the first operator page. */
  MTTHI_MILLIS("mtthiMillis", "ms"),
  /** Change failure index: failed or rolled-back changes over changes. */
  CFI("cfi", ""),
  /** Blast radius index: dependent services affected. */
  BRI("bri", "services"),
  /** Total time any probed endpoint answered with no address (I1). */
  EMPTY_ANSWER_MILLIS("emptyAnswerMillis", "ms"),
  /** Endpoints whose DNS still differs from the control plane's intent after convergence (I7). */
  RESIDUAL_DRIFT("residualDrift", "endpoints"),
  /** Control-plane failure: first fault to the first {@code PROMOTED}, a shadow taking over the lease. */
  PROMOTION_DETECT_MILLIS("promotionDetectMillis", "ms"),
  /** Control-plane failure: first fault to the promoted controller's first fenced command accepted. */
  PROMOTION_MILLIS("promotionMillis", "ms"),
  /** Events acknowledged before the first fault that are missing or changed after the run. */
  STATE_LOSS_EVENTS("stateLossEvents", "events"),
  /** DNS changes (new marker versions) with no pointer move in the audit chain. */
  UNAUDITED_CHANGES("unauditedChanges", "changes"),
  /** Writes of a deposed primary that landed: ledger commands accepted after it lost the lease, stale-epoch markers in DNS. */
  DEPOSED_WRITES_LANDED("deposedWritesLanded", "writes");

  private final String yamlName;
  private final String unit;

  Kpi(String yamlName, String unit) {
    this.yamlName = yamlName;
    this.unit = unit;
  }

  /** The name in scenario files and the journal, e.g. {@code mttdMillis}. */
  public String yamlName() {
    return yamlName;
  }

  /** The unit shown in reports. */
  public String unit() {
    return unit;
  }

  /** The KPI with this scenario-file name. */
  public static Optional<Kpi> byYamlName(String name) {
    for (Kpi k : values()) {
      if (k.yamlName.equals(name)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /** A value as reports show it: whole numbers without a fraction, others with three decimals. */
  public static String format(double v) {
    if (Double.isInfinite(v)) {
      return "∞";
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
