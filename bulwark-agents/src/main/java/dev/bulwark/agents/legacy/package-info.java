/**
 * Legacy mode: a faithful reproduction of the 2025 DNS automation, for game days only. It is
 * never the default and warns loudly whenever it is constructed.
 *
 * <p>What it keeps from 2025, on purpose: plans in a mutable store without a compare-and-set
 * pointer ({@link dev.bulwark.agents.legacy.LegacyPlanStore}); Enactors that check freshness once
 * before starting, then apply endpoint by endpoint with retries and unconditional DNS updates;
 * clean-up that deletes plans more than N generations older than the one just applied, with their
 * records, even if that plan became the active one meanwhile; and an Enactor that finds the active
 * plan missing cannot proceed. Bulwark's safe mode exists so that none of this can happen; a game
 * day runs both to show the difference.
 */
@NullMarked
package dev.bulwark.agents.legacy;

import org.jspecify.annotations.NullMarked;
