package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Epoch;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command.AcquireAuthority;
import dev.bulwark.core.ledger.Command.AdvancePointer;
import dev.bulwark.core.ledger.Command.Approve;
import dev.bulwark.core.ledger.Command.Decommission;
import dev.bulwark.core.ledger.Command.MarkForDeletion;
import dev.bulwark.core.ledger.Command.Pause;
import dev.bulwark.core.ledger.Command.Pin;
import dev.bulwark.core.ledger.Command.ProposePlan;
import dev.bulwark.core.ledger.Command.Purge;
import dev.bulwark.core.ledger.Command.RecordApplied;
import dev.bulwark.core.ledger.Command.RegisterService;
import dev.bulwark.core.ledger.Command.Reject;
import dev.bulwark.core.ledger.Command.RenewAuthority;
import dev.bulwark.core.ledger.Command.Resume;
import dev.bulwark.core.ledger.Command.Rollback;
import dev.bulwark.core.ledger.Command.Unpin;
import dev.bulwark.core.ledger.Command.UpdatePolicy;
import dev.bulwark.core.ledger.Command.Vote;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's state machine: where every safety decision of the control plane is made.
 *
 * <p><b>Deterministic.</b> {@link #apply} is a function of the current state, the log index and
 * the command. It reads no clock, draws no random number, does no I/O and iterates only sorted
 * collections, so every replica fed the same log reaches byte-identical state ({@link
 * #toSnapshot}) and returns the same results. The ledger's notion of "now" is the largest command
 * time it has seen; clocks drive only TTLs and windows, never safety.
 *
 * <p><b>Rejections are results.</b> Anything a client can send ends in a {@link Result}: {@code
 * Accepted} with what changed, or {@code Rejected} with a stable {@link RejectCode} and a message
 * saying what was expected. Either way one {@link AuditEvent} is appended in the same step (I5). A
 * broken internal invariant is a bug and throws {@link IllegalStateException}; the replica stops
 * rather than diverge.
 *
 * <p><b>Invariants enforced here</b> (ARCHITECTURE.md §3): I1 no plan leaves an endpoint empty
 * unless an operator allowed its decommission; I2 pointer versions and generations only grow, and
 * a rollback is a new generation; I3 automated commands carry the current epoch's fencing token
 * (a log index); I4 referenced plans are never marked or purged, and purge waits out a quarantine
 * TTL; I5 every command is audited; I6 over-budget steps wait for a person, and a velocity limit
 * bounds automated moves. {@link #checkInvariants} re-checks all of them over the whole state.
 *
 * <p>Not thread-safe: the replication layer applies commands one at a time.
 */
public final class LedgerState {
  private final LedgerLimits limits;
  private final TreeMap<ServiceId, ServiceState> services = new TreeMap<>();
  private final TreeMap<PauseScope, String> pauses = new TreeMap<>();
  private final AuditChain audit = new AuditChain();
  private @Nullable AuthorityLease lease;
  private long nowMillis;
  private long lastLogIndex;
  private long lastPendingId;

  /** An empty ledger with the default limits. */
  public LedgerState() {
    this(LedgerLimits.DEFAULT);
  }

  /** An empty ledger. Every replica must use the same {@code limits}. */
  public LedgerState(LedgerLimits limits) {
    this.limits = Check.notNull(limits, "limits");
  }

  // ---------------------------------------------------------------------------------------------
  // Apply
  // ---------------------------------------------------------------------------------------------

  /**
   * Applies one committed command. Deterministic; see the class comment.
   *
   * @param logIndex the command's Raft log index; must be greater than every index applied before
   * @throws IllegalStateException if an invariant is broken (a bug: stop the replica)
   */
  public Result apply(long logIndex, Command command) {
    Check.notNull(command, "command");
    Check.state(
        logIndex > lastLogIndex,
        "log index %d applied after %d: the replication layer must apply in increasing order",
        logIndex,
        lastLogIndex);
    lastLogIndex = logIndex;
    nowMillis = Math.max(nowMillis, command.timeMillis());
    long eventId = audit.size();

    Decision d = decide(logIndex, eventId, command);
    AuditEvent e =
        audit.append(
            logIndex,
            nowMillis,
            command.timeMillis(),
            command.actor().value(),
            command.action(),
            d.subject,
            d.outcome != null,
            d.outcome != null ? d.outcome.code() : d.code.name(),
            d.detail,
            d.parents);
    Check.state(e.id() == eventId, "audit event id %d, expected %d", e.id(), eventId);
    if (d.outcome != null) {
      return new Result.Accepted(logIndex, eventId, d.outcome);
    }
    return new Result.Rejected(logIndex, eventId, d.code, d.detail);
  }

  /** What a handler decided: an accepted outcome or a rejection, with its audit subject. */
  private static final class Decision {
    final String subject;
    final @Nullable Outcome outcome;
    final @Nullable RejectCode code;
    final String detail;
    final List<Long> parents;

    private Decision(String subject, @Nullable Outcome outcome, @Nullable RejectCode code, String detail, List<Long> parents) {
      this.subject = subject;
      this.outcome = outcome;
      this.code = code;
      this.detail = detail;
      this.parents = parents;
    }
  }

  private static Decision accept(String subject, Outcome outcome, String detail, List<Long> parents) {
    return new Decision(subject, outcome, null, detail, sortedDistinct(parents));
  }

  private static Decision reject(String subject, RejectCode code, String format, Object... args) {
    return new Decision(subject, null, code, String.format(Locale.ROOT, format, args), List.of());
  }

  private static List<Long> sortedDistinct(List<Long> ids) {
    return List.copyOf(new TreeSet<>(ids));
  }

  private Decision decide(long logIndex, long eventId, Command c) {
    if (c instanceof Command.Fenced f) {
      Decision fenced = checkToken(f, subjectOf(c));
      if (fenced != null) {
        return fenced;
      }
    }
    if (c instanceof RegisterService x) {
      return register(x);
    } else if (c instanceof UpdatePolicy x) {
      return updatePolicy(x);
    } else if (c instanceof ProposePlan x) {
      return propose(eventId, x);
    } else if (c instanceof Vote x) {
      return vote(eventId, x);
    } else if (c instanceof AdvancePointer x) {
      return advance(eventId, x);
    } else if (c instanceof Rollback x) {
      return rollback(eventId, x);
    } else if (c instanceof AcquireAuthority x) {
      return acquire(logIndex, eventId, x);
    } else if (c instanceof RenewAuthority x) {
      return renew(x);
    } else if (c instanceof RecordApplied x) {
      return recordApplied(eventId, x);
    } else if (c instanceof MarkForDeletion x) {
      return mark(x);
    } else if (c instanceof Purge x) {
      return purge(x);
    } else if (c instanceof Pause x) {
      return pause(x.scope(), x.reason(), true);
    } else if (c instanceof Resume x) {
      return pause(x.scope(), x.reason(), false);
    } else if (c instanceof Pin x) {
      return pin(x.service(), true);
    } else if (c instanceof Unpin x) {
      return pin(x.service(), false);
    } else if (c instanceof Approve x) {
      return approve(eventId, x);
    } else if (c instanceof Reject x) {
      return rejectPending(x);
    } else if (c instanceof Decommission x) {
      return decommission(x);
    } else if (c instanceof Command.Observe x) {
      return observe(x);
    }
    throw new IllegalStateException("invariant broken: unhandled command type " + c.getClass().getName());
  }

  private static String subjectOf(Command c) {
    if (c instanceof ProposePlan x) {
      return x.plan().service().value();
    } else if (c instanceof AdvancePointer x) {
      return x.service() + "/" + x.generation();
    } else if (c instanceof RecordApplied x) {
      return x.service() + "/" + x.endpoint();
    } else if (c instanceof MarkForDeletion x) {
      return x.service() + "/" + x.generation();
    } else if (c instanceof Purge x) {
      return x.service() + "/" + x.generation();
    }
    return "authority";
  }

  // ---- fencing (I3) ----------------------------------------------------------------------------

  private @Nullable Decision checkToken(Command.Fenced c, String subject) {
    AuthorityLease l = lease;
    if (l == null) {
      return reject(subject, RejectCode.NO_AUTHORITY,
          "no authority has been granted yet; acquire the authority lease before sending %s", c.action());
    }
    if (!c.token().equals(l.token())) {
      return reject(subject, RejectCode.STALE_TOKEN,
          "fencing token %s is not the current epoch's token: epoch %s was granted to %s at log index %d"
              + " (a superseded or future token is never accepted)",
          c.token(), l.epoch(), l.holder(), l.token().logIndex());
    }
    return null;
  }

  // ---- services --------------------------------------------------------------------------------

  private Decision register(RegisterService c) {
    ServiceDefinition def = c.definition();
    String subject = def.service().value();
    if (def.endpoints().size() > limits.maxEndpointsPerService()) {
      return reject(subject, RejectCode.LIMIT_EXCEEDED, "service %s has %d endpoints; at most %d are allowed",
          def.service(), def.endpoints().size(), limits.maxEndpointsPerService());
    }
    ServiceState s = services.get(def.service());
    if (s == null) {
      if (services.size() >= limits.maxServices()) {
        return reject(subject, RejectCode.LIMIT_EXCEEDED, "%d services are registered, the limit is %d",
            services.size(), limits.maxServices());
      }
      services.put(def.service(), new ServiceState(def));
      return accept(subject, new Outcome.ServiceRegistered(def.service(), true),
          String.format(Locale.ROOT, "registered with %d endpoints, voters %s, quorum %d", def.endpoints().size(),
              def.voters(), def.policy().quorum()), List.of());
    }
    if (s.pointer.version() > 0) {
      // I1 must keep holding for what is published now: an endpoint that the active plan leaves
      // empty may stay registered only while its decommission allowance stands.
      Plan active = s.plans.get(s.pointer.generation().value()).plan();
      for (Map.Entry<EndpointName, List<Target>> e : active.endpoints().entrySet()) {
        if (e.getValue().isEmpty() && def.endpoints().contains(e.getKey()) && !s.decommissioned.contains(e.getKey())) {
          return reject(subject, RejectCode.EMPTY_ENDPOINT,
              "the active plan %s publishes nothing for %s, which was decommissioned; publish a plan with targets"
                  + " for it before registering it again (I1)", s.pointer.generation(), e.getKey());
        }
      }
    }
    s.definition = def;
    s.decommissioned.retainAll(def.endpoints());
    s.applied.keySet().retainAll(def.endpoints());
    return accept(subject, new Outcome.ServiceRegistered(def.service(), false),
        String.format(Locale.ROOT, "definition replaced: %d endpoints, voters %s, quorum %d", def.endpoints().size(),
            def.voters(), def.policy().quorum()), List.of());
  }

  private Decision updatePolicy(UpdatePolicy c) {
    String subject = c.service().value();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    ServiceDefinition next;
    try {
      next = s.definition.withPolicy(c.policy());
    } catch (IllegalArgumentException e) {
      return reject(subject, RejectCode.INVALID_ARGUMENT, "%s", e.getMessage());
    }
    s.definition = next;
    return accept(subject, new Outcome.PolicyUpdated(c.service()), "policy now " + c.policy(), List.of());
  }

  private Decision unknownService(String subject, ServiceId id) {
    return reject(subject, RejectCode.UNKNOWN_SERVICE, "service %s is not registered (registered: %s)", id,
        abbreviate(services.keySet()));
  }

  // ---- plans -----------------------------------------------------------------------------------

  private Decision propose(long eventId, ProposePlan c) {
    Plan plan = c.plan();
    String subject = plan.service().value();
    ServiceState s = services.get(plan.service());
    if (s == null) {
      return unknownService(subject, plan.service());
    }
    Decision paused = checkPaused(subject, s);
    if (paused != null) {
      return paused;
    }
    Decision bad = checkPlanShape(subject, s, plan);
    if (bad != null) {
      return bad;
    }
    if (!s.plans.isEmpty()) {
      StoredPlan latest = s.plans.lastEntry().getValue();
      if (latest.contentHash().equals(plan.contentHash()) && latest.state().hasContent()) {
        return accept(subject + "/" + latest.generation(),
            new Outcome.PlanProposed(plan.service(), latest.generation(), plan.contentHash(), true),
            "content equals the latest plan " + latest.generation() + "; nothing appended",
            List.of(latest.proposalEventId()));
      }
    }
    if (s.storedPlans >= limits.maxStoredPlansPerService()) {
      return reject(subject, RejectCode.LIMIT_EXCEEDED,
          "service %s already stores %d plans, the limit; the Janitor must purge unreferenced plans first",
          plan.service(), s.storedPlans);
    }
    Generation g = s.latestGeneration().next();
    s.plans.put(g.value(), new StoredPlan(g, plan.contentHash(), Optional.of(plan), PlanState.PROPOSED,
        Provenance.PROPOSAL, c.actor(), nowMillis, eventId, new TreeMap<>(), -1, -1));
    s.storedPlans++;
    return accept(subject + "/" + g, new Outcome.PlanProposed(plan.service(), g, plan.contentHash(), false),
        String.format(Locale.ROOT, "plan %s (%s): %d endpoints, %d targets", g, plan.contentHash().shortHex(),
            plan.endpoints().size(), plan.targetCount()), List.of());
  }

  /** I1 and the limits: the plan covers exactly the service's endpoints, none empty, all bounded. */
  private @Nullable Decision checkPlanShape(String subject, ServiceState s, Plan plan) {
    SortedSet<EndpointName> expected = s.definition.endpoints();
    Set<EndpointName> given = plan.endpoints().keySet();
    if (!given.equals(expected)) {
      TreeSet<EndpointName> missing = new TreeSet<>(expected);
      missing.removeAll(given);
      TreeSet<EndpointName> extra = new TreeSet<>(given);
      extra.removeAll(expected);
      return reject(subject, RejectCode.ENDPOINTS_MISMATCH,
          "a plan must cover exactly the %d registered endpoints of %s; missing %s, not registered %s",
          expected.size(), s.definition.service(), abbreviate(missing), abbreviate(extra));
    }
    for (Map.Entry<EndpointName, List<Target>> e : plan.endpoints().entrySet()) {
      int n = e.getValue().size();
      if (n > limits.maxTargetsPerEndpoint()) {
        return reject(subject, RejectCode.LIMIT_EXCEEDED, "endpoint %s has %d targets; at most %d are allowed",
            e.getKey(), n, limits.maxTargetsPerEndpoint());
      }
      if (n == 0 && !s.decommissioned.contains(e.getKey())) {
        return reject(subject, RejectCode.EMPTY_ENDPOINT,
            "endpoint %s would publish no records (I1); an endpoint may be planned empty only after an"
                + " operator's Decommission", e.getKey());
      }
    }
    return null;
  }

  private Decision vote(long eventId, Vote c) {
    String subject = c.service() + "/" + c.generation();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    if (!s.definition.voters().contains(c.az())) {
      return reject(subject, RejectCode.UNKNOWN_AZ, "AZ %s is not a voter of %s (voters: %s)", c.az(), c.service(),
          s.definition.voters());
    }
    if (pauses.containsKey(PauseScope.GLOBAL) || pauses.containsKey(PauseScope.az(c.az()))) {
      return reject(subject, RejectCode.PAUSED, "automation in AZ %s is paused by an operator; resume it to vote",
          c.az());
    }
    StoredPlan p = s.plans.get(c.generation().value());
    if (p == null) {
      return unknownPlan(subject, s, c.generation());
    }
    if (p.state().isDeleted()) {
      return reject(subject, RejectCode.PLAN_DELETED, "plan %s of %s is %s; votes are closed", c.generation(),
          c.service(), p.state());
    }
    Ballot previous = p.votes().get(c.az());
    if (previous != null) {
      return reject(subject, RejectCode.DUPLICATE_VOTE,
          "AZ %s already voted %s on %s (audit event %d); one vote per AZ per plan", c.az(),
          previous.approve() ? "approve" : "reject", c.generation(), previous.eventId());
    }
    Ballot b = new Ballot(c.az(), c.approve(), c.reason(), c.actor(), eventId);
    int quorum = s.definition.policy().quorum();
    int voters = s.definition.voters().size();
    int approvals = p.approvals() + (c.approve() ? 1 : 0);
    int rejections = p.rejections() + (c.approve() ? 0 : 1);
    PlanState next = p.state();
    if (p.state() == PlanState.PROPOSED && approvals >= quorum) {
      next = PlanState.APPROVED;
    } else if (p.state() == PlanState.PROPOSED && rejections > voters - quorum) {
      next = PlanState.REJECTED;
    }
    StoredPlan updated = p.withVote(b, next);
    s.plans.put(c.generation().value(), updated);
    return accept(subject, new Outcome.VoteRecorded(c.service(), c.generation(), approvals, rejections, next),
        String.format(Locale.ROOT, "%s %s: %d approve, %d reject of %d voters, quorum %d; plan %s", c.az(),
            c.approve() ? "approves" : "rejects", approvals, rejections, voters, quorum, next)
            + (c.reason().isEmpty() ? "" : " (" + c.reason() + ")"),
        List.of(p.proposalEventId()));
  }

  private Decision unknownPlan(String subject, ServiceState s, Generation g) {
    return reject(subject, RejectCode.UNKNOWN_PLAN, "%s has no plan %s (latest is %s)", s.definition.service(), g,
        s.latestGeneration());
  }

  // ---- the pointer (I2, I3, I6) ----------------------------------------------------------------

  private Decision advance(long eventId, AdvancePointer c) {
    String subject = c.service() + "/" + c.generation();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    Decision held = checkPaused(subject, s);
    if (held == null) {
      held = checkPinned(subject, s);
    }
    if (held != null) {
      return held;
    }
    if (c.expectedVersion() != s.pointer.version()) {
      return reject(subject, RejectCode.VERSION_MISMATCH,
          "expected the pointer of %s at version %d, but it is at %s; re-read it and decide again",
          c.service(), c.expectedVersion(), s.pointer);
    }
    StoredPlan p = s.plans.get(c.generation().value());
    if (p == null) {
      return unknownPlan(subject, s, c.generation());
    }
    if (!c.generation().isNewerThan(s.pointer.generation())) {
      return reject(subject, RejectCode.GENERATION_NOT_NEWER,
          "the pointer of %s shows %s; it only moves to newer generations (I2), not to %s"
              + " (to restore older content, an operator rolls back, which creates a new generation)",
          c.service(), s.pointer.generation(), c.generation());
    }
    Decision notReady = checkApproved(subject, s, p);
    if (notReady == null) {
      // The registration may have changed since the proposal (endpoints, decommissions): what goes
      // live must satisfy I1 and cover the endpoints as they are registered now.
      notReady = checkPlanShape(subject, s, p.plan());
    }
    if (notReady != null) {
      return notReady;
    }
    ServicePolicy policy = s.definition.policy();
    while (!s.recentAdvances.isEmpty() && s.recentAdvances.peekFirst() <= nowMillis - policy.velocityWindowMillis()) {
      s.recentAdvances.removeFirst();
    }
    if (s.recentAdvances.size() >= policy.maxAdvancesPerWindow()) {
      return reject(subject, RejectCode.VELOCITY_LIMIT,
          "%s already moved %d times in the last %d ms, the velocity limit; retry after %d",
          c.service(), s.recentAdvances.size(), policy.velocityWindowMillis(),
          s.recentAdvances.peekFirst() + policy.velocityWindowMillis());
    }
    String overBudget = budgetExcess(s, p.plan(), policy);
    if (overBudget != null) {
      long id = ++lastPendingId;
      PendingApproval old = s.pending;
      s.pending = new PendingApproval(id, c.service(), c.expectedVersion(), c.generation(), overBudget, c.actor(),
          nowMillis, eventId);
      List<Long> parents = new ArrayList<>(planEvents(p));
      String superseded = "";
      if (old != null) {
        parents.add(old.eventId());
        superseded = "; supersedes pending approval " + old.id();
      }
      return accept(subject, new Outcome.ApprovalRequired(c.service(), id, c.generation(), overBudget),
          "over budget (I6): " + overBudget + "; waiting for an operator's approval as pending " + id + superseded,
          parents);
    }
    s.recentAdvances.addLast(nowMillis);
    Pointer previous = s.pointer;
    movePointer(s, p, eventId, true);
    List<Long> parents = new ArrayList<>(planEvents(p));
    previousMoveEvent(s, previous).ifPresent(parents::add);
    return accept(subject, new Outcome.PointerAdvanced(c.service(), previous, s.pointer),
        String.format(Locale.ROOT, "pointer %s -> %s (approved by %s)", previous, s.pointer, approvers(p)), parents);
  }

  private @Nullable Decision checkApproved(String subject, ServiceState s, StoredPlan p) {
    switch (p.state()) {
      case APPROVED:
        return null;
      case PROPOSED:
        return reject(subject, RejectCode.NO_QUORUM,
            "plan %s has approvals from %s; it needs %d distinct AZs of %s", p.generation(), approvers(p),
            s.definition.policy().quorum(), s.definition.voters());
      case REJECTED:
        return reject(subject, RejectCode.PLAN_REJECTED, "plan %s was rejected by %s", p.generation(),
            rejecters(p));
      case PENDING_DELETION:
      case PURGED:
        return reject(subject, RejectCode.PLAN_DELETED, "plan %s is %s and can't be activated", p.generation(),
            p.state());
      default:
        return reject(subject, RejectCode.INVALID_PLAN_STATE, "plan %s is %s; only an APPROVED plan can be activated",
            p.generation(), p.state());
    }
  }

  /** Why this step exceeds the removal budget, or null if it is within it (I6). */
  private static @Nullable String budgetExcess(ServiceState s, Plan next, ServicePolicy policy) {
    if (s.pointer.version() == 0) {
      return null;
    }
    Plan current = s.plans.get(s.pointer.generation().value()).plan();
    for (Map.Entry<EndpointName, List<Target>> e : current.endpoints().entrySet()) {
      List<Target> before = e.getValue();
      if (before.isEmpty() || before.equals(next.targets(e.getKey()))) {
        continue; // Most endpoints are unchanged from one plan to the next: no set to build.
      }
      Set<InetAddress> after = new HashSet<>();
      for (Target t : next.targets(e.getKey())) {
        after.add(t.address());
      }
      int removed = 0;
      for (Target t : before) {
        if (!after.contains(t.address())) {
          removed++;
        }
      }
      if (removed * 100L > (long) policy.maxRemovalPercent() * before.size()) {
        return String.format(Locale.ROOT, "endpoint %s would lose %d of its %d targets, more than the budget of %d%%",
            e.getKey(), removed, before.size(), policy.maxRemovalPercent());
      }
    }
    return null;
  }

  /** Moves the pointer to {@code p} (APPROVED or a fresh rollback plan) and retires the old one. */
  private void movePointer(ServiceState s, StoredPlan p, long eventId, boolean automated) {
    Pointer previous = s.pointer;
    if (previous.version() > 0) {
      StoredPlan old = s.plans.get(previous.generation().value());
      s.plans.put(old.generation().value(), old.withState(PlanState.RETIRED));
      if (automated) {
        s.lastKnownGood = previous.generation();
      }
    }
    if (p.state() != PlanState.ACTIVE) {
      s.plans.put(p.generation().value(), p.withState(PlanState.ACTIVE));
    }
    s.pointer = previous.advanceTo(p.generation());
    s.moves.put(s.pointer.version(), new PointerMove(s.pointer.version(), p.generation(), nowMillis, eventId));
    // A pending step was computed against the old pointer; it can never be approved now.
    s.pending = null;
    Check.state(s.plans.get(s.pointer.generation().value()).state() == PlanState.ACTIVE,
        "the pointer of %s shows %s, which is not ACTIVE", s.definition.service(), s.pointer);
  }

  private static List<Long> planEvents(StoredPlan p) {
    List<Long> ids = new ArrayList<>();
    ids.add(p.proposalEventId());
    for (Ballot b : p.votes().values()) {
      ids.add(b.eventId());
    }
    return ids;
  }

  private static Optional<Long> previousMoveEvent(ServiceState s, Pointer previous) {
    PointerMove m = s.moves.get(previous.version());
    return m == null ? Optional.empty() : Optional.of(m.eventId());
  }

  private static String approvers(StoredPlan p) {
    List<String> azs = new ArrayList<>();
    p.votes().forEach((az, b) -> {
      if (b.approve()) {
        azs.add(az.value());
      }
    });
    return azs.isEmpty() ? "no AZ" : String.join(", ", azs);
  }

  private static String rejecters(StoredPlan p) {
    List<String> azs = new ArrayList<>();
    p.votes().forEach((az, b) -> {
      if (!b.approve()) {
        azs.add(az.value() + (b.reason().isEmpty() ? "" : " (" + b.reason() + ")"));
      }
    });
    return String.join(", ", azs);
  }

  private Decision rollback(long eventId, Rollback c) {
    String subject = c.service() + "/" + c.toGeneration();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    Decision pinned = checkPinned(subject, s);
    if (pinned != null) {
      return pinned;
    }
    if (s.pointer.version() == 0) {
      return reject(subject, RejectCode.NOTHING_TO_ROLL_BACK, "%s has never been published; nothing to roll back",
          c.service());
    }
    StoredPlan source = s.plans.get(c.toGeneration().value());
    if (source == null) {
      return unknownPlan(subject, s, c.toGeneration());
    }
    if (!source.state().hasContent()) {
      return reject(subject, RejectCode.PLAN_DELETED, "plan %s of %s was purged; its content is gone",
          c.toGeneration(), c.service());
    }
    StoredPlan current = s.plans.get(s.pointer.generation().value());
    if (source.contentHash().equals(current.contentHash())) {
      return reject(subject, RejectCode.NOTHING_TO_ROLL_BACK,
          "plan %s has the same content as the active %s; nothing would change", c.toGeneration(),
          s.pointer.generation());
    }
    Decision bad = checkPlanShape(subject, s, source.plan());
    if (bad != null) {
      return bad;
    }
    if (s.storedPlans >= limits.maxStoredPlansPerService()) {
      return reject(subject, RejectCode.LIMIT_EXCEEDED,
          "service %s already stores %d plans, the limit; purge unreferenced plans first", c.service(),
          s.storedPlans);
    }
    Generation g = s.latestGeneration().next();
    StoredPlan copy = new StoredPlan(g, source.contentHash(), source.content(), PlanState.ACTIVE,
        Provenance.rollback(c.toGeneration(), s.pointer.generation()), c.actor(), nowMillis, eventId, new TreeMap<>(),
        -1, -1);
    s.plans.put(g.value(), copy);
    s.storedPlans++;
    Pointer previous = s.pointer;
    movePointer(s, copy, eventId, false);
    List<Long> parents = new ArrayList<>();
    parents.add(source.proposalEventId());
    previousMoveEvent(s, previous).ifPresent(parents::add);
    return accept(c.service() + "/" + g, new Outcome.RolledBack(c.service(), c.toGeneration(), previous, s.pointer),
        String.format(Locale.ROOT, "content of %s re-published as %s; pointer %s -> %s; reason: %s", c.toGeneration(),
            g, previous, s.pointer, c.reason()), parents);
  }

  // ---- authority -------------------------------------------------------------------------------

  private Decision acquire(long logIndex, long eventId, AcquireAuthority c) {
    AuthorityLease l = lease;
    if (l != null && !l.expiredAt(nowMillis) && !c.force() && !l.holder().equals(c.actor())) {
      return reject("authority", RejectCode.LEASE_HELD,
          "%s holds authority epoch %s until %d (ledger time now %d); wait for it to lapse or force a promotion",
          l.holder(), l.epoch(), l.expiresAtMillis(), nowMillis);
    }
    Epoch epoch = l == null ? new Epoch(1) : l.epoch().next();
    FencingToken token = FencingToken.of(logIndex);
    long expires = saturatedAdd(nowMillis, c.ttlMillis());
    lease = new AuthorityLease(c.actor(), epoch, token, nowMillis, expires, eventId);
    String how = l == null ? "first grant"
        : c.force() && !l.expiredAt(nowMillis) && !l.holder().equals(c.actor())
            ? "forced takeover from " + l.holder() + " (epoch " + l.epoch() + " fenced)"
            : l.holder().equals(c.actor()) ? "re-acquired by the holder (epoch " + l.epoch() + " fenced)"
                : "lease of " + l.holder() + " lapsed at " + l.expiresAtMillis();
    return accept("authority", new Outcome.AuthorityGranted(c.actor(), epoch, token, expires),
        String.format(Locale.ROOT, "epoch %s granted to %s with token %s until %d: %s", epoch, c.actor(), token,
            expires, how), l == null ? List.of() : List.of(l.eventId()));
  }

  private Decision renew(RenewAuthority c) {
    AuthorityLease l = Check.notNull(lease, "lease");
    if (!l.holder().equals(c.actor())) {
      return reject("authority", RejectCode.NOT_LEASE_HOLDER, "%s holds epoch %s; %s can't renew it", l.holder(),
          l.epoch(), c.actor());
    }
    long expires = saturatedAdd(nowMillis, c.ttlMillis());
    lease = new AuthorityLease(l.holder(), l.epoch(), l.token(), l.grantedAtMillis(), expires, l.eventId());
    return accept("authority", new Outcome.AuthorityRenewed(l.epoch(), l.token(), expires),
        "epoch " + l.epoch() + " renewed until " + expires, List.of(l.eventId()));
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  // ---- what DNS shows --------------------------------------------------------------------------

  private Decision recordApplied(long eventId, RecordApplied c) {
    String subject = c.service() + "/" + c.endpoint();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    if (!s.definition.endpoints().contains(c.endpoint())) {
      return reject(subject, RejectCode.INVALID_ARGUMENT, "%s is not an endpoint of %s", c.endpoint(), c.service());
    }
    PointerMove move = s.moves.get(c.version());
    if (move == null || !move.generation().equals(c.generation())) {
      return reject(subject, RejectCode.UNKNOWN_VERSION,
          "the ledger never published version %d as %s for %s (it published %s)", c.version(), c.generation(),
          c.service(), move == null ? "no such version" : "v" + c.version() + "/" + move.generation());
    }
    if (s.plans.get(c.generation().value()).state() == PlanState.PURGED) {
      return reject(subject, RejectCode.PLAN_DELETED,
          "%s reportedly publishes v%d/%s, whose plan was purged; that is drift for the Auditor to repair",
          c.endpoint(), c.version(), c.generation());
    }
    AppliedRecord last = s.applied.get(c.endpoint());
    if (last != null && c.version() < last.version()) {
      return reject(subject, RejectCode.STALE_REPORT,
          "%s was already reported at version %d; a report of version %d would mean DNS went backwards (I2)",
          c.endpoint(), last.version(), c.version());
    }
    List<Long> parents = new ArrayList<>();
    parents.add(move.eventId());
    if (last != null) {
      parents.add(last.eventId());
    }
    s.applied.put(c.endpoint(), new AppliedRecord(c.version(), c.generation(), c.az(), nowMillis, eventId));
    return accept(subject, new Outcome.AppliedRecorded(c.service(), c.endpoint(), c.version(), c.generation()),
        String.format(Locale.ROOT, "%s publishes v%d/%s (reported by %s)", c.endpoint(), c.version(), c.generation(),
            c.az()), parents);
  }

  // ---- staged deletion (I4) --------------------------------------------------------------------

  private Decision mark(MarkForDeletion c) {
    String subject = c.service() + "/" + c.generation();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    StoredPlan p = s.plans.get(c.generation().value());
    if (p == null) {
      return unknownPlan(subject, s, c.generation());
    }
    String ref = referenceTo(s, p);
    if (ref != null) {
      return reject(subject, RejectCode.PLAN_REFERENCED, "plan %s of %s can't be deleted: %s (I4)", c.generation(),
          c.service(), ref);
    }
    if (!p.state().canMoveTo(PlanState.PENDING_DELETION)) {
      return reject(subject, RejectCode.INVALID_PLAN_STATE, "plan %s is %s; only an unreferenced PROPOSED, APPROVED,"
          + " REJECTED or RETIRED plan can be marked", c.generation(), p.state());
    }
    long purgeable = saturatedAdd(nowMillis, s.definition.policy().quarantineTtlMillis());
    s.plans.put(c.generation().value(), p.markedAt(nowMillis, purgeable));
    return accept(subject, new Outcome.MarkedForDeletion(c.service(), c.generation(), purgeable),
        "quarantined until " + purgeable, List.of(p.proposalEventId()));
  }

  /** Why {@code p} must not be deleted, or null if nothing references it (I4). */
  private static @Nullable String referenceTo(ServiceState s, StoredPlan p) {
    Generation g = p.generation();
    if (s.pointer.generation().equals(g)) {
      return "it is the active plan (pointer " + s.pointer + ")";
    }
    if (s.lastKnownGood.equals(g)) {
      return "it is the last-known-good plan";
    }
    if (s.pending != null && s.pending.generation().equals(g)) {
      return "pending approval " + s.pending.id() + " would activate it";
    }
    for (Map.Entry<EndpointName, AppliedRecord> e : s.applied.entrySet()) {
      if (e.getValue().generation().equals(g)) {
        return "DNS still publishes it for " + e.getKey() + " (marker v" + e.getValue().version() + ")";
      }
    }
    if ((p.state() == PlanState.PROPOSED || p.state() == PlanState.APPROVED) && g.isNewerThan(s.pointer.generation())) {
      return "it is in flight (" + p.state() + ", newer than the active " + s.pointer.generation() + ")";
    }
    return null;
  }

  private Decision purge(Purge c) {
    String subject = c.service() + "/" + c.generation();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    StoredPlan p = s.plans.get(c.generation().value());
    if (p == null) {
      return unknownPlan(subject, s, c.generation());
    }
    if (p.state() != PlanState.PENDING_DELETION) {
      return reject(subject, RejectCode.INVALID_PLAN_STATE,
          "plan %s is %s; only a plan marked for deletion (PENDING_DELETION) can be purged", c.generation(),
          p.state());
    }
    // The quarantine promised at marking time holds even if the policy has been shortened since;
    // a lengthened policy lengthens it.
    long purgeable = Math.max(p.purgeableAtMillis(),
        saturatedAdd(p.markedAtMillis(), s.definition.policy().quarantineTtlMillis()));
    if (nowMillis < purgeable) {
      return reject(subject, RejectCode.QUARANTINE_NOT_ELAPSED,
          "plan %s is quarantined until %d; ledger time is %d (%d ms to go)", c.generation(), purgeable, nowMillis,
          purgeable - nowMillis);
    }
    String ref = referenceTo(s, p);
    if (ref != null) {
      return reject(subject, RejectCode.PLAN_REFERENCED, "plan %s of %s can't be purged: %s (I4)", c.generation(),
          c.service(), ref);
    }
    s.plans.put(c.generation().value(), p.withState(PlanState.PURGED));
    s.storedPlans--;
    return accept(subject, new Outcome.Purged(c.service(), c.generation()),
        "content of " + c.generation() + " (" + p.contentHash().shortHex() + ") dropped", List.of(p.proposalEventId()));
  }

  // ---- operators (HOP) -------------------------------------------------------------------------

  private Decision pause(PauseScope scope, String reason, boolean paused) {
    String subject = scope.toString();
    if (scope.kind() == PauseScope.Kind.SERVICE && !services.containsKey(ServiceId.of(scope.name()))) {
      return unknownService(subject, ServiceId.of(scope.name()));
    }
    if (paused == pauses.containsKey(scope)) {
      return reject(subject, RejectCode.NOT_IN_EFFECT, "%s is already %s", scope, paused ? "paused" : "running");
    }
    if (paused) {
      pauses.put(scope, reason);
    } else {
      pauses.remove(scope);
    }
    return accept(subject, new Outcome.PauseChanged(scope, paused),
        (paused ? "paused" : "resumed") + (reason.isEmpty() ? "" : ": " + reason), List.of());
  }

  private Decision pin(ServiceId service, boolean pinned) {
    String subject = service.value();
    ServiceState s = services.get(service);
    if (s == null) {
      return unknownService(subject, service);
    }
    if (s.pinned == pinned) {
      return reject(subject, RejectCode.NOT_IN_EFFECT, "%s is already %s", service, pinned ? "pinned" : "unpinned");
    }
    s.pinned = pinned;
    return accept(subject, new Outcome.PinChanged(service, pinned),
        (pinned ? "pinned at " : "unpinned at ") + s.pointer, List.of());
  }

  private Decision approve(long eventId, Approve c) {
    String subject = "pending/" + c.pendingId();
    ServiceState s = pendingOwner(c.pendingId());
    if (s == null) {
      return unknownPending(subject, c.pendingId());
    }
    PendingApproval pending = Check.notNull(s.pending, "pending");
    if (pending.requestedBy().equals(c.actor())) {
      return reject(subject, RejectCode.SELF_APPROVAL,
          "%s requested this step and can't approve it; a second person must (two-person rule)", c.actor());
    }
    Decision pinned = checkPinned(subject, s);
    if (pinned != null) {
      return pinned;
    }
    StoredPlan p = s.plans.get(pending.generation().value());
    Check.state(p != null && p.state().hasContent(), "pending approval %d names a deleted plan", pending.id());
    if (s.pointer.version() != pending.expectedVersion() || !pending.generation().isNewerThan(s.pointer.generation())
        || p.state() != PlanState.APPROVED) {
      s.pending = null;
      return reject(subject, RejectCode.PENDING_STALE,
          "pending %d was computed at pointer version %d, but the pointer is now %s; it was discarded",
          pending.id(), pending.expectedVersion(), s.pointer);
    }
    Decision bad = checkPlanShape(subject, s, p.plan());
    if (bad != null) {
      s.pending = null;
      return bad;
    }
    Pointer previous = s.pointer;
    movePointer(s, p, eventId, true);
    List<Long> parents = new ArrayList<>(planEvents(p));
    parents.add(pending.eventId());
    return accept(s.definition.service() + "/" + p.generation(),
        new Outcome.PointerAdvanced(s.definition.service(), previous, s.pointer),
        String.format(Locale.ROOT, "pending %d approved by %s: pointer %s -> %s (%s)%s", pending.id(), c.actor(),
            previous, s.pointer, pending.reason(), c.reason().isEmpty() ? "" : "; reason: " + c.reason()), parents);
  }

  private Decision rejectPending(Reject c) {
    String subject = "pending/" + c.pendingId();
    ServiceState s = pendingOwner(c.pendingId());
    if (s == null) {
      return unknownPending(subject, c.pendingId());
    }
    PendingApproval pending = Check.notNull(s.pending, "pending");
    s.pending = null;
    return accept(subject, new Outcome.PendingRejected(s.definition.service(), pending.id()),
        "pending " + pending.id() + " for " + pending.generation() + " rejected"
            + (c.reason().isEmpty() ? "" : ": " + c.reason()), List.of(pending.eventId()));
  }

  private static Decision unknownPending(String subject, long pendingId) {
    return reject(subject, RejectCode.UNKNOWN_PENDING,
        "there is no pending approval %d (it was decided, superseded, or never existed)", pendingId);
  }

  private @Nullable ServiceState pendingOwner(long pendingId) {
    for (ServiceState s : services.values()) {
      if (s.pending != null && s.pending.id() == pendingId) {
        return s;
      }
    }
    return null;
  }

  private Decision decommission(Decommission c) {
    String subject = c.service() + "/" + c.endpoint();
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    if (!s.definition.endpoints().contains(c.endpoint())) {
      return reject(subject, RejectCode.INVALID_ARGUMENT, "%s is not an endpoint of %s", c.endpoint(), c.service());
    }
    if (!s.decommissioned.add(c.endpoint())) {
      return reject(subject, RejectCode.NOT_IN_EFFECT, "%s may already be planned empty", c.endpoint());
    }
    return accept(subject, new Outcome.DecommissionAllowed(c.service(), c.endpoint()),
        c.endpoint() + " may now be planned empty; reason: " + c.reason(), List.of());
  }

  private Decision observe(Command.Observe c) {
    String subject = c.service() + c.endpoint().map(e -> "/" + e).orElse("");
    ServiceState s = services.get(c.service());
    if (s == null) {
      return unknownService(subject, c.service());
    }
    if (c.endpoint().isPresent() && !s.definition.endpoints().contains(c.endpoint().get())) {
      return reject(subject, RejectCode.INVALID_ARGUMENT, "%s is not an endpoint of %s", c.endpoint().get(),
          c.service());
    }
    return accept(subject, new Outcome.Observed(c.service(), c.kind()), c.az() + ": " + c.detail(), List.of());
  }

  private @Nullable Decision checkPaused(String subject, ServiceState s) {
    for (PauseScope scope : List.of(PauseScope.GLOBAL, PauseScope.service(s.definition.service()))) {
      String reason = pauses.get(scope);
      if (reason != null) {
        return reject(subject, RejectCode.PAUSED, "automation is paused (%s)%s; an operator must resume it",
            scope, reason.isEmpty() ? "" : ": " + reason);
      }
    }
    return null;
  }

  private @Nullable Decision checkPinned(String subject, ServiceState s) {
    if (s.pinned) {
      return reject(subject, RejectCode.PINNED, "%s is pinned at %s by an operator; unpin it first",
          s.definition.service(), s.pointer);
    }
    return null;
  }

  private static String abbreviate(java.util.Collection<?> items) {
    if (items.isEmpty()) {
      return "none";
    }
    List<String> shown = new ArrayList<>();
    for (Object o : items) {
      if (shown.size() == 5) {
        shown.add("... " + (items.size() - 5) + " more");
        break;
      }
      shown.add(o.toString());
    }
    return "[" + String.join(", ", shown) + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // Queries: pure reads
  // ---------------------------------------------------------------------------------------------

  /** The limits this ledger runs with. */
  public LedgerLimits limits() {
    return limits;
  }

  /** The last log index applied (0 before the first). */
  public long lastLogIndex() {
    return lastLogIndex;
  }

  /** Ledger time: the largest command time seen. */
  public long nowMillis() {
    return nowMillis;
  }

  /** The registered services, in name order. */
  public List<ServiceId> services() {
    return List.copyOf(services.keySet());
  }

  /** A service's definition, if registered. */
  public Optional<ServiceDefinition> service(ServiceId id) {
    ServiceState s = services.get(id);
    return s == null ? Optional.empty() : Optional.of(s.definition);
  }

  /** A service's pointer ({@link Pointer#INITIAL} for an unknown service). */
  public Pointer pointer(ServiceId id) {
    ServiceState s = services.get(id);
    return s == null ? Pointer.INITIAL : s.pointer;
  }

  /** The generation the pointer showed before its last automated move, if any. */
  public Optional<Generation> lastKnownGood(ServiceId id) {
    ServiceState s = services.get(id);
    return s == null || s.lastKnownGood.equals(Generation.NONE) ? Optional.empty() : Optional.of(s.lastKnownGood);
  }

  /** A stored plan by generation (purged plans keep their metadata, without content). */
  public Optional<StoredPlan> plan(ServiceId id, Generation g) {
    ServiceState s = services.get(id);
    return s == null ? Optional.empty() : Optional.ofNullable(s.plans.get(g.value()));
  }

  /** Up to {@code limit} plans of a service from generation {@code from} on, oldest first. */
  public List<StoredPlan> plans(ServiceId id, Generation from, int limit) {
    ServiceState s = services.get(id);
    if (s == null) {
      return List.of();
    }
    List<StoredPlan> out = new ArrayList<>();
    for (StoredPlan p : s.plans.tailMap(from.value(), true).values()) {
      if (out.size() >= limit) {
        break;
      }
      out.add(p);
    }
    return out;
  }

  /** The latest generation of a service ({@link Generation#NONE} if none). */
  public Generation latestGeneration(ServiceId id) {
    ServiceState s = services.get(id);
    return s == null ? Generation.NONE : s.latestGeneration();
  }

  /** The pointer history of a service, by version. */
  public SortedMap<Long, PointerMove> pointerHistory(ServiceId id) {
    ServiceState s = services.get(id);
    return s == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(s.moves));
  }

  /** What Enactors last reported published per endpoint of a service. */
  public SortedMap<EndpointName, AppliedRecord> applied(ServiceId id) {
    ServiceState s = services.get(id);
    return s == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(s.applied));
  }

  /** Every pending approval, by service. */
  public List<PendingApproval> pendingApprovals() {
    List<PendingApproval> out = new ArrayList<>();
    for (ServiceState s : services.values()) {
      if (s.pending != null) {
        out.add(s.pending);
      }
    }
    return out;
  }

  /** True if an operator pinned the service. */
  public boolean isPinned(ServiceId id) {
    ServiceState s = services.get(id);
    return s != null && s.pinned;
  }

  /** The active pauses and their reasons. */
  public SortedMap<PauseScope, String> pauses() {
    return Collections.unmodifiableSortedMap(new TreeMap<>(pauses));
  }

  /** True if automation for {@code service} is paused globally or for the service. */
  public boolean isPaused(ServiceId service) {
    return pauses.containsKey(PauseScope.GLOBAL) || pauses.containsKey(PauseScope.service(service));
  }

  /** True if automation in {@code az} is paused globally or for the AZ. */
  public boolean isPaused(AzId az) {
    return pauses.containsKey(PauseScope.GLOBAL) || pauses.containsKey(PauseScope.az(az));
  }

  /** The endpoints of a service that an operator allowed to be planned empty. */
  public SortedSet<EndpointName> decommissioned(ServiceId id) {
    ServiceState s = services.get(id);
    return s == null ? Collections.emptySortedSet() : Collections.unmodifiableSortedSet(new TreeSet<>(s.decommissioned));
  }

  /** The authority lease, if one was ever granted. */
  public Optional<AuthorityLease> authority() {
    return Optional.ofNullable(lease);
  }

  /** The audit chain (read-only use; only {@link #apply} appends). */
  public AuditChain audit() {
    return audit;
  }

  /**
   * The generations of a service that must not be deleted, with the reason for each (I4): the
   * pointer, last-known-good, a pending step, the live DNS markers and in-flight plans.
   */
  public SortedMap<Generation, String> referencedPlans(ServiceId id) {
    ServiceState s = services.get(id);
    SortedMap<Generation, String> out = new TreeMap<>();
    if (s == null) {
      return out;
    }
    for (StoredPlan p : s.plans.values()) {
      if (p.state() == PlanState.PURGED) {
        continue;
      }
      String ref = referenceTo(s, p);
      if (ref != null) {
        out.put(p.generation(), ref);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Invariants: checked on snapshot write and read, and by tests after every command
  // ---------------------------------------------------------------------------------------------

  /**
   * Re-checks I1-I5 and the ledger's internal consistency over the whole state.
   *
   * @throws IllegalStateException naming the first broken invariant
   */
  public void checkInvariants() {
    Check.state(services.size() <= limits.maxServices(), "%d services exceed the limit", services.size());
    long pendingSeen = 0;
    for (ServiceState s : services.values()) {
      ServiceId id = s.definition.service();
      int stored = 0;
      int active = 0;
      long expectedGeneration = 1;
      for (Map.Entry<Long, StoredPlan> e : s.plans.entrySet()) {
        StoredPlan p = e.getValue();
        Check.state(e.getKey() == p.generation().value(), "%s: plan keyed %d has generation %s", id, e.getKey(),
            p.generation());
        Check.state(p.generation().value() == expectedGeneration++, "%s: generations are not 1, 2, 3, ... at %s", id,
            p.generation());
        if (p.state().hasContent()) {
          stored++;
          Check.state(p.plan().service().equals(id), "%s: plan %s belongs to %s", id, p.generation(),
              p.plan().service());
        }
        if (p.state() == PlanState.ACTIVE) {
          active++;
        }
        Check.state((p.markedAtMillis() >= 0) == p.state().isDeleted(),
            "%s: plan %s is %s with markedAt %d", id, p.generation(), p.state(), p.markedAtMillis());
        Check.state(!p.state().isDeleted() || p.purgeableAtMillis() >= p.markedAtMillis(),
            "%s: plan %s is purgeable at %d, before it was marked at %d", id, p.generation(), p.purgeableAtMillis(),
            p.markedAtMillis());
      }
      Check.state(stored == s.storedPlans, "%s: counted %d stored plans, recorded %d", id, stored, s.storedPlans);
      Check.state(stored <= limits.maxStoredPlansPerService(), "%s: %d stored plans exceed the limit", id, stored);
      // I2: pointer history strictly increasing in version and generation; the pointer is its end.
      long version = 0;
      long generation = 0;
      for (PointerMove m : s.moves.values()) {
        Check.state(m.version() == version + 1, "%s: pointer history skips from v%d to v%d", id, version, m.version());
        Check.state(m.generation().value() > generation, "%s: pointer went from g%d back to %s (I2)", id, generation,
            m.generation());
        version = m.version();
        generation = m.generation().value();
      }
      Check.state(s.pointer.version() == version && s.pointer.generation().value() == generation,
          "%s: pointer %s does not match its history (v%d/g%d)", id, s.pointer, version, generation);
      if (s.pointer.version() == 0) {
        Check.state(active == 0, "%s: %d ACTIVE plans but the pointer was never moved", id, active);
      } else {
        Check.state(active == 1, "%s: %d ACTIVE plans, expected exactly one", id, active);
        StoredPlan p = s.plans.get(s.pointer.generation().value());
        Check.state(p != null && p.state() == PlanState.ACTIVE, "%s: pointer %s names a plan that is not ACTIVE (I4)",
            id, s.pointer);
        // I1: the published plan leaves no endpoint empty unless its decommission was allowed.
        for (Map.Entry<EndpointName, List<Target>> e : p.plan().endpoints().entrySet()) {
          Check.state(!e.getValue().isEmpty() || s.decommissioned.contains(e.getKey())
                  || !s.definition.endpoints().contains(e.getKey()),
              "%s: active plan %s leaves %s empty without a decommission (I1)", id, p.generation(), e.getKey());
        }
      }
      // I4: nothing referenced is purged; the pointer, last-known-good and a pending step never
      // name a quarantined plan. (Live DNS may name a quarantined plan if an old version is
      // reported late; purge then refuses.)
      for (StoredPlan p : s.plans.values()) {
        if (p.state() == PlanState.PURGED) {
          String ref = referenceTo(s, p);
          Check.state(ref == null, "%s: plan %s is PURGED but %s (I4)", id, p.generation(), ref);
        } else if (p.state() == PlanState.PENDING_DELETION) {
          Generation g = p.generation();
          Check.state(!g.equals(s.pointer.generation()) && !g.equals(s.lastKnownGood)
                  && (s.pending == null || !s.pending.generation().equals(g)),
              "%s: plan %s is quarantined but still the pointer, last-known-good or pending (I4)", id, g);
        }
      }
      for (AppliedRecord a : s.applied.values()) {
        StoredPlan p = s.plans.get(a.generation().value());
        Check.state(p != null && p.state() != PlanState.PURGED, "%s: DNS publishes %s, which was purged (I4)", id,
            a.generation());
      }
      if (s.pending != null) {
        pendingSeen++;
        StoredPlan p = s.plans.get(s.pending.generation().value());
        Check.state(p != null && p.state().hasContent(), "%s: pending %d names a deleted plan", id, s.pending.id());
        Check.state(s.pending.id() <= lastPendingId, "%s: pending id %d beyond the counter", id, s.pending.id());
      }
      Check.state(s.recentAdvances.size() <= ServicePolicy.MAX_ADVANCES_PER_WINDOW_LIMIT,
          "%s: velocity window holds %d entries", id, s.recentAdvances.size());
    }
    Check.state(pendingSeen <= services.size(), "more pending approvals than services");
    // I3: the lease's token is a log index that was applied, never from the future.
    if (lease != null) {
      Check.state(lease.token().logIndex() >= 1 && lease.token().logIndex() <= lastLogIndex,
          "authority token %s is not an applied log index (last %d)", lease.token(), lastLogIndex);
    }
    // I5: the audit chain is intact and has one event per applied command.
    if (audit.size() > 0) {
      AuditEvent last = audit.get(audit.size() - 1);
      Check.state(last.logIndex() == lastLogIndex, "the last audit event has log index %d, the ledger %d",
          last.logIndex(), lastLogIndex);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Snapshots
  // ---------------------------------------------------------------------------------------------

  /**
   * The whole state in the canonical encoding. Checks every invariant first, so a broken state is
   * never written; equal states give equal bytes.
   */
  public byte[] toSnapshot() {
    checkInvariants();
    return Snapshots.write(this);
  }

  /**
   * Restores a state written by {@link #toSnapshot}, then verifies the audit chain and every
   * invariant before handing it out (check on write, check on read).
   *
   * @throws IllegalArgumentException if the bytes are truncated, corrupt or fail verification
   */
  public static LedgerState fromSnapshot(byte[] snapshot) {
    LedgerState s = Snapshots.read(snapshot);
    ChainVerification v = s.audit.verify();
    if (!v.intact()) {
      throw new IllegalArgumentException("snapshot rejected: audit chain broken: " + v.message());
    }
    try {
      s.checkInvariants();
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("snapshot rejected: " + e.getMessage(), e);
    }
    return s;
  }

  // Package-private access for Snapshots, which lives beside this class to keep it readable.

  TreeMap<ServiceId, ServiceState> servicesForCodec() {
    return services;
  }

  TreeMap<PauseScope, String> pausesForCodec() {
    return pauses;
  }

  @Nullable AuthorityLease leaseForCodec() {
    return lease;
  }

  long lastPendingIdForCodec() {
    return lastPendingId;
  }

  void restoreScalars(long lastLogIndex, long nowMillis, long lastPendingId, @Nullable AuthorityLease lease) {
    this.lastLogIndex = lastLogIndex;
    this.nowMillis = nowMillis;
    this.lastPendingId = lastPendingId;
    this.lease = lease;
  }
}
