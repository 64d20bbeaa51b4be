package dev.bulwark.chaos.kpi;

import dev.bulwark.chaos.Kpi;
import dev.bulwark.chaos.kpi.Timeline.ProbeSample;
import dev.bulwark.chaos.kpi.Timeline.RunEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The KPIs of one run, computed from its {@link Timeline} by pure functions. Definitions, with the
 * exact event codes, are in docs/kpis.md; the code sets below are the reference.
 *
 * <p>An incident KPI that never happened is <em>absent</em>, never 0: a fault that was never
 * detected has no MTTD, and a run that never recovered has no MTTR. Reports show absent time KPIs
 * as ∞.
 */
public final class Kpis {
  /** Codes that count as detecting a fault (MTTD). */
  public static final Set<String> DETECT = Set.of("DRIFT", "STALE_WRITE_REFUSED", "DNS_UNAVAILABLE",
      "FAIL_STATIC_PAGE", "STALE_TOKEN", "AUTOMATION_STUCK");
  /** Codes that count as a mitigating action (MTTM). */
  public static final Set<String> MITIGATE = Set.of("REPAIRED", "STALE_WRITE_REFUSED", "FAIL_STATIC_PAGE",
      "POINTER_ADVANCED", "ROLLED_BACK", "APPROVAL_REQUIRED");
  /** Codes that page an operator (MTTHI). */
  public static final Set<String> PAGE = Set.of("FAIL_STATIC_PAGE", "APPROVAL_REQUIRED");
  /** Codes of changes (CFI's denominator). */
  public static final Set<String> CHANGE = Set.of("POINTER_ADVANCED", "ROLLED_BACK", "PLAN_ACTIVATED",
      "STALE_PLAN_ACTIVATED");
  /** Codes of failed or rolled-back changes (CFI's numerator). */
  public static final Set<String> FAILED_CHANGE = Set.of("ROLLED_BACK", "STALE_PLAN_ACTIVATED",
      "ACTIVE_PLAN_DELETED");

  private Kpis() {}

  /**
   * The KPIs of one run.
   *
   * @param values each KPI's value; empty when absent
   * @param impairedServices services whose endpoint breached its DNS tolerance (the blast's origin)
   * @param affectedDependents dependent services reached from them (the BRI count)
   */
  public record Values(Map<Kpi, OptionalDouble> values, Set<String> impairedServices,
      Set<String> affectedDependents) {
    public Values {
      values = Map.copyOf(values);
      impairedServices = Set.copyOf(impairedServices);
      affectedDependents = Set.copyOf(affectedDependents);
    }

    /** One KPI's value; empty when absent. */
    public OptionalDouble get(Kpi k) {
      return values.getOrDefault(k, OptionalDouble.empty());
    }
  }

  /** Computes every KPI of {@code t}. */
  public static Values compute(Timeline t) {
    Map<Kpi, OptionalDouble> v = new EnumMap<>(Kpi.class);
    OptionalLong first = firstFault(t);
    v.put(Kpi.MTTD_MILLIS, sinceFirstFault(t, first, DETECT));
    v.put(Kpi.MTTM_MILLIS, sinceFirstFault(t, first, MITIGATE));
    v.put(Kpi.MTTHI_MILLIS, sinceFirstFault(t, first, PAGE));
    v.put(Kpi.MTTR_MILLIS, mttr(t, first));
    v.put(Kpi.CFI, cfi(t));
    Set<String> impaired = impairedServices(t);
    Set<String> affected = affectedDependents(t.dependencies(), impaired);
    v.put(Kpi.BRI, OptionalDouble.of(affected.size()));
    v.put(Kpi.EMPTY_ANSWER_MILLIS, OptionalDouble.of(emptyAnswerMillis(t)));
    v.put(Kpi.RESIDUAL_DRIFT, OptionalDouble.of(t.residualDrift()));
    return new Values(v, impaired, affected);
  }

  /** Time zero of the incident: the first fault's injection; empty if no fault was injected. */
  public static OptionalLong firstFault(Timeline t) {
    return t.faults().stream().mapToLong(Timeline.FaultWindow::injectedAtMillis).min();
  }

  private static OptionalDouble sinceFirstFault(Timeline t, OptionalLong first, Set<String> codes) {
    if (first.isEmpty()) {
      return OptionalDouble.empty();
    }
    long from = first.getAsLong();
    return t.events().stream().filter(e -> e.atMillis() >= from && codes.contains(e.event().code()) && inScope(t, e))
        .mapToLong(RunEvent::atMillis).min().stream().mapToDouble(at -> at - from).findFirst();
  }

