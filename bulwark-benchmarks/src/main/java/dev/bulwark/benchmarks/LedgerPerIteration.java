package dev.bulwark.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Benchmark state: a plan ring built once per trial and a fresh ledger for every iteration.
 *
 * <p>Every apply benchmark grows the ledger (plans, audit events), so a long run would otherwise
 * measure an ever larger state, and the ring's plans would eventually hit the store limit. Rebuilding
 * per iteration keeps every iteration comparable; within an iteration the state grows as it would
 * in production between two Janitor purges.
 */
@State(Scope.Thread)
public class LedgerPerIteration {
  static final int CHANGED_PER_PLAN = 4;

  @Param("1000")
  int endpoints;

  PlanRing ring;
  LedgerFixture fixture;

  @Setup(Level.Trial)
  public void buildPlans() {
    ring = PlanRing.create(endpoints, CHANGED_PER_PLAN);
  }

  @Setup(Level.Iteration)
  public void freshLedger() {
    fixture = LedgerFixture.start(ring, LedgerFixture.THROUGHPUT_LIMITS);
    prepare();
  }

  /**
   * Brings the fresh ledger into the state a benchmark starts from; nothing by default. A hook,
   * not a second {@code @Setup}: JMH does not order setup methods of the same level, so a subclass's
   * setup could otherwise run before the ledger exists.
   */
  void prepare() {}
}
