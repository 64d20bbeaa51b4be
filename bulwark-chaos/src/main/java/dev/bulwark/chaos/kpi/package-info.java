/**
 * The playbook's KPIs as pure functions over a run's timeline (fault windows, control-plane events
 * and probe samples), and their p50/p90/max over repetitions. Definitions: docs/kpis.md.
 */
@NullMarked
package dev.bulwark.chaos.kpi;

import org.jspecify.annotations.NullMarked;
