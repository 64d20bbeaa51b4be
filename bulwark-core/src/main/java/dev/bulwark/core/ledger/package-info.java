/**
 * The ledger: {@link dev.bulwark.core.ledger.LedgerState}, the deterministic state machine where
 * every safety decision of the control plane is made, its commands and results, the audit chain
 * and the canonical encodings that Ratis replicates and snapshots.
 *
 * <p>Nothing in this package reads a clock, draws a random number or does I/O: the same commands
 * at the same log indexes give the same results and the same bytes on every replica.
 */
@NullMarked
package dev.bulwark.core.ledger;

import org.jspecify.annotations.NullMarked;
