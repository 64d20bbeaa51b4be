package dev.bulwark.core;

/**
 * The number the ledger gives a plan of one service: 1, 2, 3, ... in proposal order, never reused.
 * {@link #NONE} (0) stands for "no plan yet" in a fresh {@link Pointer}.
 */
public record Generation(long value) implements Comparable<Generation> {
  /** No generation: the pointer of a service that has never been advanced. */
  public static final Generation NONE = new Generation(0);

  public Generation {
    Check.arg(value >= 0, "generation must be >= 0, but was %d", value);
  }

  public static Generation of(long value) {
    return new Generation(value);
  }

  public Generation next() {
    return new Generation(Math.addExact(value, 1));
  }

  public boolean isNewerThan(Generation other) {
    return value > other.value;
  }

  @Override
  public int compareTo(Generation o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return "g" + value;
  }
}
