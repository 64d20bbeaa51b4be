package dev.bulwark.core;

import java.util.Locale;

/**
 * Always-on checks for production code, used instead of the JVM's {@code assert}, which is off by
 * default.
 *
 * <p>{@link #arg} guards values handed in by callers; {@link #state} guards Bulwark's own
 * invariants. A failed state check is a bug: on the replicated apply path it stops the replica
 * rather than letting it diverge.
 */
public final class Check {
  private Check() {}

  /** Throws {@link IllegalArgumentException} with the formatted message unless {@code ok}. */
  public static void arg(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, format, args));
    }
  }

  /** Throws {@link IllegalStateException} with the formatted message unless {@code ok}. */
  public static void state(boolean ok, String format, Object... args) {
    if (!ok) {
      throw new IllegalStateException(
          "invariant broken: " + String.format(Locale.ROOT, format, args));
    }
  }

  /** Returns {@code value}, or throws {@link IllegalArgumentException} naming it if it is null. */
  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
