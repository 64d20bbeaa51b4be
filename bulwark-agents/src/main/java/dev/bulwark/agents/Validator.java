package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.PlanState;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.HealthSource;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.Scheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AZ's vote on each proposed plan, from that AZ's own health view: it approves a plan only if
 * every target the plan publishes is a configured candidate, looks healthy from here, and no
 * endpoint is left empty. The ledger needs a quorum of AZs (default 2 of 3) to activate a plan, so
 * one AZ with broken checks can neither push nor block a change alone.
 */
public final class Validator extends LoopAgent {
  private static final Logger LOG = LoggerFactory.getLogger(Validator.class);

  /** Default time between rounds (a proposal also triggers one at once). */
  public static final long DEFAULT_INTERVAL_MILLIS = 1_000;

  /** Most proposals one round looks at per service. */
  static final int MAX_PLANS_PER_ROUND = 100;

  private final AzId az;
  private final ActorId actor;
  private final List<ServiceTopology> topologies;
  private final HealthSource health;
  private final LedgerCalls ledger;
  private final Ledger.Subscription subscription;

  public Validator(List<ServiceTopology> topologies, HealthSource health, Ledger ledger, Authority authority,
      Scheduler scheduler, long intervalMillis) {
    super("validator@" + health.az(), scheduler, Duration.ofMillis(intervalMillis));
    this.az = health.az();
    this.actor = ActorId.of("validator@" + az);
    this.topologies = List.copyOf(topologies);
    this.health = Check.notNull(health, "health");
    this.ledger = new LedgerCalls(ledger, authority, this::metrics);
    this.subscription = ledger.watch((index, outcome) -> {
      if (outcome instanceof Outcome.PlanProposed p && !p.idempotent()) {
        kick();
      }
    });
  }

  @Override
  protected void runRound() throws Exception {
    if (ledger.read(new LedgerQuery.AzPaused(az))) {
      return;
    }
    Set<InetAddress> unhealthy = Planning.unhealthy(health.snapshot());
    for (ServiceTopology topo : topologies) {
      Pointer pointer = ledger.read(new LedgerQuery.PointerOf(topo.service()));
      List<StoredPlan> plans = ledger.read(new LedgerQuery.Plans(topo.service(), pointer.generation().next(),
          MAX_PLANS_PER_ROUND));
      for (StoredPlan p : plans) {
        if (p.state() != PlanState.PROPOSED || p.votes().containsKey(az) || p.content().isEmpty()) {
          continue;
        }
        String objection = objection(topo, p, unhealthy);
        Result r = ledger.submit(new Command.Vote(topo.service(), p.generation(), az, objection == null,
            objection == null ? "" : objection, actor, scheduler.nowMillis()));
        if (r.isAccepted()) {
          metrics().count("bulwark_votes_total", "az", az.value(), "decision", objection == null ? "approve" : "reject");
          metrics().record("bulwark_vote_delay_ms", scheduler.nowMillis() - p.proposedAtMillis(), "az", az.value());
        } else {
          LOG.debug("{}: vote on {} not recorded: {}", az, p.generation(), r);
        }
      }
    }
  }

  /** Why this AZ rejects the plan, or null to approve it. */
  static @org.jspecify.annotations.Nullable String objection(ServiceTopology topo, StoredPlan p, Set<InetAddress> unhealthy) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<EndpointName, List<Target>> e : p.plan().endpoints().entrySet()) {
      List<Target> candidates = topo.candidates().getOrDefault(e.getKey(), List.of());
      if (e.getValue().isEmpty()) {
        problems.add(e.getKey() + " would be empty");
      }
      for (Target t : e.getValue()) {
        if (candidates.stream().noneMatch(c -> c.address().equals(t.address()))) {
          problems.add(t.addressText() + " is not a configured target of " + e.getKey());
        } else if (unhealthy.contains(t.address())) {
          problems.add(t.addressText() + " is unhealthy from here");
        }
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems.subList(0, Math.min(5, problems.size())));
  }

  @Override
  public void close() {
    subscription.close();
    super.close();
  }
}
