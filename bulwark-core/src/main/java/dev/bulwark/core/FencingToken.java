package dev.bulwark.core;

/**
 * Proof of authority carried by automated commands: the Raft log index at which the current
 * authority epoch was granted. Log indexes only grow, across leader changes too, so a token
 * from a superseded epoch is always smaller than the current one.
 *
 * <p>Never a wall-clock time: the whitepaper's Example 1 compares timestamps, which accepts stale
 * writes as soon as one AZ's clock runs ahead (ARCHITECTURE.md §4).
 */
public record FencingToken(long logIndex) implements Comparable<FencingToken> {
  /** No authority: held by nobody before the first grant. */
  public static final FencingToken NONE = new FencingToken(0);

  public FencingToken {
    Check.arg(logIndex >= 0, "fencing token must be a log index >= 0, but was %d", logIndex);
  }

  public static FencingToken of(long logIndex) {
    return new FencingToken(logIndex);
  }

  @Override
  public int compareTo(FencingToken o) {
    return Long.compare(logIndex, o.logIndex);
  }

  @Override
  public String toString() {
    return "t" + logIndex;
  }
}
