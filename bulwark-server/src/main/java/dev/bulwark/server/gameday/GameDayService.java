package dev.bulwark.server.gameday;

import dev.bulwark.chaos.GameDay;
import dev.bulwark.chaos.GameDayResult;
import dev.bulwark.chaos.Mode;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.Verdict;
import dev.bulwark.core.Check;
import dev.bulwark.core.port.SystemScheduler;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs game days: in the foreground for {@code bulwark gameday run} ({@link #runNow}), and one at a
 * time in the background for the HTTP API ({@link #start}, {@link #status}, {@link #list}, {@link
 * #report}).
 *
 * <p>Design note: every repetition runs against a fresh Bulwark embedded in this JVM ({@code
 * EmbeddedGameDayTarget}) on free loopback ports, with its state in a temporary directory that is
 * deleted afterwards, so a game day never disturbs a running {@code bulwark up} or node. Each
 * world is three Ratis peers, a DNS server and a dozen agents, so the background runner takes one
 * game day at a time and remembers at most {@value #MAX_KEPT} of them.
 *
 * <p>A background game day's states, each transition made once:
 *
 * <pre>
 *   RUNNING ──► HELD | DEVIATED | ABORTED
 * </pre>
 */
public final class GameDayService implements AutoCloseable {
  /** Where reports go when no directory is given: {@value}, relative to the working directory. */
  public static final String DEFAULT_OUT_DIR = "gameday-reports";

  /** Game days remembered by the background runner, finished ones dropped oldest first. */
  public static final int MAX_KEPT = 20;

  /** Progress lines kept per background game day; older lines are dropped first. */
  public static final int MAX_PROGRESS_LINES = 2_000;

  /** Threads of the engine's scheduler: the probes and the injections run concurrently. */
  static final int ENGINE_THREADS = 6;

  /** Where a background game day stands. */
  public enum State {
    /** Still running (its worlds starting, the method, the rollbacks or the after-checks). */
    RUNNING,
    /** Finished: the hypothesis held in every run (exit code 0). */
    HELD,
    /** Finished: some run deviated (exit code 1). */
    DEVIATED,
    /** Finished: some run could not be carried out (exit code 2). */
    ABORTED;

    static State of(Verdict v) {
      return switch (v) {
        case HELD -> HELD;
        case DEVIATED -> DEVIATED;
        case ABORTED -> ABORTED;
      };
    }
  }

  /**
   * A snapshot of one background game day.
   *
   * @param id the handle {@link #start} returned, e.g. {@code gd-3}
   * @param scenario the scenario's name, e.g. {@code dynamodb-2025-race}
   * @param startedAtMillis when it was started (ms since the epoch)
   * @param finishedAtMillis when it finished, if it has
   * @param progress the progress lines so far (the last {@value #MAX_PROGRESS_LINES})
   * @param verdictLine the one-line verdict, once finished
   * @param files the JSON journals and the HTML report, once finished
   */
  public record Status(String id, String scenario, String title, Mode mode, int repetitions, State state,
      long startedAtMillis, OptionalLong finishedAtMillis, List<String> progress, Optional<String> verdictLine,
      List<Path> files) {
    public Status {
      Check.notNull(id, "id");
      Check.notNull(scenario, "scenario");
      Check.notNull(title, "title");
      Check.notNull(mode, "mode");
      Check.notNull(state, "state");
      Check.notNull(finishedAtMillis, "finishedAtMillis");
      progress = List.copyOf(progress);
      Check.notNull(verdictLine, "verdictLine");
      files = List.copyOf(files);
    }

    /** The exit code {@code bulwark gameday run} would have returned, once finished. */
    public OptionalInt exitCode() {
      return switch (state) {
        case RUNNING -> OptionalInt.empty();
        case HELD -> OptionalInt.of(0);
        case DEVIATED -> OptionalInt.of(1);
        case ABORTED -> OptionalInt.of(2);
      };
    }
  }

  private final Path outDir;
  private final Clock clock;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "gameday-runner");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private long nextId = 1;

  /** A service that writes each background game day's journals and report under {@code outDir/<id>/}. */
  public GameDayService(Path outDir, Clock clock) {
    this.outDir = Check.notNull(outDir, "outDir");
    this.clock = Check.notNull(clock, "clock");
  }

  /**
   * Runs {@code scenario} now, on this thread, against a fresh embedded Bulwark per repetition,
   * printing progress and the one-line verdict to {@code progress}; the temporary state is deleted
   * afterwards. Never throws for what happens inside a run (that is an ABORTED verdict).
   *
   * @throws IOException if the temporary directory can't be created
   */
  public static GameDayResult runNow(Scenario scenario, GameDay.Options options, PrintStream progress)
      throws IOException {
    Path work = Files.createTempDirectory("bulwark-gameday-");
    progress.println("each run starts its own embedded Bulwark on free loopback ports, state in " + work
        + " (deleted afterwards); a running bulwark up is not touched");
    try (SystemScheduler scheduler = new SystemScheduler("gameday", ENGINE_THREADS)) {
      return new GameDay(scheduler, progress).run(scenario, EmbeddedGameDayTarget.factory(work), options);
    } finally {
      deleteTree(work);
    }
  }

  /**
   * Starts {@code scenario} in the background (with {@code --mode} and {@code --repeat}'s
   * overrides) and returns its first status.
   *
   * @throws IllegalStateException if a game day is already running; wait for it, or stop it by closing the service
   */
  public synchronized Status start(Scenario scenario, Optional<Mode> mode, OptionalInt repetitions) {
    Check.notNull(scenario, "scenario");
    Optional<Entry> busy = entries.values().stream().filter(e -> e.state == State.RUNNING).findFirst();
    if (busy.isPresent()) {
      throw new IllegalStateException("game day " + busy.get().id + " (" + busy.get().scenario.name()
          + ") is still running; one game day runs at a time, so wait until it finishes");
    }
    Scenario s = mode.map(scenario::withMode).orElse(scenario);
    if (repetitions.isPresent()) {
      s = s.withRepetitions(repetitions.getAsInt());
    }
    Entry e = new Entry("gd-" + nextId++, s, clock.millis());
    entries.put(e.id, e);
    trim();
    GameDay.Options options = new GameDay.Options(Optional.empty(), OptionalInt.empty(),
        Optional.of(outDir.resolve(e.id)));
    Scenario run = s;
    runner.execute(() -> {
      GameDayResult r;
      try (PrintStream progress = LineSink.printStream(e::addLine)) {
        r = runNow(run, options, progress);
      } catch (IOException | RuntimeException ex) {
        e.addLine("ABORTED: " + ex.getMessage());
        finish(e, State.ABORTED, Optional.empty(), List.of());
        return;
      }
      finish(e, State.of(r.verdict()), Optional.of(r.oneLine()), r.files());
    });
    return e.status();
  }

  /** The status of game day {@code id}, if this service remembers it. */
  public synchronized Optional<Status> status(String id) {
    return Optional.ofNullable(entries.get(id)).map(Entry::status);
  }

  /** Every game day remembered, oldest first. */
  public synchronized List<Status> list() {
    return entries.values().stream().map(Entry::status).toList();
  }

  /** The self-contained HTML report of a finished game day, if it wrote one. */
  public synchronized Optional<Path> report(String id) {
    return Optional.ofNullable(entries.get(id))
        .flatMap(e -> e.files.stream().filter(p -> p.toString().endsWith(".html")).findFirst());
  }

  private synchronized void finish(Entry e, State state, Optional<String> verdict, List<Path> files) {
    Check.state(e.state == State.RUNNING, "game day %s finished twice (%s, then %s)", e.id, e.state, state);
    e.state = state;
    e.finishedAtMillis = OptionalLong.of(clock.millis());
    e.verdictLine = verdict;
    e.files = List.copyOf(files);
  }

  private void trim() {
    List<String> finished = entries.values().stream().filter(x -> x.state != State.RUNNING).map(x -> x.id).toList();
    for (int i = 0; i < finished.size() && entries.size() > MAX_KEPT; i++) {
      entries.remove(finished.get(i));
    }
  }

  /** Stops the background runner; a game day in progress is interrupted and its worlds closed. */
  @Override
  public void close() {
    runner.shutdownNow();
    try {
      runner.awaitTermination(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deletes {@code dir} and everything below it; what can't be deleted is left in the temporary directory. */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // A file still held open (a peer's log on some file systems): the OS cleans its temp dir.
    }
  }

  /** One background game day; guarded by the service's lock, except its progress lines. */
  private static final class Entry {
    final String id;
    final Scenario scenario;
    final long startedAtMillis;
    final Deque<String> lines = new ArrayDeque<>();
    State state = State.RUNNING;
    OptionalLong finishedAtMillis = OptionalLong.empty();
    Optional<String> verdictLine = Optional.empty();
    List<Path> files = List.of();

    Entry(String id, Scenario scenario, long startedAtMillis) {
      this.id = id;
      this.scenario = scenario;
      this.startedAtMillis = startedAtMillis;
    }

    void addLine(String line) {
      synchronized (lines) {
        lines.addLast(line);
        if (lines.size() > MAX_PROGRESS_LINES) {
          lines.removeFirst();
        }
      }
    }

    Status status() {
      List<String> copy;
      synchronized (lines) {
        copy = new ArrayList<>(lines);
      }
      return new Status(id, scenario.name(), scenario.title(), scenario.mode(), scenario.repetitions(), state,
          startedAtMillis, finishedAtMillis, copy, verdictLine, files);
    }
  }
}
