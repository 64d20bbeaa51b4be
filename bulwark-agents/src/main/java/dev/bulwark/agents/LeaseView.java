package dev.bulwark.agents;

import dev.bulwark.core.ledger.AuthorityLease;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The last authority lease one reader saw, and until when (by the reader's own monotonic clock) it
 * counts as live.
 *
 * <p>Why not compare the lease's expiry with the wall clock: the expiry is in ledger time, which
 * only moves when commands arrive, and this reader's clock may be skewed. Instead the reader notes,
 * the first time it sees a lease version (a grant or a renewal changes the token or the expiry),
 * how much of it was left in ledger time, and counts that down on its monotonic clock. A dead
 * holder's lease stops changing, so it lapses here within one TTL of its last renewal, whatever the
 * clocks say. Safety never depends on this estimate: the ledger decides every grant and every token.
 */
final class LeaseView {
  private @Nullable AuthorityLease lease;
  private long seenAtNanos;
  private long deadlineNanos;

  /** Records a read of the ledger: its lease and its time at that read. */
  synchronized void update(Optional<AuthorityLease> read, long ledgerNowMillis, long nowNanos) {
    if (read.isEmpty()) {
      lease = null;
      return;
    }
    AuthorityLease l = read.get();
    if (lease != null && lease.token().equals(l.token()) && lease.expiresAtMillis() == l.expiresAtMillis()) {
      return; // The same lease version: its countdown keeps running.
    }
    lease = l;
    seenAtNanos = nowNanos;
    long leftMillis = Math.max(0, l.expiresAtMillis() - ledgerNowMillis);
    deadlineNanos = nowNanos + Math.min(leftMillis, Long.MAX_VALUE / 2_000_000L) * 1_000_000L;
  }

  /** Forgets the lease (its token was found superseded); the next read starts afresh. */
  synchronized void forget() {
    lease = null;
  }

  synchronized Optional<AuthorityLease> lease() {
    return Optional.ofNullable(lease);
  }

  /** True if no lease is known or the known one has run out by this reader's clock. */
  synchronized boolean lapsed(long nowNanos) {
    return lease == null || nowNanos - deadlineNanos >= 0;
  }

  /** Nanoseconds until the known lease runs out here (0 if lapsed or unknown). */
  synchronized long nanosLeft(long nowNanos) {
    return lease == null ? 0 : Math.max(0, deadlineNanos - nowNanos);
  }

  /** When (monotonic clock) this reader first saw the current lease version: its last sign of life. */
  synchronized long seenAtNanos() {
    return seenAtNanos;
  }
}
