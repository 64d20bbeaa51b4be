package dev.bulwark.chaos.inject;

import dev.bulwark.agents.Agent;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.agents.legacy.LegacyPlanStore;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.HealthSource;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Legacy mode's planner, as minimal as the 2025 one: every {@code intervalMillis} it looks at one
 * AZ's health view and, when the healthy targets of a service differ from the last plan it wrote,
 * adds a new plan (generation) to the {@link LegacyPlanStore}. No quorum, no fail-static, no
 * budget; it only refuses to write an endpoint with no target at all. For game days only.
 */
public final class LegacyPlanner implements Agent {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyPlanner.class);

  private final List<ServiceTopology> topologies;
  private final HealthSource health;
  private final LegacyPlanStore store;
  private final Scheduler scheduler;
  private final long intervalMillis;
  private final Map<String, Plan> lastWritten = new HashMap<>();
  private volatile boolean closed;
  private Scheduler.Cancellable next = () -> { };

  /** A planner writing plans for {@code topologies} into {@code store} from {@code health}. */
  public LegacyPlanner(List<ServiceTopology> topologies, HealthSource health, LegacyPlanStore store,
      Scheduler scheduler, long intervalMillis) {
    this.topologies = List.copyOf(topologies);
    this.health = Check.notNull(health, "health");
    this.store = Check.notNull(store, "store");
    this.scheduler = Check.notNull(scheduler, "scheduler");
    Check.arg(intervalMillis >= 10, "intervalMillis must be >= 10, but was %d", intervalMillis);
    this.intervalMillis = intervalMillis;
    LOG.warn("LEGACY MODE: the 2025-style planner writes plans with no quorum and no guard; for game days only");
  }

  @Override
  public void start() {
    schedule(Duration.ZERO);
  }

  private synchronized void schedule(Duration d) {
    if (!closed) {
      next = scheduler.schedule(d, this::round);
    }
  }

  private void round() {
    try {
      Map<java.net.InetAddress, Boolean> healthy = new HashMap<>();
      health.snapshot().forEach((t, h) -> healthy.put(t.address(), h.healthy()));
      for (ServiceTopology topo : topologies) {
        Map<EndpointName, List<Target>> desired = new LinkedHashMap<>();
        boolean complete = true;
        for (Map.Entry<EndpointName, List<Target>> e : topo.candidates().entrySet()) {
          List<Target> up = new ArrayList<>();
          e.getValue().forEach(t -> {
            if (healthy.getOrDefault(t.address(), true)) {
              up.add(t);
            }
          });
          complete &= !up.isEmpty();
          desired.put(e.getKey(), up);
        }
        if (!complete) {
          continue;
        }
        Plan plan = Plan.of(topo.service(), desired);
        if (!plan.equals(lastWritten.get(topo.service().value()))) {
          long g = store.add(plan);
          lastWritten.put(topo.service().value(), plan);
          LOG.info("legacy planner: wrote g{} for {} ({} targets)", g, topo.service(), plan.targetCount());
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("legacy planner: {}", e.toString());
    }
    schedule(Duration.ofMillis(intervalMillis));
  }

  @Override
  public synchronized void close() {
    closed = true;
    next.cancel();
  }
}
