package dev.bulwark.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real BIND9 {@code named} in the foreground, started from a configuration file, and stopped
 * (SIGTERM, then SIGKILL) on close. Ready once it answers the zone's SOA on its port.
 */
final class NamedProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private NamedProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static NamedProcess start(Path namedConf, int port, String zone) throws IOException, InterruptedException {
    Path log = namedConf.resolveSibling("named.log");
    Process p = new ProcessBuilder("named", "-g", "-c", namedConf.toAbsolutePath().toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    NamedProcess n = new NamedProcess(p, log);
    try {
      TestSupport.await(Duration.ofSeconds(30), () -> !p.isAlive() || answersSoa(port, zone), "named to serve " + zone);
    } catch (AssertionError e) {
      n.close();
      throw new AssertionError(e.getMessage() + "\nnamed log:\n" + n.logText(), e);
    }
    if (!p.isAlive()) {
      throw new IOException("named exited with " + p.exitValue() + ":\n" + n.logText());
    }
    return n;
  }

  private static boolean answersSoa(int port, String zone) {
    try {
      Process d = new ProcessBuilder("dig", "@127.0.0.1", "-p", "" + port, zone, "SOA", "+short", "+time=1",
          "+tries=1").redirectErrorStream(true).start();
      if (!d.waitFor(5, TimeUnit.SECONDS)) {
        d.destroyForcibly();
        return false;
      }
      return new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+").length >= 7;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Lines of named's log mentioning {@code text}, for assertions and failure messages. */
  List<String> logLines(String text) {
    return logText().lines().filter(l -> l.contains(text)).toList();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
