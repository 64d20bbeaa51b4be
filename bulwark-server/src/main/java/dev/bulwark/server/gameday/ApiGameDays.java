package dev.bulwark.server.gameday;

import dev.bulwark.chaos.Mode;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.ScenarioException;
import dev.bulwark.chaos.ScenarioParser;
import dev.bulwark.server.api.GameDays;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * The API's game days: the scenarios in a directory (parsed on every call, so an edited file is
 * picked up) run by a {@link GameDayService}, one at a time, each against its own fresh embedded
 * Bulwark; a running {@code bulwark up} is never touched.
 */
public final class ApiGameDays implements GameDays {
  private final Path scenarios;
  private final GameDayService service;

  /** Serves the {@code *.yaml} scenarios of {@code scenarios} through {@code service}. */
  public ApiGameDays(Path scenarios, GameDayService service) {
    this.scenarios = scenarios;
    this.service = service;
  }

  /** The scenarios directory beside the working directory (or up to three parents), if there is one. */
  public static Optional<Path> findScenarios() {
    return GameDayCommand.ListCommand.findScenarios(Path.of("").toAbsolutePath());
  }

  @Override
  public List<ScenarioInfo> scenarios() {
    List<ScenarioInfo> out = new ArrayList<>();
    for (Path f : files()) {
      try {
        Scenario s = ScenarioParser.parse(f);
        out.add(new ScenarioInfo(s.name(), s.title(), s.mode().yamlName(), f.getFileName().toString()));
      } catch (ScenarioException e) {
        // A malformed file is reported by 'bulwark gameday list'; it can't be started here.
      }
    }
    return out;
  }

  @Override
  public Run start(String name, Optional<String> mode, OptionalInt repetitions) {
    Path file = files().stream().filter(f -> stem(f).equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no scenario '" + name + "' in " + scenarios
            + "; GET /api/v1/gamedays/scenarios lists them"));
    Optional<Mode> m = mode.map(x -> Arrays.stream(Mode.values()).filter(v -> v.yamlName().equals(x)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("mode must be safe or legacy, but was '" + x + "'")));
    Scenario s;
    try {
      s = ScenarioParser.parse(file);
    } catch (ScenarioException e) {
      throw new IllegalArgumentException("scenario '" + name + "' is malformed: " + e.getMessage(), e);
    }
    return view(service.start(s, m, repetitions));
  }

  @Override
  public List<Run> runs() {
    return service.list().stream().map(ApiGameDays::view).toList();
  }

  @Override
  public Optional<Run> run(String id) {
    return service.status(id).map(ApiGameDays::view);
  }

  @Override
  public Optional<byte[]> report(String id) {
    return service.report(id).map(p -> {
      try {
        return Files.readAllBytes(p);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the report " + p, e);
      }
    });
  }

  private List<Path> files() {
    if (!Files.isDirectory(scenarios)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(scenarios)) {
      return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + scenarios, e);
    }
  }

  private static String stem(Path f) {
    String n = f.getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  private static Run view(GameDayService.Status s) {
    return new Run(s.id(), s.scenario(), s.title(), s.mode().yamlName(), s.repetitions(), s.state().name(),
        s.startedAtMillis(), s.finishedAtMillis().isPresent() ? s.finishedAtMillis().getAsLong() : null,
        s.exitCode().isPresent() ? s.exitCode().getAsInt() : null, s.verdictLine().orElse(null), s.progress());
  }
}
