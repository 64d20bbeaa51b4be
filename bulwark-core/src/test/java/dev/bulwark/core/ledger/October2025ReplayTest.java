package dev.bulwark.core.ledger;

import static dev.bulwark.core.ledger.LedgerFixture.API;
import static dev.bulwark.core.ledger.LedgerFixture.AZ_A;
import static dev.bulwark.core.ledger.LedgerFixture.AZ_B;
import static dev.bulwark.core.ledger.LedgerFixture.AZ_C;
import static dev.bulwark.core.ledger.LedgerFixture.DDB;
import static dev.bulwark.core.ledger.LedgerFixture.STREAMS;
import static dev.bulwark.core.ledger.LedgerFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The October 2025 DynamoDB sequence (ARCHITECTURE.md §1), replayed against the ledger: newer
 * plans are advanced; a delayed Enactor's work on an old plan arrives late; clean-up then goes
 * after "old" plans. Every dangerous step must be rejected, with its reason in the audit chain,
 * and the endpoint must keep its records throughout.
 */
class October2025ReplayTest {
  private static final ActorId DELAYED_ENACTOR = ActorId.of("enactor@az-c");
  private static final ActorId FAST_ENACTOR = ActorId.of("enactor@az-a");
  private static final ActorId CLEANUP = ActorId.of("janitor@az-a");

  @Test
  void everyDangerousStepOfTheOutageIsRejectedAndAudited() {
    LedgerFixture f = LedgerFixture.withService(ServicePolicy.DEFAULT.withQuarantineTtlMillis(3_600_000));

    // 1. The Planner publishes g1; the delayed Enactor reads pointer v1/g1 and then stalls.
    Generation old = f.publish(plan(1, 2, 3, 4));
    Pointer seenByDelayedEnactor = f.ledger.pointer(DDB);
    FencingToken delayedToken = f.token;

    // 2. Meanwhile the Planner produces many newer generations, and another Enactor applies the newest.
    for (int i = 0; i < 6; i++) {
      f.tick(1_000);
      f.publish(i % 2 == 0 ? plan(1, 2, 3, 4, 5) : plan(1, 2, 3, 4));
    }
    Pointer newest = f.ledger.pointer(DDB);
    assertThat(newest).isEqualTo(new Pointer(7, Generation.of(7)));
    f.accepted(new Command.RecordApplied(DDB, API, newest.version(), newest.generation(), AZ_A, f.token, FAST_ENACTOR,
        f.now));
    f.accepted(new Command.RecordApplied(DDB, STREAMS, newest.version(), newest.generation(), AZ_A, f.token,
        FAST_ENACTOR, f.now));

    // 3. The delayed Enactor wakes up and acts on its one-time freshness check from step 1.
    //    a) It tries to make its old plan current again with the version it read long ago.
    Result.Rejected staleCas = f.rejected(new Command.AdvancePointer(DDB, seenByDelayedEnactor.version(), old,
        delayedToken, DELAYED_ENACTOR, f.now), RejectCode.VERSION_MISMATCH);
    //    b) Even after re-reading the pointer, the old generation can't come back (I2).
    Result.Rejected backwards = f.rejected(new Command.AdvancePointer(DDB, newest.version(), old, delayedToken,
        DELAYED_ENACTOR, f.now), RejectCode.GENERATION_NOT_NEWER);
    //    c) It reports its stale write as published; the ledger refuses to record DNS going backwards.
    Result.Rejected staleReport = f.rejected(new Command.RecordApplied(DDB, API, seenByDelayedEnactor.version(),
        old, AZ_C, delayedToken, DELAYED_ENACTOR, f.now), RejectCode.STALE_REPORT);

    // 4. Clean-up, right after the fast Enactor's apply, deletes plans "significantly older" than
    //    the one it applied. In 2025 this deleted the plan that had become active.
    Result.Rejected deleteActive = f.rejected(new Command.MarkForDeletion(DDB, newest.generation(), f.token, CLEANUP,
        f.now), RejectCode.PLAN_REFERENCED);
    Result.Rejected deleteLastKnownGood = f.rejected(new Command.MarkForDeletion(DDB, Generation.of(6), f.token,
        CLEANUP, f.now), RejectCode.PLAN_REFERENCED);
    //    Old, unreferenced plans may enter quarantine, but can't be purged before its TTL.
    f.accepted(new Command.MarkForDeletion(DDB, old, f.token, CLEANUP, f.now));
    Result.Rejected purgeEarly = f.rejected(new Command.Purge(DDB, old, f.token, CLEANUP, f.now),
        RejectCode.QUARANTINE_NOT_ELAPSED);

    // 5. A clean-up process of a superseded authority epoch (the 2025 "automation racing itself")
    //    is fenced outright once authority moves on.
    f.tick(10_000);
    f.acquire(ActorId.of("controller:shadow"));
    Result.Rejected fenced = f.rejected(new Command.MarkForDeletion(DDB, Generation.of(2), delayedToken, CLEANUP,
        f.now), RejectCode.STALE_TOKEN);

    // The endpoint never lost its records, and the active plan is intact and still referenced.
    StoredPlan active = f.ledger.plan(DDB, f.ledger.pointer(DDB).generation()).orElseThrow();
    assertThat(active.state()).isEqualTo(PlanState.ACTIVE);
    assertThat(active.plan().targets(API)).isNotEmpty();
    assertThat(f.ledger.pointer(DDB)).isEqualTo(newest);
    assertThat(f.ledger.referencedPlans(DDB)).containsKeys(newest.generation(), Generation.of(6));

    // Every rejection is in the audit chain with its reason, and the chain verifies.
    for (Result.Rejected r : List.of(staleCas, backwards, staleReport, deleteActive, deleteLastKnownGood, purgeEarly,
        fenced)) {
      AuditEvent e = f.ledger.audit().get(r.eventId());
      assertThat(e.accepted()).isFalse();
      assertThat(e.code()).isEqualTo(r.code().name());
      assertThat(e.detail()).isEqualTo(r.message()).isNotBlank();
    }
    assertThat(deleteActive.message()).contains("it is the active plan");
    assertThat(deleteLastKnownGood.message()).contains("last-known-good");
    assertThat(f.ledger.audit().verify().intact()).isTrue();
  }
}
