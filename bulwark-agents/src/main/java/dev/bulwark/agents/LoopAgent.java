package dev.bulwark.agents;

import dev.bulwark.core.Check;
import dev.bulwark.core.port.Metrics;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shape every agent shares: one round at a time, run on a jittered interval and whenever
 * {@link #kick()}ed (by a ledger notification), with kicks coalesced; a failed round backs off
 * (bounded, jittered) and the agent resumes by itself. An agent never dies of an exception and
 * never spins.
 *
 * <pre>
 *   NEW ──start()──► RUNNING ──close()──► CLOSED
 * </pre>
 */
abstract class LoopAgent implements Agent {
  private static final Logger LOG = LoggerFactory.getLogger(LoopAgent.class);

  /** Longest back-off after repeated failures. */
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  protected final String name;
  protected final Scheduler scheduler;
  private final Duration interval;
  private final SplittableRandom random;
  private final Object roundLock = new Object();
  private boolean kickPending;
  private boolean started;
  private boolean closed;
  private boolean running;
  private boolean rerun;
  private int failures;
  private Scheduler.@Nullable Cancellable next;
  private volatile Metrics metrics = Metrics.NOOP;

  LoopAgent(String name, Scheduler scheduler, Duration interval) {
    this.name = Check.notNull(name, "name");
    this.scheduler = Check.notNull(scheduler, "scheduler");
    Check.arg(!interval.isNegative() && !interval.isZero(), "%s interval must be positive", name);
    this.interval = interval;
    // Jitter keeps the agents of three AZs from acting in lockstep; seeded by name, so runs repeat.
    this.random = new SplittableRandom(name.hashCode());
  }

  @Override
  public void setMetrics(Metrics m) {
    this.metrics = Check.notNull(m, "metrics");
  }

  protected Metrics metrics() {
    return metrics;
  }

  /** One round of work. May block on the ledger or DNS, within their bounded timeouts. */
  protected abstract void runRound() throws Exception;

  /** Starts the loop. */
  public synchronized void start() {
    Check.state(!started, "%s already started", name);
    started = true;
    kick();
  }

  /** Asks for a round soon; several kicks before it runs make one round. */
  public void kick() {
    synchronized (this) {
      if (!started || closed || kickPending) {
        return;
      }
      kickPending = true;
    }
    scheduler.schedule(Duration.ZERO, this::round);
  }

  private void round() {
    synchronized (this) {
      kickPending = false;
      if (closed) {
        return;
      }
      if (running) {
        // A kick during a round asks for one more round right after it; no second thread waits
        // here (a round frozen at a pause gate, or stuck on a slow ledger, would pile them up).
        rerun = true;
        return;
      }
      running = true;
      if (next != null) {
        next.cancel();
        next = null;
      }
    }
    Duration delay = interval;
    try {
      synchronized (roundLock) {
        try {
          runRound();
          failures = 0;
          delay = jitter(interval);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception | LinkageError e) {
          failures++;
          delay = backoff();
          metrics.count("bulwark_agent_round_failures_total", "agent", name, "reason", e.getClass().getSimpleName());
          LOG.warn("{}: round failed ({} in a row), retrying in {} ms: {}", name, failures, delay.toMillis(),
              e.toString());
        }
      }
    } finally {
      synchronized (this) {
        running = false;
        boolean again = rerun;
        rerun = false;
        notifyAll();
        if (!closed && !Thread.currentThread().isInterrupted()) {
          next = scheduler.schedule(again ? Duration.ZERO : delay, this::round);
        }
      }
    }
  }

  /**
   * Runs {@code action} while no round runs, e.g. an operator's request that must not interleave
   * with the agent's own decisions.
   */
  protected <T> T exclusive(java.util.concurrent.Callable<T> action) throws Exception {
    synchronized (roundLock) {
      return action.call();
    }
  }

  private Duration jitter(Duration d) {
    long ms = d.toMillis();
    return Duration.ofMillis(ms + random.nextLong(Math.max(1, ms / 5)));
  }

  private Duration backoff() {
    long base = Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(failures, 7));
    return Duration.ofMillis(base / 2 + random.nextLong(Math.max(1, base / 2)));
  }

  /** Consecutive failed rounds (0 when healthy). */
  public synchronized int consecutiveFailures() {
    return failures;
  }

  @Override
  public void close() {
    boolean interrupted = false;
    synchronized (this) {
      closed = true;
      if (next != null) {
        next.cancel();
        next = null;
      }
      // Waits for a round in progress, so nothing acts after close() returns.
      while (running && !Thread.holdsLock(roundLock)) {
        try {
          wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
