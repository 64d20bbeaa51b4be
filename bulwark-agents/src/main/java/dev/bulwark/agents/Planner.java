package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.Check;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.PendingApproval;
import dev.bulwark.core.ledger.PlanState;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.HealthSource;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns health into plans: for each endpoint, its healthy candidates. Proposes a plan when the
 * desired content differs from the active plan, and advances the pointer once a quorum of AZs
 * approved it. Runs only while its controller holds the authority.
 *
 * <p>Guards, each logged when it fires:
 *
 * <ul>
 *   <li><b>never empty (I1)</b>: an endpoint with no healthy candidate keeps its current targets;
 *   <li><b>fail static (I6)</b>: if more than {@code failStaticPercent} of a service's targets
 *       look unhealthy at once, the checks are suspect, not the targets: the Planner keeps
 *       last-known-good, proposes nothing and pages an operator;
 *   <li><b>removal budget (I6)</b>: enforced by the ledger, which turns a large step into a
 *       pending approval; the Planner then waits for the operator instead of re-submitting.
 * </ul>
 */
public final class Planner extends LoopAgent {
  private static final Logger LOG = LoggerFactory.getLogger(Planner.class);

  /**
   * Planner options.
   *
   * @param intervalMillis time between rounds (the debounce of health changes). Default {@value
   *     #DEFAULT_INTERVAL_MILLIS}.
   * @param failStaticPercent share of a service's targets that may turn unhealthy before the
   *     Planner distrusts the checks, 1..100. Default {@value #DEFAULT_FAIL_STATIC_PERCENT}.
   * @param debounceMillis how long the health view must stay unchanged before the Planner acts on
   *     it, so that targets failing together are judged together (and a mass failure is seen as
   *     one, not as a series of small removals). Default {@value #DEFAULT_DEBOUNCE_MILLIS}.
   */
  public record Options(long intervalMillis, int failStaticPercent, long debounceMillis) {
    public static final long DEFAULT_INTERVAL_MILLIS = 500;
    public static final int DEFAULT_FAIL_STATIC_PERCENT = 50;
    public static final long DEFAULT_DEBOUNCE_MILLIS = 2_000;
    public static final Options DEFAULT = new Options(DEFAULT_INTERVAL_MILLIS, DEFAULT_FAIL_STATIC_PERCENT,
        DEFAULT_DEBOUNCE_MILLIS);

    public Options {
      Check.arg(intervalMillis >= 10 && intervalMillis <= 600_000, "intervalMillis must be 10..600000, but was %d",
          intervalMillis);
      Check.arg(failStaticPercent >= 1 && failStaticPercent <= 100, "failStaticPercent must be 1..100, but was %d",
          failStaticPercent);
      Check.arg(debounceMillis >= 0 && debounceMillis <= 600_000, "debounceMillis must be 0..600000, but was %d",
          debounceMillis);
    }
  }

  private final ActorId actor;
  private final List<ServiceTopology> topologies;
  private final HealthSource health;
  private final LedgerCalls ledger;
  private final Authority authority;
  private final Options options;
  private final Set<ServiceId> failingStatic = ConcurrentHashMap.newKeySet();
  private final Ledger.Subscription subscription;

  public Planner(ActorId actor, List<ServiceTopology> topologies, HealthSource health, Ledger ledger,
      Authority authority, Scheduler scheduler, Options options) {
    super("planner@" + health.az(), scheduler, Duration.ofMillis(options.intervalMillis()));
    this.actor = Check.notNull(actor, "actor");
    this.topologies = List.copyOf(topologies);
    this.health = Check.notNull(health, "health");
    this.ledger = new LedgerCalls(ledger, authority, this::metrics);
    this.authority = Check.notNull(authority, "authority");
    this.options = Check.notNull(options, "options");
    // Votes arriving make a proposal advanceable; no need to wait for the next interval.
    this.subscription = ledger.watch((index, outcome) -> {
      if (outcome instanceof Outcome.VoteRecorded || outcome instanceof Outcome.PendingRejected) {
        kick();
      }
    });
  }

  /** Services whose Planner is failing static right now (an operator was paged). */
  public Set<ServiceId> failingStatic() {
    return Set.copyOf(failingStatic);
  }

  @Override
  protected void runRound() throws Exception {
    Optional<FencingToken> token = authority.token();
    if (token.isEmpty()) {
      return;
    }
    for (ServiceTopology topo : topologies) {
      plan(topo, token.get());
    }
  }

