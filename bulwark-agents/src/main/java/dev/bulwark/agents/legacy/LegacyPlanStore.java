package dev.bulwark.agents.legacy;

import dev.bulwark.core.Check;
import dev.bulwark.core.Plan;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 2025 plan store: numbered plans and an "active" generation that anyone may overwrite, with no
 * compare-and-set, no quorum, no fencing and deletion by age. Thread-safe, and unsafe by design.
 */
public final class LegacyPlanStore {
  private static final Logger LOG = LoggerFactory.getLogger(LegacyPlanStore.class);

  private final TreeMap<Long, Plan> plans = new TreeMap<>();
  private long latest;
  private long active;

  public LegacyPlanStore() {
    LOG.warn("LEGACY MODE: the 2025 plan store (no compare-and-set, no quorum, deletion by age) is in use;"
        + " this is for game days only and can empty an endpoint");
  }

  /** Adds a plan as the next generation and returns it. */
  public synchronized long add(Plan plan) {
    Check.notNull(plan, "plan");
    plans.put(++latest, plan);
    return latest;
  }

  public synchronized long latestGeneration() {
    return latest;
  }

  public synchronized Optional<Plan> plan(long generation) {
    return Optional.ofNullable(plans.get(generation));
  }

  /** The generation the last Enactor to finish declared active (0 if none): last writer wins. */
  public synchronized long activeGeneration() {
    return active;
  }

  /** Sets the active generation unconditionally, as 2025's Enactors did. */
  public synchronized void setActive(long generation) {
    active = generation;
  }

  /** Deletes every plan older than {@code generation}; returns the generations deleted. */
  public synchronized List<Long> deleteOlderThan(long generation) {
    List<Long> gone = List.copyOf(plans.headMap(generation, false).keySet());
    gone.forEach(plans::remove);
    return gone;
  }
}
