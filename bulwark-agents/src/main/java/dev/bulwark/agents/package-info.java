/**
 * The control plane's automation: the {@link dev.bulwark.agents.Planner}, one {@link
 * dev.bulwark.agents.Validator} and one {@link dev.bulwark.agents.Enactor} per AZ, the {@link
 * dev.bulwark.agents.Janitor}, health checks, and the authority: a {@link dev.bulwark.agents.Controller}
 * candidate (its {@link dev.bulwark.agents.AuthorityKeeper} and {@link
 * dev.bulwark.agents.ShadowController}) and per-AZ {@link dev.bulwark.agents.LeaseFollower}s.
 *
 * <p>Agents see the world only through the core's ports ({@code Ledger}, {@code DnsTarget},
 * {@code HealthSource}, {@code Scheduler}), so the same code runs against Ratis and real DNS and
 * against a simulated world. They make no safety decision of their own that the ledger or the DNS
 * compare-and-swap does not also enforce: an agent that is wrong, slow or stale is refused where
 * the data lands.
 */
@NullMarked
package dev.bulwark.agents;

import org.jspecify.annotations.NullMarked;
