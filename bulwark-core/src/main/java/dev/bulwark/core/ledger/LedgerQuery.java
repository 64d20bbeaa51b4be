package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
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
}
