package dev.bulwark.chaos;

/**
 * What one step of a scenario's method does: inject a {@link Fault} (reversible, removed later) or
 * perform an {@link Action} (instant, nothing to remove).
 */
public sealed interface Activity permits Fault, Action {
  /** The scenario-file name, e.g. {@code enactor-delay} or {@code propose-delete}. */
  String kind();

  /** A short human account, for the progress display and the report. */
  String describe();
}
