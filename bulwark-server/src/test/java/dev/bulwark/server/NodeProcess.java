package dev.bulwark.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One {@code bulwark node --config FILE} in its own JVM, so a test can {@code kill -9} it. */
final class NodeProcess implements AutoCloseable {
  final String az;
  final Path config;
  final Path log;
  private final Map<String, String> env;
  private Process process;

  private NodeProcess(String az, Path config, Path log, Map<String, String> env, Process process) {
    this.az = az;
    this.config = config;
    this.log = log;
    this.env = env;
    this.process = process;
  }

  /** Starts the node; its output goes to {@code target/node-logs/<name>.log}, kept after the test. */
  static NodeProcess start(String az, Path config, String runName, Map<String, String> env) throws IOException {
    Path logDir = Path.of("target", "node-logs");
    Files.createDirectories(logDir);
    Path log = logDir.resolve(runName + "-" + az + ".log");
    Files.deleteIfExists(log);
    return new NodeProcess(az, config, log, Map.copyOf(env), launch(config, log, env));
  }

  private static Process launch(Path config, Path log, Map<String, String> env) throws IOException {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-cp", cp, Main.class.getName(), "node", "--config", config.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Starts the same node again after a kill, with the same config and data. */
  void restart() throws IOException {
    process = launch(config, log, env);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(unreadable log: " + e + ")";
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed beyond what was already written. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
