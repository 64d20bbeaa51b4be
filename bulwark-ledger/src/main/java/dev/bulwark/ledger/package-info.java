/**
 * The ledger replicated by Apache Ratis: one peer per AZ ({@link dev.bulwark.ledger.LedgerPeer}),
 * and the client side of the {@link dev.bulwark.core.port.Ledger} port ({@link
 * dev.bulwark.ledger.RatisLedger}).
 *
 * <p>Ratis only orders and persists commands; every decision is made by the core's {@code
 * LedgerState}, which each peer applies in log order. The log is fsynced before a command is
 * acknowledged (Ratis' default flush policy, set explicitly here so no option weakens it).
 */
@NullMarked
package dev.bulwark.ledger;

import org.jspecify.annotations.NullMarked;
