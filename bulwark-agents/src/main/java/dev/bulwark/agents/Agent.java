package dev.bulwark.agents;

import dev.bulwark.core.port.Metrics;

/** A running piece of automation: started once, closed once; close() waits for a round in progress. */
public interface Agent extends AutoCloseable {
  /**
   * Where this agent reports its metrics; call before {@link #start()}. Until then it reports to
   * {@link Metrics#NOOP}; an agent that has no metrics ignores this.
   */
  default void setMetrics(Metrics metrics) {}

  /** Starts the agent's loop. */
  void start();

  /** Stops the agent; nothing it does happens after this returns. */
  @Override
  void close();
}
