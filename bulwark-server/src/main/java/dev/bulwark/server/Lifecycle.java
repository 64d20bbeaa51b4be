package dev.bulwark.server;

import java.util.List;
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
}
