package dev.bulwark.core.port;

import dev.bulwark.core.Check;

/** The result of reading an endpoint's published state over the wire. */
public sealed interface ReadOutcome {
  /** The server answered; {@code state} may be empty (NXDOMAIN or NODATA both read as no records). */
  record Read(PublishedState state) implements ReadOutcome {
    public Read {
      Check.notNull(state, "state");
    }
  }

  /** The server did not answer usefully. */
  record Failed(DnsFailure failure) implements ReadOutcome {
    public Failed {
      Check.notNull(failure, "failure");
    }
  }
}
