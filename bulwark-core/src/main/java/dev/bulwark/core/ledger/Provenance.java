package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import dev.bulwark.core.Generation;

/**
 * Where a plan came from: a proposal, or an operator's rollback that re-published the content of
 * {@code source} in place of {@code replaced}.
 */
public record Provenance(boolean rollback, Generation source, Generation replaced) {
  /** A plan proposed by the Planner. */
  public static final Provenance PROPOSAL = new Provenance(false, Generation.NONE, Generation.NONE);

  public Provenance {
    Check.notNull(source, "source");
    Check.notNull(replaced, "replaced");
    Check.arg(
        rollback || (source.equals(Generation.NONE) && replaced.equals(Generation.NONE)),
        "only a rollback names a source and a replaced generation");
  }

  public static Provenance rollback(Generation source, Generation replaced) {
    return new Provenance(true, source, replaced);
  }
}
