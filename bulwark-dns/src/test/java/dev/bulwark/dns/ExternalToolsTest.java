package dev.bulwark.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The BIND-dependent tests may skip on a workstation but never in CI. */
class ExternalToolsTest {
  @Test
  void aMissingProgramFailsTheTestInCi(@TempDir Path empty) {
    assertThatThrownBy(() -> ExternalTools.require("named", List.of(empty), true))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining("CI=true but named not found");
  }

  @Test
  void aMissingProgramSkipsTheTestOutsideCi(@TempDir Path empty) {
    assertThatThrownBy(() -> ExternalTools.require("named", List.of(empty), false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("apt-get install -y bind9 bind9-dnsutils");
  }

  @Test
  void aProgramOnTheSearchPathIsFound() {
    assertThat(ExternalTools.require("sh", List.of(Path.of("/nonexistent"), Path.of("/bin")), true))
        .isEqualTo(Path.of("/bin/sh"));
  }
}
