package dev.bulwark.core.ledger;

import static dev.bulwark.core.ledger.LedgerFixture.ALICE;
import static dev.bulwark.core.ledger.LedgerFixture.API;
import static dev.bulwark.core.ledger.LedgerFixture.AZ_A;
import static dev.bulwark.core.ledger.LedgerFixture.AZ_B;
import static dev.bulwark.core.ledger.LedgerFixture.AZ_C;
import static dev.bulwark.core.ledger.LedgerFixture.BOB;
import static dev.bulwark.core.ledger.LedgerFixture.CONTROLLER;
import static dev.bulwark.core.ledger.LedgerFixture.DDB;
import static dev.bulwark.core.ledger.LedgerFixture.JANITOR;
import static dev.bulwark.core.ledger.LedgerFixture.PLANNER;
import static dev.bulwark.core.ledger.LedgerFixture.STREAMS;
import static dev.bulwark.core.ledger.LedgerFixture.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LedgerStateTest {

  @Nested
  class Services {
    @Test
    void proposalForAnUnknownServiceIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Plan other = Plan.of(ServiceId.of("s3"), LedgerFixture.endpoints(List.of(), List.of()));
      Result.Rejected r = f.rejected(new Command.ProposePlan(other, f.token, PLANNER, f.now), RejectCode.UNKNOWN_SERVICE);
      assertThat(r.message()).contains("s3 is not registered").contains("dynamodb");
    }

    @Test
    void registeringAgainReplacesTheDefinition() {
      LedgerFixture f = LedgerFixture.withService();
      Result.Accepted r = f.accepted(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(API),
          List.of(AZ_A, AZ_B, AZ_C), ServicePolicy.DEFAULT), ALICE, f.now));
      assertThat(r.outcome()).isEqualTo(new Outcome.ServiceRegistered(DDB, false));
      assertThat(f.ledger.service(DDB).orElseThrow().endpoints()).containsExactly(API);
    }

    @Test
    void policyWhoseQuorumIsNoMajorityIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Result.Rejected r = f.rejected(new Command.UpdatePolicy(DDB, ServicePolicy.DEFAULT.withQuorum(1), ALICE, f.now),
          RejectCode.INVALID_ARGUMENT);
      assertThat(r.message()).contains("strict majority");
      assertThat(f.ledger.service(DDB).orElseThrow().policy().quorum()).isEqualTo(2);
    }

    @Test
    void serviceLimitIsEnforced() {
      LedgerFixture f = new LedgerFixture(new LedgerState(new LedgerLimits(1, 10, 10, 10)));
      f.accepted(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(API), List.of(AZ_A), ServicePolicy.DEFAULT.withQuorum(1)), ALICE, f.now));
      f.rejected(new Command.RegisterService(ServiceDefinition.of(ServiceId.of("s3"), List.of(API), List.of(AZ_A),
          ServicePolicy.DEFAULT.withQuorum(1)), ALICE, f.now), RejectCode.LIMIT_EXCEEDED);
    }
  }

  @Nested
  class Proposals {
    @Test
    void planThatEmptiesAnEndpointIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Result.Rejected r = f.rejected(new Command.ProposePlan(plan(), f.token, PLANNER, f.now), RejectCode.EMPTY_ENDPOINT);
      assertThat(r.message()).contains(API.value()).contains("I1").contains("Decommission");
      assertThat(f.ledger.latestGeneration(DDB)).isEqualTo(Generation.NONE);
    }

    @Test
    void endpointMayBePlannedEmptyOnlyAfterAnOperatorDecommission() {
      LedgerFixture f = LedgerFixture.withService();
      f.accepted(new Command.Decommission(DDB, API, "retiring the old API name", ALICE, f.now));
      assertThat(f.propose(plan())).isEqualTo(Generation.of(1));
    }

    @Test
    void reRegisteringAnEndpointThatIsPublishedEmptyIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      f.accepted(new Command.Decommission(DDB, API, "retiring", ALICE, f.now));
      f.publish(plan());
      f.accepted(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(STREAMS), List.of(AZ_A, AZ_B, AZ_C),
          ServicePolicy.DEFAULT), ALICE, f.now));
      assertThat(f.ledger.decommissioned(DDB)).isEmpty();
      Result.Rejected r = f.rejected(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(API, STREAMS),
          List.of(AZ_A, AZ_B, AZ_C), ServicePolicy.DEFAULT), ALICE, f.now), RejectCode.EMPTY_ENDPOINT);
      assertThat(r.message()).contains("publishes nothing for " + API);
    }

    @Test
    void planThatMissesARegisteredEndpointIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Plan p = Plan.of(DDB, java.util.Map.of(API, List.of(Target.of("10.0.0.1", 1, "az-a"))));
      Result.Rejected r = f.rejected(new Command.ProposePlan(p, f.token, PLANNER, f.now), RejectCode.ENDPOINTS_MISMATCH);
      assertThat(r.message()).contains("missing [" + STREAMS + "]");
    }

    @Test
    void planWithMoreTargetsThanTheLimitIsRejected() {
      LedgerFixture f = new LedgerFixture(new LedgerState(new LedgerLimits(10, 10, 3, 100)));
      f.accepted(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(API, STREAMS), List.of(AZ_A, AZ_B, AZ_C),
          ServicePolicy.DEFAULT), ALICE, f.now));
      f.acquire(CONTROLLER);
      Result.Rejected r = f.rejected(new Command.ProposePlan(plan(1, 2, 3, 4), f.token, PLANNER, f.now),
          RejectCode.LIMIT_EXCEEDED);
      assertThat(r.message()).contains("4 targets; at most 3");
    }

    @Test
    void storedPlanLimitStopsProposalsUntilTheJanitorPurges() {
      LedgerFixture f = new LedgerFixture(new LedgerState(new LedgerLimits(10, 10, 10, 2)));
      f.accepted(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(API, STREAMS), List.of(AZ_A, AZ_B, AZ_C),
          ServicePolicy.DEFAULT.withQuarantineTtlMillis(0)), ALICE, f.now));
      f.acquire(CONTROLLER);
      Generation g1 = f.propose(plan(1));
      f.vote(g1, AZ_A, false);
      f.vote(g1, AZ_B, false);
      f.propose(plan(2));
      assertThat(f.rejected(new Command.ProposePlan(plan(3), f.token, PLANNER, f.now), RejectCode.LIMIT_EXCEEDED)
          .message()).contains("the Janitor must purge");
      f.accepted(new Command.MarkForDeletion(DDB, g1, f.token, JANITOR, f.now));
      f.accepted(new Command.Purge(DDB, g1, f.token, JANITOR, f.now));
      assertThat(f.propose(plan(3))).isEqualTo(Generation.of(3));
    }

    @Test
    void reproposingTheLatestContentIsIdempotent() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.propose(plan(1, 2));
      Result.Accepted again = f.accepted(new Command.ProposePlan(plan(2, 1), f.token, PLANNER, f.now));
      assertThat(again.outcome()).isEqualTo(new Outcome.PlanProposed(DDB, g, plan(1, 2).contentHash(), true));
      assertThat(f.ledger.latestGeneration(DDB)).isEqualTo(g);
    }

    @Test
    void contentEqualToAnOlderPlanGetsANewGenerationSoAFlappingTargetCanReturn() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      Generation g3 = f.publish(plan(1, 2));
      assertThat(g3).isEqualTo(Generation.of(3)).isNotEqualTo(g1);
      assertThat(f.ledger.pointer(DDB)).isEqualTo(new Pointer(3, g3));
    }
  }

  @Nested
  class Votes {
    @Test
    void duplicateVoteFromOneAzDoesNotCountTwice() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.propose(plan(1, 2));
      f.vote(g, AZ_A, true);
      Result.Rejected r = f.rejected(new Command.Vote(DDB, g, AZ_A, true, "again", ActorId.of("validator@az-a"), f.now),
          RejectCode.DUPLICATE_VOTE);
      assertThat(r.message()).contains("one vote per AZ");
      assertThat(f.ledger.plan(DDB, g).orElseThrow().approvals()).isEqualTo(1);
      f.rejected(f.advanceCmd(g), RejectCode.NO_QUORUM);
    }

    @Test
    void voteFromAnAzThatIsNotAVoterIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.propose(plan(1, 2));
      f.rejected(new Command.Vote(DDB, g, AzId.of("az-z"), true, "", ActorId.of("validator@az-z"), f.now),
          RejectCode.UNKNOWN_AZ);
    }

    @Test
    void voteFromAPausedAzIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.propose(plan(1, 2));
      f.accepted(new Command.Pause(PauseScope.az(AZ_C), "AZ evacuated", ALICE, f.now));
      f.rejected(new Command.Vote(DDB, g, AZ_C, true, "", ActorId.of("validator@az-c"), f.now), RejectCode.PAUSED);
    }

    @Test
    void voteOnAMissingPlanIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      f.rejected(new Command.Vote(DDB, Generation.of(9), AZ_A, true, "", ActorId.of("validator@az-a"), f.now),
          RejectCode.UNKNOWN_PLAN);
    }

    @Test
    void quorumOfRejectionsRejectsThePlan() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.propose(plan(1, 2));
      f.vote(g, AZ_A, false);
      f.vote(g, AZ_B, false);
      assertThat(f.ledger.plan(DDB, g).orElseThrow().state()).isEqualTo(PlanState.REJECTED);
      Result.Rejected r = f.rejected(f.advanceCmd(g), RejectCode.PLAN_REJECTED);
      assertThat(r.message()).contains("az-a (unhealthy from az-a)");
    }
  }

  @Nested
  class Pointer_ {
    @Test
    void advanceWithoutAQuorumOfAzsIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.propose(plan(1, 2));
      f.vote(g, AZ_A, true);
      Result.Rejected r = f.rejected(f.advanceCmd(g), RejectCode.NO_QUORUM);
      assertThat(r.message()).contains("approvals from az-a").contains("needs 2 distinct AZs");
      assertThat(f.ledger.pointer(DDB)).isEqualTo(Pointer.INITIAL);
    }

    @Test
    void advanceFromAStaleExpectedVersionIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2));
      Generation g2 = f.propose(plan(1, 2, 3));
      f.approveBy(g2, AZ_A, AZ_B);
      Result.Rejected r = f.rejected(new Command.AdvancePointer(DDB, 0, g2, f.token, PLANNER, f.now),
          RejectCode.VERSION_MISMATCH);
      assertThat(r.message()).contains("expected the pointer of dynamodb at version 0, but it is at v1/g1");
    }

    @Test
    void pointerNeverMovesToAnOlderGeneration() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.propose(plan(1, 2));
      f.approveBy(g1, AZ_A, AZ_B);
      f.publish(plan(1, 2, 3));
      Result.Rejected r = f.rejected(f.advanceCmd(g1), RejectCode.GENERATION_NOT_NEWER);
      assertThat(r.message()).contains("I2").contains("rolls back");
      assertThat(f.ledger.pointer(DDB).generation()).isEqualTo(Generation.of(2));
    }

    @Test
    void staleEpochCannotAdvancePointer() {
      LedgerFixture f = LedgerFixture.withService();
      FencingToken old = f.token;
      Generation g = f.propose(plan(1, 2));
      f.approveBy(g, AZ_A, AZ_B);
      f.accepted(new Command.AcquireAuthority(10_000, true, ActorId.of("controller:shadow"), f.now));
      Result.Rejected r = f.rejected(new Command.AdvancePointer(DDB, 0, g, old, PLANNER, f.now), RejectCode.STALE_TOKEN);
      assertThat(r.message()).contains("not the current epoch's token").contains("controller:shadow");
      assertThat(f.ledger.pointer(DDB)).isEqualTo(Pointer.INITIAL);
    }

    @Test
    void automationWithoutAnyAuthorityGrantIsRejected() {
      LedgerFixture f = new LedgerFixture();
      f.accepted(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(API, STREAMS), List.of(AZ_A, AZ_B, AZ_C),
          ServicePolicy.DEFAULT), ALICE, f.now));
      f.rejected(new Command.ProposePlan(plan(1), FencingToken.NONE, PLANNER, f.now), RejectCode.NO_AUTHORITY);
    }

    @Test
    void pausedServiceCannotAdvanceUntilResumed() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.propose(plan(1, 2));
      f.approveBy(g, AZ_A, AZ_B);
      f.accepted(new Command.Pause(PauseScope.service(DDB), "incident 42", ALICE, f.now));
      assertThat(f.rejected(f.advanceCmd(g), RejectCode.PAUSED).message()).contains("incident 42");
      f.accepted(new Command.Resume(PauseScope.service(DDB), "", ALICE, f.now));
      f.accepted(f.advanceCmd(g));
    }

    @Test
    void globalPauseStopsProposalsToo() {
      LedgerFixture f = LedgerFixture.withService();
      f.accepted(new Command.Pause(PauseScope.GLOBAL, "freeze", ALICE, f.now));
      f.rejected(new Command.ProposePlan(plan(1), f.token, PLANNER, f.now), RejectCode.PAUSED);
      f.rejected(new Command.Pause(PauseScope.GLOBAL, "again", ALICE, f.now), RejectCode.NOT_IN_EFFECT);
    }

    @Test
    void pinnedServiceCannotAdvanceOrRollBack() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      Generation g3 = f.propose(plan(1, 2, 3, 4));
      f.approveBy(g3, AZ_A, AZ_B);
      f.accepted(new Command.Pin(DDB, "hold during migration", ALICE, f.now));
      f.rejected(f.advanceCmd(g3), RejectCode.PINNED);
      f.rejected(new Command.Rollback(DDB, g1, "bad", ALICE, f.now), RejectCode.PINNED);
      f.accepted(new Command.Unpin(DDB, "", ALICE, f.now));
      f.accepted(f.advanceCmd(g3));
    }

    @Test
    void velocityLimitRejectsTooManyAutomatedMovesInTheWindow() {
      LedgerFixture f = LedgerFixture.withService(ServicePolicy.DEFAULT.withVelocity(2, 10_000));
      f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      Generation g3 = f.propose(plan(1, 2, 3, 4));
      f.approveBy(g3, AZ_A, AZ_B);
      assertThat(f.rejected(f.advanceCmd(g3), RejectCode.VELOCITY_LIMIT).message()).contains("velocity limit");
      f.tick(10_000);
      f.accepted(f.advanceCmd(g3));
    }
  }

  @Nested
  class ChangeBudget {
    @Test
    void removingMoreThanTheBudgetWaitsForAnOperator() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2, 3, 4));
      Generation g2 = f.propose(plan(1));
      f.approveBy(g2, AZ_A, AZ_B);
      Result.Accepted r = f.accepted(f.advanceCmd(g2));
      Outcome.ApprovalRequired pending = (Outcome.ApprovalRequired) r.outcome();
      assertThat(pending.why()).contains("lose 3 of its 4 targets");
      assertThat(f.ledger.pointer(DDB).generation()).isEqualTo(Generation.of(1));
      assertThat(f.ledger.pendingApprovals()).singleElement().satisfies(p -> assertThat(p.generation()).isEqualTo(g2));

      f.accepted(new Command.Approve(pending.pendingId(), "backends really are down", ALICE, f.now));
      assertThat(f.ledger.pointer(DDB)).isEqualTo(new Pointer(2, g2));
      assertThat(f.ledger.pendingApprovals()).isEmpty();
    }

    @Test
    void removingExactlyTheBudgetIsAllowed() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2, 3, 4));
      f.publish(plan(1, 2));
      assertThat(f.ledger.pointer(DDB).version()).isEqualTo(2);
    }

    @Test
    void requesterCannotApproveItsOwnStep() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2, 3, 4));
      Generation g2 = f.propose(plan(1));
      f.approveBy(g2, AZ_A, AZ_B);
      long id = ((Outcome.ApprovalRequired) f.accepted(f.advanceCmd(g2)).outcome()).pendingId();
      assertThat(f.rejected(new Command.Approve(id, "", PLANNER, f.now), RejectCode.SELF_APPROVAL).message())
          .contains("two-person rule");
    }

    @Test
    void rejectedStepIsDiscarded() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2, 3, 4));
      Generation g2 = f.propose(plan(1));
      f.approveBy(g2, AZ_A, AZ_B);
      long id = ((Outcome.ApprovalRequired) f.accepted(f.advanceCmd(g2)).outcome()).pendingId();
      f.accepted(new Command.Reject(id, "the checks are wrong, not the targets", ALICE, f.now));
      f.rejected(new Command.Approve(id, "", BOB, f.now), RejectCode.UNKNOWN_PENDING);
      assertThat(f.ledger.pointer(DDB).generation()).isEqualTo(Generation.of(1));
    }

    @Test
    void pendingStepIsDroppedWhenThePointerMovesPastIt() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2, 3, 4));
      Generation g2 = f.propose(plan(1));
      f.approveBy(g2, AZ_A, AZ_B);
      long id = ((Outcome.ApprovalRequired) f.accepted(f.advanceCmd(g2)).outcome()).pendingId();
      f.publish(plan(1, 2, 3));
      f.rejected(new Command.Approve(id, "", ALICE, f.now), RejectCode.UNKNOWN_PENDING);
    }
  }

  @Nested
  class Rollbacks {
    @Test
    void rollbackPublishesOldContentUnderANewHigherGeneration() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      Generation g2 = f.publish(plan(1, 2, 3));
      Result.Accepted r = f.accepted(new Command.Rollback(DDB, g1, "g2 sends traffic to a drained LB", ALICE, f.now));
      Outcome.RolledBack rb = (Outcome.RolledBack) r.outcome();
      assertThat(rb.pointer()).isEqualTo(new Pointer(3, Generation.of(3)));
      StoredPlan g3 = f.ledger.plan(DDB, Generation.of(3)).orElseThrow();
      assertThat(g3.contentHash()).isEqualTo(plan(1, 2).contentHash());
      assertThat(g3.provenance()).isEqualTo(Provenance.rollback(g1, g2));
      assertThat(f.ledger.audit().get(r.eventId()).actor()).isEqualTo(ALICE.value());
      assertThat(f.ledger.audit().get(r.eventId()).detail()).contains("drained LB");
    }

    @Test
    void generationRolledBackFromCanNeverBeAdvancedToAgain() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      Generation g2 = f.publish(plan(1, 2, 3));
      f.accepted(new Command.Rollback(DDB, g1, "g2 is bad", ALICE, f.now));
      // A delayed Planner that still believes in g2 can neither win the CAS nor go backwards.
      f.rejected(new Command.AdvancePointer(DDB, 1, g2, f.token, PLANNER, f.now), RejectCode.VERSION_MISMATCH);
      f.rejected(f.advanceCmd(g2), RejectCode.GENERATION_NOT_NEWER);
      assertThat(f.ledger.pointer(DDB)).isEqualTo(new Pointer(3, Generation.of(3)));
    }

    @Test
    void rollbackToThePurgedPlanIsRejected() {
      LedgerFixture f = LedgerFixture.withService(ServicePolicy.DEFAULT.withQuarantineTtlMillis(0));
      Generation g1 = f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      f.publish(plan(1, 2, 3, 4));
      f.accepted(new Command.MarkForDeletion(DDB, g1, f.token, JANITOR, f.now));
      f.accepted(new Command.Purge(DDB, g1, f.token, JANITOR, f.now));
      f.rejected(new Command.Rollback(DDB, g1, "", ALICE, f.now), RejectCode.PLAN_DELETED);
    }

    @Test
    void rollbackToTheActiveContentIsRejectedAsNothingToDo() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      f.rejected(new Command.Rollback(DDB, g1, "", ALICE, f.now), RejectCode.NOTHING_TO_ROLL_BACK);
    }
  }

  @Nested
  class StagedDeletion {
    @Test
    void activePlanCannotBeMarkedForDeletion() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      assertThat(f.rejected(new Command.MarkForDeletion(DDB, g1, f.token, JANITOR, f.now), RejectCode.PLAN_REFERENCED)
          .message()).contains("it is the active plan");
    }

    @Test
    void lastKnownGoodPlanCannotBeMarkedForDeletion() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      assertThat(f.rejected(new Command.MarkForDeletion(DDB, g1, f.token, JANITOR, f.now), RejectCode.PLAN_REFERENCED)
          .message()).contains("last-known-good");
    }

    @Test
    void planAwaitingApprovalCannotBeMarkedForDeletion() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2, 3, 4));
      Generation g2 = f.propose(plan(1));
      f.approveBy(g2, AZ_A, AZ_B);
      f.accepted(f.advanceCmd(g2));
      assertThat(f.rejected(new Command.MarkForDeletion(DDB, g2, f.token, JANITOR, f.now), RejectCode.PLAN_REFERENCED)
          .message()).contains("pending approval");
    }

    @Test
    void planStillLiveInDnsCannotBeMarkedForDeletion() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      f.reportApplied(API, AZ_A);
      f.publish(plan(1, 2, 3));
      f.publish(plan(1, 2, 3, 4));
      assertThat(f.rejected(new Command.MarkForDeletion(DDB, g1, f.token, JANITOR, f.now), RejectCode.PLAN_REFERENCED)
          .message()).contains("DNS still publishes it for " + API);
    }

    @Test
    void inFlightPlanCannotBeMarkedForDeletion() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2));
      Generation g2 = f.propose(plan(1, 2, 3));
      assertThat(f.rejected(new Command.MarkForDeletion(DDB, g2, f.token, JANITOR, f.now), RejectCode.PLAN_REFERENCED)
          .message()).contains("in flight");
    }

    @Test
    void purgeWaitsOutTheQuarantineTtl() {
      LedgerFixture f = LedgerFixture.withService(ServicePolicy.DEFAULT.withQuarantineTtlMillis(60_000));
      Generation g1 = f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      f.publish(plan(1, 2, 3, 4));
      f.accepted(new Command.MarkForDeletion(DDB, g1, f.token, JANITOR, f.now));
      f.tick(59_999);
      assertThat(f.rejected(new Command.Purge(DDB, g1, f.token, JANITOR, f.now), RejectCode.QUARANTINE_NOT_ELAPSED)
          .message()).contains("1 ms to go");
      f.tick(1);
      f.accepted(new Command.Purge(DDB, g1, f.token, JANITOR, f.now));
      StoredPlan purged = f.ledger.plan(DDB, g1).orElseThrow();
      assertThat(purged.state()).isEqualTo(PlanState.PURGED);
      assertThat(purged.content()).isEmpty();
    }

    @Test
    void planThatWasNotMarkedCannotBePurged() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2));
      Generation g2 = f.propose(plan(1, 2, 3));
      f.rejected(new Command.Purge(DDB, g2, f.token, JANITOR, f.now), RejectCode.INVALID_PLAN_STATE);
    }

    @Test
    void quarantinedPlanThatDnsReportsLiveAgainIsNotPurged() {
      LedgerFixture f = LedgerFixture.withService(ServicePolicy.DEFAULT.withQuarantineTtlMillis(0));
      Generation g1 = f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      f.publish(plan(1, 2, 3, 4));
      f.accepted(new Command.MarkForDeletion(DDB, g1, f.token, JANITOR, f.now));
      // A delayed Enactor reports version 1 for an endpoint no one reported before: DNS shows g1.
      f.accepted(new Command.RecordApplied(DDB, STREAMS, 1, g1, AZ_C, f.token, ActorId.of("enactor@az-c"), f.now));
      f.rejected(new Command.Purge(DDB, g1, f.token, JANITOR, f.now), RejectCode.PLAN_REFERENCED);
    }
  }

  @Nested
  class Applied {
    @Test
    void reportOfAVersionTheLedgerNeverPublishedIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      f.rejected(new Command.RecordApplied(DDB, API, 1, g1.next(), AZ_A, f.token, ActorId.of("enactor@az-a"), f.now),
          RejectCode.UNKNOWN_VERSION);
      f.rejected(new Command.RecordApplied(DDB, API, 7, g1, AZ_A, f.token, ActorId.of("enactor@az-a"), f.now),
          RejectCode.UNKNOWN_VERSION);
    }

    @Test
    void reportThatDnsWentBackwardsIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g1 = f.publish(plan(1, 2));
      f.publish(plan(1, 2, 3));
      f.reportApplied(API, AZ_A);
      Result.Rejected r = f.rejected(new Command.RecordApplied(DDB, API, 1, g1, AZ_B, f.token,
          ActorId.of("enactor@az-b"), f.now), RejectCode.STALE_REPORT);
      assertThat(r.message()).contains("I2");
      assertThat(f.ledger.applied(DDB).get(API).version()).isEqualTo(2);
    }

    @Test
    void appliedRecordNamesItsAdvanceAsCausalParent() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2));
      long advanceEvent = f.ledger.pointerHistory(DDB).get(1L).eventId();
      f.reportApplied(API, AZ_A);
      AuditEvent e = f.ledger.audit().get(f.ledger.audit().size() - 1);
      assertThat(e.parents()).containsExactly(advanceEvent);
    }
  }

  @Nested
  class Observations {
    @Test
    void observationIsAuditedFromAnyActorWithoutChangingState() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2));
      byte[] before = f.ledger.toSnapshot();
      Result.Accepted r = f.accepted(new Command.Observe(DDB, java.util.Optional.of(API), Command.Observation.DRIFT,
          "DNS serves 10.9.9.9, the ledger says 10.0.0.1, 10.0.0.2", AZ_B, ActorId.of("auditor@az-b"), f.now));
      AuditEvent e = f.ledger.audit().get(r.eventId());
      assertThat(e.code()).isEqualTo("DRIFT");
      assertThat(e.detail()).contains("az-b: DNS serves 10.9.9.9");
      assertThat(f.ledger.pointer(DDB)).isEqualTo(LedgerState.fromSnapshot(before).pointer(DDB));
    }

    @Test
    void observationOfAnUnknownEndpointIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      f.rejected(new Command.Observe(DDB, java.util.Optional.of(dev.bulwark.core.EndpointName.of("other.example")),
          Command.Observation.DRIFT, "", AZ_B, ActorId.of("auditor@az-b"), f.now), RejectCode.INVALID_ARGUMENT);
    }
  }

  @Nested
  class Authority {
    @Test
    void fencingTokenIsTheLogIndexOfTheGrant() {
      LedgerFixture f = new LedgerFixture();
      f.tick(1);
      f.apply(new Command.Pause(PauseScope.GLOBAL, "", ALICE, f.now));
      FencingToken t = f.acquire(CONTROLLER);
      assertThat(t).isEqualTo(FencingToken.of(2));
      assertThat(f.ledger.authority().orElseThrow().epoch().value()).isEqualTo(1);
    }

    @Test
    void liveLeaseOfAnotherHolderCannotBeTaken() {
      LedgerFixture f = LedgerFixture.withService();
      Result.Rejected r = f.rejected(new Command.AcquireAuthority(10_000, false, ActorId.of("controller:shadow"), f.now),
          RejectCode.LEASE_HELD);
      assertThat(r.message()).contains("controller:primary holds authority");
    }

    @Test
    void lapsedLeaseCanBeTakenAndFencesTheOldHolder() {
      LedgerFixture f = LedgerFixture.withService();
      FencingToken old = f.token;
      f.tick(10_000);
      FencingToken next = f.acquire(ActorId.of("controller:shadow"));
      assertThat(next).isGreaterThan(old);
      f.rejected(new Command.RenewAuthority(10_000, old, CONTROLLER, f.now), RejectCode.STALE_TOKEN);
      f.rejected(new Command.ProposePlan(plan(1), old, PLANNER, f.now), RejectCode.STALE_TOKEN);
    }

    @Test
    void onlyTheHolderCanRenew() {
      LedgerFixture f = LedgerFixture.withService();
      f.rejected(new Command.RenewAuthority(10_000, f.token, ActorId.of("controller:shadow"), f.now),
          RejectCode.NOT_LEASE_HOLDER);
      f.tick(5_000);
      Result.Accepted r = f.accepted(new Command.RenewAuthority(10_000, f.token, CONTROLLER, f.now));
      assertThat(((Outcome.AuthorityRenewed) r.outcome()).expiresAtMillis()).isEqualTo(f.now + 10_000);
    }

    @Test
    void tokenFromTheFutureIsRejected() {
      LedgerFixture f = LedgerFixture.withService();
      f.rejected(new Command.ProposePlan(plan(1), FencingToken.of(f.token.logIndex() + 100), PLANNER, f.now),
          RejectCode.STALE_TOKEN);
    }
  }

  @Nested
  class AuditTrail {
    @Test
    void everyCommandAcceptedOrRejectedAppendsOneEvent() {
      LedgerFixture f = LedgerFixture.withService();
      long before = f.ledger.audit().size();
      f.rejected(new Command.ProposePlan(plan(), f.token, PLANNER, f.now), RejectCode.EMPTY_ENDPOINT);
      f.propose(plan(1));
      assertThat(f.ledger.audit().size()).isEqualTo(before + 2);
    }

    @Test
    void advanceNamesItsProposalAndVotesAsCausalParents() {
      LedgerFixture f = LedgerFixture.withService();
      Generation g = f.publish(plan(1, 2));
      StoredPlan p = f.ledger.plan(DDB, g).orElseThrow();
      long advanceEvent = f.ledger.pointerHistory(DDB).get(1L).eventId();
      List<Long> expected = new ArrayList<>();
      expected.add(p.proposalEventId());
      p.votes().values().forEach(b -> expected.add(b.eventId()));
      assertThat(f.ledger.audit().get(advanceEvent).parents()).containsExactlyElementsOf(expected);
    }

    @Test
    void tamperedSnapshotIsRefusedNamingTheFirstBadLink() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2));
      byte[] snapshot = f.ledger.toSnapshot();
      String victim = "approved by az-a, az-b";
      int at = indexOf(snapshot, victim.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(at).isPositive();
      snapshot[at] = 'X';
      assertThatThrownBy(() -> LedgerState.fromSnapshot(snapshot))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("audit chain broken")
          .hasMessageContaining("AdvancePointer")
          .hasMessageContaining("content was changed");
    }

    private int indexOf(byte[] hay, byte[] needle) {
      outer:
      for (int i = 0; i + needle.length <= hay.length; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (hay[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }

  @Nested
  class Replication {
    @Test
    void applyingALogIndexTwiceIsABugThatStopsTheReplica() {
      LedgerFixture f = LedgerFixture.withService();
      assertThatThrownBy(() -> f.ledger.apply(f.logIndex, new Command.Pause(PauseScope.GLOBAL, "", ALICE, f.now)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("increasing order");
    }

    @Test
    void snapshotRestoresTheSameStateAndTheSameFuture() {
      LedgerFixture f = LedgerFixture.withService();
      f.publish(plan(1, 2));
      Generation g2 = f.propose(plan(1, 2, 3));
      f.vote(g2, AZ_A, true);
      LedgerFixture copy = new LedgerFixture(LedgerState.fromSnapshot(f.ledger.toSnapshot()));
      copy.logIndex = f.logIndex;
      copy.token = f.token;
      assertThat(copy.ledger.toSnapshot()).isEqualTo(f.ledger.toSnapshot());
      Command next = new Command.Vote(DDB, g2, AZ_C, true, "", ActorId.of("validator@az-c"), f.now);
      assertThat(copy.apply(next)).isEqualTo(f.apply(next));
      assertThat(copy.apply(f.advanceCmd(g2))).isEqualTo(f.apply(f.advanceCmd(g2)));
      assertThat(copy.ledger.toSnapshot()).isEqualTo(f.ledger.toSnapshot());
    }

    @Test
    void commandsSurviveTheirEncoding() {
      LedgerFixture f = LedgerFixture.withService();
      List<Command> commands = List.of(
          new Command.ProposePlan(plan(1, 2), f.token, PLANNER, 7),
          new Command.Vote(DDB, Generation.of(3), AZ_B, false, "ünïcode reason", ActorId.of("validator@az-b"), 8),
          new Command.AdvancePointer(DDB, 4, Generation.of(5), f.token, PLANNER, 9),
          new Command.Pause(PauseScope.az(AZ_C), "x", ALICE, 10),
          new Command.AcquireAuthority(500, true, BOB, 11));
      for (Command c : commands) {
        assertThat(Codec.decode(Codec.encode(c))).isEqualTo(c);
      }
    }

    @Test
    void truncatedCommandIsRefusedWithAMessage() {
      byte[] bytes = Codec.encode(new Command.Pin(DDB, "why", ALICE, 1));
      byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);
      assertThatThrownBy(() -> Codec.decode(cut))
          .isInstanceOf(Codec.MalformedCommandException.class)
          .hasMessageContaining("truncated");
    }
  }
}
