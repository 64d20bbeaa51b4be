package dev.bulwark.chaos.kpi;

import dev.bulwark.chaos.GameDayTarget.ControlEvent;
import dev.bulwark.chaos.Kpi;
import dev.bulwark.chaos.kpi.Timeline.ProbeSample;
import dev.bulwark.chaos.kpi.Timeline.RunEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
      "FAIL_STATIC_PAGE", "STALE_TOKEN", "AUTOMATION_STUCK", "PROMOTED");
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

  /**
   * The {@code Observe} code a controller records right after the ledger granted it the lease over
   * another holder's (lapsed or forced): a promotion, and the end of a control-plane failure's
   * detection.
   */
  public static final String PROMOTED = "PROMOTED";
  /**
   * The agents that belong to one controller, by actor name before the {@code @}: {@code
   * controller@az-b}, {@code planner@az-b}, {@code janitor@az-b}, {@code auditor@az-b}. Validators
   * and Enactors follow the lease in every AZ and belong to no controller.
   */
  public static final Set<String> CONTROLLER_AGENTS = Set.of("controller", "planner", "janitor", "auditor");
  /** Codes of audited pointer moves; every new marker version in DNS needs one (unauditedChanges). */
  public static final Set<String> POINTER_MOVE = Set.of("POINTER_ADVANCED", "ROLLED_BACK");

  private static final Pattern MOVED_TO = Pattern.compile("-> v(\\d+)/");

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
    Optional<RunEvent> promoted = firstPromotion(t, first);
    v.put(Kpi.PROMOTION_DETECT_MILLIS, promoted.map(p -> OptionalDouble.of(p.atMillis() - first.getAsLong()))
        .orElse(OptionalDouble.empty()));
    v.put(Kpi.PROMOTION_MILLIS, promotionMillis(t, first, promoted));
    v.put(Kpi.STATE_LOSS_EVENTS, t.stateCheck().map(c -> OptionalDouble.of(c.missing() + c.changed()))
        .orElse(OptionalDouble.empty()));
    v.put(Kpi.UNAUDITED_CHANGES, OptionalDouble.of(unauditedChanges(t)));
    v.put(Kpi.DEPOSED_WRITES_LANDED, promoted.isEmpty() ? OptionalDouble.empty()
        : OptionalDouble.of(deposedLedgerWrites(t) + staleEpochMarkers(t, promoted.get().atMillis())));
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

  /**
   * The first {@code PROMOTED} at or after the first fault, whatever its subject: the authority is
   * the whole control plane's. Empty without a fault or a promotion.
   */
  static Optional<RunEvent> firstPromotion(Timeline t, OptionalLong first) {
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return t.events().stream().filter(e -> e.atMillis() >= first.getAsLong() && e.event().accepted()
        && e.event().code().equals(PROMOTED)).findFirst();
  }

  /**
   * First fault to the promoted controller's first command that is not an observation and that the
   * ledger accepted after its {@code PROMOTED}: the new primary acting under its new epoch (usually
   * its first lease renewal, a third of a TTL after the grant).
   */
  static OptionalDouble promotionMillis(Timeline t, OptionalLong first, Optional<RunEvent> promoted) {
    if (promoted.isEmpty()) {
      return OptionalDouble.empty();
    }
    String home = home(promoted.get().event().actor());
    long after = promoted.get().event().id();
    return t.events().stream().filter(e -> e.event().id() > after && e.event().accepted()
        && !e.event().action().equals("Observe") && controllerAgent(e.event().actor())
        && home(e.event().actor()).equals(home)).mapToLong(RunEvent::atMillis).findFirst()
        .stream().mapToDouble(at -> Math.max(at, promoted.get().atMillis()) - first.getAsLong()).findFirst();
  }

  /** True if {@code actor} is one of a controller's own agents (see {@link #CONTROLLER_AGENTS}). */
  static boolean controllerAgent(String actor) {
    int at = actor.indexOf('@');
    return at > 0 && CONTROLLER_AGENTS.contains(actor.substring(0, at));
  }

  /** Where an agent runs: its actor name after the {@code @} ({@code az-b}); empty if it names none. */
  private static String home(String actor) {
    int at = actor.indexOf('@');
    return at < 0 ? "" : actor.substring(at + 1);
  }

  /**
   * Ledger commands of deposed controllers that landed: after each {@code PROMOTED} (in event
   * order), every accepted command other than an observation by another controller's agents. A
   * deposed primary may still record observations ({@code FENCED}, its shadow's reports); it must
   * never again propose, vote, purge, renew or repair.
   */
  static long deposedLedgerWrites(Timeline t) {
    String holder = null;
    long landed = 0;
    for (RunEvent e : t.events()) {
      ControlEvent c = e.event();
      if (c.accepted() && c.code().equals(PROMOTED)) {
        holder = home(c.actor());
      } else if (holder != null && c.accepted() && !c.action().equals("Observe") && controllerAgent(c.actor())
          && !home(c.actor()).equals(holder)) {
        landed++;
      }
    }
    return landed;
  }

  /**
   * DNS writes of an older epoch that landed after the promotion at {@code fromMillis}: per probed
   * endpoint, the samples whose marker's fencing token is lower than a token that endpoint already
   * served, counted once per stale marker (a token never goes back unless a fenced writer won).
   */
  static long staleEpochMarkers(Timeline t, long fromMillis) {
    long stale = 0;
    for (String endpoint : t.probes().keySet()) {
      long highest = Long.MIN_VALUE;
      long previous = Long.MIN_VALUE;
      for (ProbeSample s : samplesOf(t, endpoint)) {
        if (s.token().isEmpty()) {
          continue;
        }
        long token = s.token().getAsLong();
        if (token < highest && token != previous && s.atMillis() >= fromMillis) {
          stale++;
        }
        highest = Math.max(highest, token);
        previous = token;
      }
    }
    return stale;
  }

  /**
   * DNS changes that no audited decision explains: per probed endpoint, each sample whose marker
   * version is higher than every version the endpoint served before it (a new version, not a
   * return to a known one), for which no accepted {@link #POINTER_MOVE} event of the endpoint's
   * service moved the pointer to that version. The endpoint's first sample is the baseline, not a
   * change.
   */
  static long unauditedChanges(Timeline t) {
    long unaudited = 0;
    for (var probe : t.probes().entrySet()) {
      String service = probe.getValue().service();
      Set<Long> moved = new TreeSet<>();
      for (RunEvent e : t.events()) {
        ControlEvent c = e.event();
        if (c.accepted() && POINTER_MOVE.contains(c.code()) && (c.subject().equals(service)
            || c.subject().startsWith(service + "/"))) {
          Matcher m = MOVED_TO.matcher(c.detail());
          if (m.find()) {
            moved.add(Long.parseLong(m.group(1)));
          }
        }
      }
      long highest = Long.MIN_VALUE;
      for (ProbeSample s : samplesOf(t, probe.getKey())) {
        if (s.version().isEmpty()) {
          continue;
        }
        long v = s.version().getAsLong();
        if (highest != Long.MIN_VALUE && v > highest && !moved.contains(v)) {
          unaudited++;
        }
        highest = Math.max(highest, v);
      }
    }
    return unaudited;
  }

  /** The values of {@code k} over runs, for {@link Stats}. */
  public static List<OptionalDouble> column(List<Values> runs, Kpi k) {
    List<OptionalDouble> out = new ArrayList<>();
    runs.forEach(r -> out.add(r.get(k)));
    return out;
  }
}
