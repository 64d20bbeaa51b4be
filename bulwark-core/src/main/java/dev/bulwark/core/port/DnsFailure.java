package dev.bulwark.core.port;

import dev.bulwark.core.Check;

/**
 * Why a DNS read or update did not happen, in a form agents can act on. Every outcome of the wire
 * protocol maps to one of these; nothing is left as an unexplained exception.
 *
 * @param kind what class of failure this is (decides retry or page)
 * @param detail what was seen, for logs and audit, e.g. {@code "NOTAUTH (TSIG error BADSIG)"}
 */
public record DnsFailure(Kind kind, String detail) {
  /** Failure classes. */
  public enum Kind {
    /** The server rejected our TSIG (BADSIG, BADKEY, BADTIME) or answered NOTAUTH. */
    NOT_AUTHORIZED,
    /** The server answered REFUSED (e.g. an unsigned update, or a policy denial). */
    REFUSED,
    /** The name is not in the zone the server is authoritative for (NOTZONE / NOTAUTH zone). */
    NOT_IN_ZONE,
    /** No answer within the configured timeout after all retries. */
    TIMEOUT,
    /** SERVFAIL, FORMERR, NOTIMP or another unexpected rcode, or a malformed response. */
    SERVER_FAILURE,
    /** The server could not be reached at all (connection refused, no route). */
    UNREACHABLE
  }

  public DnsFailure {
    Check.notNull(kind, "failure kind");
    Check.notNull(detail, "failure detail");
  }

  /** True for failures that may clear by themselves, so a bounded, jittered retry makes sense. */
  public boolean isTransient() {
    return kind == Kind.TIMEOUT || kind == Kind.SERVER_FAILURE || kind == Kind.UNREACHABLE;
  }
}
