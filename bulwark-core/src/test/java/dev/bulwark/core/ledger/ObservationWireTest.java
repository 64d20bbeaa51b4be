package dev.bulwark.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.ServiceId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An observation kind travels as its ordinal, so kinds are only ever appended: a ledger written by
 * an older version must decode to the same kinds after an upgrade.
 */
class ObservationWireTest {
  @Test
  void observationKindsKeepTheirWireNumbersAndNewKindsAreAppended() {
    assertThat(Arrays.stream(Command.Observation.values()).map(Enum::name).toList()).containsExactly(
        "DRIFT", "REPAIRED", "STALE_WRITE_REFUSED", "DNS_UNAVAILABLE", "FAIL_STATIC_PAGE", "FAIL_STATIC_CLEARED",
        "SHADOW_DIVERGENCE", "PROMOTION_REQUESTED", "PROMOTED", "FENCED");
  }

  @Test
  void everyObservationKindSurvivesTheCommandAndResultCodecs() {
    for (Command.Observation kind : List.of(Command.Observation.values())) {
      Command c = new Command.Observe(ServiceId.of("dynamodb"), Optional.empty(), kind, "detail of " + kind,
          AzId.of("az-b"), ActorId.of("shadow@az-b"), 1_000);
      assertThat(Codec.decode(Codec.encode(c))).isEqualTo(c);
      Result r = new Result.Accepted(7, 3, new Outcome.Observed(ServiceId.of("dynamodb"), kind));
      assertThat(ResultCodec.decode(ResultCodec.encode(r))).isEqualTo(r);
    }
  }
}
