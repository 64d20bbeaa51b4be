package dev.bulwark.benchmarks;

import dev.bulwark.core.Generation;
import dev.bulwark.core.ledger.Result;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cost of each command type of {@link ApplyMixBenchmark}'s mix on its own, on the same
 * 1,000-endpoint service, so the mix's time can be split between them.
 *
 * <p>ProposePlan and RecordApplied repeat in a steady state: the next plan of the ring, or a
 * re-report of the published version (which the ledger accepts, as it does an Enactor's periodic
 * re-check). A vote or an advance can't repeat: an AZ votes once per plan and the pointer moves
 * only to newer approved plans. Those two are measured in batches whose prerequisites (proposals,
 * and the votes for advances) are prepared by an untimed {@code Level.Invocation} setup; a batch
 * is long enough (tens to hundreds of microseconds) that JMH's per-invocation timestamps cost well
 * under 1%.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CommandCostBenchmark {
  static final int PLANS_PER_VOTE_BATCH = 50;
  static final int VOTES_PER_BATCH = 2 * PLANS_PER_VOTE_BATCH;
  static final int ADVANCES_PER_BATCH = 20;

  /** Proposals pile up as PROPOSED plans; nothing else happens. */
  public static class Proposing extends LedgerPerIteration {}

  /** A batch of freshly proposed plans, each waiting for the votes of az-a and az-b. */
  public static class Voting extends LedgerPerIteration {
    final Generation[] batch = new Generation[PLANS_PER_VOTE_BATCH];

    @Setup(Level.Invocation)
    public void proposeBatch() {
      for (int i = 0; i < batch.length; i++) {
        batch[i] = fixture.propose();
      }
    }
  }

  /** A batch of approved plans, each newer than the last, waiting for the pointer. */
  public static class Advancing extends LedgerPerIteration {
    final Generation[] batch = new Generation[ADVANCES_PER_BATCH];

    @Setup(Level.Invocation)
    public void approveBatch() {
      for (int i = 0; i < batch.length; i++) {
        Generation g = fixture.propose();
        fixture.vote(g, 0);
        fixture.vote(g, 1);
        batch[i] = g;
      }
    }
  }

  /** A service whose pointer moved once, so there is a version to report. */
  public static class Reporting extends LedgerPerIteration {
    long position;

    @Override
    void prepare() {
      fixture.cycle();
    }
  }

  /** ProposePlan of a 1,000-endpoint plan (already decoded and hashed). */
  @Benchmark
  public Generation proposePlan(Proposing s) {
    return s.fixture.propose();
  }

  /** Vote; the second vote on each plan reaches quorum and approves it. */
  @Benchmark
  @OperationsPerInvocation(VOTES_PER_BATCH)
  public Result vote(Voting s) {
    Result last = s.fixture.vote(s.batch[0], 0);
    for (int i = 0; i < s.batch.length; i++) {
      if (i > 0) {
        s.fixture.vote(s.batch[i], 0);
      }
      last = s.fixture.vote(s.batch[i], 1);
    }
    return last;
  }

  /** AdvancePointer to an approved plan that changes 4 of 1,000 endpoints. */
  @Benchmark
  @OperationsPerInvocation(ADVANCES_PER_BATCH)
  public Result advancePointer(Advancing s) {
    Result last = s.fixture.advance(s.batch[0]);
    for (int i = 1; i < s.batch.length; i++) {
      last = s.fixture.advance(s.batch[i]);
    }
    return last;
  }

  /** RecordApplied for one endpoint, cycling over all 1,000. */
  @Benchmark
  public Result recordApplied(Reporting s) {
    return s.fixture.recordApplied(s.ring.endpoint(s.position++));
  }
}
