package dev.bulwark.chaos;

import java.util.Locale;

/** Which design a game day runs against (ARCHITECTURE.md §7). */
public enum Mode {
  /** Every Bulwark pattern on: quorum, fencing tokens, DNS compare-and-swap, staged deletion. */
  SAFE,
  /** The 2025 design, for game days only: one-time freshness check, unconditional updates, age-based clean-up. */
  LEGACY;

  /** The name used in scenario files and on the command line, e.g. {@code safe}. */
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
