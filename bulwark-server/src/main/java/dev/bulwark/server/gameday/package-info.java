/**
 * Game days run for real: the scenario engine of {@code bulwark-chaos} driven against a fresh
 * Bulwark embedded in this JVM per repetition ({@code EmbeddedGameDayTarget}). docs/gamedays.md
 * describes what a run does.
 */
@NullMarked
package dev.bulwark.server.gameday;

import org.jspecify.annotations.NullMarked;