  private void plan(ServiceTopology topo, FencingToken token) throws Exception {
    ServiceId service = topo.service();
    LedgerQuery.Controls controls = ledger.read(new LedgerQuery.ControlsOf(service));
    if (controls.paused() || controls.pinned()) {
      return;
    }
    Pointer pointer = ledger.read(new LedgerQuery.PointerOf(service));
    Optional<Plan> active = pointer.version() == 0 ? Optional.empty()
        : ledger.read(new LedgerQuery.PlanOf(service, pointer.generation())).flatMap(StoredPlan::content);

    Planning.Decision decision = Planning.decide(topo, health.snapshot(), active, scheduler.nowMillis(), options);
    if (decision instanceof Planning.Decision.Settling) {
      return; // Health is still moving; judge it once it settles (the next round comes soon).
    }
    if (decision instanceof Planning.Decision.FailStatic fs) {
      if (failingStatic.add(service)) {
        String page = String.format("%d of %d targets look unhealthy at once (more than %d%%); failing static on the"
            + " last-known-good plan %s and waiting for an operator (I6)", fs.down(), fs.total(),
            options.failStaticPercent(), pointer);
        LOG.error("PAGE {}: {}", service, page);
        metrics().count("bulwark_fail_static_pages_total", "service", service.value());
        ledger.observe(service, Optional.empty(), Command.Observation.FAIL_STATIC_PAGE, page, health.az(), actor,
            scheduler.nowMillis());
      }
      return;
    }
    Planning.Decision.Judged judged = (Planning.Decision.Judged) decision;
    long down = judged.down();
    int total = judged.total();
    if (failingStatic.remove(service)) {
      LOG.warn("{}: health recovered to {} of {} unhealthy; automation resumes", service, down, total);
      ledger.observe(service, Optional.empty(), Command.Observation.FAIL_STATIC_CLEARED,
          down + " of " + total + " targets unhealthy", health.az(), actor, scheduler.nowMillis());
    }
    if (!(decision instanceof Planning.Decision.Propose propose)) {
      return;
    }
    propose.keptForI1().forEach((endpoint, kept) -> LOG.warn(
        "{}: no healthy target for {}; keeping {} rather than publishing nothing (I1)", service, endpoint, kept));
    Plan plan = propose.plan();
    long lastChange = propose.lastChangeMillis();
    Result proposed = ledger.submit(new Command.ProposePlan(plan, token, actor, scheduler.nowMillis()));
    if (!(proposed instanceof Result.Accepted a) || !(a.outcome() instanceof Outcome.PlanProposed p)) {
      LOG.warn("{}: proposal rejected: {}", service, proposed);
      return;
    }
    Generation g = p.generation();
    if (!p.idempotent()) {
      metrics().count("bulwark_plans_proposed_total", "service", service.value());
      metrics().record("bulwark_plan_generation_latency_ms", scheduler.nowMillis() - lastChange, "service",
          service.value());
    }
    if (!g.isNewerThan(pointer.generation())) {
      return;
    }
    StoredPlan stored = ledger.read(new LedgerQuery.PlanOf(service, g)).orElseThrow();
    if (stored.state() != PlanState.APPROVED) {
      return; // Validators have not decided yet; their votes kick this Planner.
    }
    for (PendingApproval pa : ledger.read(new LedgerQuery.PendingApprovals())) {
      if (pa.service().equals(service) && pa.generation().equals(g)) {
        return; // Over budget: waiting for a person, not re-asking every round.
      }
    }
    Result r = ledger.submit(new Command.AdvancePointer(service, pointer.version(), g, token, actor,
        scheduler.nowMillis()));
    if (r instanceof Result.Accepted acc) {
      LOG.info("{}: {}", service, acc.outcome());
      if (acc.outcome() instanceof Outcome.PointerAdvanced) {
        metrics().count("bulwark_automated_changes_total", "service", service.value());
        // Quorum voting delay, end to end: proposal (ledger time) to the advance the votes allowed.
        // The Planner's clock may trail ledger time a little; that reads as no delay, not negative.
        metrics().record("bulwark_quorum_delay_ms", Math.max(0, scheduler.nowMillis() - stored.proposedAtMillis()),
            "service", service.value());
      }
    } else {
      LOG.info("{}: advance to {} not accepted: {}", service, g, r);
    }
  }

  @Override
  public void close() {
    subscription.close();
    super.close();
  }
}
