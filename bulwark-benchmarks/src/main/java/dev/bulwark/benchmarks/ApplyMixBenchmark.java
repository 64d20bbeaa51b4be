package dev.bulwark.benchmarks;

import dev.bulwark.core.ledger.LedgerState;
import dev.bulwark.core.ledger.Result;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * Throughput of {@link LedgerState#apply} for the control loop's realistic mix on one service with
 * 1,000 endpoints: per cycle a plan that changes {@value #CHANGED_PER_PLAN} endpoints is proposed,
 * approved by az-a and az-b, activated, and the Enactor reports each changed endpoint, i.e.
 * {@value #COMMANDS_PER_CYCLE} commands. The score is commands per second.
 *
 * <p>Commands arrive as values (as after decoding from the Raft log); decoding, which also hashes
 * the plan, is measured by {@link PlanEncodingBenchmark}. The ledger is rebuilt for every
 * iteration ({@link LedgerPerIteration}), because the mix grows it without bound.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ApplyMixBenchmark {
  static final int CHANGED_PER_PLAN = LedgerPerIteration.CHANGED_PER_PLAN;
  static final int COMMANDS_PER_CYCLE = 4 + CHANGED_PER_PLAN;

  /** One full cycle: ProposePlan, 2 x Vote, AdvancePointer, 4 x RecordApplied. */
  @Benchmark
  @OperationsPerInvocation(COMMANDS_PER_CYCLE)
  public Result mix(LedgerPerIteration s) {
    return s.fixture.cycle();
  }
}
