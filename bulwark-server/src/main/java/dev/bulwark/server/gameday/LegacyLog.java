package dev.bulwark.server.gameday;

import dev.bulwark.agents.legacy.LegacyEnactor;
import dev.bulwark.agents.legacy.LegacyPlanStore;
import dev.bulwark.chaos.GameDayTarget.ControlEvent;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one can see of the 2025 design from outside, as control events. The design
 * keeps no audit chain, so this watches the plan stores and Enactors every {@value #POLL_MILLIS} ms
 * and records plans added ({@code PLAN_ADDED}), plans declared active ({@code PLAN_ACTIVATED}, or
 * {@code STALE_PLAN_ACTIVATED} when an older plan overwrote a newer one), the active plan deleted
 * ({@code ACTIVE_PLAN_DELETED}) and Enactors stuck ({@code AUTOMATION_STUCK}).
 */
final class LegacyLog implements AutoCloseable {
  static final long POLL_MILLIS = 20;

  private final Scheduler scheduler;
  private final Map<ServiceId, LegacyPlanStore> stores;
  private final List<LegacyEnactor> enactors;
  private final List<ServiceId> enactorServices;
  private final List<ControlEvent> events = new ArrayList<>();
  private final Map<ServiceId, Long> latestSeen = new HashMap<>();
  private final Map<ServiceId, Long> activeSeen = new HashMap<>();
  private final Set<String> reported = new HashSet<>();
  private volatile boolean closed;

  /** {@code enactorServices.get(i)} is the service whose plans {@code enactors.get(i)} applies. */
  LegacyLog(Scheduler scheduler, Map<ServiceId, LegacyPlanStore> stores, List<LegacyEnactor> enactors,
      List<ServiceId> enactorServices) {
    this.scheduler = scheduler;
    this.stores = stores;
    this.enactors = enactors;
    this.enactorServices = enactorServices;
  }

  void start() {
    scheduler.schedule(Duration.ZERO, this::poll);
  }

  private void poll() {
    if (closed) {
      return;
    }
    synchronized (this) {
      for (var e : stores.entrySet()) {
        ServiceId s = e.getKey();
        LegacyPlanStore store = e.getValue();
        long latest = store.latestGeneration();
        for (long g = latestSeen.getOrDefault(s, 0L) + 1; g <= latest; g++) {
          add("legacy-planner", "AddPlan", s + "/g" + g, "PLAN_ADDED", "a new plan, generation " + g);
        }
        latestSeen.put(s, latest);
        long active = store.activeGeneration();
        long before = activeSeen.getOrDefault(s, 0L);
        if (active != before) {
          if (active < before) {
            add("legacy-enactor", "SetActive", s + "/g" + active, "STALE_PLAN_ACTIVATED", "g" + active
                + " was declared active over the newer g" + before + ": the last writer wins, whatever it wrote");
          } else {
            add("legacy-enactor", "SetActive", s + "/g" + active, "PLAN_ACTIVATED", "g" + active + " declared active");
          }
          activeSeen.put(s, active);
        }
        if (active != 0 && store.plan(active).isEmpty() && reported.add(s + "/deleted/" + active)) {
          add("legacy-enactor", "CleanUp", s + "/g" + active, "ACTIVE_PLAN_DELETED", "clean-up deleted g" + active
              + ", the active plan, and removed its records from DNS");
        }
      }
      for (int i = 0; i < enactors.size(); i++) {
        if (enactors.get(i).isStuck() && reported.add("stuck/" + i)) {
          add("legacy-enactor#" + i, "Apply", enactorServices.get(i).value(), "AUTOMATION_STUCK", "the active plan is missing; this"
              + " Enactor can't proceed until an operator repairs the plan store by hand");
        }
      }
    }
    scheduler.schedule(Duration.ofMillis(POLL_MILLIS), this::poll);
  }

  private void add(String actor, String action, String subject, String code, String detail) {
    events.add(new ControlEvent(events.size(), scheduler.nowMillis(), actor, action, subject, true, code, detail));
  }

  synchronized List<ControlEvent> events(long fromId, int limit) {
    if (fromId >= events.size()) {
      return List.of();
    }
    return List.copyOf(events.subList((int) fromId, (int) Math.min(events.size(), fromId + (long) limit)));
  }

  /** The plan store's broken invariant, if any: the active plan must exist (I4). */
  Optional<String> violation() {
    for (var e : stores.entrySet()) {
      long active = e.getValue().activeGeneration();
      if (active != 0 && e.getValue().plan(active).isEmpty()) {
        return Optional.of(e.getKey() + ": the active plan g" + active + " was deleted (I4); the plan store is"
            + " inconsistent");
      }
    }
    return Optional.empty();
  }

  /** What the legacy design means to publish for an endpoint: its newest plan. */
  Optional<EmbeddedGameDayTarget.Intent> intent(ServiceId service, EndpointName endpoint) {
    LegacyPlanStore store = stores.get(service);
    if (store == null || store.latestGeneration() == 0) {
      return Optional.empty();
    }
    long g = store.latestGeneration();
    Optional<Plan> plan = store.plan(g);
    return plan.map(p -> new EmbeddedGameDayTarget.Intent(EmbeddedGameDayTarget.addresses(p, endpoint), g));
  }

  @Override
  public void close() {
    closed = true;
  }
}
