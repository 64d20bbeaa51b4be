package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.Codec;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.HealthSource;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.Metrics;
import dev.bulwark.core.port.Scheduler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller candidate: an {@link AuthorityKeeper}, the Planner, Janitor and Auditor that act
 * under its token, and a {@link ShadowController} that compares in dry-run while it has none. The
 * same class is the primary and the shadow; the ledger's lease decides which it is right now.
 * {@code bulwark up} runs two (a primary and a shadow, in different AZs); {@code bulwark node}
 * runs one per node, a shadow until it holds the lease. Validators and Enactors are per AZ, not
 * per controller: they follow the lease with a {@link LeaseFollower}.
 *
 * <pre>
 *   NEW ──start()──► SHADOW ◄──(lease granted / fenced)──► PRIMARY
 *                      └───────────close()──────────────────┘──► STOPPED
 * </pre>
 *
 * <p>Promotion is automatic when the primary's lease lapses (detection about one TTL after its last
 * renewal), or {@link #promote by an operator} (a forced grant that fences the old epoch). A primary
 * that was paused or partitioned and comes back is refused (STALE_TOKEN or NOT_LEASE_HOLDER),
 * logs and records that it was fenced, and carries on as the shadow. Every step is in the audit
 * chain: the request, the grant with the epoch it fenced, the {@code PROMOTED} and {@code FENCED}
 * observations, and the new holder's first fenced command.
 */
public final class Controller implements Agent {
  private static final Logger LOG = LoggerFactory.getLogger(Controller.class);

  /** What a controller is doing now. */
  public enum Role {
    /** Holds no token: compares in dry-run and waits for the lease to lapse. */
    SHADOW,
    /** Holds the authority: its Planner, Janitor and Auditor act. */
    PRIMARY,
    /** Closed; does nothing any more. */
    STOPPED
  }

  /** How an operator's promotion request ended. */
  public enum PromotionStatus {
    /** This controller now holds a new epoch; the previous one is fenced. */
    PROMOTED,
    /** This controller held the authority already; nothing changed. */
    ALREADY_PRIMARY,
    /** The ledger refused the grant; the message says why. */
    REFUSED,
    /** The ledger could not be reached in time; try again. */
    UNAVAILABLE
  }

  /**
   * The answer to {@link #promote}.
   *
   * @param message what happened, for the operator (the ledger's detail or refusal)
   */
  public record Promotion(PromotionStatus status, String message) {
    public Promotion {
      Check.notNull(status, "status");
      Check.notNull(message, "message");
    }
  }

  private final ActorId identity;
  private final AzId az;
  private final ServiceId auditService;
  private final PauseGate gate;
  private final LedgerCalls calls;
  private final AuthorityKeeper keeper;
  private final Planner planner;
  private final Janitor janitor;
  private final Auditor auditor;
  private final ShadowController shadow;
  private final List<LoopAgent> agents;
  private final Scheduler scheduler;
  private volatile boolean closed;

  private Controller(Builder b) {
    this.identity = b.identity;
    this.az = b.az;
    this.scheduler = b.scheduler;
    this.gate = b.gate;
    this.auditService = b.topologies.get(0).service();
    Ledger ledger = gate.wrap(b.ledger);
    DnsTarget dns = gate.wrap(b.dns);
    this.keeper = new AuthorityKeeper(identity, ledger, scheduler, b.leaseTtlMillis);
    keeper.recordAs(auditService, az);
    this.calls = new LedgerCalls(ledger, keeper, keeper::metrics);
    this.planner = new Planner(ActorId.of("planner@" + az), b.topologies, b.health, ledger, keeper, scheduler,
        b.planner);
    this.janitor = new Janitor(ActorId.of("janitor@" + az), b.topologies.stream().map(ServiceTopology::service)
        .toList(), ledger, keeper, scheduler, b.janitor);
    this.auditor = new Auditor(az, b.topologies, dns, ledger, keeper, scheduler, b.auditorIntervalMillis);
    this.shadow = new ShadowController(ActorId.of("shadow@" + az), b.topologies, b.health, dns, ledger, keeper,
        scheduler, b.planner, b.shadow);
    this.agents = List.of(keeper, planner, janitor, auditor, shadow);
  }

  /**
   * Starts building a controller candidate.
   *
   * @param identity the lease holder's name in the audit chain, e.g. {@code controller@az-a}
   * @param az the AZ it runs in: its health view, and the name of its agents ({@code planner@az-a})
   * @param ledger this AZ's ledger client
   * @param dns the DNS server, for the Auditor's repairs and the shadow's reads
   * @param health this AZ's health view
   */
  public static Builder builder(ActorId identity, AzId az, Ledger ledger, DnsTarget dns, HealthSource health,
      List<ServiceTopology> topologies, Scheduler scheduler) {
    return new Builder(identity, az, ledger, dns, health, topologies, scheduler);
  }

  /** Options of a controller; every one has a documented default. */
  public static final class Builder {
    private final ActorId identity;
    private final AzId az;
    private final Ledger ledger;
    private final DnsTarget dns;
    private final HealthSource health;
    private final List<ServiceTopology> topologies;
    private final Scheduler scheduler;
    private long leaseTtlMillis = AuthorityKeeper.DEFAULT_LEASE_TTL_MILLIS;
    private Planner.Options planner = Planner.Options.DEFAULT;
    private Janitor.Options janitor = Janitor.Options.DEFAULT;
    private long auditorIntervalMillis = Auditor.DEFAULT_INTERVAL_MILLIS;
    private ShadowController.Options shadow = ShadowController.Options.DEFAULT;
    private PauseGate gate = new PauseGate();

    private Builder(ActorId identity, AzId az, Ledger ledger, DnsTarget dns, HealthSource health,
        List<ServiceTopology> topologies, Scheduler scheduler) {
      this.identity = Check.notNull(identity, "identity");
      this.az = Check.notNull(az, "az");
      this.ledger = Check.notNull(ledger, "ledger");
      this.dns = Check.notNull(dns, "dns");
      this.health = Check.notNull(health, "health");
      this.topologies = List.copyOf(topologies);
      Check.arg(!this.topologies.isEmpty(), "a controller needs at least one service");
      this.scheduler = Check.notNull(scheduler, "scheduler");
    }

    /** Authority lease TTL in ms. Default {@value AuthorityKeeper#DEFAULT_LEASE_TTL_MILLIS}; renewed every third. */
    public Builder leaseTtlMillis(long ttlMillis) {
      Check.arg(ttlMillis >= Codec.MIN_LEASE_TTL_MILLIS && ttlMillis <= Codec.MAX_LEASE_TTL_MILLIS,
          "leaseTtlMillis must be %d..%d, but was %d", Codec.MIN_LEASE_TTL_MILLIS, Codec.MAX_LEASE_TTL_MILLIS,
          ttlMillis);
      this.leaseTtlMillis = ttlMillis;
      return this;
    }

    /** Planner options, used by the Planner and by the shadow's dry-run alike. Default {@link Planner.Options#DEFAULT}. */
    public Builder planner(Planner.Options options) {
      this.planner = Check.notNull(options, "planner");
      return this;
    }

    /** Janitor options. Default {@link Janitor.Options#DEFAULT}. */
    public Builder janitor(Janitor.Options options) {
      this.janitor = Check.notNull(options, "janitor");
      return this;
    }

    /** Auditor round interval in ms. Default {@value Auditor#DEFAULT_INTERVAL_MILLIS}. */
    public Builder auditorIntervalMillis(long intervalMillis) {
      Check.arg(intervalMillis >= 10 && intervalMillis <= 600_000,
          "auditorIntervalMillis must be 10..600000, but was %d", intervalMillis);
      this.auditorIntervalMillis = intervalMillis;
      return this;
    }

    /** Shadow options. Default {@link ShadowController.Options#DEFAULT}. */
    public Builder shadow(ShadowController.Options options) {
      this.shadow = Check.notNull(options, "shadow");
      return this;
    }

    /**
     * The freeze switch of {@link #pause()}; pass a shared one to freeze this node's other agents
     * (its Enactor's ledger and DNS clients) with the controller. Default: a gate of its own.
     */
    public Builder gate(PauseGate gate) {
      this.gate = Check.notNull(gate, "gate");
      return this;
    }

    /** Builds the controller (not started). */
    public Controller build() {
      return new Controller(this);
    }
  }

  /** The lease holder name this controller acts as. */
  public ActorId identity() {
    return identity;
  }

  /** PRIMARY while it holds the authority's token, SHADOW otherwise, STOPPED once closed. */
  public Role role() {
    if (closed) {
      return Role.STOPPED;
    }
    return keeper.token().isPresent() ? Role.PRIMARY : Role.SHADOW;
  }

  /** This controller's authority (its keeper): the token, and the lease as it last saw it. */
  public Authority authority() {
    return keeper;
  }

  /** The shadow's latest comparisons (empty while this controller is the primary). */
  public ShadowController shadow() {
    return shadow;
  }

  /** This controller's Planner (for its fail-static state). */
  public Planner planner() {
    return planner;
  }

  /** The freeze switch of {@link #pause()}. */
  public PauseGate gate() {
    return gate;
  }

  @Override
  public void setMetrics(Metrics metrics) {
    agents.forEach(a -> a.setMetrics(metrics));
  }

  /** Starts the keeper first, so the first rounds of the other agents already know the role. */
  @Override
  public void start() {
    agents.forEach(LoopAgent::start);
    LOG.info("controller {} in {} started (lease TTL {} ms, renewed every {} ms)", identity, az,
        keeper.ttlMillis(), Math.max(50, keeper.ttlMillis() / 3));
  }

  /**
   * Freezes the controller, like SIGSTOP, for tests and game days: its ledger and DNS calls wait at
   * the gate, so it neither renews its lease nor acts, and resumes with whatever stale state it had.
   */
  public void pause() {
    LOG.warn("controller {} is paused (frozen) by request", identity);
    gate.pause();
  }

  /** Thaws a paused controller; if it was superseded meanwhile, it finds itself fenced. */
  public void resume() {
    LOG.warn("controller {} resumes", identity);
    gate.resume();
  }

  /**
   * An operator's promotion of this controller, for {@code POST /api/v1/authority/promote} (approver
   * role): records the request with its reason, then takes the lease by force, which fences the
   * current holder's epoch from that log index on. Blocks for up to about two ledger timeouts.
   *
   * @param operator who asks, e.g. {@code operator:alice}
   * @param reason why, 1..{@value Codec#MAX_REASON_CHARS} characters; recorded in the audit chain
   * @throws IllegalStateException if this controller is stopped or paused
   */
  public Promotion promote(ActorId operator, String reason) throws InterruptedException {
    Check.notNull(operator, "operator");
    Check.arg(reason != null && !reason.isBlank() && reason.length() <= Codec.MAX_REASON_CHARS,
        "a promotion needs a reason of 1..%d characters, but was '%s'", Codec.MAX_REASON_CHARS, reason);
    Check.state(!closed, "controller %s is stopped; promote a running one", identity);
    Check.state(!gate.paused(), "controller %s is paused; resume it before promoting it", identity);
    if (keeper.token().isPresent()) {
      return new Promotion(PromotionStatus.ALREADY_PRIMARY, identity + " holds the authority already");
    }
    try {
      String holder = keeper.lease().map(l -> l.holder() + " (epoch " + l.epoch() + ")").orElse("nobody");
      Result asked = calls.observe(auditService, Optional.empty(), Command.Observation.PROMOTION_REQUESTED,
          operator + " promotes " + identity + " over " + holder + ": " + reason, az, operator,
          scheduler.nowMillis());
      if (!asked.isAccepted()) {
        return new Promotion(PromotionStatus.REFUSED, "the request could not be recorded: " + asked);
      }
      Optional<Result> r = keeper.forceAcquire();
      if (r.isEmpty()) {
        return new Promotion(PromotionStatus.ALREADY_PRIMARY, identity + " holds the authority already");
      }
      if (r.get() instanceof Result.Accepted a && a.outcome() instanceof Outcome.AuthorityGranted g) {
        return new Promotion(PromotionStatus.PROMOTED, identity + " holds epoch " + g.epoch() + " (token "
            + g.token() + "); " + holder + " is fenced");
      }
      return new Promotion(PromotionStatus.REFUSED, String.valueOf(r.get()));
    } catch (ExecutionException | TimeoutException e) {
      return new Promotion(PromotionStatus.UNAVAILABLE, "the ledger did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return new Promotion(PromotionStatus.UNAVAILABLE, "the promotion failed: " + e);
    }
  }

  /**
   * Stops abruptly, as a killed process would: nothing is handed over, so the lease lapses after
   * its TTL and a shadow takes over. Calls frozen at the gate fail.
   */
  @Override
  public void close() {
    closed = true;
    gate.close();
    for (int i = agents.size() - 1; i >= 0; i--) {
      agents.get(i).close();
    }
    LOG.warn("controller {} stopped", identity);
  }
}
