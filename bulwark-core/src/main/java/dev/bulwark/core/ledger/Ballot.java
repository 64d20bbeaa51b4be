package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;

/** One AZ's recorded vote on a plan, with the audit event that recorded it. */
public record Ballot(AzId az, boolean approve, String reason, ActorId actor, long eventId) {
  public Ballot {
    Check.notNull(az, "az");
    Check.notNull(reason, "reason");
    Check.notNull(actor, "actor");
  }
}
