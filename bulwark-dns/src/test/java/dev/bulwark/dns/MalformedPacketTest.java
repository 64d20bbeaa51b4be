package dev.bulwark.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.dns.internal.WireClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Garbage in, service continues: random and truncated packets over UDP and TCP never crash the
 * embedded server, and it still answers a normal query right after each one.
 */
class MalformedPacketTest {
  /**
   * How long to wait for an answer that may rightly never come (a dropped packet). Short, because
   * a late answer is harmless: what each try asserts is that the server still serves afterwards.
   */
  private static final int DROP_WAIT_MILLIS = 50;

  private static EmbeddedServerUnderTest server;
  private static Path dir;

  @BeforeContainer
  static void start() throws IOException {
    dir = Files.createTempDirectory("bulwark-dns-fuzz");
    server = new EmbeddedServerUnderTest(dir);
  }

  @AfterContainer
  static void stop() throws IOException {
    server.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 150)
  void randomDatagramsNeverStopTheServer(@ForAll("packets") byte[] packet) throws IOException {
    Optional<byte[]> answer = RawDns.udp(server.address(), packet, DROP_WAIT_MILLIS);

    answer.ifPresent(MalformedPacketTest::assertIsAResponse);
    assertServerStillAnswers();
  }

  @Property(tries = 100)
  void truncatedValidRequestsGetFormerrOrSilenceOverUdp(@ForAll("truncatedRequests") byte[] packet) throws IOException {
    Optional<byte[]> answer = RawDns.udp(server.address(), packet, DROP_WAIT_MILLIS);

    answer.ifPresent(MalformedPacketTest::assertIsAResponse);
    assertServerStillAnswers();
  }

  @Property(tries = 60)
  void randomAndTruncatedTcpStreamsNeverStopTheServer(@ForAll("tcpStreams") byte[] stream) throws IOException {
    Optional<byte[]> answer = RawDns.tcpRaw(server.address(), stream, 1_000);

    answer.ifPresent(MalformedPacketTest::assertIsAResponse);
    assertServerStillAnswers();
  }

  @Provide
  Arbitrary<byte[]> packets() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(600);
  }

  @Provide
  Arbitrary<byte[]> truncatedRequests() {
    byte[] update = signedUpdate();
    byte[] query = query().toWire();
    return Arbitraries.oneOf(
        Arbitraries.integers().between(0, update.length - 1).map(n -> Arrays.copyOf(update, n)),
        Arbitraries.integers().between(0, query.length - 1).map(n -> Arrays.copyOf(query, n)),
        // A valid header followed by a bit-flipped rest: parseable header, unparseable body.
        Arbitraries.integers().between(12, query.length - 1).map(i -> {
          byte[] b = query.clone();
          b[i] ^= (byte) 0xA5;
          return b;
        }));
  }

  @Provide
  Arbitrary<byte[]> tcpStreams() {
    byte[] query = query().toWire();
    Arbitrary<byte[]> framedTruncated = Arbitraries.integers().between(0, query.length - 1)
        .map(n -> ByteBuffer.allocate(2 + n).putShort((short) query.length).put(query, 0, n).array());
    Arbitrary<byte[]> framedGarbage = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300)
        .map(g -> ByteBuffer.allocate(2 + g.length).putShort((short) g.length).put(g).array());
    return Arbitraries.oneOf(framedTruncated, framedGarbage, packets());
  }

  private static void assertIsAResponse(byte[] answer) {
    assertThat(answer.length).isGreaterThanOrEqualTo(12);
    assertThat(answer[2] & 0x80).as("QR bit").isNotZero();
  }

  private static void assertServerStillAnswers() {
    WireClient.Exchange ex = WireClient.exchange(server.address(), query(), null, 5_000, false);
    assertThat(ex).isInstanceOfSatisfying(WireClient.Exchange.Answered.class,
        a -> assertThat(a.response().getRcode()).isEqualTo(Rcode.NOERROR));
  }

  private static Message query() {
    return Message.newQuery(Record.newRecord(DnsConformanceSuite.name(ServerUnderTest.ZONE + "."), Type.SOA, DClass.IN));
  }

  private static byte[] signedUpdate() {
    Update u = new Update(DnsConformanceSuite.name(ServerUnderTest.ZONE + "."));
    u.add(DnsConformanceSuite.record("fuzz." + ServerUnderTest.ZONE + ".", "192.0.2.1"));
    u.setTSIG(server.key().signer());
    try {
      return u.toWire(65_535);
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot sign the fuzz seed", e));
    }
  }
}
