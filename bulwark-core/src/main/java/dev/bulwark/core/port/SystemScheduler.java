package dev.bulwark.core.port;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production {@link Scheduler}: the system clock and a small pool of daemon threads.
 * {@link #close()} stops the pool; tasks scheduled after that are ignored.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private final ScheduledExecutorService pool;

  /** A scheduler with {@code threads} daemon threads named {@code name-N}. */
  public SystemScheduler(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(threads, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    p.setRemoveOnCancelPolicy(true);
    p.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.pool = p;
  }

  @Override
  public long nowMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    if (pool.isShutdown()) {
      return () -> {};
    }
    try {
      ScheduledFuture<?> f = pool.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return () -> {};
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
