/**
 * Game days run for real: {@code bulwark gameday list | run} ({@link
 * dev.bulwark.server.gameday.GameDayCommand}) and the background runner for the API ({@link
 * dev.bulwark.server.gameday.GameDayService}) drive the scenario engine of {@code bulwark-chaos}
 * against a fresh Bulwark embedded in this JVM per repetition ({@code EmbeddedGameDayTarget}).
 * docs/gamedays.md describes what a run does.
 */
@NullMarked
package dev.bulwark.server.gameday;

import org.jspecify.annotations.NullMarked;
