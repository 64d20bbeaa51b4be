package dev.bulwark.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.IpAddresses;
import dev.bulwark.core.Marker;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.ApplyRequest.Precondition;
import dev.bulwark.core.port.DnsFailure;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.dns.internal.WireClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * One suite of RFC 2136 and query behaviour, run against every server Bulwark may write to: the
 * embedded server and a real BIND9. Whatever passes here behaves the same for an Enactor on both.
 *
 * <p>One server per subclass keeps the suite fast; each test writes names of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DnsConformanceSuite {
  private static final AtomicInteger UNIQUE = new AtomicInteger();
  private static final String FIXED = "fixed." + ServerUnderTest.ZONE + ".";

  private ServerUnderTest server;

  /** Starts the server under test in {@code dir}. */
  abstract ServerUnderTest start(Path dir);

  @BeforeAll
  void startServer(@TempDir Path dir) throws IOException {
    server = start(dir);
    // Fixed data the prerequisite table reads: one A record at fixed.example.test.
    Message resp = update(u -> u.add(record(FIXED, "192.0.2.1")), server.key());
    assertThat(Rcode.string(resp.getRcode())).isEqualTo("NOERROR");
  }

  @AfterAll
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  // ---- reads ---------------------------------------------------------------------------------

  @Test
  void anEndpointNeverWrittenReadsAsEmptyWithoutMarker() {
    EndpointName e = freshEndpoint();

    PublishedState state = read(server.target(), e);

    assertThat(state.addresses()).isEmpty();
    assertThat(state.rawMarker()).isEmpty();
  }

  @Test
  void aMissingNameIsNxdomainAndAMissingTypeIsNodataBothWithSoaInAuthority() {
    Message nx = query(freshEndpoint().value(), Type.A);
    Message nodata = query(FIXED, Type.AAAA);

    assertThat(Rcode.string(nx.getRcode())).isEqualTo("NXDOMAIN");
    assertThat(Rcode.string(nodata.getRcode())).isEqualTo("NOERROR");
    for (Message m : List.of(nx, nodata)) {
      assertThat(m.getHeader().getFlag(Flags.AA)).as("authoritative answer").isTrue();
      assertThat(m.getSection(Section.ANSWER)).isEmpty();
      assertThat(m.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }
  }

  @Test
  void anEmptyNonTerminalIsNodataNotNxdomain() throws IOException {
    String leaf = "leaf.ent" + UNIQUE.incrementAndGet() + "." + ServerUnderTest.ZONE + ".";
    update(u -> u.add(record(leaf, "192.0.2.7")), server.key());

    Message m = query(leaf.substring("leaf.".length()), Type.A);

    assertThat(Rcode.string(m.getRcode())).isEqualTo("NOERROR");
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  // ---- the marker compare-and-swap -----------------------------------------------------------

  @Test
  void theFirstWriteWithMarkerAbsentPublishesAddressesAndMarker() {
    EndpointName e = freshEndpoint();
    Rfc2136Target target = server.target();

    ApplyOutcome out = target.apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.10", "2001:db8::10"));

    assertThat(out).isEqualTo(new ApplyOutcome.Applied());
    PublishedState state = read(target, e);
    assertThat(state.addresses()).containsExactly(ip("192.0.2.10"), ip("2001:db8::10"));
    assertThat(state.rawMarker()).contains(marker(1).text());
  }

  @Test
  void markerAbsentFailsWithYxrrsetOnceAMarkerExistsAndChangesNothing() {
    EndpointName e = freshEndpoint();
    Rfc2136Target target = server.target();
    target.apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.10"));

    ApplyOutcome out = target.apply(request(e, new Precondition.MarkerAbsent(), marker(2), "192.0.2.99"));

    assertThat(out).isInstanceOf(ApplyOutcome.PreconditionFailed.class);
    ApplyOutcome.PreconditionFailed failed = (ApplyOutcome.PreconditionFailed) out;
    assertThat(failed.rcode()).isEqualTo("YXRRSET");
    assertThat(failed.current().rawMarker()).contains(marker(1).text());
    assertThat(read(target, e).addresses()).containsExactly(ip("192.0.2.10"));
  }

  @Test
  void ofTwoWritersThatReadTheSameMarkerExactlyOneWinsAndTheLoserChangesNothing() throws Exception {
    EndpointName e = freshEndpoint();
    server.target().apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));
    Rfc2136Target enactorA = server.target();
    Rfc2136Target enactorB = server.target();
    String seenByA = read(enactorA, e).rawMarker().orElseThrow();
    String seenByB = read(enactorB, e).rawMarker().orElseThrow();
    assertThat(seenByA).isEqualTo(seenByB);

    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<ApplyOutcome> a = CompletableFuture.supplyAsync(() -> {
      await(go);
      return enactorA.apply(request(e, new Precondition.MarkerEquals(seenByA), marker(2), "192.0.2.2"));
    });
    CompletableFuture<ApplyOutcome> b = CompletableFuture.supplyAsync(() -> {
      await(go);
      return enactorB.apply(request(e, new Precondition.MarkerEquals(seenByB), marker(3), "192.0.2.3"));
    });
    go.countDown();
    ApplyOutcome outA = a.get(30, TimeUnit.SECONDS);
    ApplyOutcome outB = b.get(30, TimeUnit.SECONDS);

    List<ApplyOutcome> outcomes = List.of(outA, outB);
    assertThat(outcomes).filteredOn(o -> o instanceof ApplyOutcome.Applied).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o instanceof ApplyOutcome.PreconditionFailed).hasSize(1);
    boolean aWon = outA instanceof ApplyOutcome.Applied;
    PublishedState after = read(server.target(), e);
    assertThat(after.rawMarker()).contains(marker(aWon ? 2 : 3).text());
    assertThat(after.addresses()).containsExactly(ip(aWon ? "192.0.2.2" : "192.0.2.3"));
    ApplyOutcome.PreconditionFailed lost = (ApplyOutcome.PreconditionFailed) (aWon ? outB : outA);
    assertThat(lost.rcode()).isEqualTo("NXRRSET");
    assertThat(lost.current()).isEqualTo(after);
  }

  @Test
  void writersRacingOnOneMarkerNeverLoseAnUpdate() throws Exception {
    EndpointName e = freshEndpoint();
    server.target().apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));
    int writers = 4;
    int winsEach = 5;

    List<CompletableFuture<Integer>> runs = new java.util.ArrayList<>();
    for (int w = 0; w < writers; w++) {
      Rfc2136Target target = server.target();
      runs.add(CompletableFuture.supplyAsync(() -> {
        int conflicts = 0;
        String seen = read(target, e).rawMarker().orElseThrow();
        for (int wins = 0; wins < winsEach; ) {
          long next = Marker.parse(seen).orElseThrow().version() + 1;
          ApplyOutcome out = target.apply(request(e, new Precondition.MarkerEquals(seen), marker(next), "192.0.2.1"));
          if (out instanceof ApplyOutcome.Applied) {
            wins++;
            seen = marker(next).text();
          } else {
            // Lost the race: re-decide from what the server says is current, like an Enactor.
            seen = ((ApplyOutcome.PreconditionFailed) out).current().rawMarker().orElseThrow();
            conflicts++;
          }
        }
        return conflicts;
      }));
    }
    for (CompletableFuture<Integer> run : runs) {
      run.get(60, TimeUnit.SECONDS);
    }

    // Every Applied moved the version by exactly one, so none was overwritten or lost.
    assertThat(read(server.target(), e).marker().orElseThrow().version()).isEqualTo(1 + writers * winsEach);
  }

  @Test
  void aStaleWriterGetsNxrrsetAndTheNewerRecordsStay() {
    EndpointName e = freshEndpoint();
    Rfc2136Target target = server.target();
    target.apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));
    target.apply(request(e, new Precondition.MarkerEquals(marker(1).text()), marker(5), "192.0.2.5"));

    ApplyOutcome stale = target.apply(request(e, new Precondition.MarkerEquals(marker(1).text()), marker(2), "192.0.2.2"));

    assertThat(stale).isInstanceOf(ApplyOutcome.PreconditionFailed.class);
    PublishedState now = read(target, e);
    assertThat(now.addresses()).containsExactly(ip("192.0.2.5"));
    assertThat(now.rawMarker()).contains(marker(5).text());
  }

  @Test
  void anUnconditionalWriteReplacesWhateverIsThere() {
    EndpointName e = freshEndpoint();
    Rfc2136Target target = server.target();
    target.apply(request(e, new Precondition.MarkerAbsent(), marker(9), "192.0.2.9", "2001:db8::9"));

    ApplyOutcome out = target.apply(request(e, new Precondition.Unconditional(), marker(2), "192.0.2.2"));

    assertThat(out).isEqualTo(new ApplyOutcome.Applied());
    assertThat(read(target, e).addresses()).containsExactly(ip("192.0.2.2"));
  }

  // ---- RFC 2136 §2.4 prerequisite table --------------------------------------------------------

  static Stream<Arguments> prerequisiteTable() {
    String missing = "missing." + ServerUnderTest.ZONE + ".";
    String outside = "x.elsewhere.test.";
    return Stream.of(
        Arguments.of("name in use, on a used name", (Consumer<Update>) u -> u.present(name(FIXED)), "NOERROR"),
        Arguments.of("name in use, on a missing name", (Consumer<Update>) u -> u.present(name(missing)), "NXDOMAIN"),
        Arguments.of("name not in use, on a missing name", (Consumer<Update>) u -> u.absent(name(missing)), "NOERROR"),
        Arguments.of("name not in use, on a used name", (Consumer<Update>) u -> u.absent(name(FIXED)), "YXDOMAIN"),
        Arguments.of("RRset exists, present", (Consumer<Update>) u -> u.present(name(FIXED), Type.A), "NOERROR"),
        Arguments.of("RRset exists, absent", (Consumer<Update>) u -> u.present(name(FIXED), Type.TXT), "NXRRSET"),
        Arguments.of("RRset does not exist, absent", (Consumer<Update>) u -> u.absent(name(FIXED), Type.TXT), "NOERROR"),
        Arguments.of("RRset does not exist, present", (Consumer<Update>) u -> u.absent(name(FIXED), Type.A), "YXRRSET"),
        Arguments.of("value-dependent, same value",
            (Consumer<Update>) u -> u.present(record(FIXED, "192.0.2.1", 0)), "NOERROR"),
        Arguments.of("value-dependent, other value",
            (Consumer<Update>) u -> u.present(record(FIXED, "192.0.2.2", 0)), "NXRRSET"),
        Arguments.of("value-dependent, a subset of the RRset",
            (Consumer<Update>) u -> { u.present(record(FIXED, "192.0.2.1", 0)); u.present(record(FIXED, "192.0.2.3", 0)); },
            "NXRRSET"),
        Arguments.of("name outside the zone", (Consumer<Update>) u -> u.present(name(outside)), "NOTZONE"),
        Arguments.of("non-zero TTL is malformed",
            (Consumer<Update>) u -> u.addRecord(Record.newRecord(name(FIXED), Type.A, DClass.ANY, 300), Section.PREREQ),
            "FORMERR"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("prerequisiteTable")
  void eachPrerequisiteFormAnswersWithTheRcodeOfRfc2136(String form, Consumer<Update> prerequisite, String rcode)
      throws IOException {
    Message resp = update(prerequisite, server.key());

    assertThat(Rcode.string(resp.getRcode())).as(form).isEqualTo(rcode);
    assertThat(query(FIXED, Type.A).getSection(Section.ANSWER)).as("the fixed record is untouched")
        .extracting(Record::rdataToString).containsExactly("192.0.2.1");
  }

  @Test
  void anUpdateForAZoneTheServerDoesNotServeIsNotauth() throws IOException {
    Update u = new Update(name("not-served.test."));
    u.add(record("a.not-served.test.", "192.0.2.1"));

    Message resp = send(u, server.key().signer());

    assertRcode(resp, "NOTAUTH");
  }

  @Test
  void aZoneSectionWithTwoRecordsIsFormerr() throws IOException {
    Update u = new Update(name(ServerUnderTest.ZONE + "."));
    u.addRecord(Record.newRecord(name(ServerUnderTest.ZONE + "."), Type.SOA, DClass.IN), Section.ZONE);

    Message resp = send(u, server.key().signer());

    assertRcode(resp, "FORMERR");
  }

  // ---- update forms and atomicity --------------------------------------------------------------

  @Test
  void theFourUpdateFormsAddDeleteRrsetDeleteNameAndDeleteOneRecord() throws IOException {
    String n = freshEndpoint().value() + ".";
    Message added = update(u -> { u.add(record(n, "192.0.2.1")); u.add(record(n, "192.0.2.2")); }, server.key());
    assertRcode(added, "NOERROR");
    assertThat(added.isVerified()).as("the answer to a signed update is signed and verifies").isTrue();
    assertThat(answers(n, Type.A)).containsExactlyInAnyOrder("192.0.2.1", "192.0.2.2");

    assertRcode(update(u -> u.delete(record(n, "192.0.2.1")), server.key()), "NOERROR");
    assertThat(answers(n, Type.A)).containsExactly("192.0.2.2");

    TXTRecord hello = new TXTRecord(name(n), DClass.IN, 60, "hello");
    assertRcode(update(u -> u.add(hello), server.key()), "NOERROR");
    assertRcode(update(u -> u.delete(name(n), Type.A), server.key()), "NOERROR");
    assertThat(answers(n, Type.A)).isEmpty();
    assertThat(answers(n, Type.TXT)).containsExactly(hello.rdataToString());

    assertRcode(update(u -> u.delete(name(n)), server.key()), "NOERROR");
    assertThat(Rcode.string(query(n, Type.TXT).getRcode())).isEqualTo("NXDOMAIN");
  }

  @Test
  void anUpdateWithOneBadRecordChangesNothingAtAll() throws IOException {
    String n = freshEndpoint().value() + ".";

    Message resp = update(u -> { u.add(record(n, "192.0.2.1")); u.add(record("y.elsewhere.test.", "192.0.2.2")); }, server.key());

    assertRcode(resp, "NOTZONE");
    assertThat(Rcode.string(query(n, Type.A).getRcode())).isEqualTo("NXDOMAIN");
  }

  @Test
  void anAcceptedChangeIncreasesTheSoaSerial() throws IOException {
    long before = serial();

    update(u -> u.add(record(freshEndpoint().value() + ".", "192.0.2.1")), server.key());

    assertThat(serial()).isGreaterThan(before);
  }

  // ---- TSIG ------------------------------------------------------------------------------------

  @Test
  void anUnsignedUpdateIsRefused() throws IOException {
    Message resp = update(u -> u.add(record(freshEndpoint().value() + ".", "192.0.2.1")), (TsigKey) null);

    assertRcode(resp, "REFUSED");
  }

  @Test
  void anUpdateWithTheWrongSecretIsNotAuthorizedWithBadsig() throws IOException {
    TsigKey forged = TestKeys.random(server.key().name());
    EndpointName e = freshEndpoint();

    Message resp = update(u -> u.add(record(e.value() + ".", "192.0.2.1")), forged);
    ApplyOutcome out = server.target(forged).apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));

    assertRcode(resp, "NOTAUTH");
    TSIGRecord tsig = resp.getTSIG();
    assertThat(tsig).isNotNull();
    assertThat(Rcode.TSIGstring(tsig.getError())).isEqualTo("BADSIG");
    assertThat(out).isInstanceOfSatisfying(ApplyOutcome.Failed.class,
        f -> assertThat(f.failure().kind()).isEqualTo(DnsFailure.Kind.NOT_AUTHORIZED));
    assertThat(read(server.target(), e).addresses()).isEmpty();
  }

  @Test
  void anUpdateWithAnUnknownKeyIsNotAuthorizedWithBadkey() throws IOException {
    Message resp = update(u -> u.add(record(freshEndpoint().value() + ".", "192.0.2.1")), TestKeys.random("stranger"));

    assertRcode(resp, "NOTAUTH");
    TSIGRecord tsig = resp.getTSIG();
    assertThat(tsig).isNotNull();
    assertThat(Rcode.TSIGstring(tsig.getError())).isEqualTo("BADKEY");
  }

  @Test
  void anUpdateSignedByAClockTwoHoursOffIsNotAuthorizedWithBadtime() throws IOException {
    TsigKey k = server.key();
    TSIG skewed = new TSIG(k.algorithmName(), k.dnsName(),
        new SecretKeySpec(Base64.getDecoder().decode(k.secretBase64()), "HmacSHA256"),
        Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
    EndpointName e = freshEndpoint();

    Message resp = update(u -> u.add(record(e.value() + ".", "192.0.2.1")), skewed);

    assertRcode(resp, "NOTAUTH");
    TSIGRecord tsig = resp.getTSIG();
    assertThat(tsig).isNotNull();
    assertThat(Rcode.TSIGstring(tsig.getError())).isEqualTo("BADTIME");
    assertThat(read(server.target(), e).addresses()).isEmpty();
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private Message update(Consumer<Update> build, @Nullable TsigKey key) throws IOException {
    return update(build, key == null ? null : key.signer());
  }

  private Message update(Consumer<Update> build, @Nullable TSIG signer) throws IOException {
    Update u = new Update(name(ServerUnderTest.ZONE + "."));
    build.accept(u);
    return send(u, signer);
  }

  private Message send(Message u, @Nullable TSIG signer) {
    WireClient.Exchange ex = WireClient.exchange(server.address(), u, signer, 5_000, false);
    assertThat(ex).isInstanceOf(WireClient.Exchange.Answered.class);
    return ((WireClient.Exchange.Answered) ex).response();
  }

  private Message query(String qname, int type) {
    Message q = Message.newQuery(Record.newRecord(name(qname.endsWith(".") ? qname : qname + "."), type, DClass.IN));
    WireClient.Exchange ex = WireClient.exchange(server.address(), q, null, 5_000, false);
    assertThat(ex).isInstanceOf(WireClient.Exchange.Answered.class);
    return ((WireClient.Exchange.Answered) ex).response();
  }

  private List<String> answers(String qname, int type) {
    return query(qname, type).getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type).map(Record::rdataToString).toList();
  }

  private long serial() {
    return ((org.xbill.DNS.SOARecord) query(ServerUnderTest.ZONE, Type.SOA).getSection(Section.ANSWER).get(0)).getSerial();
  }

  private static void assertRcode(Message m, String rcode) {
    assertThat(Rcode.string(m.getRcode())).isEqualTo(rcode);
  }

  private static PublishedState read(Rfc2136Target target, EndpointName e) {
    ReadOutcome out = target.read(e);
    assertThat(out).isInstanceOf(ReadOutcome.Read.class);
    return ((ReadOutcome.Read) out).state();
  }

  static EndpointName freshEndpoint() {
    return EndpointName.of("ep" + UNIQUE.incrementAndGet() + "-" + System.nanoTime() % 100_000 + "." + ServerUnderTest.ZONE);
  }

  static Marker marker(long version) {
    return new Marker(version, Generation.of(version * 10), FencingToken.of(version * 100));
  }

  static ApplyRequest request(EndpointName e, Precondition pre, Marker marker, String... ips) {
    return new ApplyRequest(e, pre, Stream.of(ips).map(IpAddresses::parse).toList(), marker, 60);
  }

  static InetAddress ip(String text) {
    return IpAddresses.parse(text);
  }

  static Name name(String text) {
    return Name.fromConstantString(text);
  }

  static ARecord record(String owner, String ip) {
    return record(owner, ip, 60);
  }

  static ARecord record(String owner, String ip, long ttl) {
    return new ARecord(name(owner), DClass.IN, ttl, ip(ip));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
