package dev.bulwark.chaos;

/**
 * The outcome of a game day, with the exit code of {@code bulwark gameday run}.
 *
 * <pre>
 *   HELD (0)      the steady-state hypothesis and every success criterion held in every run
 *   DEVIATED (1)  some run deviated: the game day found a weakness
 *   ABORTED (2)   some run could not be carried out (steady state never held before the method,
 *                 a fault could not be injected, an error)
 * </pre>
 */
public enum Verdict {
  /** The hypothesis held. */
  HELD(0),
  /** The system deviated from its steady state or missed a criterion. */
  DEVIATED(1),
  /** The game day could not be carried out. */
  ABORTED(2);

  private final int exitCode;

  Verdict(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The process exit code for this verdict. */
  public int exitCode() {
    return exitCode;
  }

  /** The worse of this and {@code other} (ABORTED over DEVIATED over HELD). */
  public Verdict worst(Verdict other) {
    return other.exitCode > exitCode ? other : this;
  }
}
