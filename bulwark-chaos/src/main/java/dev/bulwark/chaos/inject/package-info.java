/**
 * Building blocks for implementing {@link dev.bulwark.chaos.GameDayTarget} over a real control
 * plane: a scheduler whose clock can be skewed ({@link dev.bulwark.chaos.inject.SkewedScheduler}),
 * a health view whose verdicts can be forced ({@link dev.bulwark.chaos.inject.HealthOverride}),
 * and the minimal 2025-style planner that legacy mode needs ({@link
 * dev.bulwark.chaos.inject.LegacyPlanner}). All see only the core's ports; wire them in when a
 * control plane is built for game days, never by default.
 */
@NullMarked
package dev.bulwark.chaos.inject;

import org.jspecify.annotations.NullMarked;
