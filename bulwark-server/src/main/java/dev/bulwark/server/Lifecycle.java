package dev.bulwark.server;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;

/** Shutdown helpers shared by {@code bulwark up} and {@code bulwark node}. */
final class Lifecycle {
  private Lifecycle() {}

  /**
   * Closes {@code parts} last-started first, so nothing runs against a part that is already gone;
   * one part failing to close does not keep the others running.
   */
  static void closeInReverse(List<? extends AutoCloseable> parts, Logger log) {
    for (int i = parts.size() - 1; i >= 0; i--) {
      AutoCloseable part = parts.get(i);
      try {
        part.close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", part, e.toString());
      }
    }
  }

  /**
   * Closes {@code part} when the JVM shuts down (Ctrl-C, SIGTERM) and then returns from this call:
   * the command's main thread waits here while the program runs.
   */
  static void runUntilShutdown(AutoCloseable part, Logger log) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      closeInReverse(List.of(part), log);
      stopped.countDown();
    }, "bulwark-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
