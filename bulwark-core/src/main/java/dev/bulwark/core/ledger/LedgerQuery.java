package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A pure read of the ledger, as a value so that it can travel to a remote replica. Each query
 * knows how to evaluate itself against a {@link LedgerState}.
 *
 * @param <T> the answer's type
 */
public sealed interface LedgerQuery<T> {
  /** Evaluates this query; must not change {@code state}. */
  T evaluate(LedgerState state);

  /** A service's pointer. */
  record PointerOf(ServiceId service) implements LedgerQuery<Pointer> {
    public PointerOf {
      Check.notNull(service, "service");
    }

    @Override
    public Pointer evaluate(LedgerState state) {
      return state.pointer(service);
    }
  }

  /** A stored plan by generation. */
  record PlanOf(ServiceId service, Generation generation) implements LedgerQuery<Optional<StoredPlan>> {
    public PlanOf {
      Check.notNull(service, "service");
      Check.notNull(generation, "generation");
    }

    @Override
    public Optional<StoredPlan> evaluate(LedgerState state) {
      return state.plan(service, generation);
    }
  }

  /** Up to {@code limit} plans of a service from generation {@code from} on, oldest first. */
  record Plans(ServiceId service, Generation from, int limit) implements LedgerQuery<List<StoredPlan>> {
    /** Largest page of plans one query returns. */
    public static final int MAX_PAGE = 1_000;

    public Plans {
      Check.notNull(service, "service");
      Check.notNull(from, "from");
      Check.arg(limit >= 1 && limit <= MAX_PAGE, "limit must be 1..%d, but was %d", MAX_PAGE, limit);
    }

    @Override
    public List<StoredPlan> evaluate(LedgerState state) {
      return state.plans(service, from, limit);
    }
  }

  /** A service's definition (endpoints, voters, policy), if registered. */
  record ServiceOf(ServiceId service) implements LedgerQuery<Optional<ServiceDefinition>> {
    public ServiceOf {
      Check.notNull(service, "service");
    }

    @Override
    public Optional<ServiceDefinition> evaluate(LedgerState state) {
      return state.service(service);
    }
  }

  /** The operator controls in force for a service. */
  record ControlsOf(ServiceId service) implements LedgerQuery<Controls> {
    public ControlsOf {
      Check.notNull(service, "service");
    }

    @Override
    public Controls evaluate(LedgerState state) {
      return new Controls(state.isPaused(service), state.isPinned(service));
    }
  }

  /**
   * Operator controls of one service.
   *
   * @param paused automation is paused globally or for the service: nothing may change in DNS
   * @param pinned the pointer is held where it is: no advance, no rollback
   */
  record Controls(boolean paused, boolean pinned) {}

  /** Whether automation in an AZ is paused (globally or for the AZ). */
  record AzPaused(dev.bulwark.core.AzId az) implements LedgerQuery<Boolean> {
    public AzPaused {
      Check.notNull(az, "az");
    }

    @Override
    public Boolean evaluate(LedgerState state) {
      return state.isPaused(az);
    }
  }

  /** Every pending approval. */
  record PendingApprovals() implements LedgerQuery<List<PendingApproval>> {
    @Override
    public List<PendingApproval> evaluate(LedgerState state) {
      return state.pendingApprovals();
    }
  }

  /** The authority lease. */
  record Authority() implements LedgerQuery<Optional<AuthorityLease>> {
    @Override
    public Optional<AuthorityLease> evaluate(LedgerState state) {
      return state.authority();
    }
  }

  /** Up to {@code limit} audit events from id {@code from}; at most {@value #MAX_PAGE} per page. */
  record AuditRange(long from, int limit) implements LedgerQuery<List<AuditEvent>> {
    /** Largest page of audit events one query returns. */
    public static final int MAX_PAGE = 1_000;

    public AuditRange {
      Check.arg(from >= 0, "from must be >= 0, but was %d", from);
      Check.arg(limit >= 1 && limit <= MAX_PAGE, "limit must be 1..%d, but was %d", MAX_PAGE, limit);
    }

    @Override
    public List<AuditEvent> evaluate(LedgerState state) {
      return state.audit().range(from, limit);
    }
  }

  /** The generations of a service that must not be deleted, with reasons (I4). */
  record ReferencedPlans(ServiceId service) implements LedgerQuery<SortedMap<Generation, String>> {
    public ReferencedPlans {
      Check.notNull(service, "service");
    }

    @Override
    public SortedMap<Generation, String> evaluate(LedgerState state) {
      return state.referencedPlans(service);
    }
  }

  /**
   * One service at a glance: its definition, pointer, newest generation, last-known-good and
   * operator controls.
   *
   * @param latestGeneration the newest plan's generation, {@link Generation#NONE} if none yet
   * @param lastKnownGood the generation the pointer showed before its last automated move, if any
   */
  record ServiceSummary(
      ServiceDefinition definition,
      Pointer pointer,
      Generation latestGeneration,
      Optional<Generation> lastKnownGood,
      Controls controls) {
    public ServiceSummary {
      Check.notNull(definition, "definition");
      Check.notNull(pointer, "pointer");
      Check.notNull(latestGeneration, "latestGeneration");
      Check.notNull(lastKnownGood, "lastKnownGood");
      Check.notNull(controls, "controls");
    }

    static ServiceSummary of(LedgerState state, ServiceDefinition def) {
      ServiceId id = def.service();
      return new ServiceSummary(def, state.pointer(id), state.latestGeneration(id), state.lastKnownGood(id),
          new Controls(state.isPaused(id), state.isPinned(id)));
    }
  }

