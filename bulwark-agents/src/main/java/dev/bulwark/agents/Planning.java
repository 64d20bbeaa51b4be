package dev.bulwark.agents;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.HealthSource;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Planner's decision as a pure function of one health view, the active plan and the time: the
 * {@link Planner} acts on it, and the {@link ShadowController} computes the same decision in
 * dry-run to compare it with what the primary did. One function, so the two can only differ in
 * their inputs (a health view, a clock), never in their logic.
 */
final class Planning {
  private Planning() {}

  /** What the Planner decides for one service. */
  sealed interface Decision {
    /** Health changed less than the debounce ago: no opinion yet. */
    record Settling(long lastChangeMillis) implements Decision {}

    /** Too many targets look unhealthy at once: keep last-known-good and page (I6). */
    record FailStatic(long down, int total) implements Decision {}

    /** A decision taken on a settled, trusted health view: {@code down} of {@code total} targets unhealthy. */
    sealed interface Judged extends Decision {
      long down();

      int total();
    }

    /** The active plan already publishes what health asks for. */
    record Keep(long down, int total) implements Judged {}

    /**
     * A new plan is needed. {@code keptForI1} names the endpoints with no healthy candidate, which
     * keep their current targets rather than publish nothing (I1).
     */
    record Propose(Plan plan, long down, int total, long lastChangeMillis, Map<EndpointName, List<Target>> keptForI1)
        implements Judged {}
  }

  /** The addresses that look unhealthy in one health view. */
  static Set<InetAddress> unhealthy(Map<Target, HealthSource.Health> health) {
    Set<InetAddress> out = new HashSet<>();
    health.forEach((t, h) -> {
      if (!h.healthy()) {
        out.add(t.address());
      }
    });
    return out;
  }

  /** Decides for {@code topo} from {@code health} (one AZ's view) and the active plan, if any. */
  static Decision decide(ServiceTopology topo, Map<Target, HealthSource.Health> health, Optional<Plan> active,
      long nowMillis, Planner.Options options) {
    Set<InetAddress> unhealthy = unhealthy(health);
    long lastChange = 0;
    for (HealthSource.Health h : health.values()) {
      lastChange = Math.max(lastChange, h.sinceMillis());
    }
    if (nowMillis - lastChange < options.debounceMillis()) {
      return new Decision.Settling(lastChange);
    }
    List<Target> all = topo.allTargets();
    long down = all.stream().filter(t -> unhealthy.contains(t.address())).count();
    if (down * 100 > (long) options.failStaticPercent() * all.size()) {
      return new Decision.FailStatic(down, all.size());
    }
    Map<EndpointName, List<Target>> desired = new LinkedHashMap<>();
    Map<EndpointName, List<Target>> kept = new LinkedHashMap<>();
    for (Map.Entry<EndpointName, List<Target>> e : topo.candidates().entrySet()) {
      List<Target> healthy = new ArrayList<>();
      for (Target t : e.getValue()) {
        if (!unhealthy.contains(t.address())) {
          healthy.add(t);
        }
      }
      if (healthy.isEmpty()) {
        List<Target> keep = active.map(p -> p.targets(e.getKey())).orElse(List.of());
        healthy = keep.isEmpty() ? e.getValue() : keep;
        kept.put(e.getKey(), healthy);
      }
      desired.put(e.getKey(), healthy);
    }
    Plan plan = Plan.of(topo.service(), desired);
    if (active.isPresent() && active.get().contentHash().equals(plan.contentHash())) {
      return new Decision.Keep(down, all.size());
    }
    return new Decision.Propose(plan, down, all.size(), lastChange, kept);
  }
}
