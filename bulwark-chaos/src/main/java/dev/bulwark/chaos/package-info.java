/**
 * Game days: inject real faults into a running Bulwark, watch it as a DNS user would, and report
 * the playbook's KPIs (docs/gamedays.md, docs/kpis.md).
 *
 * <p>The public surface: a {@link dev.bulwark.chaos.Scenario} read by {@link
 * dev.bulwark.chaos.ScenarioParser}; the port {@link dev.bulwark.chaos.GameDayTarget} through which
 * the engine injects faults and reads probes (the server implements it over the embedded control
 * plane; tests over an in-process world); and the engine {@link dev.bulwark.chaos.GameDay}, whose
 * {@link dev.bulwark.chaos.GameDayResult} carries the verdict and its exit code.
 */
@NullMarked
package dev.bulwark.chaos;

import org.jspecify.annotations.NullMarked;