  /**
   * Every registered service, in name order (at most {@link LedgerLimits#maxServices()}, so the
   * answer is bounded).
   */
  record ServiceSummaries() implements LedgerQuery<List<ServiceSummary>> {
    @Override
    public List<ServiceSummary> evaluate(LedgerState state) {
      List<ServiceSummary> out = new ArrayList<>();
      for (ServiceId id : state.services()) {
        state.service(id).ifPresent(def -> out.add(ServiceSummary.of(state, def)));
      }
      return List.copyOf(out);
    }
  }

  /**
   * One service in detail: its summary and, per endpoint, what Enactors last reported published in
   * DNS (the live marker).
   */
  record ServiceDetail(ServiceSummary summary, SortedMap<EndpointName, AppliedRecord> applied) {
    public ServiceDetail {
      Check.notNull(summary, "summary");
      Check.notNull(applied, "applied");
    }
  }

  /** A service's {@link ServiceDetail}, if registered; all of it read at one log index. */
  record ServiceDetailOf(ServiceId service) implements LedgerQuery<Optional<ServiceDetail>> {
    public ServiceDetailOf {
      Check.notNull(service, "service");
    }

    @Override
    public Optional<ServiceDetail> evaluate(LedgerState state) {
      return state.service(service)
          .map(def -> new ServiceDetail(ServiceSummary.of(state, def), state.applied(service)));
    }
  }

  /**
   * The ledger as a whole.
   *
   * @param lastLogIndex the last log index applied
   * @param nowMillis ledger time (the largest command time seen)
   * @param authority the authority lease, if one was ever granted
   * @param pauses the pauses in force, with their reasons
   * @param services how many services are registered
   * @param pendingApprovals how many over-budget steps wait for a person
   * @param auditEvents length of the audit chain
   */
  record Overview(
      long lastLogIndex,
      long nowMillis,
      Optional<AuthorityLease> authority,
      SortedMap<PauseScope, String> pauses,
      int services,
      int pendingApprovals,
      long auditEvents) {
    public Overview {
      Check.notNull(authority, "authority");
      Check.notNull(pauses, "pauses");
    }
  }

  /** The {@link Overview} of the ledger. */
  record OverviewOf() implements LedgerQuery<Overview> {
    @Override
    public Overview evaluate(LedgerState state) {
      return new Overview(state.lastLogIndex(), state.nowMillis(), state.authority(), state.pauses(),
          state.services().size(), state.pendingApprovals().size(), state.audit().size());
    }
  }

  /**
   * Recomputes the whole audit chain (I5) and names its first bad link. Costs one SHA-256 per
   * event; meant for operators and tests, not for hot paths.
   */
  record VerifyAudit() implements LedgerQuery<ChainVerification> {
    @Override
    public ChainVerification evaluate(LedgerState state) {
      return state.audit().verify();
    }
  }

  /**
   * One page of a filtered audit search.
   *
   * @param events the matching events, oldest first
   * @param next the event id to continue from: one past the last event examined
   * @param more true if the chain holds events at or after {@code next}
   */
  record AuditPage(List<AuditEvent> events, long next, boolean more) {
    public AuditPage {
      events = List.copyOf(Check.notNull(events, "events"));
      Check.arg(next >= 0, "next must be >= 0, but was %d", next);
    }
  }

  /**
   * Up to {@code limit} audit events from id {@code from} on that match every given filter,
   * examining at most {@value #MAX_SCAN} events per query so one request stays bounded; the page's
   * {@link AuditPage#next()} continues the search.
   *
   * <p>Filters: {@code service} matches events about the service (subject {@code <service>},
   * {@code <service>/...} or the pause scope {@code service:<service>}); {@code actor} and
   * {@code code} match exactly.
   */
  record AuditSearch(
      long from, int limit, Optional<ServiceId> service, Optional<String> actor, Optional<String> code)
      implements LedgerQuery<AuditPage> {
    /** Largest page of matching events one query returns. */
    public static final int MAX_PAGE = 1_000;

    /** Most events one query examines, matching or not. */
    public static final int MAX_SCAN = 100_000;

    /** Longest accepted actor or code filter, in characters. */
    public static final int MAX_FILTER_CHARS = 128;

    public AuditSearch {
      Check.arg(from >= 0, "from must be >= 0, but was %d", from);
      Check.arg(limit >= 1 && limit <= MAX_PAGE, "limit must be 1..%d, but was %d", MAX_PAGE, limit);
      Check.notNull(service, "service");
      Check.notNull(actor, "actor");
      Check.notNull(code, "code");
      Check.arg(actor.orElse("").length() <= MAX_FILTER_CHARS, "actor filter must be at most %d characters",
          MAX_FILTER_CHARS);
      Check.arg(code.orElse("").length() <= MAX_FILTER_CHARS, "code filter must be at most %d characters",
          MAX_FILTER_CHARS);
    }

    @Override
    public AuditPage evaluate(LedgerState state) {
      AuditChain chain = state.audit();
      long end = Math.min(chain.size(), from + (long) MAX_SCAN);
      List<AuditEvent> out = new ArrayList<>();
      long id = from;
      while (id < end && out.size() < limit) {
        AuditEvent e = chain.get(id++);
        if (matches(e)) {
          out.add(e);
        }
      }
      return new AuditPage(out, id, id < chain.size());
    }

    private boolean matches(AuditEvent e) {
      if (actor.isPresent() && !actor.get().equals(e.actor())) {
        return false;
      }
      if (code.isPresent() && !code.get().equals(e.code())) {
        return false;
      }
      if (service.isPresent()) {
        String s = service.get().value();
        String subject = e.subject();
        return subject.equals(s) || subject.startsWith(s + "/") || subject.equals("service:" + s);
      }
      return true;
    }
  }
}
