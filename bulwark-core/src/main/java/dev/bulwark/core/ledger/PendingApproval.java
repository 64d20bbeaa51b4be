package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.Check;
import dev.bulwark.core.Generation;
import dev.bulwark.core.ServiceId;

/**
 * An automated pointer move that exceeded its change budget (I6) and now waits for a person. At
 * most one per service: a newer over-budget step supersedes the older one.
 *
 * @param expectedVersion the pointer version the step was computed against; if the pointer has
 *     moved since, the step is stale and can no longer be approved
 */
public record PendingApproval(
    long id,
    ServiceId service,
    long expectedVersion,
    Generation generation,
    String reason,
    ActorId requestedBy,
    long requestedAtMillis,
    long eventId) {
  public PendingApproval {
    Check.arg(id >= 1, "pending id must be >= 1");
    Check.notNull(service, "service");
    Check.notNull(generation, "generation");
    Check.notNull(reason, "reason");
    Check.notNull(requestedBy, "requestedBy");
  }
}
