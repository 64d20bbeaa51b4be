package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import dev.bulwark.core.Generation;

/** One step in a service's pointer history: version {@code version} showed {@code generation}. */
public record PointerMove(long version, Generation generation, long atMillis, long eventId) {
  public PointerMove {
    Check.arg(version >= 1, "version must be >= 1");
    Check.notNull(generation, "generation");
  }
}
