package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsFailure;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.core.port.Scheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AZ's Enactor: follows the pointer (a ledger notification wakes it; a slow resync catches
 * anything missed) and publishes each endpoint of the active plan with the DNS compare-and-swap.
 *
 * <p>It reads the endpoint's marker, and skips the endpoint if DNS already shows this pointer
 * version or a newer one: it never applies a lower version (I2). Otherwise it sends one update
 * whose precondition is "the marker is exactly what I read" (I3 at the storage layer). If another
 * writer got there first, the server refuses atomically and the Enactor re-decides from what is
 * there now; it never blindly retries. What it published it reports to the ledger.
 *
 * <p>Velocity limits: a token bucket per AZ ({@code bucketCapacity}, refilled at {@code
 * refillPerSecond}) and a minimum interval per endpoint; rounds are jittered so the Enactors of
 * three AZs do not act in lockstep.
 */
public final class Enactor extends LoopAgent {
  private static final Logger LOG = LoggerFactory.getLogger(Enactor.class);

  /**
   * Enactor options.
   *
   * @param resyncIntervalMillis time between rounds without a notification. Default {@value
   *     #DEFAULT_RESYNC_INTERVAL_MILLIS}.
   * @param bucketCapacity DNS updates this AZ may burst. Default {@value #DEFAULT_BUCKET_CAPACITY}.
   * @param refillPerSecond sustained DNS updates per second. Default {@value
   *     #DEFAULT_REFILL_PER_SECOND}.
   * @param minEndpointIntervalMillis least time between two updates of one endpoint. Default
   *     {@value #DEFAULT_MIN_ENDPOINT_INTERVAL_MILLIS}.
   */
  public record Options(long resyncIntervalMillis, int bucketCapacity, double refillPerSecond,
      long minEndpointIntervalMillis) {
    public static final long DEFAULT_RESYNC_INTERVAL_MILLIS = 2_000;
    public static final int DEFAULT_BUCKET_CAPACITY = 20;
    public static final double DEFAULT_REFILL_PER_SECOND = 10;
    public static final long DEFAULT_MIN_ENDPOINT_INTERVAL_MILLIS = 200;
    public static final Options DEFAULT = new Options(DEFAULT_RESYNC_INTERVAL_MILLIS, DEFAULT_BUCKET_CAPACITY,
        DEFAULT_REFILL_PER_SECOND, DEFAULT_MIN_ENDPOINT_INTERVAL_MILLIS);

    public Options {
      Check.arg(resyncIntervalMillis >= 10 && resyncIntervalMillis <= 600_000,
          "resyncIntervalMillis must be 10..600000, but was %d", resyncIntervalMillis);
      Check.arg(bucketCapacity >= 1 && bucketCapacity <= 100_000, "bucketCapacity must be 1..100000, but was %d",
          bucketCapacity);
      Check.arg(refillPerSecond > 0 && refillPerSecond <= 100_000, "refillPerSecond must be in (0, 100000], but was %s",
          refillPerSecond);
      Check.arg(minEndpointIntervalMillis >= 0 && minEndpointIntervalMillis <= 600_000,
          "minEndpointIntervalMillis must be 0..600000, but was %d", minEndpointIntervalMillis);
    }
  }

  /** How many times one round re-decides an endpoint after losing a compare-and-swap. */
  static final int MAX_REDECISIONS = 3;

  private final AzId az;
  private final ActorId actor;
  private final List<ServiceTopology> topologies;
  private final DnsTarget dns;
  private final LedgerCalls ledger;
  private final Authority authority;
  private final Options options;
  private final Map<EndpointName, Long> lastWriteNanos = new HashMap<>();
  private final Ledger.Subscription subscription;
  private double tokens;
  /** Reported once per outage, not once per round. */
  private boolean dnsHealthy = true;
  private long refilledAtNanos;

  public Enactor(AzId az, List<ServiceTopology> topologies, DnsTarget dns, Ledger ledger, Authority authority,
      Scheduler scheduler, Options options) {
    super("enactor@" + az, scheduler, Duration.ofMillis(options.resyncIntervalMillis()));
    this.az = Check.notNull(az, "az");
    this.actor = ActorId.of("enactor@" + az);
    this.topologies = List.copyOf(topologies);
    this.dns = Check.notNull(dns, "dns");
    this.ledger = new LedgerCalls(ledger, authority, this::metrics);
    this.authority = Check.notNull(authority, "authority");
    this.options = Check.notNull(options, "options");
    this.tokens = options.bucketCapacity();
    this.refilledAtNanos = scheduler.nanoTime();
    this.subscription = ledger.watch((index, outcome) -> {
      if (outcome instanceof Outcome.PointerAdvanced || outcome instanceof Outcome.RolledBack
          || outcome instanceof Outcome.PauseChanged) {
        kick();
      }
    });
  }

  @Override
  protected void runRound() throws Exception {
    refill(); // Also keeps the bucket gauge current while nothing is written.
    Optional<FencingToken> token = authority.token();
    if (token.isEmpty() || ledger.read(new LedgerQuery.AzPaused(az))) {
      return;
    }
    int failures = 0;
    for (ServiceTopology topo : topologies) {
      if (ledger.read(new LedgerQuery.ControlsOf(topo.service())).paused()) {
        continue;
      }
      Pointer pointer = ledger.read(new LedgerQuery.PointerOf(topo.service()));
      if (pointer.version() == 0) {
        continue;
      }
      Optional<Plan> plan = ledger.read(new LedgerQuery.PlanOf(topo.service(), pointer.generation()))
          .flatMap(StoredPlan::content);
      if (plan.isEmpty()) {
        continue;
      }
      for (Map.Entry<EndpointName, List<Target>> e : plan.get().endpoints().entrySet()) {
        if (!publish(topo, pointer, e.getKey(), e.getValue(), token.get())) {
          failures++;
        }
      }
    }
    if (failures > 0) {
      throw new IllegalStateException(failures + " endpoint(s) could not be published this round");
    }
  }

