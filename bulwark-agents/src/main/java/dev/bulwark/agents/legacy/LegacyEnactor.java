package dev.bulwark.agents.legacy;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.core.port.Scheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One 2025-style Enactor (see the package comment): takes plans in order, checks once that the next
 * one is newer than the active one, applies it endpoint by endpoint with unconditional updates, declares
 * it active, then cleans up plans more than {@code cleanupGenerations} older, removing the records
 * of any deleted plan that DNS still shows. If the active plan is missing it is stuck for good.
 */
public final class LegacyEnactor implements dev.bulwark.agents.Agent {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyEnactor.class);

  /**
   * Options.
   *
   * @param intervalMillis time between looks for a newer plan
   * @param cleanupGenerations how many generations older than the applied one a plan must be to
   *     be deleted ("significantly older")
   * @param cleanupDelayMillis time between finishing an apply and running clean-up
   * @param ttlSeconds TTL of the written records
   */
  public record Options(long intervalMillis, int cleanupGenerations, long cleanupDelayMillis, int ttlSeconds) {
    public Options {
      Check.arg(intervalMillis >= 10, "intervalMillis must be >= 10");
      Check.arg(cleanupGenerations >= 1, "cleanupGenerations must be >= 1");
      Check.arg(cleanupDelayMillis >= 0, "cleanupDelayMillis must be >= 0");
    }
  }

  private final AzId az;
  private final LegacyPlanStore store;
  private final DnsTarget dns;
  private final Scheduler scheduler;
  private final Options options;
  private long lastApplied;
  private volatile boolean stuck;
  private volatile boolean closed;
  private Scheduler.Cancellable next = () -> { };

  public LegacyEnactor(AzId az, LegacyPlanStore store, DnsTarget dns, Scheduler scheduler, Options options) {
    this.az = Check.notNull(az, "az");
    this.store = Check.notNull(store, "store");
    this.dns = Check.notNull(dns, "dns");
    this.scheduler = Check.notNull(scheduler, "scheduler");
    this.options = Check.notNull(options, "options");
    LOG.warn("LEGACY MODE: Enactor {} reproduces the 2025 design (one-time freshness check, unconditional updates,"
        + " age-based clean-up); for game days only", az);
  }

  public void start() {
    schedule(Duration.ZERO);
  }

  /** True once this Enactor found the active plan missing and can no longer act. */
  public boolean isStuck() {
    return stuck;
  }

  private synchronized void schedule(Duration d) {
    if (!closed) {
      next = scheduler.schedule(d, this::round);
    }
  }

  private void round() {
    try {
      step();
    } catch (RuntimeException e) {
      LOG.warn("legacy enactor {}: {}", az, e.toString());
    }
    schedule(Duration.ofMillis(options.intervalMillis()));
  }

  private void step() {
    if (stuck || closed) {
      return;
    }
    long active = store.activeGeneration();
    if (active != 0 && store.plan(active).isEmpty()) {
      stuck = true;
      LOG.error("legacy enactor {}: INCONSISTENT STATE: the active plan g{} no longer exists; cannot proceed, an"
          + " operator must repair the plan store by hand", az, active);
      return;
    }
    // Plans are taken in order: the next generation after the last one this Enactor applied that
    // still exists (clean-up may have deleted some).
    long g = lastApplied + 1;
    long latest = store.latestGeneration();
    while (g <= latest && store.plan(g).isEmpty()) {
      g++;
    }
    // The one-time freshness check of 2025: done here, long before the last write below lands.
    if (g > latest || g <= active) {
      lastApplied = Math.max(lastApplied, Math.min(latest, active));
      return;
    }
    Optional<Plan> plan = store.plan(g);
    if (plan.isEmpty()) {
      return;
    }
    for (Map.Entry<EndpointName, List<Target>> e : plan.get().endpoints().entrySet()) {
      List<InetAddress> addresses = new ArrayList<>();
      e.getValue().forEach(t -> addresses.add(t.address()));
      applyWithRetries(e.getKey(), addresses, g);
    }
    store.setActive(g);
    lastApplied = g;
    LOG.info("legacy enactor {}: applied g{} and declared it active", az, g);
    long applied = g;
    scheduler.schedule(Duration.ofMillis(options.cleanupDelayMillis()), () -> cleanUp(applied));
  }

  private void applyWithRetries(EndpointName endpoint, List<InetAddress> addresses, long g) {
    Marker marker = new Marker(g, Generation.of(g), FencingToken.NONE);
    for (int attempt = 0; attempt < 3; attempt++) {
      ApplyOutcome out = dns.apply(new ApplyRequest(endpoint, new ApplyRequest.Precondition.Unconditional(),
          addresses, marker, options.ttlSeconds()));
      if (out instanceof ApplyOutcome.Applied) {
        return;
      }
      LOG.warn("legacy enactor {}: update of {} failed ({}); retrying", az, endpoint, out);
    }
  }

  /** Deletes plans "significantly older" than {@code applied}, with the records DNS still shows for them. */
  private void cleanUp(long applied) {
    List<Long> deleted = store.deleteOlderThan(applied - options.cleanupGenerations());
    if (deleted.isEmpty()) {
      return;
    }
    LOG.info("legacy enactor {}: clean-up after g{} deleted plans {}", az, applied, deleted);
    Optional<Plan> any = store.plan(applied);
    if (any.isEmpty()) {
      return;
    }
    for (EndpointName endpoint : any.get().endpoints().keySet()) {
      ReadOutcome r = dns.read(endpoint);
      if (!(r instanceof ReadOutcome.Read read)) {
        continue;
      }
      PublishedState s = read.state();
      Optional<Marker> m = s.marker();
      if (m.isPresent() && deleted.contains(m.get().generation().value())) {
        LOG.warn("legacy enactor {}: removing the records of deleted plan g{} from {}", az,
            m.get().generation().value(), endpoint);
        dns.apply(new ApplyRequest(endpoint, new ApplyRequest.Precondition.Unconditional(), List.of(), m.get(),
            options.ttlSeconds()));
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    next.cancel();
  }
}
