package dev.bulwark.agents;

/** A running piece of automation: started once, closed once; close() waits for a round in progress. */
public interface Agent extends AutoCloseable {
  /** Starts the agent's loop. */
  void start();

  /** Stops the agent; nothing it does happens after this returns. */
  @Override
  void close();
}
