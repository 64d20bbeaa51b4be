package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.Check;
import dev.bulwark.core.Epoch;
import dev.bulwark.core.FencingToken;

/**
 * Who may drive automation now. The lease's TTL only decides when someone else may take over; the
 * safety of every automated command rests on its {@link FencingToken}, which must equal this
 * epoch's token (I3), whatever any clock says.
 */
public record AuthorityLease(
    ActorId holder, Epoch epoch, FencingToken token, long grantedAtMillis, long expiresAtMillis, long eventId) {
  public AuthorityLease {
    Check.notNull(holder, "holder");
    Check.notNull(epoch, "epoch");
    Check.notNull(token, "token");
  }

  /** True if the lease has lapsed at ledger time {@code nowMillis}. */
  public boolean expiredAt(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }
}
