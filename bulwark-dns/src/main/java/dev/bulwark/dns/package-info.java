/**
 * Bulwark's DNS side: {@link dev.bulwark.dns.Rfc2136Target}, the {@link
 * dev.bulwark.core.port.DnsTarget} that publishes with one TSIG-signed RFC 2136 UPDATE whose
 * prerequisite is the marker compare-and-swap (ARCHITECTURE.md §5); {@link
 * dev.bulwark.dns.EmbeddedDnsServer}, a small durable authoritative server with full RFC 2136
 * prerequisite and update semantics; and {@link dev.bulwark.dns.ResolverProbe}, which shows
 * invariant I1 as a DNS user sees it.
 *
 * <p>Public types here are options, value types and entry points; the wire logic lives in {@code
 * dev.bulwark.dns.internal}.
 */
@NullMarked
package dev.bulwark.dns;

import org.jspecify.annotations.NullMarked;
