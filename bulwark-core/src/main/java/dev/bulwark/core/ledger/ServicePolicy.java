package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;

/**
 * The safety knobs of one service, set from configuration through the ledger so that every replica
 * decides with the same values.
 *
 * @param quorum distinct AZ approvals a plan needs before the pointer may move to it (I3/quorum
 *     commit); must be a strict majority of the service's voters. Default {@value
 *     #DEFAULT_QUORUM}.
 * @param maxRemovalPercent largest share of an endpoint's current targets one automated step may
 *     remove, 0..100; a larger step waits for an operator's approval (I6). Default {@value
 *     #DEFAULT_MAX_REMOVAL_PERCENT}.
 * @param maxAdvancesPerWindow automated pointer moves allowed per {@code velocityWindowMillis}
 *     (velocity limit); more are rejected until the window slides. Default {@value
 *     #DEFAULT_MAX_ADVANCES_PER_WINDOW}.
 * @param velocityWindowMillis the sliding window of the velocity limit, in ms of ledger time.
 *     Default {@value #DEFAULT_VELOCITY_WINDOW_MILLIS}.
 * @param quarantineTtlMillis how long a plan marked for deletion waits before it may be purged
 *     (I4). Default {@value #DEFAULT_QUARANTINE_TTL_MILLIS} (1 hour).
 */
public record ServicePolicy(
    int quorum,
    int maxRemovalPercent,
    int maxAdvancesPerWindow,
    long velocityWindowMillis,
    long quarantineTtlMillis) {
  public static final int DEFAULT_QUORUM = 2;
  public static final int DEFAULT_MAX_REMOVAL_PERCENT = 50;
  public static final int DEFAULT_MAX_ADVANCES_PER_WINDOW = 30;
  public static final long DEFAULT_VELOCITY_WINDOW_MILLIS = 60_000;
  public static final long DEFAULT_QUARANTINE_TTL_MILLIS = 3_600_000;

  /** Upper bound of {@code maxAdvancesPerWindow}, which also bounds the state kept for it. */
  public static final int MAX_ADVANCES_PER_WINDOW_LIMIT = 10_000;

  /** Upper bound of the velocity window and of the quarantine TTL: 30 days. */
  public static final long MAX_DURATION_MILLIS = 30L * 24 * 3_600_000;

  /** The documented defaults. */
  public static final ServicePolicy DEFAULT =
      new ServicePolicy(
          DEFAULT_QUORUM,
          DEFAULT_MAX_REMOVAL_PERCENT,
          DEFAULT_MAX_ADVANCES_PER_WINDOW,
          DEFAULT_VELOCITY_WINDOW_MILLIS,
          DEFAULT_QUARANTINE_TTL_MILLIS);

  public ServicePolicy {
    Check.arg(quorum >= 1 && quorum <= 15, "quorum must be 1..15, but was %d", quorum);
    Check.arg(
        maxRemovalPercent >= 0 && maxRemovalPercent <= 100,
        "maxRemovalPercent must be 0..100, but was %d",
        maxRemovalPercent);
    Check.arg(
        maxAdvancesPerWindow >= 1 && maxAdvancesPerWindow <= MAX_ADVANCES_PER_WINDOW_LIMIT,
        "maxAdvancesPerWindow must be 1..%d, but was %d",
        MAX_ADVANCES_PER_WINDOW_LIMIT,
        maxAdvancesPerWindow);
    Check.arg(
        velocityWindowMillis >= 1 && velocityWindowMillis <= MAX_DURATION_MILLIS,
        "velocityWindowMillis must be 1..%d, but was %d",
        MAX_DURATION_MILLIS,
        velocityWindowMillis);
    Check.arg(
        quarantineTtlMillis >= 0 && quarantineTtlMillis <= MAX_DURATION_MILLIS,
        "quarantineTtlMillis must be 0..%d, but was %d",
        MAX_DURATION_MILLIS,
        quarantineTtlMillis);
  }

  public ServicePolicy withQuorum(int q) {
    return new ServicePolicy(q, maxRemovalPercent, maxAdvancesPerWindow, velocityWindowMillis, quarantineTtlMillis);
  }

  public ServicePolicy withMaxRemovalPercent(int p) {
    return new ServicePolicy(quorum, p, maxAdvancesPerWindow, velocityWindowMillis, quarantineTtlMillis);
  }

  public ServicePolicy withVelocity(int advances, long windowMillis) {
    return new ServicePolicy(quorum, maxRemovalPercent, advances, windowMillis, quarantineTtlMillis);
  }

  public ServicePolicy withQuarantineTtlMillis(long ttl) {
    return new ServicePolicy(quorum, maxRemovalPercent, maxAdvancesPerWindow, velocityWindowMillis, ttl);
  }
}
