package dev.bulwark.core.ledger;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.Generation;

/** The last thing an Enactor reported published in DNS for one endpoint (the live DNS marker). */
public record AppliedRecord(long version, Generation generation, AzId az, long atMillis, long eventId) {
  public AppliedRecord {
    Check.notNull(generation, "generation");
    Check.notNull(az, "az");
  }
}
