package dev.bulwark.core.port;

import dev.bulwark.core.Check;

/** What happened to an {@link ApplyRequest}: exactly one of these, never an exception. */
public sealed interface ApplyOutcome {
  /** The server applied the whole update atomically. */
  record Applied() implements ApplyOutcome {}

  /**
   * The server refused because the precondition no longer held (NXRRSET/YXRRSET): someone else
   * wrote first. {@code current} is the state re-read right after, so the caller can re-decide.
   * Nothing was changed.
   */
  record PreconditionFailed(String rcode, PublishedState current) implements ApplyOutcome {
    public PreconditionFailed {
      Check.notNull(rcode, "rcode");
      Check.notNull(current, "current state");
    }
  }

  /** The update did not happen for another reason; nothing was changed. */
  record Failed(DnsFailure failure) implements ApplyOutcome {
    public Failed {
      Check.notNull(failure, "failure");
    }
  }
}
