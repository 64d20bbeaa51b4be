package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The life of a stored plan. Transitions not drawn here are bugs and throw.
 *
 * <pre>
 *   (proposal) ─► PROPOSED ──quorum approves──► APPROVED ──pointer moves here──► ACTIVE
 *                    │  └──quorum impossible──► REJECTED                         │
 *                    │                             │                 pointer moves on
 *   (rollback) ───────────────────────────────────────────────────────► ACTIVE   ▼
 *                    └────────────┬────────────────┴──────── APPROVED ──────► RETIRED
 *                                 ▼ (Janitor, only if unreferenced)             │
 *                          PENDING_DELETION ◄──────────────────────────────────┘
 *                                 │ quarantine TTL over, still unreferenced
 *                                 ▼
 *                               PURGED (content dropped; metadata kept for audit)
 * </pre>
 */
public enum PlanState {
  PROPOSED,
  APPROVED,
  REJECTED,
  ACTIVE,
  RETIRED,
  PENDING_DELETION,
  PURGED;

  private static final Map<PlanState, Set<PlanState>> NEXT =
      Map.of(
          PROPOSED, EnumSet.of(APPROVED, REJECTED, PENDING_DELETION),
          APPROVED, EnumSet.of(ACTIVE, PENDING_DELETION),
          REJECTED, EnumSet.of(PENDING_DELETION),
          ACTIVE, EnumSet.of(RETIRED),
          RETIRED, EnumSet.of(PENDING_DELETION),
          PENDING_DELETION, EnumSet.of(PURGED),
          PURGED, EnumSet.noneOf(PlanState.class));

  /** True if the ledger may move a plan from this state to {@code next}. */
  public boolean canMoveTo(PlanState next) {
    return NEXT.get(this).contains(next);
  }

  /** Returns {@code next} if the transition is legal; a broken transition is a bug. */
  public PlanState moveTo(PlanState next) {
    Check.state(canMoveTo(next), "illegal plan transition %s -> %s", this, next);
    return next;
  }

  /** True while the plan's content is stored (everything but PURGED). */
  public boolean hasContent() {
    return this != PURGED;
  }

  /** True for plans on their way out (quarantined or purged). */
  public boolean isDeleted() {
    return this == PENDING_DELETION || this == PURGED;
  }
}
