package dev.bulwark.chaos;

import dev.bulwark.core.Check;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One game day, as read from a scenario file (docs/gamedays.md): a steady-state hypothesis, a
 * method (faults on a timeline), rollbacks that always run, and success criteria.
 *
 * @param source where it was read from (a file name), for messages and the journal
 * @param durationMillis length of the method window, from the first step's time zero
 * @param topology the topology it runs on; only {@code demo} exists today
 * @param dependencies for the blast radius index: each dependent service and the services it
 *     depends on
 * @param legacyFencing how the legacy design fences writes, when the scenario runs in legacy mode
 */
public record Scenario(
    String source,
    String title,
    String description,
    Mode mode,
    long durationMillis,
    int repetitions,
    String topology,
    SteadyState steadyState,
    List<Step> method,
    List<RollbackAction> rollbacks,
    SuccessCriteria successCriteria,
    Map<String, List<String>> dependencies,
    LegacyFencing legacyFencing) {

  /** How legacy mode fences a writer (safe mode always uses log-index tokens and the DNS compare-and-swap). */
  public enum LegacyFencing {
    /** No fencing at all, as in 2025. */
    NONE,
    /**
     * The whitepaper's Example 1: each write carries its writer's wall-clock timestamp, and a write
     * is accepted only if its timestamp is newer than the last accepted one; breaks under clock skew.
     */
    TIMESTAMP
  }

  /** Longest method window: one day. */
  public static final long MAX_DURATION_MILLIS = 86_400_000L;
  /** Most repetitions of one scenario. */
  public static final int MAX_REPETITIONS = 1_000;

  public Scenario {
    Check.notNull(source, "source");
    Check.notNull(title, "title");
    Check.notNull(description, "description");
    Check.notNull(mode, "mode");
    Check.arg(durationMillis >= 1 && durationMillis <= MAX_DURATION_MILLIS, "durationMillis must be 1..%d, but was %d",
        MAX_DURATION_MILLIS, durationMillis);
    Check.arg(repetitions >= 1 && repetitions <= MAX_REPETITIONS, "repetitions must be 1..%d, but was %d",
        MAX_REPETITIONS, repetitions);
    Check.notNull(topology, "topology");
    Check.notNull(steadyState, "steadyState");
    method = List.copyOf(method);
    rollbacks = List.copyOf(rollbacks);
    Check.notNull(successCriteria, "successCriteria");
    Map<String, List<String>> deps = new LinkedHashMap<>();
    dependencies.forEach((k, v) -> deps.put(k, List.copyOf(v)));
    dependencies = Collections.unmodifiableMap(deps);
    Check.notNull(legacyFencing, "legacyFencing");
  }

  /** This scenario run in {@code m} instead (the command line's {@code --mode}). */
  public Scenario withMode(Mode m) {
    return new Scenario(source, title, description, m, durationMillis, repetitions, topology, steadyState, method,
        rollbacks, successCriteria, dependencies, legacyFencing);
  }

  /** This scenario repeated {@code n} times (the command line's {@code --repeat}). */
  public Scenario withRepetitions(int n) {
    return new Scenario(source, title, description, mode, durationMillis, n, topology, steadyState, method, rollbacks,
        successCriteria, dependencies, legacyFencing);
  }

  /** The name of the scenario: its file name without directory and extension. */
  public String name() {
    String s = source.replace('\\', '/');
    s = s.substring(s.lastIndexOf('/') + 1);
    int dot = s.lastIndexOf('.');
    return dot > 0 ? s.substring(0, dot) : s;
  }

  /**
   * One entry of the method: at {@code atMillis}, inject a fault or perform an action. A fault with
   * {@code durationMillis} is removed that much later; otherwise the rollbacks remove it. Actions
   * have no duration.
   */
  public record Step(long atMillis, OptionalLong durationMillis, Activity activity) {
    public Step {
      Check.arg(atMillis >= 0, "atMillis must be >= 0, but was %d", atMillis);
      Check.notNull(durationMillis, "durationMillis");
      durationMillis.ifPresent(d -> Check.arg(d >= 1, "durationMillis must be >= 1, but was %d", d));
      Check.notNull(activity, "activity");
      Check.arg(activity instanceof Fault || durationMillis.isEmpty(), "an action (%s) has no duration",
          activity.kind());
    }
  }

  /**
   * The steady-state hypothesis: probes with tolerances, checked before, during and after.
   *
   * @param warmupMillis how long to wait for the steady state to hold before the method starts;
   *     if it never holds, the run is aborted
   * @param convergeWithinMillis after the rollbacks, how long the system has to return to steady
   *     state and lose all drift (I7) before the after-checks
   */
  public record SteadyState(long warmupMillis, long convergeWithinMillis, List<Probe> probes) {
    /** Default of {@code warmupMillis}. */
    public static final long DEFAULT_WARMUP_MILLIS = 30_000;
    /** Default of {@code convergeWithinMillis}. */
    public static final long DEFAULT_CONVERGE_WITHIN_MILLIS = 15_000;

    public SteadyState {
      Check.arg(warmupMillis >= 0, "warmupMillis must be >= 0, but was %d", warmupMillis);
      Check.arg(convergeWithinMillis >= 0, "convergeWithinMillis must be >= 0, but was %d", convergeWithinMillis);
      probes = List.copyOf(probes);
    }

    /** The DNS probes among {@link #probes}. */
    public List<Probe.DnsAnswers> dnsProbes() {
      List<Probe.DnsAnswers> out = new ArrayList<>();
      probes.forEach(p -> {
        if (p instanceof Probe.DnsAnswers d) {
          out.add(d);
        }
      });
      return out;
    }

    /** True if a probe of this class is part of the hypothesis. */
    public boolean has(Class<? extends Probe> kind) {
      return probes.stream().anyMatch(kind::isInstance);
    }
  }

  /** A steady-state probe. */
  public sealed interface Probe {
    /**
     * A DNS user's view of one service's endpoint, sampled every {@code intervalMillis}: at least
     * {@code minRecords} addresses in every answer, and at most {@code maxEmptyMillis} of empty
     * answers in total (I1).
     */
    record DnsAnswers(String service, int endpoint, int minRecords, long maxEmptyMillis, long intervalMillis)
        implements Probe {
      /** Default sampling interval. */
      public static final long DEFAULT_INTERVAL_MILLIS = 50;

      public DnsAnswers {
        Check.notNull(service, "service");
        Check.arg(endpoint >= 0, "endpoint must be >= 0, but was %d", endpoint);
        Check.arg(minRecords >= 0, "minRecords must be >= 0, but was %d", minRecords);
        Check.arg(maxEmptyMillis >= 0, "maxEmptyMillis must be >= 0, but was %d", maxEmptyMillis);
        Check.arg(intervalMillis >= 10 && intervalMillis <= 10_000, "intervalMillis must be 10..10000, but was %d",
            intervalMillis);
      }
    }

    /** Every live ledger replica's invariants hold, checked every {@code intervalMillis}. */
    record LedgerInvariants(long intervalMillis) implements Probe {
      /** Default check interval. */
      public static final long DEFAULT_INTERVAL_MILLIS = 500;

      public LedgerInvariants {
        Check.arg(intervalMillis >= 10, "intervalMillis must be >= 10, but was %d", intervalMillis);
      }
    }

    /** The audit chain verifies from its first event to its last (I5), checked before and after. */
    record AuditChainIntact() implements Probe {}

    /**
     * The HTTP API answers an operator's read with the ledger available, checked every {@code
     * intervalMillis}; at most {@code maxUnavailableMillis} of failed checks in total (an election
     * after a leader loss costs about a second).
     */
    record ApiHealth(long intervalMillis, long maxUnavailableMillis) implements Probe {
      /** Default check interval. */
      public static final long DEFAULT_INTERVAL_MILLIS = 250;

      public ApiHealth {
        Check.arg(intervalMillis >= 10, "intervalMillis must be >= 10, but was %d", intervalMillis);
        Check.arg(maxUnavailableMillis >= 0, "maxUnavailableMillis must be >= 0, but was %d", maxUnavailableMillis);
      }
    }
  }

  /** What the rollbacks do; they run after the method even if it failed. */
  public sealed interface RollbackAction {
    /** Removes every fault that is still injected, newest first. */
    record RemoveAllFaults() implements RollbackAction {}

    /** Waits, e.g. for a restarted peer to catch up before the after-checks. */
    record Wait(long millis) implements RollbackAction {
      public Wait {
        Check.arg(millis >= 0, "millis must be >= 0, but was %d", millis);
      }
    }
  }

  /**
   * Thresholds a run must meet besides the steady state: bounds on KPIs, and how often audit codes
   * must (or must not) appear during the run.
   */
  public record SuccessCriteria(Map<Kpi, Bound> kpis, List<EventBound> events) {
    /** No criteria. */
    public static final SuccessCriteria NONE = new SuccessCriteria(Map.of(), List.of());

    public SuccessCriteria {
      kpis = Collections.unmodifiableMap(new LinkedHashMap<>(kpis));
      events = List.copyOf(events);
    }
  }

  /** An inclusive range; an absent side is unbounded. An absent (never reached) KPI fails any bound. */
  public record Bound(OptionalDouble min, OptionalDouble max) {
    public Bound {
      Check.notNull(min, "min");
      Check.notNull(max, "max");
      Check.arg(min.isPresent() || max.isPresent(), "a bound needs min or max");
    }

    /** True if {@code v} lies within this bound. */
    public boolean holds(double v) {
      return (min.isEmpty() || v >= min.getAsDouble()) && (max.isEmpty() || v <= max.getAsDouble());
    }

    @Override
    public String toString() {
      String lo = min.isPresent() ? ">= " + Kpi.format(min.getAsDouble()) : "";
      String hi = max.isPresent() ? "<= " + Kpi.format(max.getAsDouble()) : "";
      return lo.isEmpty() ? hi : hi.isEmpty() ? lo : lo + " and " + hi;
    }
  }

  /** How many events with audit code {@code code} the run must have seen. */
  public record EventBound(String code, Bound count) {
    public EventBound {
      Check.notNull(code, "code");
      Check.notNull(count, "count");
    }
  }
}
