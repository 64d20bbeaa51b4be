package dev.bulwark.core.ledger;

import java.util.OptionalLong;

/**
 * The result of recomputing the audit chain.
 *
 * @param eventsChecked how many events were checked (all of them when the chain is intact)
 * @param firstBadEventId the first event whose link does not hold, if any
 * @param message "intact" or what is wrong with the first bad link
 */
public record ChainVerification(boolean intact, long eventsChecked, OptionalLong firstBadEventId, String message) {}
