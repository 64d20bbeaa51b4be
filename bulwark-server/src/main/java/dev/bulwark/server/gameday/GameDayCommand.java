package dev.bulwark.server.gameday;

import dev.bulwark.chaos.GameDay;
import dev.bulwark.chaos.GameDayResult;
import dev.bulwark.chaos.Mode;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.ScenarioException;
import dev.bulwark.chaos.ScenarioParser;
import dev.bulwark.server.metrics.LogSetup;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bulwark gameday}: lists the shipped scenarios and runs one against a fresh embedded
 * Bulwark per repetition (docs/gamedays.md).
 */
@Command(
    name = "gameday",
    mixinStandardHelpOptions = true,
    description = {"Game days: inject real faults into a fresh embedded Bulwark, watch it as a DNS user would,"
        + " and report the playbook's KPIs (docs/gamedays.md, docs/kpis.md)."},
    subcommands = {GameDayCommand.ListCommand.class, GameDayCommand.RunCommand.class})
public final class GameDayCommand implements Runnable {
  /** The directory of shipped scenarios, looked for in the working directory and its parents. */
  public static final String SCENARIOS_DIR = "scenarios";

  /** How many parent directories {@code gameday list} climbs looking for {@value #SCENARIOS_DIR}. */
  static final int MAX_PARENT_LEVELS = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Created by picocli. */
  public GameDayCommand() {}

  /** Without a subcommand: prints the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code bulwark gameday list}: one line per scenario file. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists the scenarios: name, the modes it runs in (its default first) and title, one line each.",
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:listed", "2:no scenarios directory, or a scenario file is malformed (file:line:column)"})
  static final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR",
        description = "The directory of scenario files (default: '" + SCENARIOS_DIR + "' in the working directory"
            + " or one of its parents).")
    @Nullable Path dir;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Optional<Path> found = dir != null ? Optional.of(dir) : findScenarios(Path.of("").toAbsolutePath());
      if (found.isEmpty() || !Files.isDirectory(found.get())) {
        err.println("error: " + (found.isEmpty() ? "no '" + SCENARIOS_DIR + "' directory in "
            + Path.of("").toAbsolutePath() + " or its parents" : found.get() + " is not a directory")
            + "; run from the Bulwark checkout, or give the directory with --dir DIR");
        return 2;
      }
      List<Path> files;
      try (Stream<Path> s = Files.list(found.get())) {
        files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
      }
      List<String[]> rows = new ArrayList<>();
      List<String> errors = new ArrayList<>();
      for (Path f : files) {
        try {
          Scenario s = ScenarioParser.parse(f);
          Mode other = s.mode() == Mode.SAFE ? Mode.LEGACY : Mode.SAFE;
          rows.add(new String[] {s.name(), s.mode().yamlName() + "|" + other.yamlName(), s.title()});
        } catch (ScenarioException e) {
          errors.add(e.getMessage());
        }
      }
      int nameWidth = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
      int modesWidth = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
      for (String[] r : rows) {
        out.println(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-" + modesWidth + "s  %s", r[0], r[1], r[2]));
      }
      if (rows.isEmpty() && errors.isEmpty()) {
        out.println("no scenario files (*.yaml) in " + found.get());
      }
      errors.forEach(e -> err.println("error: " + e));
      out.flush();
      return errors.isEmpty() ? 0 : 2;
    }

    /** The first {@value #SCENARIOS_DIR} directory in {@code from} or up to {@value #MAX_PARENT_LEVELS} parents. */
    static Optional<Path> findScenarios(Path from) {
      Path p = from;
      for (int i = 0; i <= MAX_PARENT_LEVELS && p != null; i++, p = p.getParent()) {
        if (Files.isDirectory(p.resolve(SCENARIOS_DIR))) {
          return Optional.of(p.resolve(SCENARIOS_DIR));
        }
      }
      return Optional.empty();
    }
  }

  /** {@code bulwark gameday run FILE}: runs one scenario and exits with its verdict. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {"Runs a scenario against a fresh embedded Bulwark per repetition (three ledger peers, the"
          + " embedded DNS server, loopback load balancers and the agents, or the 2025 legacy design), on free"
          + " loopback ports and in a temporary directory, so a running 'bulwark up' is never touched.",
          "Prints a progress line per event and ends with a one-line verdict; writes a JSON journal per run and"
          + " an HTML report to the output directory."},
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:HELD: the steady-state hypothesis and every success criterion held in every run",
          "1:DEVIATED: a run found a weakness (the expected result in legacy mode)",
          "2:ABORTED: a run could not be carried out (the steady state never held, a fault could not be injected),"
              + " or the scenario file is malformed (file:line:column), or a bad option"})
  static final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE",
        description = "The scenario file, e.g. scenarios/dynamodb-2025-race.yaml.")
    Path file;

    @Option(names = "--mode", paramLabel = "MODE",
        description = "safe or legacy; overrides the scenario's mode (legacy runs the 2025 design on purpose).")
    @Nullable String mode;

    @Option(names = "--repeat", paramLabel = "N",
        description = "Runs it N times (1.." + Scenario.MAX_REPETITIONS + "); overrides the scenario's repetitions;"
            + " KPIs are reported as p50/p90/max.")
    @Nullable Integer repeat;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = GameDayService.DEFAULT_OUT_DIR,
        description = "Where the JSON journals and the HTML report go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "WARN",
        description = "Level of Bulwark's own log lines on stderr: TRACE, DEBUG, INFO, WARN (default) or ERROR;"
            + " the progress lines on stdout are the game day's output.")
    String logLevel;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Optional<Mode> m;
      try {
        m = Optional.ofNullable(mode).map(RunCommand::mode);
        if (repeat != null && (repeat < 1 || repeat > Scenario.MAX_REPETITIONS)) {
          throw new IllegalArgumentException("--repeat must be 1.." + Scenario.MAX_REPETITIONS + ", but was " + repeat);
        }
        LogSetup.apply(null, logLevel);
      } catch (IllegalArgumentException e) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      Scenario scenario;
      try {
        scenario = ScenarioParser.parse(file);
      } catch (ScenarioException e) {
        err.println("error: " + e.getMessage());
        return 2;
      }
      PrintWriter out = spec.commandLine().getOut();
      GameDay.Options options = new GameDay.Options(m, repeat == null ? OptionalInt.empty() : OptionalInt.of(repeat),
          Optional.of(this.out));
      try (PrintStream progress = LineSink.printStream(line -> {
        out.println(line);
        out.flush();
      })) {
        GameDayResult r = GameDayService.runNow(scenario, options, progress);
        return r.exitCode();
      } catch (IOException e) {
        err.println("error: could not create a temporary directory for the game day: " + e.getMessage());
        return 2;
      }
    }

    private static Mode mode(String s) {
      for (Mode m : Mode.values()) {
        if (m.yamlName().equals(s.trim().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new IllegalArgumentException("--mode must be safe or legacy, but was '" + s + "'");
    }
  }
}
