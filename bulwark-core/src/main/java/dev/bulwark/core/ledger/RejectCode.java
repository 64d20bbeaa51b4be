package dev.bulwark.core.ledger;

/**
 * Why the ledger refused a command. The names are stable: clients, dashboards and game days match
 * on them, so a code is never renamed or reused for another meaning.
 */
public enum RejectCode {
  /** The command names a service that is not registered. */
  UNKNOWN_SERVICE,
  /** The command is well-formed but one of its values is not acceptable here. */
  INVALID_ARGUMENT,
  /** A ledger limit (services, endpoints, targets, stored plans) would be exceeded. */
  LIMIT_EXCEEDED,
  /** A plan does not cover exactly the service's registered endpoints. */
  ENDPOINTS_MISMATCH,
  /** A plan leaves an endpoint without records and no decommission was approved (I1). */
  EMPTY_ENDPOINT,
  /** The named plan generation does not exist for this service. */
  UNKNOWN_PLAN,
  /** The plan's content was purged, or it is quarantined for deletion. */
  PLAN_DELETED,
  /** The plan is in a state that does not allow this command. */
  INVALID_PLAN_STATE,
  /** The AZ is not one of the service's voters. */
  UNKNOWN_AZ,
  /** The AZ already voted on this plan; votes do not count twice. */
  DUPLICATE_VOTE,
  /** Compare-and-set failed: the pointer is no longer at the expected version. */
  VERSION_MISMATCH,
  /** The pointer may only move to a newer generation (I2). */
  GENERATION_NOT_NEWER,
  /** The plan lacks approvals from a quorum of distinct AZs. */
  NO_QUORUM,
  /** A quorum of AZs rejected the plan. */
  PLAN_REJECTED,
  /** No authority has been granted yet, so automation may not act. */
  NO_AUTHORITY,
  /** The command's fencing token belongs to a superseded epoch (I3). */
  STALE_TOKEN,
  /** Another holder's authority lease is still live. */
  LEASE_HELD,
  /** Only the lease's holder may renew it. */
  NOT_LEASE_HOLDER,
  /** The scope is paused by an operator. */
  PAUSED,
  /** The service is pinned by an operator. */
  PINNED,
  /** Too many automated pointer moves in the velocity window. */
  VELOCITY_LIMIT,
  /** The plan is referenced (pointer, last-known-good, pending step, live DNS, in flight) (I4). */
  PLAN_REFERENCED,
  /** The plan's quarantine TTL has not elapsed yet (I4). */
  QUARANTINE_NOT_ELAPSED,
  /** The named pending approval does not exist (or was already decided or superseded). */
  UNKNOWN_PENDING,
  /** A step can't be approved by the identity that requested it (two-person rule). */
  SELF_APPROVAL,
  /** The pending step no longer applies: the pointer moved since it was requested. */
  PENDING_STALE,
  /** The report names a pointer version/generation pair the ledger never published. */
  UNKNOWN_VERSION,
  /** The report says DNS went back to an older version than already reported (I2). */
  STALE_REPORT,
  /** Nothing to do: the rollback target is what the pointer already shows. */
  NOTHING_TO_ROLL_BACK,
  /** The scope is not paused, or the service is not pinned. */
  NOT_IN_EFFECT
}
