package dev.bulwark.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small helpers the server's end-to-end tests share: waiting, free ports, and asking {@code dig}. */
final class TestSupport {
  private TestSupport() {}

  /** Waits until {@code cond} holds, or fails naming {@code what}. */
  static void await(Duration max, BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + max + " waiting for " + what);
      }
      Thread.sleep(100);
    }
  }

  static int freeTcpPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A port free on 127.0.0.1 for both UDP and TCP now (a DNS server binds both a moment later). */
  static int freeUdpAndTcpPort() throws IOException {
    for (int i = 0; i < 50; i++) {
      int port = freeTcpPort();
      try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return u.getLocalPort();
      } catch (IOException e) {
        // Taken for UDP; try another.
      }
    }
    throw new IOException("no free port for both UDP and TCP");
  }

  /** True if {@code tool} is installed; in CI a missing tool fails the test instead of skipping it. */
  static boolean haveTool(String tool) {
    Optional<Path> found = List.of("/usr/bin", "/usr/sbin", "/bin", "/sbin").stream().map(d -> Path.of(d, tool))
        .filter(Files::isExecutable).findFirst();
    if (found.isEmpty() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError(tool + " must be installed in CI (.ci/run installs bind9 and bind9-dnsutils)");
    }
    return found.isPresent();
  }

  /** The A records of {@code name} as the user's {@code dig} prints them, one address per line. */
  static List<String> dig(int port, String name) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("dig", "@127.0.0.1", "-p", "" + port, name, "A", "+short", "+time=2", "+tries=1")
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("dig finished").isTrue();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return text.lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList();
  }
}
