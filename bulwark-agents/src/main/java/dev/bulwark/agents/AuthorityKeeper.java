package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.Check;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.RejectCode;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the ledger's authority lease for one controller: acquires it when free, renews it at a
 * third of its TTL, and hands its fencing token to this controller's agents. A controller without
 * the token does nothing automated; one whose token was superseded learns it from the ledger's
 * STALE_TOKEN and stops acting at once.
 */
public final class AuthorityKeeper extends LoopAgent {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorityKeeper.class);

  /** Default lease TTL: a dead controller is replaced after about this long. */
  public static final long DEFAULT_LEASE_TTL_MILLIS = 6_000;

  private final Ledger ledger;
  private final ActorId holder;
  private final long ttlMillis;
  private volatile @Nullable FencingToken token;

  public AuthorityKeeper(ActorId holder, Ledger ledger, Scheduler scheduler, long ttlMillis) {
    super("authority@" + holder, scheduler, Duration.ofMillis(Math.max(50, ttlMillis / 3)));
    this.holder = Check.notNull(holder, "holder");
    this.ledger = Check.notNull(ledger, "ledger");
    this.ttlMillis = ttlMillis;
  }

  /** The token to act under, if this controller holds the authority now. */
  public Optional<FencingToken> token() {
    return Optional.ofNullable(token);
  }

  /** Called by agents whose command came back STALE_TOKEN: this controller was fenced. */
  void fenced(FencingToken stale) {
    if (stale.equals(token)) {
      token = null;
      LOG.warn("{} was fenced: token {} is superseded; stopping automation until authority is regained", holder,
          stale);
      kick();
    }
  }

  @Override
  protected void runRound() throws Exception {
    FencingToken t = token;
    Command c = t == null ? new Command.AcquireAuthority(ttlMillis, false, holder, scheduler.nowMillis())
        : new Command.RenewAuthority(ttlMillis, t, holder, scheduler.nowMillis());
    Result r = ledger.submit(c).get(ttlMillis, TimeUnit.MILLISECONDS);
    if (r instanceof Result.Accepted a && a.outcome() instanceof Outcome.AuthorityGranted g) {
      token = g.token();
      LOG.info("{} holds authority epoch {} (token {})", holder, g.epoch(), g.token());
    } else if (r instanceof Result.Rejected rej) {
      if (rej.code() == RejectCode.STALE_TOKEN || rej.code() == RejectCode.NOT_LEASE_HOLDER) {
        token = null;
        LOG.warn("{} lost authority: {}", holder, rej.message());
      } else if (rej.code() != RejectCode.LEASE_HELD) {
        LOG.warn("{}: {} rejected: {}", holder, c.action(), rej.message());
      }
    }
  }
}
