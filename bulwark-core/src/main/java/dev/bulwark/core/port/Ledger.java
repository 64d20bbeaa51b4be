package dev.bulwark.core.port;

import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.Result;
import java.util.concurrent.CompletableFuture;

/**
 * The replicated ledger as agents see it: submit a command and learn its {@link Result}; read
 * linearizably; be told about accepted changes without polling. Implementations: Ratis (one peer
 * per AZ) in production, {@link dev.bulwark.core.ledger.LocalLedger} in one process.
 *
 * <p>Futures complete exceptionally only for transport trouble (no quorum, timeout, closed), with
 * a message that says which peers were unreachable; a business rejection is a normal {@code
 * Result.Rejected}.
 */
public interface Ledger extends AutoCloseable {
  /** Orders, replicates and applies one command. */
  CompletableFuture<Result> submit(Command command);

  /** A linearizable read: it reflects every command acknowledged before the call. */
  <T> CompletableFuture<T> read(LedgerQuery<T> query);

  /**
   * Calls {@code listener} for every accepted command from now on, in log order, on a thread of
   * the implementation's choosing. Listeners must return quickly.
   */
  Subscription watch(Listener listener);

  /** Stops every thread this ledger client started. */
  @Override
  void close();

  /** Receives accepted changes. */
  @FunctionalInterface
  interface Listener {
    void onAccepted(long logIndex, Outcome outcome);
  }

  /** A registration that can be cancelled. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
