package dev.bulwark.server.gameday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.chaos.Mode;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.ScenarioParser;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background runner an API route will call: start, watch the status, fetch the report. */
class GameDayServiceTest {
  @TempDir Path dir;

  @Test
  void aBackgroundGameDayRunsOneAtATimeAndEndsWithItsVerdictAndReport() throws Exception {
    Scenario s = ScenarioParser.parse(Path.of("..", "scenarios", "mass-unhealthy.yaml"));
    try (GameDayService service = new GameDayService(dir, Clock.systemUTC())) {
      GameDayService.Status started = service.start(s, Optional.of(Mode.LEGACY), OptionalInt.empty());
      assertThat(started.state()).isEqualTo(GameDayService.State.RUNNING);
      assertThat(started.mode()).isEqualTo(Mode.LEGACY);
      assertThat(started.exitCode()).isEmpty();
      assertThatThrownBy(() -> service.start(s, Optional.empty(), OptionalInt.empty()))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("is still running");

      long deadline = System.nanoTime() + 120_000_000_000L;
      GameDayService.Status st = started;
      while (st.state() == GameDayService.State.RUNNING && System.nanoTime() < deadline) {
        Thread.sleep(200);
        st = service.status(started.id()).orElseThrow();
      }
      assertThat(st.state()).isEqualTo(GameDayService.State.DEVIATED);
      assertThat(st.exitCode()).hasValue(1);
      assertThat(st.progress()).anyMatch(l -> l.contains("inject"));
      assertThat(st.verdictLine()).hasValueSatisfying(v -> assertThat(v).startsWith("DEVIATED mass-unhealthy (legacy"));
      assertThat(service.report(started.id())).hasValueSatisfying(p -> {
        assertThat(p).isNotEmptyFile();
        assertThat(p.getParent()).isEqualTo(dir.resolve(started.id()));
      });
      assertThat(service.list()).extracting(GameDayService.Status::id).containsExactly(started.id());
      assertThat(service.status("gd-999")).isEmpty();
    }
  }
}
