package dev.bulwark.dns;

import java.net.InetSocketAddress;

/** An authoritative server a test talks to over the wire: the embedded one or a real BIND9. */
interface ServerUnderTest extends AutoCloseable {
  /** The zone it serves, e.g. {@code example.test}. */
  String ZONE = "example.test";

  /** Where it listens (UDP and TCP). */
  InetSocketAddress address();

  /** The TSIG key it grants updates of the whole zone to. */
  TsigKey key();

  /** A target writing through this server's key, with short timeouts for tests. */
  default Rfc2136Target target() {
    return target(key());
  }

  /** A target writing with {@code key}, which need not be one the server knows. */
  default Rfc2136Target target(TsigKey key) {
    return new Rfc2136Target(
        Rfc2136Options.of(address().getAddress(), address().getPort(), ZONE, key).withTimeoutMillis(2_000).withRetries(1),
        bound -> 0);
  }

  @Override
  void close();
}
