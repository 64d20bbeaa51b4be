package dev.bulwark.chaos;

import dev.bulwark.chaos.report.HtmlReport;
import dev.bulwark.chaos.report.Journal;
import dev.bulwark.core.Check;
import dev.bulwark.core.port.Scheduler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The game-day engine: runs a {@link Scenario} against fresh {@link GameDayTarget}s, once per
 * repetition, and returns the verdict with every run's timeline and KPIs.
 *
 * <p>Each run: wait (bounded) for the steady state to hold, else abort; start recording (DNS probes,
 * control-plane events, invariant checks); inject the method's faults on the timeline and remove
 * those with a duration; run the rollbacks <em>always</em>, also after an error, then remove any
 * fault still in place; give the system {@code convergeWithinMillis} to return to steady state
 * without drift; check again; compute KPIs; judge. Time comes only from the injected {@link
 * Scheduler}.
 *
 * <p>Entry point for the CLI and the API: {@link #run(Scenario, GameDayTarget.Factory, Options)}.
 */
public final class GameDay {
  /**
   * Run options.
   *
   * @param mode overrides the scenario's mode ({@code --mode})
   * @param repetitions overrides the scenario's repetitions ({@code --repeat N})
   * @param outDir where to write the JSON journals and the HTML report ({@code --out DIR}); nothing
   *     is written when empty
   */
  public record Options(Optional<Mode> mode, OptionalInt repetitions, Optional<Path> outDir) {
    /** The scenario as written, nothing written to disk. */
    public static final Options DEFAULT = new Options(Optional.empty(), OptionalInt.empty(), Optional.empty());

    public Options {
      Check.notNull(mode, "mode");
      Check.notNull(repetitions, "repetitions");
      Check.notNull(outDir, "outDir");
    }
  }

  private final Scheduler scheduler;
  private final Progress progress;

  /**
   * An engine that reads time from and schedules on {@code scheduler} (it needs a few threads:
   * probes and injections run concurrently) and prints progress to {@code progress}.
   */
  public GameDay(Scheduler scheduler, PrintStream progress) {
    this.scheduler = Check.notNull(scheduler, "scheduler");
    this.progress = new Progress(Check.notNull(progress, "progress"));
  }

  /**
   * Runs {@code scenario} (with {@code options}' overrides) against targets from {@code factory},
   * writes the journals and the report if asked, prints the one-line verdict last, and returns the
   * result. Never throws for what happens inside a run: that is an ABORTED verdict.
   */
  public GameDayResult run(Scenario scenario, GameDayTarget.Factory factory, Options options) {
    Scenario s = options.mode().map(scenario::withMode).orElse(scenario);
    if (options.repetitions().isPresent()) {
      s = s.withRepetitions(options.repetitions().getAsInt());
    }
    progress.plain("game day: " + s.title() + " [" + s.name() + ", mode " + s.mode().yamlName() + ", "
        + s.repetitions() + (s.repetitions() == 1 ? " run" : " runs") + "]");
    if (s.mode() == Mode.LEGACY) {
      progress.plain("WARNING: legacy mode runs the 2025 design on purpose; it can empty an endpoint");
    }
    List<RunResult> runs = new ArrayList<>();
    Verdict verdict = Verdict.HELD;
    for (int rep = 1; rep <= s.repetitions(); rep++) {
      progress.plain("run " + rep + " of " + s.repetitions());
      RunResult r = new GameDayRun(s, rep, factory, scheduler, progress).execute();
      runs.add(r);
      verdict = verdict.worst(r.verdict());
      progress.plain("run " + rep + ": " + r.verdict() + (r.findings().isEmpty() ? "" : " — "
          + String.join("; ", r.findings())));
    }
    List<Path> files = new ArrayList<>();
    GameDayResult result = new GameDayResult(s, runs, verdict, files);
    if (options.outDir().isPresent()) {
      try {
        files.addAll(write(result, options.outDir().get()));
      } catch (IOException e) {
        progress.plain("could not write the journal or report to " + options.outDir().get() + ": " + e.getMessage());
        verdict = Verdict.ABORTED;
      }
      result = new GameDayResult(s, runs, verdict, files);
      files.forEach(f -> progress.plain("wrote " + f));
    }
    progress.plain(result.oneLine());
    return result;
  }

  private static List<Path> write(GameDayResult result, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> out = new ArrayList<>();
    String base = result.scenario().name() + "-" + result.scenario().mode().yamlName();
    for (RunResult r : result.runs()) {
      Path p = dir.resolve(base + "-run" + r.repetition() + ".json");
      Journal.write(result.scenario(), r, p);
      out.add(p);
    }
    Path html = dir.resolve(base + ".html");
    Files.writeString(html, HtmlReport.render(result), java.nio.charset.StandardCharsets.UTF_8);
    out.add(html);
    return out;
  }
}
