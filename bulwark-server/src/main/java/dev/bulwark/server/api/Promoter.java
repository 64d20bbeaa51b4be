package dev.bulwark.server.api;

/**
 * Promotes this process's shadow controller to primary on an operator's request (the API's {@code
 * POST /api/v1/authority/promote}). The server implements it over its controllers; without one the
 * route answers 404.
 */
@FunctionalInterface
public interface Promoter {
  /**
   * Promotes, recording {@code operator} and {@code reason} in the audit chain.
   *
   * @param operator the caller's audit identity, e.g. {@code api:alice}
   * @throws IllegalStateException if no controller here can be promoted (stopped, paused)
   */
  Outcome promote(String operator, String reason) throws InterruptedException;

  /** How a promotion ended. */
  enum Status {
    /** A shadow here now holds a new epoch; the old primary is fenced. */
    PROMOTED,
    /** The controller here already held the authority; nothing changed. */
    ALREADY_PRIMARY,
    /** The ledger refused the grant. */
    REFUSED,
    /** The ledger could not be reached in time. */
    UNAVAILABLE
  }

  /**
   * The answer.
   *
   * @param controller the controller that was asked, e.g. {@code controller@az-b}
   * @param message what happened, for the operator
   */
  record Outcome(Status status, String controller, String message) {}
}
