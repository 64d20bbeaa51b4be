package dev.bulwark.server.gameday;

import dev.bulwark.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the {@code bulwark} command line in this JVM through {@code Main.run} and captures what it
 * printed; standard output is also echoed to the test log, so a game day's progress shows there.
 */
final class Cli {
  /** What one invocation returned and printed. */
  record Outcome(int exitCode, String out, String err) {}

  private Cli() {}

  static Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new TeePrintStream(new PrintStream(out, true, StandardCharsets.UTF_8));
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int code = Main.run(args, InputStream.nullInputStream(), o, e);
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
