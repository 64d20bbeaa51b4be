package dev.bulwark.agents;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.ledger.AuthorityLease;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.Optional;

/**
 * Follows the ledger's authority lease without holding it, and offers the current epoch's fencing
 * token to one AZ's Enactor (and Validator), so that every AZ publishes for the current primary
 * even when the primary controller runs in another AZ. That keeps the per-AZ Enactor redundancy of
 * the design: the primary's own AZ may be slow or gone, and another AZ's Enactor still publishes.
 *
 * <p>It re-reads the lease when the ledger reports a grant or a renewal, and at least every {@code
 * refreshIntervalMillis} (notifications can be missed: a restarted local peer, a full queue). It
 * stops offering a token when the lease lapses by its own clock (see {@link LeaseView}) or when an
 * agent's command came back STALE_TOKEN, and offers the new token once it sees a new grant.
 *
 * <p>Why following is safe: fencing is enforced where the data lands, not by who holds the keeper
 * object. A follower that is a moment behind offers a superseded token, and the ledger refuses the
 * command (STALE_TOKEN); the Enactor's DNS write carries the precondition "the marker is what I
 * read", which a newer epoch's write has changed. A follower can never make the ledger accept
 * anything it would not accept from the holder itself.
 */
public final class LeaseFollower extends LoopAgent implements Authority {
  /** Default longest time between two reads of the lease, in ms. */
  public static final long DEFAULT_REFRESH_INTERVAL_MILLIS = 1_000;

  private final LeaseView view = new LeaseView();
  private final Ledger ledger;
  private final Ledger.Subscription subscription;

  /**
   * A follower that reads through {@code ledger} (this AZ's client).
   *
   * @param refreshIntervalMillis longest time between two reads, 10..600,000 ms. Default {@value
   *     #DEFAULT_REFRESH_INTERVAL_MILLIS}.
   */
  public LeaseFollower(AzId az, Ledger ledger, Scheduler scheduler, long refreshIntervalMillis) {
    super("lease-follower@" + az, scheduler, Duration.ofMillis(refreshIntervalMillis));
    Check.arg(refreshIntervalMillis >= 10 && refreshIntervalMillis <= 600_000,
        "refreshIntervalMillis must be 10..600000, but was %d", refreshIntervalMillis);
    this.ledger = Check.notNull(ledger, "ledger");
    this.subscription = ledger.watch((index, outcome) -> {
      if (outcome instanceof Outcome.AuthorityGranted || outcome instanceof Outcome.AuthorityRenewed) {
        kick();
      }
    });
  }

  @Override
  public Optional<FencingToken> token() {
    return view.lapsed(scheduler.nanoTime()) ? Optional.empty() : view.lease().map(AuthorityLease::token);
  }

  @Override
  public Optional<AuthorityLease> lease() {
    return view.lease();
  }

  @Override
  public void fenced(FencingToken stale) {
    if (view.lease().map(l -> l.token().equals(stale)).orElse(false)) {
      view.forget();
      kick();
    }
  }

  @Override
  protected void runRound() throws Exception {
    LedgerQuery.Overview o = ledger.read(new LedgerQuery.OverviewOf())
        .get(LedgerCalls.TIMEOUT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    view.update(o.authority(), o.nowMillis(), scheduler.nanoTime());
  }

  @Override
  public void close() {
    subscription.close();
    super.close();
  }
}
