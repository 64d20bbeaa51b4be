package dev.bulwark.core.ledger;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import java.util.ArrayDeque;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The mutable per-service part of {@link LedgerState}. Package-private: only the ledger's apply
 * path changes it, and readers get immutable values. Sorted collections only, so iteration order
 * (and hence every encoding) is the same on every replica.
 */
final class ServiceState {
  ServiceDefinition definition;
  Pointer pointer = Pointer.INITIAL;
  /** The generation the pointer showed before the last automated move; NONE if there is none. */
  Generation lastKnownGood = Generation.NONE;
  /** Every plan ever proposed for this service, by generation; purged plans keep their metadata. */
  final TreeMap<Long, StoredPlan> plans = new TreeMap<>();
  /** Plans whose content is still stored (not PURGED); bounded by the ledger's limits. */
  int storedPlans;
  /** Pointer history: version to the move that created it. */
  final TreeMap<Long, PointerMove> moves = new TreeMap<>();
  /** The live DNS marker per endpoint, as last reported by an Enactor. */
  final TreeMap<EndpointName, AppliedRecord> applied = new TreeMap<>();
  @Nullable PendingApproval pending;
  boolean pinned;
  /** Endpoints an operator allowed to be planned empty (I1's only exception). */
  final TreeSet<EndpointName> decommissioned = new TreeSet<>();
  /** Ledger times of recent automated pointer moves, oldest first; at most the policy's limit. */
  final ArrayDeque<Long> recentAdvances = new ArrayDeque<>();

  ServiceState(ServiceDefinition definition) {
    this.definition = definition;
  }

  Generation latestGeneration() {
    return plans.isEmpty() ? Generation.NONE : Generation.of(plans.lastKey());
  }
}
