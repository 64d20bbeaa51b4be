package dev.bulwark.core;

/**
 * The number of an authority term: 1 for the first grant, +1 for every grant to a new holder or
 * after a lapse. Each epoch has exactly one {@link FencingToken}, the log index that granted it.
 */
public record Epoch(long value) implements Comparable<Epoch> {
  public static final Epoch NONE = new Epoch(0);

  public Epoch {
    Check.arg(value >= 0, "epoch must be >= 0, but was %d", value);
  }

  public Epoch next() {
    return new Epoch(Math.addExact(value, 1));
  }

  @Override
  public int compareTo(Epoch o) {
    return Long.compare(value, o.value);
  }

  @Override
  public String toString() {
    return "e" + value;
  }
}
