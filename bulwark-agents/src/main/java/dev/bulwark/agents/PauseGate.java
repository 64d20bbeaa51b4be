package dev.bulwark.agents;

import dev.bulwark.core.Check;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.ReadOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * A freeze switch for tests and game days: the ledger and DNS clients it wraps stop at the gate
 * while it is paused, the way a process stopped with SIGSTOP (or a long GC pause) stops. A call
 * already past the gate completes; a call that arrives while paused waits, and is sent, with
 * whatever stale token or marker it carries, once the gate is resumed. Ledger notifications that
 * arrive while paused are dropped, as a stopped process would miss them.
 *
 * <pre>
 *   OPEN ──pause()──► PAUSED ──resume()──► OPEN
 *     └──────────────close()───────────────► CLOSED (waiting calls fail; nothing waits again)
 * </pre>
 *
 * <p>Never part of the safety argument: a resumed caller is fenced by the ledger's token check and
 * by the DNS compare-and-swap, which is exactly what the freeze drill shows.
 */
public final class PauseGate {
  private enum State { OPEN, PAUSED, CLOSED }

  private State state = State.OPEN;

  /** Freezes every call through this gate until {@link #resume()}. */
  public synchronized void pause() {
    Check.state(state != State.CLOSED, "the gate is closed; a stopped controller can't be paused");
    state = State.PAUSED;
  }

  /** Lets waiting and later calls through again. */
  public synchronized void resume() {
    if (state == State.PAUSED) {
      state = State.OPEN;
      notifyAll();
    }
  }

  /** True while paused. */
  public synchronized boolean paused() {
    return state == State.PAUSED;
  }

  /** Fails the calls that wait and every later one: for an abrupt stop. */
  synchronized void close() {
    state = State.CLOSED;
    notifyAll();
  }

  private synchronized void pass() throws InterruptedException {
    while (state == State.PAUSED) {
      wait();
    }
    if (state == State.CLOSED) {
      throw new IllegalStateException("this controller was stopped; its calls are refused");
    }
  }

  private void passOrThrow() {
    try {
      pass();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while frozen at the pause gate", e);
    }
  }

  /** Sends a ledger call once the gate lets it through; a closed gate fails it. */
  private <T> CompletableFuture<T> through(java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      passOrThrow();
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    return call.get();
  }

  /** The ledger as seen through this gate; closing the view leaves {@code ledger} open. */
  public Ledger wrap(Ledger ledger) {
    Check.notNull(ledger, "ledger");
    return new Ledger() {
      @Override
      public CompletableFuture<Result> submit(Command command) {
        return through(() -> ledger.submit(command));
      }

      @Override
      public <T> CompletableFuture<T> read(LedgerQuery<T> query) {
        return through(() -> ledger.read(query));
      }

      @Override
      public Subscription watch(Listener listener) {
        return ledger.watch((index, outcome) -> {
          if (!paused()) {
            listener.onAccepted(index, outcome);
          }
        });
      }

      @Override
      public void close() {
        // The client is shared with agents outside this gate; its owner closes it.
      }
    };
  }

  /** The DNS target as seen through this gate. */
  public DnsTarget wrap(DnsTarget dns) {
    Check.notNull(dns, "dns");
    return new DnsTarget() {
      @Override
      public ReadOutcome read(dev.bulwark.core.EndpointName endpoint) {
        passOrThrow();
        return dns.read(endpoint);
      }

      @Override
      public ApplyOutcome apply(ApplyRequest request) {
        passOrThrow();
        return dns.apply(request);
      }
    };
  }
}
