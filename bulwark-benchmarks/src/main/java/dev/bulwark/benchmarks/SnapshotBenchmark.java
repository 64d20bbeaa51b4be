package dev.bulwark.benchmarks;

import dev.bulwark.core.ledger.LedgerLimits;
import dev.bulwark.core.ledger.LedgerState;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link LedgerState#toSnapshot} and {@link LedgerState#fromSnapshot} of a ledger with 10,000
 * stored plans of one service: the history of 10,000 full cycles of {@link ApplyMixBenchmark}'s
 * mix (each plan proposed, approved by two AZs, activated and reported), so there are 9,999
 * RETIRED plans with their votes, one ACTIVE plan, 10,000 pointer moves and 80,000 audit events.
 *
 * <p>{@code toSnapshot} checks every invariant before writing; {@code fromSnapshot} decodes,
 * re-verifies the whole audit chain (one SHA-256 per event) and checks every invariant again. The
 * snapshot's size is printed by the setup ("snapshot: ... bytes").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(jvmArgsAppend = {"-Xms4g", "-Xmx12g"})
public class SnapshotBenchmark {
  /** Endpoints per plan: 20 is a typical service, 1,000 the heavy case. */
  @Param({"20", "1000"})
  int endpoints;

  @Param("10000")
  int plans;

  private LedgerState ledger;
  private byte[] snapshot;

  @Setup
  public void buildHistory() {
    PlanRing ring = PlanRing.create(endpoints, ApplyMixBenchmark.CHANGED_PER_PLAN);
    LedgerFixture fixture = LedgerFixture.start(ring, LedgerLimits.DEFAULT);
    for (int i = 0; i < plans; i++) {
      fixture.cycle();
    }
    ledger = fixture.ledger();
    snapshot = ledger.toSnapshot();
    System.out.printf(Locale.ROOT, "%nsnapshot: %d endpoints x %d targets, %d stored plans, %d audit events: %d bytes%n",
        endpoints, PlanRing.TARGETS_PER_ENDPOINT, plans, ledger.audit().size(), snapshot.length);
  }

  @Benchmark
  public byte[] toSnapshot() {
    return ledger.toSnapshot();
  }

  @Benchmark
  public LedgerState fromSnapshot() {
    return LedgerState.fromSnapshot(snapshot);
  }

  int snapshotBytes() {
    return snapshot.length;
  }
}
