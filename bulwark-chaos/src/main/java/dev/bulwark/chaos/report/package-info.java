/**
 * A game day's output: the JSON journal of each run and the self-contained HTML report (inline
 * SVG timeline, KPI table; no external assets, works offline).
 */
@NullMarked
package dev.bulwark.chaos.report;

import org.jspecify.annotations.NullMarked;
