package dev.bulwark.dns;

import static dev.bulwark.dns.DnsConformanceSuite.freshEndpoint;
import static dev.bulwark.dns.DnsConformanceSuite.ip;
import static dev.bulwark.dns.DnsConformanceSuite.marker;
import static dev.bulwark.dns.DnsConformanceSuite.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest.Precondition;
import dev.bulwark.core.port.DnsFailure;
import dev.bulwark.core.port.ReadOutcome;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How every kind of server behaviour maps to a typed outcome, never an exception. */
class Rfc2136TargetTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aSilentServerIsATimeoutAfterTheConfiguredRetries() throws IOException {
    List<Long> jitterBounds = new CopyOnWriteArrayList<>();
    try (FakeServer silent = new FakeServer(FakeServer.Reply.NONE)) {
      Rfc2136Target target = new Rfc2136Target(options(silent.port()).withTimeoutMillis(100).withRetries(2),
          bound -> { jitterBounds.add(bound); return 0; });

      ReadOutcome out = target.read(freshEndpoint());

      assertThat(out).isInstanceOfSatisfying(ReadOutcome.Failed.class, f -> {
        assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.TIMEOUT);
        assertThat(f.failure().detail()).contains("after 3 attempts");
      });
      assertThat(silent.requests()).isEqualTo(3);
      assertThat(jitterBounds).as("exponential backoff bounds").containsExactly(100L, 200L);
    }
  }

  @Test
  void aClosedPortIsUnreachable() throws IOException {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, LOOPBACK)) {
      port = s.getLocalPort();
    }
    Rfc2136Target target = new Rfc2136Target(options(port).withTimeoutMillis(1_000).withRetries(0), b -> 0);

    ApplyOutcome out = target.apply(request(freshEndpoint(), new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));

    assertThat(out).isInstanceOfSatisfying(ApplyOutcome.Failed.class,
        f -> assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.UNREACHABLE));
  }

  @Test
  void servfailIsRetriedAndThenReportedAsServerFailure() throws IOException {
    try (FakeServer failing = new FakeServer(FakeServer.Reply.SERVFAIL)) {
      Rfc2136Target target = new Rfc2136Target(options(failing.port()).withRetries(1), b -> 0);

      ApplyOutcome out = target.apply(request(freshEndpoint(), new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));

      assertThat(out).isInstanceOfSatisfying(ApplyOutcome.Failed.class, f -> {
        assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.SERVER_FAILURE);
        assertThat(f.failure().detail()).contains("SERVFAIL");
      });
      assertThat(failing.requests()).isEqualTo(2);
    }
  }

  @Test
  void anUnsignedNoerrorToASignedUpdateIsNotTakenAsApplied() throws IOException {
    try (FakeServer forger = new FakeServer(FakeServer.Reply.UNSIGNED_NOERROR)) {
      Rfc2136Target target = new Rfc2136Target(options(forger.port()), b -> 0);

      ApplyOutcome out = target.apply(request(freshEndpoint(), new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));

      assertThat(out).isInstanceOfSatisfying(ApplyOutcome.Failed.class, f -> {
        assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.SERVER_FAILURE);
        assertThat(f.failure().detail()).contains("unsigned NOERROR");
      });
    }
  }

  @Test
  void anEndpointOutsideTheZoneFailsWithoutSendingAnything() throws IOException {
    try (FakeServer server = new FakeServer(FakeServer.Reply.NONE)) {
      Rfc2136Target target = new Rfc2136Target(options(server.port()), b -> 0);
      EndpointName outside = EndpointName.of("api.elsewhere.test");

      ApplyOutcome apply = target.apply(request(outside, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));
      ReadOutcome read = target.read(outside);

      assertThat(apply).isInstanceOfSatisfying(ApplyOutcome.Failed.class,
          f -> assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.NOT_IN_ZONE));
      assertThat(read).isInstanceOfSatisfying(ReadOutcome.Failed.class,
          f -> assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.NOT_IN_ZONE));
      assertThat(server.requests()).isZero();
    }
  }

  @Test
  void hmacSha512KeysWorkEndToEnd(@TempDir Path dir) {
    TsigKey key = TestKeys.random("sha512-key", TsigKey.Algorithm.HMAC_SHA512);
    try (EmbeddedServerUnderTest server = new EmbeddedServerUnderTest(dir, key)) {
      EndpointName e = freshEndpoint();

      ApplyOutcome out = server.target().apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.51"));

      assertThat(out).isEqualTo(new ApplyOutcome.Applied());
      assertThat(server.target().read(e)).isInstanceOfSatisfying(ReadOutcome.Read.class,
          r -> assertThat(r.state().addresses()).containsExactly(ip("192.0.2.51")));
    }
  }

  @Test
  void aKeyWithTheRightNameButAnotherAlgorithmIsNotAuthorized(@TempDir Path dir) {
    try (EmbeddedServerUnderTest server = new EmbeddedServerUnderTest(dir)) {
      TsigKey sameNameOtherAlgorithm =
          new TsigKey(server.key().name(), TsigKey.Algorithm.HMAC_SHA512, server.key().secretBase64());

      ApplyOutcome out = server.target(sameNameOtherAlgorithm)
          .apply(request(freshEndpoint(), new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));

      assertThat(out).isInstanceOfSatisfying(ApplyOutcome.Failed.class, f -> {
        assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.NOT_AUTHORIZED);
        assertThat(f.failure().detail()).contains("BADKEY");
      });
    }
  }

  @Test
  void optionsAreValidatedEagerlyWithTheBoundInTheMessage() {
    TsigKey key = TestKeys.random("k");
    assertThatThrownBy(() -> Rfc2136Options.of(LOOPBACK, 0, "example.test", key))
        .hasMessage("DNS port must be 1..65535, but was 0");
    assertThatThrownBy(() -> Rfc2136Options.of(LOOPBACK, 53, "example.test", key).withTimeoutMillis(0))
        .hasMessage("timeoutMillis must be 1..60000, but was 0");
    assertThatThrownBy(() -> Rfc2136Options.of(LOOPBACK, 53, "example.test", key).withRetries(11))
        .hasMessage("retries must be 0..10, but was 11");
    assertThatThrownBy(() -> Rfc2136Options.of(LOOPBACK, 53, "bad..zone", key))
        .hasMessageContaining("zone origin must be a DNS name");
    Rfc2136Options defaults = Rfc2136Options.of(LOOPBACK, 53, "example.test", key);
    assertThat(defaults.timeoutMillis()).isEqualTo(Rfc2136Options.DEFAULT_TIMEOUT_MILLIS);
    assertThat(defaults.retries()).isEqualTo(Rfc2136Options.DEFAULT_RETRIES);
    assertThat(defaults.zone()).isEqualTo("example.test");
  }

  private static Rfc2136Options options(int port) {
    return Rfc2136Options.of(LOOPBACK, port, ServerUnderTest.ZONE, TestKeys.random("k")).withTimeoutMillis(1_000);
  }

  /** A UDP server with one scripted behaviour, to reach outcomes a correct server never gives. */
  private static final class FakeServer implements AutoCloseable {
    enum Reply { NONE, SERVFAIL, UNSIGNED_NOERROR }

    private final DatagramSocket socket;
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread thread;

    FakeServer(Reply reply) throws IOException {
      socket = new DatagramSocket(0, LOOPBACK);
      thread = new Thread(() -> serve(reply), "fake-dns");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve(Reply reply) {
      byte[] buf = new byte[65_535];
      while (!socket.isClosed()) {
        try {
          DatagramPacket p = new DatagramPacket(buf, buf.length);
          socket.receive(p);
          requests.incrementAndGet();
          if (reply == Reply.NONE) {
            continue;
          }
          // Echo the header with QR set, the request's opcode, and the scripted rcode; no records.
          byte[] resp = new byte[12];
          System.arraycopy(buf, 0, resp, 0, 4);
          resp[2] |= (byte) 0x80;
          resp[3] = (byte) (reply == Reply.SERVFAIL ? 2 : 0);
          socket.send(new DatagramPacket(resp, resp.length, p.getSocketAddress()));
        } catch (IOException e) {
          return; // Closed.
        }
      }
    }

    int port() {
      return socket.getLocalPort();
    }

    int requests() {
      return requests.get();
    }

    @Override
    public void close() {
      socket.close();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
