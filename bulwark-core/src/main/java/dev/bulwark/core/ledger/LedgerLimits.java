package dev.bulwark.core.ledger;

import dev.bulwark.core.Check;

/**
 * Hard bounds of the ledger, protecting memory and snapshot size from any client. Every replica
 * must run with the same limits (they are part of the snapshot and checked on restore).
 *
 * @param maxServices services that can be registered. Default {@value #DEFAULT_MAX_SERVICES}.
 * @param maxEndpointsPerService endpoints per service and so per plan. Default {@value
 *     #DEFAULT_MAX_ENDPOINTS_PER_SERVICE}.
 * @param maxTargetsPerEndpoint targets per endpoint in one plan; 64 A records still fit a 1232-byte
 *     EDNS0 answer. Default {@value #DEFAULT_MAX_TARGETS_PER_ENDPOINT}.
 * @param maxStoredPlansPerService plans not yet purged, per service; when reached, proposals are
 *     rejected until the Janitor purges. Default {@value #DEFAULT_MAX_STORED_PLANS_PER_SERVICE}.
 */
public record LedgerLimits(
    int maxServices,
    int maxEndpointsPerService,
    int maxTargetsPerEndpoint,
    int maxStoredPlansPerService) {
  public static final int DEFAULT_MAX_SERVICES = 1_000;
  public static final int DEFAULT_MAX_ENDPOINTS_PER_SERVICE = 2_000;
  public static final int DEFAULT_MAX_TARGETS_PER_ENDPOINT = 64;
  public static final int DEFAULT_MAX_STORED_PLANS_PER_SERVICE = 20_000;

  /** The documented defaults. */
  public static final LedgerLimits DEFAULT =
      new LedgerLimits(
          DEFAULT_MAX_SERVICES,
          DEFAULT_MAX_ENDPOINTS_PER_SERVICE,
          DEFAULT_MAX_TARGETS_PER_ENDPOINT,
          DEFAULT_MAX_STORED_PLANS_PER_SERVICE);

  public LedgerLimits {
    Check.arg(maxServices >= 1 && maxServices <= 100_000, "maxServices must be 1..100000, but was %d", maxServices);
    Check.arg(
        maxEndpointsPerService >= 1 && maxEndpointsPerService <= 100_000,
        "maxEndpointsPerService must be 1..100000, but was %d",
        maxEndpointsPerService);
    Check.arg(
        maxTargetsPerEndpoint >= 1 && maxTargetsPerEndpoint <= 1_000,
        "maxTargetsPerEndpoint must be 1..1000, but was %d",
        maxTargetsPerEndpoint);
    Check.arg(
        maxStoredPlansPerService >= 2 && maxStoredPlansPerService <= 1_000_000,
        "maxStoredPlansPerService must be 2..1000000, but was %d",
        maxStoredPlansPerService);
  }
}
