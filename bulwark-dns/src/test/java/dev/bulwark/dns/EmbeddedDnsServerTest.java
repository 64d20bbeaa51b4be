package dev.bulwark.dns;

import static dev.bulwark.dns.DnsConformanceSuite.freshEndpoint;
import static dev.bulwark.dns.DnsConformanceSuite.ip;
import static dev.bulwark.dns.DnsConformanceSuite.marker;
import static dev.bulwark.dns.DnsConformanceSuite.name;
import static dev.bulwark.dns.DnsConformanceSuite.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest.Precondition;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.dns.internal.WireClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** What only the embedded server promises: sizes, durability, lifecycle. */
class EmbeddedDnsServerTest {
  @TempDir Path dir;

  @Test
  void aUdpAnswerLargerThanTheClientsBufferIsTruncatedAndTcpCarriesItWhole() throws IOException {
    try (EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir)) {
      String big = "big." + ServerUnderTest.ZONE + ".";
      addTxt(s, big, 30); // About 3 KB of TXT: more than any UDP answer we send.

      Message viaUdp = new Message(RawDns.udp(s.address(), query(big, Type.TXT, 4096).toWire(), 5_000).orElseThrow());
      WireClient.Exchange viaTcp = WireClient.exchange(s.address(), query(big, Type.TXT, 0), null, 5_000, false);

      assertThat(viaUdp.getHeader().getFlag(Flags.TC)).as("TC over UDP").isTrue();
      assertThat(viaUdp.getSection(Section.ANSWER)).hasSizeLessThan(30);
      assertThat(viaTcp).isInstanceOfSatisfying(WireClient.Exchange.Answered.class,
          a -> assertThat(a.response().getSection(Section.ANSWER)).hasSize(30));
    }
  }

  @Test
  void theEdnsBufferSizeDecidesWhetherAMediumAnswerFitsInUdp() throws IOException {
    try (EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir)) {
      String medium = "medium." + ServerUnderTest.ZONE + ".";
      addTxt(s, medium, 7); // About 750 bytes: over 512, under 1232.

      Message plain = new Message(RawDns.udp(s.address(), query(medium, Type.TXT, 0).toWire(), 5_000).orElseThrow());
      Message edns = new Message(RawDns.udp(s.address(), query(medium, Type.TXT, 1232).toWire(), 5_000).orElseThrow());

      assertThat(plain.getHeader().getFlag(Flags.TC)).as("no EDNS: 512 bytes").isTrue();
      assertThat(edns.getHeader().getFlag(Flags.TC)).as("EDNS 1232").isFalse();
      assertThat(edns.getSection(Section.ANSWER)).hasSize(7);
      assertThat(edns.getOPT()).as("EDNS answered with EDNS").isNotNull();
    }
  }

  @Test
  void anUnknownEdnsVersionGetsBadvers() throws IOException {
    try (EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir)) {
      Message q = Message.newQuery(Record.newRecord(name(ServerUnderTest.ZONE + "."), Type.SOA, DClass.IN));
      q.addRecord(new OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);

      Message resp = new Message(RawDns.udp(s.address(), q.toWire(), 5_000).orElseThrow());

      assertThat(resp.getRcode()).isEqualTo(Rcode.BADVERS);
    }
  }

  @Test
  void acknowledgedUpdatesSurviveAKillDashNine() throws Exception {
    TsigKey key = TestKeys.random("bulwark-test");
    Path keyFile = Files.writeString(dir.resolve("test.key"), key.toBindSyntax());
    Path data = dir.resolve("data");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        EmbeddedServerProcessMain.class.getName(), data.toString(), keyFile.toString())
        .redirectError(dir.resolve("child.log").toFile())
        .start();
    List<EndpointName> written = new ArrayList<>();
    try {
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(
          child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8)).readLine();
      assertThat(line).as("child output; see %s", dir.resolve("child.log")).startsWith("PORT ");
      int port = Integer.parseInt(line.substring("PORT ".length()));
      Rfc2136Target target = new Rfc2136Target(
          Rfc2136Options.of(InetAddress.getLoopbackAddress(), port, ServerUnderTest.ZONE, key), b -> 0);
      for (int i = 1; i <= 20; i++) {
        EndpointName e = freshEndpoint();
        ApplyOutcome out = target.apply(request(e, new Precondition.MarkerAbsent(), marker(i), "192.0.2." + i));
        assertThat(out).isEqualTo(new ApplyOutcome.Applied());
        written.add(e);
      }
    } finally {
      // SIGKILL right after the last acknowledgement: no close(), no shutdown hook, no flush.
      child.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    try (EmbeddedServerUnderTest restarted = new EmbeddedServerUnderTest(data, key)) {
      for (int i = 0; i < written.size(); i++) {
        ReadOutcome out = restarted.target().read(written.get(i));
        assertThat(out).isInstanceOf(ReadOutcome.Read.class);
        ReadOutcome.Read read = (ReadOutcome.Read) out;
        assertThat(read.state().addresses()).containsExactly(ip("192.0.2." + (i + 1)));
        assertThat(read.state().rawMarker()).contains(marker(i + 1).text());
      }
    }
  }

  @Test
  void aRestartedServerServesTheSavedZoneNotTheInitialOne() {
    TsigKey key = TestKeys.random("bulwark-test");
    EndpointName e = freshEndpoint();
    long serial;
    try (EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir, key)) {
      s.target().apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));
      serial = s.server().serial();
    }
    try (EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir, key)) {
      assertThat(s.server().serial()).isEqualTo(serial).isGreaterThan(1);
      assertThat(s.server().zoneText()).contains(e.value());
    }
  }

  @Test
  void aDataDirectoryOfAnotherZoneIsRefusedWithAClearMessage() {
    new EmbeddedServerUnderTest(dir).close();
    EmbeddedDnsServer.Options other = new EmbeddedDnsServer.Options(
        InetAddress.getLoopbackAddress(), 0, dir, List.of(TestKeys.random("k")), InitialZone.minimal("other.test"));

    assertThatThrownBy(() -> EmbeddedDnsServer.start(other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds zone example.test.")
        .hasMessageContaining("other.test.");
  }

  @Test
  void closeStopsEveryThreadTheServerStarted() {
    EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir);
    // Make it start workers on both transports first.
    s.target().read(freshEndpoint());
    WireClient.exchange(s.address(), query(ServerUnderTest.ZONE + ".", Type.SOA, 0), null, 5_000, true);

    s.close();

    assertThat(Thread.getAllStackTraces().keySet())
        .extracting(Thread::getName)
        .noneMatch(n -> n.startsWith("bulwark-dns-"));
  }

  @Test
  void optionsRejectAPortOutOfRangeAndAMissingKey() {
    assertThatThrownBy(() -> new EmbeddedDnsServer.Options(
        InetAddress.getLoopbackAddress(), 70_000, dir, List.of(TestKeys.random("k")), InitialZone.minimal("a.test")))
        .hasMessageContaining("port must be 0..65535");
    assertThatThrownBy(() -> new EmbeddedDnsServer.Options(
        InetAddress.getLoopbackAddress(), 0, dir, List.of(), InitialZone.minimal("a.test")))
        .hasMessageContaining("at least one TSIG key");
  }

  @Test
  void itServesOverIpv6Too() {
    InetAddress v6 = ip("::1");
    EmbeddedDnsServer server;
    try {
      server = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(
          v6, 0, dir, List.of(TestKeys.random("k")), InitialZone.minimal(ServerUnderTest.ZONE)));
    } catch (UncheckedIOException e) {
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "no IPv6 loopback on this machine: " + e.getMessage());
      return;
    }
    try (server) {
      WireClient.Exchange ex = WireClient.exchange(server.address(), query(ServerUnderTest.ZONE + ".", Type.SOA, 0), null, 5_000, false);
      assertThat(ex).isInstanceOfSatisfying(WireClient.Exchange.Answered.class,
          a -> assertThat(a.response().getSection(Section.ANSWER)).hasSize(1));
    }
  }

  @Test
  void aZoneFileIsServedWithCnamesFollowedInsideTheZone() throws IOException {
    Path zoneFile = Files.writeString(dir.resolve("db.example.test"), String.join("\n",
        "$TTL 300",
        "@    IN SOA ns1 hostmaster 2024010101 3600 600 86400 60",
        "@    IN NS  ns1",
        "ns1  IN A   127.0.0.1",
        "api  IN A   192.0.2.10",
        "www  IN CNAME api",
        "_bulwark.api IN TXT \"v=1 g=1 t=1\"",
        ""));
    EmbeddedDnsServer.Options o = new EmbeddedDnsServer.Options(InetAddress.getLoopbackAddress(), 0,
        dir.resolve("data"), List.of(TestKeys.random("k")), InitialZone.fromFile(zoneFile, ServerUnderTest.ZONE));

    try (EmbeddedDnsServer server = EmbeddedDnsServer.start(o)) {
      WireClient.Exchange ex = WireClient.exchange(server.address(), query("www." + ServerUnderTest.ZONE + ".", Type.A, 0),
          null, 5_000, false);

      assertThat(server.serial()).isEqualTo(2024010101L);
      assertThat(ex).isInstanceOfSatisfying(WireClient.Exchange.Answered.class,
          a -> assertThat(a.response().getSection(Section.ANSWER)).extracting(Record::getType)
              .containsExactly(Type.CNAME, Type.A));
    }
  }

  @Test
  void aBrokenZoneFileIsRejectedNamingTheFile() throws IOException {
    Path zoneFile = Files.writeString(dir.resolve("db.broken"), "$TTL 60\n@ IN NS ns1." + ServerUnderTest.ZONE + ".\n");

    assertThatThrownBy(() -> InitialZone.fromFile(zoneFile, ServerUnderTest.ZONE))
        .hasMessageContaining(zoneFile.toString())
        .hasMessageContaining("no SOA record");
  }

  @Test
  void aRequestWithAValidHeaderButAGarbledBodyGetsFormerrWithItsId() throws IOException {
    try (EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir)) {
      // Header: id 0x4242, RD, one question; then a question name that runs off the end.
      byte[] garbled = {0x42, 0x42, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x3f, 'a', 'b'};

      Message resp = new Message(RawDns.udp(s.address(), garbled, 5_000).orElseThrow());

      assertThat(resp.getHeader().getID()).isEqualTo(0x4242);
      assertThat(resp.getRcode()).isEqualTo(Rcode.FORMERR);
    }
  }

  @Test
  void anUnsupportedOpcodeGetsNotimp() throws IOException {
    try (EmbeddedServerUnderTest s = new EmbeddedServerUnderTest(dir)) {
      Message status = query(ServerUnderTest.ZONE + ".", Type.SOA, 0);
      status.getHeader().setOpcode(org.xbill.DNS.Opcode.STATUS);

      Message resp = new Message(RawDns.udp(s.address(), status.toWire(), 5_000).orElseThrow());

      assertThat(resp.getRcode()).isEqualTo(Rcode.NOTIMP);
    }
  }

  private static void addTxt(ServerUnderTest s, String owner, int count) {
    Update u = new Update(name(ServerUnderTest.ZONE + "."));
    for (int i = 0; i < count; i++) {
      u.add(new TXTRecord(name(owner), DClass.IN, 60, String.format("%03d-", i) + "x".repeat(96)));
    }
    WireClient.Exchange ex = WireClient.exchange(s.address(), u, s.key().signer(), 5_000, true);
    assertThat(ex).isInstanceOfSatisfying(WireClient.Exchange.Answered.class,
        a -> assertThat(a.response().getRcode()).isEqualTo(Rcode.NOERROR));
  }

  /** A query; {@code ednsPayload} 0 means without EDNS. */
  static Message query(String owner, int type, int ednsPayload) {
    Message q = Message.newQuery(Record.newRecord(name(owner), type, DClass.IN));
    if (ednsPayload > 0) {
      q.addRecord(new OPTRecord(ednsPayload, 0, 0, 0), Section.ADDITIONAL);
    }
    return q;
  }
}
