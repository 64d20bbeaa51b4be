package dev.bulwark.ledger;

import dev.bulwark.core.AzId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A ledger peer in its own JVM ({@link LedgerPeerMain}), so tests can {@code kill -9} it. */
final class PeerProcess implements AutoCloseable {
  final AzId az;
  private final Process process;
  final Path log;

  private PeerProcess(AzId az, Process process, Path log) {
    this.az = az;
    this.process = process;
    this.log = log;
  }

  static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  static PeerProcess start(AzId az, ClusterConfig cluster, Path dataRoot) throws IOException {
    StringBuilder peers = new StringBuilder();
    cluster.peers().forEach((a, addr) -> peers.append(peers.length() == 0 ? "" : ",").append(a).append('=')
        .append(addr.getHostString()).append(':').append(addr.getPort()));
    // Logs go under target/ so that a failed run can be read after the temporary data is gone.
    Path logDir = Path.of("target", "peer-logs");
    Files.createDirectories(logDir);
    Files.createDirectories(dataRoot);
    Path log = logDir.resolve(dataRoot.getFileName() + "-" + az.value() + ".log");
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dorg.slf4j.simpleLogger.log.org.apache.ratis=info",
        "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-cp", classpath(), LedgerPeerMain.class.getName(),
        "--az", az.value(), "--peers", peers.toString(), "--cluster", cluster.name(),
        "--data-dir", dataRoot.resolve(az.value()).toString(), "--election-timeout-ms", "300-600"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    PeerProcess pp = new PeerProcess(az, p, log);
    TestCluster.await(Duration.ofSeconds(30), () -> pp.logContains("ready " + az) || !p.isAlive(),
        az + " process to be ready (log: " + log + ")");
    if (!p.isAlive()) {
      throw new IOException(az + " process exited with " + p.exitValue() + ": " + Files.readString(log));
    }
    return pp;
  }

  boolean logContains(String s) {
    try {
      return Files.exists(log) && Files.readString(log).contains(s);
    } catch (IOException e) {
      return false;
    }
  }

  long pid() {
    return process.pid();
  }

  /** SIGKILL: no shutdown hook, no flush beyond what was already fsynced. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
