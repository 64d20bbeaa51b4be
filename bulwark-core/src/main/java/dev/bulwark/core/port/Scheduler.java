package dev.bulwark.core.port;

import java.time.Duration;

/**
 * Time, injected: the only way agents read the clock or wait. Production uses the system clock and
 * a thread pool; the deterministic simulation uses virtual time, so the same agent code runs in
 * both. Nothing in Bulwark calls {@code System.currentTimeMillis()} directly.
 */
public interface Scheduler {
  /** Milliseconds since the epoch on this AZ's clock (which may be skewed; safety never needs it). */
  long nowMillis();

  /** Monotonic nanoseconds for measuring durations. */
  long nanoTime();

  /** Runs {@code task} once after {@code delay}. The handle cancels it. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can be cancelled. */
  interface Cancellable {
    /** Cancels the task if it has not run yet; idempotent. */
    void cancel();
  }
}
