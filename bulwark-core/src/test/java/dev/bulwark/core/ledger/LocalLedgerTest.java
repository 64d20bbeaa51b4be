package dev.bulwark.core.ledger;

import static dev.bulwark.core.ledger.LedgerFixture.ALICE;
import static dev.bulwark.core.ledger.LedgerFixture.DDB;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.Pointer;
import dev.bulwark.core.port.Ledger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalLedgerTest {
  @Test
  void watchersHearAcceptedChangesInLogOrderAndReadsSeeThem() throws Exception {
    LedgerFixture seed = LedgerFixture.withService();
    try (LocalLedger ledger = new LocalLedger(LedgerState.fromSnapshot(seed.ledger.toSnapshot()))) {
      List<Outcome> heard = new ArrayList<>();
      List<Long> indexes = new ArrayList<>();
      Ledger.Subscription sub = ledger.watch((i, o) -> {
        heard.add(o);
        indexes.add(i);
      });
      try {
        ledger.submit(new Command.Pin(DDB, "hold", ALICE, 1)).get();
        Result rejected = ledger.submit(new Command.Pin(DDB, "again", ALICE, 2)).get();
        assertThat(rejected).isInstanceOf(Result.Rejected.class);
        ledger.submit(new Command.Unpin(DDB, "", ALICE, 3)).get();
      } finally {
        sub.close();
      }
      ledger.submit(new Command.Pin(DDB, "after the subscription ended", ALICE, 4)).get();
      assertThat(heard).containsExactly(new Outcome.PinChanged(DDB, true), new Outcome.PinChanged(DDB, false));
      assertThat(indexes).isSorted();
      assertThat(ledger.read(new LedgerQuery.PointerOf(DDB)).get()).isEqualTo(Pointer.INITIAL);
      assertThat(ledger.read(new LedgerQuery.AuditRange(0, 100)).get()).hasSize((int) seed.ledger.audit().size() + 4);
    }
  }
}
