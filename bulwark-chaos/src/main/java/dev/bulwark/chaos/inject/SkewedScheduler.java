package dev.bulwark.chaos.inject;

import dev.bulwark.core.Check;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;

/**
 * Fault injection: a {@link Scheduler} whose wall clock reads {@code offsetMillis} off the one it
 * wraps, for the agents of one AZ (the clock-skew fault). Monotonic time and delays are untouched,
 * as with a real skewed clock: timers still fire on time, only the readings are wrong.
 */
public final class SkewedScheduler implements Scheduler {
  private final Scheduler delegate;
  private volatile long offsetMillis;

  /** A scheduler that reads {@code delegate}'s clock with no offset until {@link #setOffsetMillis}. */
  public SkewedScheduler(Scheduler delegate) {
    this.delegate = Check.notNull(delegate, "delegate");
  }

  /** Sets the clock offset; positive runs ahead, 0 removes the fault. */
  public void setOffsetMillis(long offsetMillis) {
    this.offsetMillis = offsetMillis;
  }

  /** The current offset. */
  public long offsetMillis() {
    return offsetMillis;
  }

  @Override
  public long nowMillis() {
    return Math.max(0, delegate.nowMillis() + offsetMillis);
  }

  @Override
  public long nanoTime() {
    return delegate.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    return delegate.schedule(delay, task);
  }
}
