package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;

/**
 * The ledger's answer to one command. A business rejection is a result, never an exception; both
 * kinds name the log index that decided them and the audit event that recorded it (I5).
 */
public sealed interface Result {
  long logIndex();

  long eventId();

  /** The command changed the ledger as described by {@code outcome}. */
  record Accepted(long logIndex, long eventId, Outcome outcome) implements Result {
    public Accepted {
      Check.notNull(outcome, "outcome");
    }
  }

  /**
   * The command changed nothing (except the audit chain, which records the rejection).
   *
   * @param message what was wrong and what was expected, for people
   */
  record Rejected(long logIndex, long eventId, RejectCode code, String message) implements Result {
    public Rejected {
      Check.notNull(code, "code");
      Check.notNull(message, "message");
    }
  }

  default boolean isAccepted() {
    return this instanceof Accepted;
  }
}
