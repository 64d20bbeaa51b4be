package dev.bulwark.core.port;

import dev.bulwark.core.EndpointName;

/**
 * Where Enactors publish: an authoritative DNS server reached over the wire. Implementations must
 * apply each {@link ApplyRequest} atomically and evaluate its precondition at the server, in the
 * same step as the write, which closes the check-then-act gap of 2025 (ARCHITECTURE.md §5).
 *
 * <p>Calls block for at most the implementation's documented timeout and never throw for anything
 * the network or the server does; they report it as an outcome. Implementations are thread-safe.
 */
public interface DnsTarget {
  /** Reads the endpoint's A/AAAA addresses and its marker. */
  ReadOutcome read(EndpointName endpoint);

  /** Writes one endpoint's record set and marker as one conditional update. */
  ApplyOutcome apply(ApplyRequest request);
}