  /** Publishes one endpoint if DNS is behind the pointer; false if it could not (retry later). */
  private boolean publish(ServiceTopology topo, Pointer pointer, EndpointName endpoint, List<Target> targets,
      FencingToken token) throws Exception {
    ReadOutcome read = dns.read(endpoint);
    if (read instanceof ReadOutcome.Failed f) {
      LOG.warn("{}: can't read {}: {}", az, endpoint, f.failure());
      metrics().count("bulwark_dns_read_failures_total", "az", az.value(), "kind", f.failure().kind().name());
      if (dnsHealthy) {
        dnsHealthy = false;
        observe(topo, endpoint, Command.Observation.DNS_UNAVAILABLE, f.failure().kind() + ": " + f.failure().detail());
      }
      return false;
    }
    dnsHealthy = true;
    PublishedState state = ((ReadOutcome.Read) read).state();
    for (int attempt = 0; attempt <= MAX_REDECISIONS; attempt++) {
      Optional<Marker> marker = state.marker();
      if (marker.isPresent() && marker.get().version() >= pointer.version()) {
        return true; // Already published (by this or another AZ's Enactor); never go lower (I2).
      }
      if (!mayWrite(endpoint)) {
        metrics().count("bulwark_velocity_limited_total", "az", az.value());
        kickLater();
        return true;
      }
      List<InetAddress> addresses = new ArrayList<>();
      targets.forEach(t -> addresses.add(t.address()));
      ApplyRequest.Precondition pre = state.rawMarker().<ApplyRequest.Precondition>map(ApplyRequest.Precondition.MarkerEquals::new)
          .orElse(new ApplyRequest.Precondition.MarkerAbsent());
      long started = scheduler.nanoTime();
      ApplyOutcome out = dns.apply(new ApplyRequest(endpoint, pre, addresses,
          new Marker(pointer.version(), pointer.generation(), token), topo.ttlSeconds()));
      metrics().record("bulwark_dns_apply_latency_ms", (scheduler.nanoTime() - started) / 1e6, "az", az.value());
      metrics().count("bulwark_dns_updates_total", "az", az.value(), "outcome", outcomeName(out));
      if (out instanceof ApplyOutcome.Applied) {
        Result r = ledger.submit(new Command.RecordApplied(topo.service(), endpoint, pointer.version(),
            pointer.generation(), az, token, actor, scheduler.nowMillis()));
        LOG.info("{}: published {} as v{}/{} ({} targets){}", az, endpoint, pointer.version(), pointer.generation(),
            addresses.size(), r.isAccepted() ? "" : "; report not recorded: " + r);
        return true;
      }
      if (out instanceof ApplyOutcome.PreconditionFailed pf) {
        LOG.info("{}: lost the compare-and-swap on {} ({}); re-deciding from what DNS shows now", az, endpoint,
            pf.rcode());
        observe(topo, endpoint, Command.Observation.STALE_WRITE_REFUSED, String.format(
            "DNS refused a write of v%d/%s (%s): it expected marker '%s', but DNS shows '%s'", pointer.version(),
            pointer.generation(), pf.rcode(), state.rawMarker().orElse("(none)"),
            pf.current().rawMarker().orElse("(none)")));
        state = pf.current();
        continue;
      }
      DnsFailure failure = ((ApplyOutcome.Failed) out).failure();
      LOG.warn("{}: update of {} failed: {}", az, endpoint, failure);
      if (dnsHealthy) {
        dnsHealthy = false;
        observe(topo, endpoint, Command.Observation.DNS_UNAVAILABLE, "update refused or failed: " + failure.kind() + ": "
            + failure.detail());
      }
      return false;
    }
    return false;
  }

  private void observe(ServiceTopology topo, EndpointName endpoint, Command.Observation kind, String detail)
      throws Exception {
    ledger.observe(topo.service(), Optional.of(endpoint), kind, detail, az, actor, scheduler.nowMillis());
  }

  private static String outcomeName(ApplyOutcome out) {
    if (out instanceof ApplyOutcome.Applied) {
      return "applied";
    }
    if (out instanceof ApplyOutcome.PreconditionFailed) {
      return "precondition_failed";
    }
    return ((ApplyOutcome.Failed) out).failure().kind().name().toLowerCase(java.util.Locale.ROOT);
  }

  private boolean mayWrite(EndpointName endpoint) {
    long now = scheduler.nanoTime();
    Long last = lastWriteNanos.get(endpoint);
    if (last != null && now - last < options.minEndpointIntervalMillis() * 1_000_000L) {
      return false;
    }
    refill();
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    metrics().gauge("bulwark_enactor_bucket_tokens", tokens, "az", az.value());
    lastWriteNanos.put(endpoint, now);
    return true;
  }

  /** Adds the tokens earned since the last refill (up to the capacity) and reports the level. */
  private void refill() {
    long now = scheduler.nanoTime();
    tokens = Math.min(options.bucketCapacity(), tokens + (now - refilledAtNanos) / 1e9 * options.refillPerSecond());
    refilledAtNanos = now;
    metrics().gauge("bulwark_enactor_bucket_tokens", tokens, "az", az.value());
  }

  private void kickLater() {
    scheduler.schedule(Duration.ofMillis(Math.max(10, options.minEndpointIntervalMillis())), this::kick);
  }

  @Override
  public void close() {
    subscription.close();
    super.close();
  }
}
