package dev.bulwark.dns;

import dev.bulwark.dns.internal.WireClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A real BIND9 {@code named} in the foreground on a free loopback port, serving a fresh zone from
 * a fresh directory, with a key made by {@code tsig-keygen}. Stopped by its PID on close.
 */
final class Bind9ServerUnderTest implements ServerUnderTest {
  /** How long named may take to answer its first query; generous because CI machines are slow. */
  private static final long STARTUP_TIMEOUT_MILLIS = 30_000;

  private final Process named;
  private final Path dir;
  private final InetSocketAddress address;
  private final TsigKey key;

  Bind9ServerUnderTest(Path dir) {
    Path namedBin = ExternalTools.require("named");
    Path keygen = ExternalTools.require("tsig-keygen");
    this.dir = dir;
    try {
      Path keyFile = dir.resolve("bulwark-test.key");
      run(List.of(keygen.toString(), "-a", "hmac-sha256", "bulwark-test"), keyFile);
      this.key = TsigKeyFile.load(keyFile).get(0);
      Files.writeString(dir.resolve("db." + ZONE), String.join("\n",
          "$ORIGIN " + ZONE + ".",
          "$TTL 60",
          "@ IN SOA ns1 hostmaster 1 3600 600 86400 60",
          "@ IN NS ns1",
          "ns1 IN A 127.0.0.1",
          ""));
      int port = freePort();
      this.address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      String d = dir.toAbsolutePath().toString();
      Files.writeString(dir.resolve("named.conf"), String.join("\n",
          "include \"" + keyFile.toAbsolutePath() + "\";",
          "options { directory \"" + d + "\"; pid-file \"" + d + "/named.pid\";",
          "  session-keyfile \"" + d + "/session.key\"; managed-keys-directory \"" + d + "\";",
          "  listen-on port " + port + " { 127.0.0.1; }; listen-on-v6 { none; };",
          "  recursion no; allow-query { 127.0.0.1; }; dnssec-validation no; notify no; };",
          "controls { };",
          "zone \"" + ZONE + "\" { type primary; file \"db." + ZONE + "\";",
          "  update-policy { grant bulwark-test zonesub ANY; }; };",
          ""));
      this.named = new ProcessBuilder(namedBin.toString(), "-g", "-c", d + "/named.conf")
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("named.log").toFile())
          .start();
      awaitFirstAnswer();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start named in " + dir + ": " + e.getMessage(), e);
    }
  }

  private void awaitFirstAnswer() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_TIMEOUT_MILLIS);
    Message q = Message.newQuery(Record.newRecord(Name.fromConstantString(ZONE + "."), Type.SOA, DClass.IN));
    while (System.nanoTime() < deadline) {
      if (!named.isAlive()) {
        throw new IllegalStateException("named exited with " + named.exitValue() + " during startup:\n" + log());
      }
      if (WireClient.exchange(address, q.clone(), null, 200, false) instanceof WireClient.Exchange.Answered a
          && a.response().getRcode() == Rcode.NOERROR) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
    throw new IllegalStateException("named did not answer within " + STARTUP_TIMEOUT_MILLIS + " ms:\n" + log());
  }

  /** named's log so far, for failure messages. */
  String log() {
    try {
      return Files.readString(dir.resolve("named.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    // A port free for UDP and TCP now; named binds it a moment later, a race tests can live with.
    for (int i = 0; i < 20; i++) {
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
          ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
        return tcp.getLocalPort();
      } catch (IOException e) {
        // Taken for TCP; try another.
      }
    }
    throw new IOException("no free loopback port for UDP and TCP after 20 tries");
  }

  private static void run(List<String> command, Path output) throws IOException {
    Process p = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectErrorStream(false).start();
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(command + " failed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(command + " interrupted", e);
    }
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public TsigKey key() {
    return key;
  }

  @Override
  public void close() {
    named.destroy(); // SIGTERM to this PID: named shuts down cleanly.
    try {
      if (!named.waitFor(10, TimeUnit.SECONDS)) {
        named.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      named.destroyForcibly();
    }
  }
}
