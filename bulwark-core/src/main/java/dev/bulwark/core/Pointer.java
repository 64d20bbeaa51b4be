package dev.bulwark.core;

/**
 * The one mutable thing per service: which plan generation is active, and a version that goes up
 * by one on every move (invariant I2: the version published in DNS never decreases, even on a
 * rollback, which publishes old content under a new version).
 *
 * @param version 0 before the first advance, then 1, 2, 3, ...
 * @param generation the active plan's generation, or {@link Generation#NONE} at version 0
 */
public record Pointer(long version, Generation generation) {
  /** The pointer of a service whose plans have never been activated. */
  public static final Pointer INITIAL = new Pointer(0, Generation.NONE);

  public Pointer {
    Check.notNull(generation, "pointer generation");
    Check.arg(version >= 0, "pointer version must be >= 0, but was %d", version);
    Check.arg(
        (version == 0) == (generation.equals(Generation.NONE)),
        "pointer version 0 goes with generation 0 and only with it, but was v%d %s",
        version,
        generation);
  }

  /** The pointer after moving to {@code g}: one version higher. */
  public Pointer advanceTo(Generation g) {
    return new Pointer(Math.addExact(version, 1), g);
  }

  @Override
  public String toString() {
    return "v" + version + "/" + generation;
  }
}
