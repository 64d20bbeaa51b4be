package dev.bulwark.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** The embedded server on an ephemeral loopback port, with a fresh key and data directory. */
final class EmbeddedServerUnderTest implements ServerUnderTest {
  private final TsigKey key;
  private final EmbeddedDnsServer server;

  EmbeddedServerUnderTest(Path dataDir, TsigKey key) {
    this.key = key;
    this.server = EmbeddedDnsServer.start(options(dataDir, key));
  }

  EmbeddedServerUnderTest(Path dataDir) {
    this(dataDir, TestKeys.random("bulwark-test"));
  }

  static EmbeddedDnsServer.Options options(Path dataDir, TsigKey key) {
    return new EmbeddedDnsServer.Options(
        InetAddress.getLoopbackAddress(), 0, dataDir, List.of(key), InitialZone.minimal(ZONE));
  }

  EmbeddedDnsServer server() {
    return server;
  }

  @Override
  public InetSocketAddress address() {
    return server.address();
  }

  @Override
  public TsigKey key() {
    return key;
  }

  @Override
  public void close() {
    server.close();
  }
}
