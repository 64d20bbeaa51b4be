package dev.bulwark.server.api;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * Game days through the API: the shipped scenarios, starting one in the background, and its
 * progress, verdict and report. The server implements it over its game-day runner, which starts a
 * fresh embedded Bulwark per repetition; without one the routes answer 404.
 */
public interface GameDays {
  /** The scenarios that can be started, by name. */
  List<ScenarioInfo> scenarios();

  /**
   * Starts scenario {@code name} in the background.
   *
   * @param mode {@code safe} or {@code legacy} to override the scenario's own
   * @throws IllegalArgumentException for an unknown scenario, mode or repetition count (the message says which)
   * @throws IllegalStateException if a game day is already running
   */
  Run start(String name, Optional<String> mode, OptionalInt repetitions);

  /** Every game day remembered, oldest first. */
  List<Run> runs();

  /** One game day, if remembered. */
  Optional<Run> run(String id);

  /** The self-contained HTML report of a finished game day, if it wrote one. */
  Optional<byte[]> report(String id);

  /**
   * A scenario file.
   *
   * @param mode the mode it runs in unless overridden
   */
  record ScenarioInfo(String name, String title, String mode, String file) {}

  /**
   * A game day's status.
   *
   * @param state {@code RUNNING}, {@code HELD}, {@code DEVIATED} or {@code ABORTED}
   * @param exitCode what {@code bulwark gameday run} would have returned, once finished
   * @param verdict the one-line verdict, once finished
   * @param progress the progress lines so far (bounded)
   */
  record Run(String id, String scenario, String title, String mode, int repetitions, String state,
      long startedAtMillis, @Nullable Long finishedAtMillis, @Nullable Integer exitCode, @Nullable String verdict,
      List<String> progress) {}
}
