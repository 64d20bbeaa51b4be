package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.AuthorityLease;
import dev.bulwark.core.ledger.Codec;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
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
 * Holds the ledger's authority lease for one controller: renews it at a third of its TTL while it
 * holds it, and hands its fencing token to this controller's agents. A controller without the
 * token does nothing automated.
 *
 * <p>Not holding it, the keeper follows the lease (like a {@link LeaseFollower}) and asks for it
 * only when no lease is known, the lease is its own (a restarted holder), or the holder's lease has
 * lapsed by this keeper's clock; it never asks while another holder's lease runs, so a waiting
 * shadow adds nothing to the audit chain. Detection of a dead primary therefore takes about one
 * TTL after its last renewal. The ledger, in ledger time, has the last word on every grant.
 *
 * <p>A keeper learns that it was fenced three ways: its renewal comes back STALE_TOKEN or
 * NOT_LEASE_HOLDER, an agent's command comes back STALE_TOKEN, or the ledger reports a grant to
 * someone else. It then drops the token at once, logs it, and stands down: it asks again only if
 * the new holder's lease lapses in its turn. It never fights a live lease.
 */
public final class AuthorityKeeper extends LoopAgent implements Authority {
  private static final Logger LOG = LoggerFactory.getLogger(AuthorityKeeper.class);

  /** Default lease TTL, in ms: a dead controller is replaced after about this long. */
  public static final long DEFAULT_LEASE_TTL_MILLIS = 6_000;

  /** Margin after the lease's local deadline before asking, in ms, so the ask lands after the lapse. */
  static final long ACQUIRE_MARGIN_MILLIS = 50;

  /** How a grant came about, for logs, metrics and the audit chain. */
  enum How { FIRST, LAPSED, FORCED, REACQUIRED }

  private final Ledger ledger;
  private final ActorId holder;
  private final long ttlMillis;
  private final LeaseView view = new LeaseView();
  private final Ledger.Subscription subscription;
  private volatile @Nullable FencingToken token;
  /** Why this keeper was fenced, until the round records it in the audit chain. */
  private volatile @Nullable String fencedNote;
  private volatile @Nullable ServiceId auditService;
  private volatile @Nullable AzId auditAz;
  private Scheduler.@Nullable Cancellable wakeAtLapse;

  /**
   * A keeper for controller {@code holder}.
   *
   * @param ttlMillis lease TTL, {@value Codec#MIN_LEASE_TTL_MILLIS}..{@value
   *     Codec#MAX_LEASE_TTL_MILLIS} ms; renewed every third of it. Default {@value
   *     #DEFAULT_LEASE_TTL_MILLIS}.
   */
  public AuthorityKeeper(ActorId holder, Ledger ledger, Scheduler scheduler, long ttlMillis) {
    super("authority@" + holder, scheduler, Duration.ofMillis(Math.max(50, ttlMillis / 3)));
    Check.arg(ttlMillis >= Codec.MIN_LEASE_TTL_MILLIS && ttlMillis <= Codec.MAX_LEASE_TTL_MILLIS,
        "lease TTL must be %d..%d ms, but was %d", Codec.MIN_LEASE_TTL_MILLIS, Codec.MAX_LEASE_TTL_MILLIS, ttlMillis);
    this.holder = Check.notNull(holder, "holder");
    this.ledger = Check.notNull(ledger, "ledger");
    this.ttlMillis = ttlMillis;
    this.subscription = ledger.watch((index, outcome) -> {
      if (outcome instanceof Outcome.AuthorityGranted g) {
        FencingToken mine = token;
        if (mine != null && !g.token().equals(mine) && !g.holder().equals(holder)) {
          stepDown(mine, "epoch " + g.epoch() + " was granted to " + g.holder() + " with token " + g.token());
        }
        kick();
      }
    });
  }

  /** Records promotions and fencing of this keeper as observations of {@code service} in the audit chain. */
  void recordAs(ServiceId service, AzId az) {
    this.auditService = Check.notNull(service, "service");
    this.auditAz = Check.notNull(az, "az");
  }

  /** The controller this keeper holds the lease for. */
  public ActorId holder() {
    return holder;
  }

  /** The lease TTL this keeper asks for, in ms. */
  public long ttlMillis() {
    return ttlMillis;
  }

  /** The token to act under, if this controller holds the authority now. */
  @Override
  public Optional<FencingToken> token() {
    return Optional.ofNullable(token);
  }

  @Override
  public Optional<AuthorityLease> lease() {
    return view.lease();
  }

  /** Called by agents whose command came back STALE_TOKEN: this controller was fenced. */
  @Override
  public void fenced(FencingToken stale) {
    stepDown(stale, "a command under token " + stale + " came back STALE_TOKEN");
  }

  private void stepDown(FencingToken stale, String why) {
    synchronized (this) {
      if (!stale.equals(token)) {
        return;
      }
      token = null;
      fencedNote = holder + " was fenced: " + why + "; its token " + stale + " is superseded. It stands down to"
          + " shadow and asks again only if the lease lapses";
    }
    LOG.warn("{}", fencedNote);
    metrics().count("bulwark_authority_fenced_total", "holder", holder.value());
    kick();
  }

