package dev.bulwark.server.gameday;

import dev.bulwark.chaos.GameDay;
import dev.bulwark.chaos.GameDayResult;
import dev.bulwark.chaos.Kpi;
import dev.bulwark.chaos.Mode;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.ScenarioParser;
import dev.bulwark.chaos.Verdict;
import dev.bulwark.chaos.kpi.Stats;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The game-day benchmark, a program and not a test (STYLE.md §13): runs every shipped scenario N
 * times in each mode, each repetition against a fresh embedded Bulwark as {@code bulwark gameday
 * run} does, and prints, as a Markdown table for docs/benchmarks-gamedays.md, each KPI's p50 / p90 /
 * max (nearest rank; ∞ = absent in some run) next to the whitepaper's targets, with each
 * scenario's wall-clock time.
 *
 * <pre>
 * ./mvnw -B -ntp -q -o -pl bulwark-server -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/gameday-server.cp
 * cd bulwark-server
 * nice -n 10 java -cp "target/test-classes:target/classes:$(cat /tmp/gameday-server.cp)" \
 *     dev.bulwark.server.gameday.GameDayBenchmarkMain 10 [scenario[:reps] ...]
 * </pre>
 *
 * Run it from {@code bulwark-server/} (it reads {@code ../scenarios}); journals and reports go to
 * {@code target/gameday-benchmark/}. A scenario may carry its own repetition count, e.g. {@code
 * leader-loss-during-apply:5}. Options, anywhere after the count: {@code --mode=safe} (or {@code
 * legacy}) runs one mode only; {@code --kpis=promotionDetectMillis,promotionMillis,mttrMillis}
 * chooses the KPI columns (docs/benchmarks-control-plane.md uses both).
 */
public final class GameDayBenchmarkMain {
  private static final Kpi[] DEFAULT_SHOWN = {Kpi.MTTD_MILLIS, Kpi.MTTM_MILLIS, Kpi.MTTR_MILLIS, Kpi.MTTHI_MILLIS,
      Kpi.EMPTY_ANSWER_MILLIS, Kpi.CFI, Kpi.BRI, Kpi.RESIDUAL_DRIFT};

  private GameDayBenchmarkMain() {}

  /**
   * Args: repetitions (default 10), then scenario names, each optionally {@code :reps} (default:
   * every file in ../scenarios).
   */
  public static void main(String[] args) throws Exception {
    int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    List<String> names = new ArrayList<>();
    Map<String, Integer> repsOf = new HashMap<>();
    List<Mode> modes = List.of(Mode.values());
    Kpi[] shown = DEFAULT_SHOWN;
    for (int i = 1; i < args.length; i++) {
      if (args[i].startsWith("--mode=")) {
        String m = args[i].substring("--mode=".length());
        modes = Stream.of(Mode.values()).filter(x -> x.yamlName().equals(m)).toList();
        if (modes.isEmpty()) {
          throw new IllegalArgumentException("--mode must be safe or legacy, but was " + m);
        }
        continue;
      }
      if (args[i].startsWith("--kpis=")) {
        shown = Stream.of(args[i].substring("--kpis=".length()).split(",")).map(k -> Kpi.byYamlName(k)
            .orElseThrow(() -> new IllegalArgumentException("unknown KPI " + k))).toArray(Kpi[]::new);
        continue;
      }
      String[] nameAndReps = args[i].split(":", 2);
      names.add(nameAndReps[0]);
      if (nameAndReps.length == 2) {
        repsOf.put(nameAndReps[0], Integer.parseInt(nameAndReps[1]));
      }
    }
    if (names.isEmpty()) {
      try (Stream<Path> s = Files.list(Path.of("..", "scenarios"))) {
        s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted()
            .forEach(n -> names.add(n.substring(0, n.length() - 5)));
      }
    }
    Path out = Path.of("target", "gameday-benchmark");
    StringBuilder table = new StringBuilder();
    table.append("| scenario | mode | verdicts | wall clock | ");
    for (Kpi k : shown) {
      table.append(k.yamlName()).append(" p50 / p90 / max | ");
    }
    table.append("\n|---|---|---|---|");
    for (int i = 0; i < shown.length; i++) {
      table.append("---|");
    }
    table.append('\n');
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    for (String name : names) {
      Scenario s = ScenarioParser.parse(Path.of("..", "scenarios", name + ".yaml"));
      int n = repsOf.getOrDefault(name, reps);
      for (Mode mode : modes) {
        long t0 = System.nanoTime();
        GameDayResult r = GameDayService.runNow(s, new GameDay.Options(Optional.of(mode), OptionalInt.of(n),
            Optional.of(out)), quiet);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
        System.out.println(r.oneLine() + " [" + seconds + " s]");
        long held = r.runs().stream().filter(x -> x.verdict() == Verdict.HELD).count();
        table.append("| ").append(name).append(" | ").append(mode.yamlName()).append(" | ")
            .append(String.format(Locale.ROOT, "%d/%d held", held, r.runs().size())).append(" | ")
            .append(seconds).append(" s | ");
        List<Stats> stats = r.stats();
        for (Kpi k : shown) {
          Stats st = stats.get(k.ordinal());
          table.append(Stats.show(st.p50())).append(" / ").append(Stats.show(st.p90())).append(" / ")
              .append(Stats.show(st.max())).append(" | ");
        }
        table.append('\n');
      }
    }
    System.out.println();
    System.out.println("Whitepaper targets: MTTD < 120000 ms, MTTM < 1800000 ms, MTTR < 3600000 ms (Appendix C: < 30000"
        + " ms), MTTHI < 300000 ms, CFI < 0.05, BRI < 3; Scenario 2: MTTD < 60000 ms, promotion < 300000 ms, zero"
        + " state loss, all changes audited.");
    System.out.println();
    System.out.print(table);
  }
}
