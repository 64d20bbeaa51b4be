package dev.bulwark.dns;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds BIND9's programs for the interop and conformance tests. When one is missing the test is
 * skipped on a workstation but fails in CI (CI=true), where {@code .ci/run} installs bind9 and
 * bind9-dnsutils, so a broken CI image can never pass silently.
 */
final class ExternalTools {
  private ExternalTools() {}

  /** The program's path, or the test is skipped (locally) or failed (in CI). */
  static Path require(String program) {
    List<Path> dirs = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty()) {
        dirs.add(Path.of(dir));
      }
    }
    dirs.add(Path.of("/usr/sbin"));
    dirs.add(Path.of("/usr/bin"));
    return require(program, dirs, "true".equals(System.getenv("CI")));
  }

  /** {@link #require(String)} with the search path and the CI flag given, so it can be tested. */
  static Path require(String program, List<Path> dirs, boolean ci) {
    for (Path dir : dirs) {
      Path p = dir.resolve(program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String message = program + " not found in " + dirs + "; install it with"
        + " 'apt-get install -y bind9 bind9-dnsutils' (as .ci/run does)";
    if (ci) {
      fail("CI=true but " + message);
    }
    Assumptions.assumeTrue(false, "skipped: " + message);
    throw new IllegalStateException("unreachable: assumeTrue(false) always throws");
  }
}
