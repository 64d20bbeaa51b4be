/**
 * The ports through which agents see the world: the {@link dev.bulwark.core.port.Ledger}, a
 * {@link dev.bulwark.core.port.DnsTarget}, a {@link dev.bulwark.core.port.HealthSource} and a
 * {@link dev.bulwark.core.port.Scheduler} (time). Production wires them to Ratis, RFC 2136 and real
 * health checks; the deterministic simulation wires them to simulated ones, and the agents cannot
 * tell the difference.
 */
@NullMarked
package dev.bulwark.core.port;

import org.jspecify.annotations.NullMarked;
