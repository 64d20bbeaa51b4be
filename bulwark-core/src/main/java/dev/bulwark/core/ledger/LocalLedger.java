package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import dev.bulwark.core.port.Ledger;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Ledger} in one process, without replication: commands are applied in call order under
 * a lock, with consecutive log indexes. For the deterministic simulation and single-process tests;
 * it gives the same results as the replicated ledger fed the same command order.
 *
 * <p>Listeners run on the submitting thread, after the lock is released.
 */
public final class LocalLedger implements Ledger {
  private final LedgerState state;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private long logIndex;
  private boolean closed;

  public LocalLedger() {
    this(new LedgerState());
  }

  public LocalLedger(LedgerState state) {
    this.state = Check.notNull(state, "state");
    this.logIndex = state.lastLogIndex();
  }

  @Override
  public CompletableFuture<Result> submit(Command command) {
    Result r;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("ledger is closed"));
      }
      r = state.apply(++logIndex, command);
    }
    if (r instanceof Result.Accepted a) {
      for (Listener l : listeners) {
        l.onAccepted(a.logIndex(), a.outcome());
      }
    }
    return CompletableFuture.completedFuture(r);
  }

  @Override
  public synchronized <T> CompletableFuture<T> read(LedgerQuery<T> query) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("ledger is closed"));
    }
    return CompletableFuture.completedFuture(query.evaluate(state));
  }

  @Override
  public Subscription watch(Listener listener) {
    Check.notNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public synchronized void close() {
    closed = true;
    listeners.clear();
  }
}
