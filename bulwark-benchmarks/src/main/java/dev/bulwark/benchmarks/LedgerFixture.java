package dev.bulwark.benchmarks;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerLimits;
import dev.bulwark.core.ledger.LedgerState;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServicePolicy;
import java.util.List;

/**
 * A ledger with one registered service and the authority lease held, plus the counters a client
 * would keep (log index, clock, fencing token, pointer), so benchmarks can drive realistic
 * command sequences through {@link LedgerState#apply}.
 *
 * <p>Every command must be accepted with the outcome the benchmark expects; anything else throws
 * {@link IllegalStateException}, which fails the JMH run. A benchmark that quietly measured
 * rejections would report how fast the ledger says no.
 *
 * <p>The clock advances {@value #STEP_MILLIS} ms per command. That is faster than any real
 * deployment but keeps every sequence inside the default velocity limit (30 advances per 60 s),
 * so the default {@link ServicePolicy} applies unchanged.
 */
final class LedgerFixture {
  static final long START_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  static final long STEP_MILLIS = 2_500;
  static final long LEASE_TTL_MILLIS = 600_000;

  /**
   * The limits for throughput runs: the default limits but the largest allowed store of plans
   * (1,000,000 per service), because an iteration of the mix proposes tens of thousands of plans
   * and the Janitor that would purge them is not part of what is measured. State is rebuilt from
   * scratch for every iteration, so it never grows past one iteration's work.
   */
  static final LedgerLimits THROUGHPUT_LIMITS =
      new LedgerLimits(
          LedgerLimits.DEFAULT_MAX_SERVICES,
          LedgerLimits.DEFAULT_MAX_ENDPOINTS_PER_SERVICE,
          LedgerLimits.DEFAULT_MAX_TARGETS_PER_ENDPOINT,
          1_000_000);

  private static final ActorId OPERATOR = ActorId.of("operator-alice");
  private static final ActorId PLANNER = ActorId.of("planner-1");
  private static final ActorId ENACTOR = ActorId.of("enactor-az-a");
  private static final List<ActorId> VALIDATORS =
      PlanRing.VOTERS.stream().map(az -> ActorId.of("validator-" + az.value())).toList();

  private final PlanRing ring;
  private final LedgerState ledger;
  private final FencingToken token;
  private long logIndex;
  private long nowMillis = START_MILLIS;
  private long ringPosition;
  private Pointer pointer = Pointer.INITIAL;

  private LedgerFixture(PlanRing ring, LedgerLimits limits) {
    this.ring = ring;
    this.ledger = new LedgerState(limits);
    expect(apply(new Command.RegisterService(ring.definition(ServicePolicy.DEFAULT), OPERATOR, nowMillis)),
        Outcome.ServiceRegistered.class);
    Outcome.AuthorityGranted granted =
        expect(apply(new Command.AcquireAuthority(LEASE_TTL_MILLIS, false, PLANNER, nowMillis)),
            Outcome.AuthorityGranted.class);
    this.token = granted.token();
  }

  /** A fresh ledger for {@code ring}'s service, authority acquired, no plan proposed yet. */
  static LedgerFixture start(PlanRing ring, LedgerLimits limits) {
    return new LedgerFixture(ring, limits);
  }

  /** Commands in one {@link #cycle}: propose, two votes, advance, one report per changed endpoint. */
  static int cycleCommands(PlanRing ring) {
    return 4 + ring.changedPerStep();
  }

  LedgerState ledger() {
    return ledger;
  }

  Pointer pointer() {
    return pointer;
  }

  /** Proposes the next plan of the ring and returns its generation. */
  Generation propose() {
    Command c = new Command.ProposePlan(ring.plan(ringPosition), token, PLANNER, nowMillis);
    Outcome.PlanProposed p = expect(apply(c), Outcome.PlanProposed.class);
    if (p.idempotent()) {
      throw new IllegalStateException("the ledger found plan " + p.generation() + " unchanged; the ring is broken");
    }
    ringPosition++;
    return p.generation();
  }

  /** The Validator of voting AZ number {@code voter} (0 = az-a, 1 = az-b) approves plan {@code g}. */
  Result vote(Generation g, int voter) {
    AzId az = PlanRing.VOTERS.get(voter);
    Result r = apply(new Command.Vote(PlanRing.SERVICE, g, az, true, "", VALIDATORS.get(voter), nowMillis));
    expect(r, Outcome.VoteRecorded.class);
    return r;
  }

  /** Moves the pointer to the approved plan {@code g}. */
  Result advance(Generation g) {
    Result r = apply(new Command.AdvancePointer(PlanRing.SERVICE, pointer.version(), g, token, PLANNER, nowMillis));
    pointer = expect(r, Outcome.PointerAdvanced.class).pointer();
    return r;
  }

  /** An Enactor reports that DNS publishes the current pointer for {@code endpoint}. */
  Result recordApplied(EndpointName endpoint) {
    Result r = apply(new Command.RecordApplied(PlanRing.SERVICE, endpoint, pointer.version(), pointer.generation(),
        PlanRing.VOTERS.get(0), token, ENACTOR, nowMillis));
    expect(r, Outcome.AppliedRecorded.class);
    return r;
  }

  /**
   * One realistic round of the control loop: propose the next plan, two AZs approve it, the pointer
   * advances, and the Enactor reports each changed endpoint. Returns the last result.
   */
  Result cycle() {
    List<EndpointName> changed = ring.changedInto(ringPosition);
    Generation g = propose();
    vote(g, 0);
    vote(g, 1);
    Result last = advance(g);
    for (EndpointName e : changed) {
      last = recordApplied(e);
    }
    return last;
  }

  private Result apply(Command c) {
    Result r = ledger.apply(++logIndex, c);
    nowMillis += STEP_MILLIS;
    return r;
  }

  private static <T extends Outcome> T expect(Result r, Class<T> type) {
    if (r instanceof Result.Accepted a && type.isInstance(a.outcome())) {
      return type.cast(a.outcome());
    }
    throw new IllegalStateException("benchmark expected " + type.getSimpleName() + " but the ledger answered " + r);
  }
}