  /**
   * True if {@code e} concerns what the run probes: its subject is a probed service ({@code dynamodb},
   * {@code dynamodb/g7}, {@code dynamodb/<endpoint>}) or the control plane's authority; with no DNS
   * probe every event counts. Another service's routine events (its Enactors racing for a change)
   * must not pass for detecting this run's fault.
   */
  public static boolean inScope(Timeline t, RunEvent e) {
    if (t.probes().isEmpty()) {
      return true;
    }
    String subject = e.event().subject();
    if (subject.equals("authority")) {
      return true;
    }
    for (Timeline.ProbedEndpoint p : t.probes().values()) {
      if (subject.equals(p.service()) || subject.startsWith(p.service() + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * MTTR: per probed endpoint, from the first fault to the first healthy sample after the last
   * unhealthy one (0 if no sample after the fault was unhealthy; absent if the last sample is
   * unhealthy); the run's MTTR is the largest over endpoints, absent if any is absent or nothing
   * was probed.
   */
  static OptionalDouble mttr(Timeline t, OptionalLong first) {
    if (first.isEmpty() || t.probes().isEmpty()) {
      return OptionalDouble.empty();
    }
    long from = first.getAsLong();
    double worst = 0;
    for (var probe : t.probes().entrySet()) {
      List<ProbeSample> after = samplesOf(t, probe.getKey()).stream().filter(s -> s.atMillis() >= from).toList();
      int lastBad = -1;
      for (int i = 0; i < after.size(); i++) {
        if (!healthy(after.get(i), probe.getValue().minRecords())) {
          lastBad = i;
        }
      }
      if (lastBad == -1) {
        continue;
      }
      if (lastBad == after.size() - 1) {
        return OptionalDouble.empty();
      }
      worst = Math.max(worst, after.get(lastBad + 1).atMillis() - from);
    }
    return OptionalDouble.of(worst);
  }

  private static boolean healthy(ProbeSample s, int minRecords) {
    return s.answered() && s.records() >= Math.max(1, minRecords);
  }

  private static List<ProbeSample> samplesOf(Timeline t, String endpoint) {
    return t.samples().stream().filter(s -> s.endpoint().equals(endpoint)).toList();
  }

  private static OptionalDouble cfi(Timeline t) {
    long changes = t.events().stream().filter(e -> e.atMillis() >= 0 && CHANGE.contains(e.event().code())
        && inScope(t, e)).count();
    long failed = t.events().stream().filter(e -> e.atMillis() >= 0 && FAILED_CHANGE.contains(e.event().code())
        && inScope(t, e)).count();
    if (changes == 0) {
      return failed == 0 ? OptionalDouble.empty() : OptionalDouble.of(1);
    }
    return OptionalDouble.of(Math.min(1.0, (double) failed / changes));
  }

  /**
   * Total time of empty answers, summed over probed endpoints: each empty sample counts until the
   * next sample of its endpoint (or the end of the run).
   */
  static long emptyAnswerMillis(Timeline t) {
    long total = 0;
    for (String endpoint : t.probes().keySet()) {
      List<ProbeSample> s = samplesOf(t, endpoint);
      for (int i = 0; i < s.size(); i++) {
        if (s.get(i).isEmpty()) {
          long until = i + 1 < s.size() ? s.get(i + 1).atMillis() : Math.max(t.endMillis(), s.get(i).atMillis());
          total += until - s.get(i).atMillis();
        }
      }
    }
    return total;
  }

  /** Services whose endpoint was unanswered, empty, or below its minimum record count at some sample. */
  static Set<String> impairedServices(Timeline t) {
    Set<String> out = new TreeSet<>();
    for (ProbeSample s : t.samples()) {
      Timeline.ProbedEndpoint p = t.probes().get(s.endpoint());
      if (p != null && s.atMillis() >= 0 && !healthy(s, p.minRecords())) {
        out.add(p.service());
      }
    }
    return out;
  }

  /** Every dependent service that depends, directly or through others, on an impaired service. */
  static Set<String> affectedDependents(Map<String, List<String>> dependencies, Set<String> impaired) {
    Set<String> affected = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(impaired);
    while (!todo.isEmpty()) {
      String down = todo.pop();
      for (var e : dependencies.entrySet()) {
        if (e.getValue().contains(down) && !impaired.contains(e.getKey()) && affected.add(e.getKey())) {
          todo.push(e.getKey());
        }
      }
    }
    return affected;
  }

  /** The values of {@code k} over runs, for {@link Stats}. */
  public static List<OptionalDouble> column(List<Values> runs, Kpi k) {
    List<OptionalDouble> out = new ArrayList<>();
    runs.forEach(r -> out.add(r.get(k)));
    return out;
  }
}