  @Override
  protected void runRound() throws Exception {
    String note = fencedNote;
    if (note != null) {
      fencedNote = null;
      observe(Command.Observation.FENCED, note);
    }
    FencingToken t = token;
    if (t != null) {
      renew(t);
      return;
    }
    LedgerQuery.Overview o = ledger.read(new LedgerQuery.OverviewOf()).get(ttlMillis, TimeUnit.MILLISECONDS);
    long now = scheduler.nanoTime();
    view.update(o.authority(), o.nowMillis(), now);
    Optional<AuthorityLease> l = view.lease();
    if (l.isPresent() && !l.get().holder().equals(holder) && !view.lapsed(now)) {
      wakeAt(view.nanosLeft(now));
      return; // Another controller's lease runs: this one is the shadow and waits for it to lapse.
    }
    acquire(false, l);
  }

  /** Renews the held lease; a refusal means another epoch began, and this keeper stands down. */
  private void renew(FencingToken t) throws Exception {
    Result r = ledger.submit(new Command.RenewAuthority(ttlMillis, t, holder, scheduler.nowMillis()))
        .get(ttlMillis, TimeUnit.MILLISECONDS);
    if (r instanceof Result.Rejected rej) {
      if (rej.code() == RejectCode.STALE_TOKEN || rej.code() == RejectCode.NOT_LEASE_HOLDER) {
        stepDown(t, "its renewal was refused " + rej.code() + " (" + rej.message() + ")");
      } else {
        LOG.warn("{}: renewal rejected: {}", holder, rej.message());
      }
    }
  }

  /**
   * An operator's promotion: takes the lease even while another holder's lease runs, which fences
   * that holder's epoch from this command's log index on. Empty if this keeper holds it already.
   */
  Optional<Result> forceAcquire() throws Exception {
    return exclusive(() -> token != null ? Optional.<Result>empty() : Optional.of(acquire(true, view.lease())));
  }

  private Result acquire(boolean force, Optional<AuthorityLease> before) throws Exception {
    long lapsedNanos = scheduler.nanoTime();
    Result r = ledger.submit(new Command.AcquireAuthority(ttlMillis, force, holder, scheduler.nowMillis()))
        .get(ttlMillis, TimeUnit.MILLISECONDS);
    if (r instanceof Result.Accepted a && a.outcome() instanceof Outcome.AuthorityGranted g) {
      token = g.token();
      How how = before.isEmpty() ? How.FIRST : before.get().holder().equals(holder) ? How.REACQUIRED
          : force ? How.FORCED : How.LAPSED;
      String detail = promotionDetail(how, before, g, lapsedNanos);
      LOG.info("{}", detail);
      metrics().count("bulwark_authority_grants_total", "holder", holder.value(), "how", how.name().toLowerCase(
          java.util.Locale.ROOT));
      if (how == How.LAPSED || how == How.FORCED) {
        metrics().record("bulwark_authority_takeover_ms", (scheduler.nanoTime() - view.seenAtNanos()) / 1e6,
            "holder", holder.value());
        observe(Command.Observation.PROMOTED, detail);
      }
    } else if (r instanceof Result.Rejected rej && rej.code() != RejectCode.LEASE_HELD) {
      LOG.warn("{}: AcquireAuthority rejected: {}", holder, rej.message());
    } else if (r instanceof Result.Rejected rej) {
      // The lease had not lapsed in ledger time yet (this clock runs ahead); the next round asks again.
      LOG.debug("{}: {}", holder, rej.message());
    }
    return r;
  }

  private String promotionDetail(How how, Optional<AuthorityLease> before, Outcome.AuthorityGranted g,
      long askedAtNanos) {
    String now = holder + " holds authority epoch " + g.epoch() + " (token " + g.token() + ")";
    if (before.isEmpty() || how == How.FIRST) {
      return now + ": first grant";
    }
    AuthorityLease old = before.get();
    long sinceSeenMillis = (askedAtNanos - view.seenAtNanos()) / 1_000_000;
    return switch (how) {
      case LAPSED -> String.format("%s: promoted after %d ms; the lease of %s (epoch %s, token %s) lapsed (this"
          + " controller last saw it renewed %d ms before it asked)", now, sinceSeenMillis, old.holder(), old.epoch(),
          old.token(), sinceSeenMillis);
      case FORCED -> String.format("%s: promoted by an operator; epoch %s of %s (token %s) is fenced", now,
          old.epoch(), old.holder(), old.token());
      default -> now + ": re-acquired by the same controller (epoch " + old.epoch() + " fenced)";
    };
  }

  private void wakeAt(long nanosLeft) {
    Scheduler.Cancellable previous = wakeAtLapse;
    if (previous != null) {
      previous.cancel();
    }
    // Ask right after the lapse rather than up to a third of a TTL later: detection ≈ TTL.
    wakeAtLapse = scheduler.schedule(Duration.ofNanos(nanosLeft).plusMillis(ACQUIRE_MARGIN_MILLIS), this::kick);
  }

  private void observe(Command.Observation kind, String detail) {
    ServiceId service = auditService;
    AzId az = auditAz;
    if (service == null || az == null) {
      return;
    }
    String d = detail.length() <= Codec.MAX_REASON_CHARS ? detail : detail.substring(0, Codec.MAX_REASON_CHARS);
    try {
      Result r = ledger.submit(new Command.Observe(service, Optional.empty(), kind, d, az, holder,
          scheduler.nowMillis())).get(LedgerCalls.TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      if (!r.isAccepted()) {
        LOG.warn("{}: {} not recorded: {}", holder, kind, r);
      }
    } catch (Exception e) {
      // The grant itself is in the chain already; this note only explains it.
      LOG.warn("{}: could not record {} in the audit chain: {}", holder, kind, e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    subscription.close();
    Scheduler.Cancellable w = wakeAtLapse;
    if (w != null) {
      w.cancel();
    }
    super.close();
  }
}
