package dev.bulwark.agents;

import dev.bulwark.core.FencingToken;
import dev.bulwark.core.ledger.AuthorityLease;
import java.util.Optional;

/**
 * The fencing token an agent acts under, if any. Two implementations: {@link AuthorityKeeper}
 * holds and renews the ledger's authority lease for one controller, and {@link LeaseFollower}
 * follows whoever holds it, so that every AZ's Enactor acts under the current primary's epoch even
 * when the primary controller runs in another AZ.
 *
 * <p>Design note: an {@code Authority} is a hint, never the safety mechanism. The ledger accepts a
 * fenced command only if its token is the current epoch's (STALE_TOKEN otherwise), and DNS accepts
 * an update only if the marker is exactly what the writer read (the compare-and-swap). So an agent
 * that acts under a token it merely followed, or one that went stale a moment ago, is refused where
 * the data lands; what the {@code Authority} buys is that agents without a current token don't even
 * try, and that a fenced agent stops at once.
 */
public interface Authority {
  /** The token to act under now, if there is a current epoch this authority knows of. */
  Optional<FencingToken> token();

  /** The lease as this authority last saw it (holder, epoch, token, expiry in ledger time). */
  Optional<AuthorityLease> lease();

  /**
   * Told by an agent whose fenced command came back STALE_TOKEN: {@code stale} is superseded. If it
   * is the token this authority offers, it stops offering it at once.
   */
  void fenced(FencingToken stale);
}
