package dev.bulwark.server.gameday;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bulwark gameday list} and the ways {@code gameday run} refuses before starting anything. */
class GameDayCommandTest {
  @TempDir Path dir;

  @Test
  void listFindsTheShippedScenariosFromAModuleDirectoryAndPrintsNameModesAndTitle() {
    Cli.Outcome o = Cli.run("gameday", "list");
    assertThat(o.exitCode()).as(o.err()).isZero();
    assertThat(o.out().lines()).hasSize(7);
    assertThat(o.out()).containsPattern("(?m)^dynamodb-2025-race +safe\\|legacy +DynamoDB 2025 race$");
    assertThat(o.out()).contains("appendix-c-race", "clock-skew-fencing", "control-plane-failure",
        "control-plane-freeze", "leader-loss-during-apply", "mass-unhealthy");
  }

  @Test
  void listNamesAMalformedFileWithItsLineAndColumnAndExitsTwo() throws Exception {
    Files.copy(Path.of("..", "scenarios", "mass-unhealthy.yaml"), dir.resolve("ok.yaml"));
    Files.writeString(dir.resolve("bad.yaml"), "title: x\nmode: sometimes\ndurationMillis: 100\nmethod: []\n");
    Cli.Outcome o = Cli.run("gameday", "list", "--dir", dir.toString());
    assertThat(o.exitCode()).isEqualTo(2);
    assertThat(o.out()).startsWith("ok ").contains("Mass unhealthy");
    assertThat(o.err()).contains("error: " + dir.resolve("bad.yaml") + ":2:7: mode: ");
  }

  @Test
  void runOfAMalformedScenarioPrintsFileLineAndColumnAndExitsTwo() throws Exception {
    Path bad = dir.resolve("typo.yaml");
    Files.writeString(bad, "title: typo\nmode: safe\ndurationMillis: 1000\nmethod:\n  - atMillis: 0\n"
        + "    fault: dns-outage\n    durationMilis: 10\n");
    Cli.Outcome o = Cli.run("gameday", "run", bad.toString());
    assertThat(o.exitCode()).isEqualTo(2);
    assertThat(o.err()).startsWith("error: " + bad + ":7:5: method[0].durationMilis: unknown key");
    assertThat(o.out()).as("nothing started").isEmpty();
  }

  @Test
  void runRefusesAnUnknownModeAndAnOutOfRangeRepeat() {
    Cli.Outcome mode = Cli.run("gameday", "run", "../scenarios/mass-unhealthy.yaml", "--mode", "yolo");
    assertThat(mode.exitCode()).isEqualTo(2);
    assertThat(mode.err()).contains("--mode must be safe or legacy, but was 'yolo'");
    Cli.Outcome repeat = Cli.run("gameday", "run", "../scenarios/mass-unhealthy.yaml", "--repeat", "0");
    assertThat(repeat.exitCode()).isEqualTo(2);
    assertThat(repeat.err()).contains("--repeat must be 1..1000, but was 0");
  }

  @Test
  void runHelpDocumentsTheExitCodesAndTheDefaultOutputDirectory() {
    Cli.Outcome o = Cli.run("gameday", "run", "--help");
    assertThat(o.exitCode()).isZero();
    assertThat(o.out()).contains("0   HELD", "1   DEVIATED", "2   ABORTED", "default: gameday-reports", "--repeat=N",
        "--mode=MODE");
  }
}
