package dev.bulwark.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Minimal command sequences found by {@link LedgerPropertiesTest} that broke the ledger, kept as
 * regression tests now that the core is fixed (the property suite no longer steers around them:
 * {@link IntentResolver#STEER_AROUND_KNOWN_BUGS} is false).
 *
 * <p>Bug: decommission allowances (the only exception to I1) are checked when a plan is proposed
 * or rolled back to, but re-registering a service ends them without looking at the plans that use
 * them. The RegisterService is accepted and the ledger then publishes, or can still activate, a
 * plan that leaves an endpoint empty without an allowance: {@link LedgerState#checkInvariants}
 * throws, and so does {@link LedgerState#toSnapshot}, so the replica can no longer snapshot.
 *
 * <p>Bug (minor): a reason may hold an unpaired UTF-16 surrogate, which the command constructors
 * accept but {@link Codec#encode} silently turns into '?' (String#getBytes replaces it). The
 * decoded command differs from the one encoded, and a ledger fed such a command directly (as the
 * simulation does) keeps the original text in memory but snapshots the '?': a restored replica
 * then answers differently wherever the reason is echoed. Commands that arrive through the codec
 * can't carry one, since decoding refuses malformed UTF-8.
 */
class LedgerRegressionTest {
  private static final ServiceId ALPHA = ServiceId.of("alpha");
  private static final EndpointName API = EndpointName.of("api.alpha.example");
  private static final EndpointName IMG = EndpointName.of("img.alpha.example");
  private static final ActorId OPERATOR = ActorId.of("operator:alice");
  private static final ActorId PLANNER = ActorId.of("planner@az-a");
  private static final ServiceDefinition ALPHA_DEFINITION =
      ServiceDefinition.of(ALPHA, List.of(API, IMG), List.of(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c")),
          ServicePolicy.DEFAULT);

  /** A reason that no UTF-8 encoder can represent: half of a surrogate pair. */
  private static final String UNPAIRED_SURROGATE = "health checks " + (char) 0xD800 + " disagree";

  /** Applies a command that the ledger accepts; a rejection would make the reproduction moot. */
  private static void acceptedAt(LedgerState ledger, long logIndex, Command command) {
    assertThat(ledger.apply(logIndex, command)).as("%s", command).isInstanceOf(Result.Accepted.class);
  }

  /** Registers alpha, takes the lease at log index 2, allows img to be empty and proposes g1 so. */
  private static LedgerState alphaWithAnApprovedPlanThatLeavesImgEmpty() {
    LedgerState ledger = new LedgerState();
    acceptedAt(ledger, 1, new Command.RegisterService(ALPHA_DEFINITION, OPERATOR, 1_000));
    acceptedAt(ledger, 2, new Command.AcquireAuthority(30_000, false, PLANNER, 1_000));
    acceptedAt(ledger, 3, new Command.Decommission(ALPHA, IMG, "retiring the image host", OPERATOR, 1_000));
    Plan imgEmpty = Plan.of(ALPHA, Map.of(API, List.of(Target.of("10.0.0.1", 100, "az-a")), IMG, List.of()));
    acceptedAt(ledger, 4, new Command.ProposePlan(imgEmpty, FencingToken.of(2), PLANNER, 1_000));
    acceptedAt(ledger, 5, new Command.Vote(ALPHA, Generation.of(1), AzId.of("az-a"), true, "", PLANNER, 1_000));
    acceptedAt(ledger, 6, new Command.Vote(ALPHA, Generation.of(1), AzId.of("az-b"), true, "", PLANNER, 1_000));
    return ledger;
  }

  @Test
  void aPlanProposedUnderADecommissionCannotBeActivatedAfterReRegistrationEndedIt() {
    LedgerState ledger = alphaWithAnApprovedPlanThatLeavesImgEmpty();
    acceptedAt(ledger, 7, new Command.RegisterService(ALPHA_DEFINITION, OPERATOR, 1_000));

    // Nothing allows img to be empty any more, yet the advance to g1 is accepted.
    acceptedAt(ledger, 8, new Command.AdvancePointer(ALPHA, 0, Generation.of(1), FencingToken.of(2), PLANNER, 1_000));

    assertThatCode(ledger::checkInvariants).doesNotThrowAnyException();
    assertThatCode(ledger::toSnapshot).doesNotThrowAnyException();
  }

  @Test
  void reRegisteringAServiceWhoseActivePlanLeavesADecommissionedEndpointEmptyKeepsTheLedgerValid() {
    LedgerState ledger = alphaWithAnApprovedPlanThatLeavesImgEmpty();
    acceptedAt(ledger, 7, new Command.AdvancePointer(ALPHA, 0, Generation.of(1), FencingToken.of(2), PLANNER, 1_000));

    // The same definition again: accepted, and it silently ends the decommission allowance that
    // the active plan is using.
    acceptedAt(ledger, 8, new Command.RegisterService(ALPHA_DEFINITION, OPERATOR, 1_000));

    assertThatCode(ledger::checkInvariants).doesNotThrowAnyException();
    assertThatCode(ledger::toSnapshot).doesNotThrowAnyException();
  }

  @Test
  void aReasonWithAnUnpairedSurrogateIsRefusedOrSurvivesTheCodecUnchanged() {
    Throwable refused = catchThrowable(() -> new Command.Pin(ALPHA, UNPAIRED_SURROGATE, OPERATOR, 1_000));
    if (refused != null) {
      assertThat(refused).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    Command pin = new Command.Pin(ALPHA, UNPAIRED_SURROGATE, OPERATOR, 1_000);

    assertThat(Codec.decode(Codec.encode(pin))).isEqualTo(pin);
  }

  @Test
  void everyTextFieldOfACommandRefusesAnUnpairedSurrogate() {
    assertThatThrownBy(() -> new Command.Vote(ALPHA, Generation.of(1), AzId.of("az-a"), false, UNPAIRED_SURROGATE,
        PLANNER, 1_000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
    assertThat(new Command.Pin(ALPHA, "emoji \uD83D\uDE00 is fine", OPERATOR, 1).reason()).contains("\uD83D");
  }
}
