package dev.bulwark.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.IpAddresses;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LocalLedger;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.InitialZone;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.dns.Rfc2136Target;
import dev.bulwark.dns.TsigKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real API over real parts: a {@link LocalLedger} with history (two services, three published
 * plans, a pending over-budget step), the embedded DNS server publishing one endpoint in sync and
 * one drifted, read over the wire by an {@link Rfc2136Target}, and an {@link ApiServer} on
 * 127.0.0.1 with a port of its own.
 */
public final class ApiFixture implements AutoCloseable {
  public static final ServiceId DDB = ServiceId.of("dynamodb");
  public static final ServiceId S3 = ServiceId.of("s3");
  public static final EndpointName API = EndpointName.of("api.bulwark.test");
  public static final EndpointName STREAMS = EndpointName.of("streams.bulwark.test");
  public static final EndpointName S3_API = EndpointName.of("s3.bulwark.test");
  public static final List<AzId> AZS = List.of(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c"));
  public static final ActorId PLANNER = ActorId.of("planner@az-a");

  /** Token secrets by name; roles: vera viewer, otto operator, alice and bob approvers, root admin. */
  public static final String VIEWER = "vera-secret-0123456789";
  public static final String OPERATOR = "otto-secret-0123456789";
  public static final String ALICE = "alice-secret-0123456789";
  public static final String BOB = "bob-secret-0123456789ab";
  public static final String ADMIN = "root-secret-0123456789";

  public final LocalLedger ledger = new LocalLedger();
  public final AtomicLong clock = new AtomicLong(1_000_000);
  public final EmbeddedDnsServer dns;
  public final Rfc2136Target dnsClient;
  public final ApiServer server;
  public final ObjectMapper mapper = new ObjectMapper();
  public final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public FencingToken token = FencingToken.NONE;
  /** The pending approval the history leaves: g3 removes two of three API targets. */
  public long pendingId;

  public ApiFixture(Path dir) throws Exception {
    this(dir, 64 * 1024);
  }

  public ApiFixture(Path dir, int maxBodyBytes) throws Exception {
    this(dir, maxBodyBytes, b -> b);
  }

  /** A fixture whose API context gets {@code extra} options (e.g. game days) before it is built. */
  public ApiFixture(Path dir, int maxBodyBytes, UnaryOperator<ApiContext.Builder> extra) throws Exception {
    TsigKey key = TsigKey.hmacSha256("enactor-key", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0IQ==");
    dns = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(InetAddress.getLoopbackAddress(), 0,
        dir.resolve("dns"), List.of(key), InitialZone.minimal("bulwark.test")));
    dnsClient = new Rfc2136Target(Rfc2136Options.of(InetAddress.getLoopbackAddress(), dns.port(), "bulwark.test",
        key));
    history();
    List<ClusterView.Peer> peers = new ArrayList<>();
    for (int i = 0; i < AZS.size(); i++) {
      peers.add(new ClusterView.Peer(AZS.get(i), "127.0.0.1:710" + (i + 1), i != 2, i == 0,
          i == 2 ? OptionalLong.empty() : OptionalLong.of(20)));
    }
    List<ApiToken> tokens = List.of(new ApiToken("vera", Role.VIEWER, VIEWER),
        new ApiToken("otto", Role.OPERATOR, OPERATOR), new ApiToken("alice", Role.APPROVER, ALICE),
        new ApiToken("bob", Role.APPROVER, BOB), new ApiToken("root", Role.ADMIN, ADMIN));
    server = ApiServer.start(extra.apply(ApiContext.builder(ledger, dnsClient::read, ClusterView.fixed(peers), tokens,
        clock::get).bind("127.0.0.1", 0).maxBodyBytes(maxBodyBytes).metrics(() -> "bulwark_up 1\n")).build());
  }

  private void history() throws Exception {
    ActorId setup = ActorId.of("operator:setup");
    submit(new Command.RegisterService(ServiceDefinition.of(DDB, List.of(API, STREAMS), AZS, ServicePolicy.DEFAULT),
        setup, clock.get()));
    submit(new Command.RegisterService(ServiceDefinition.of(S3, List.of(S3_API), AZS, ServicePolicy.DEFAULT), setup,
        clock.get()));
    Result.Accepted a = (Result.Accepted) submit(new Command.AcquireAuthority(600_000, false,
        ActorId.of("controller:primary"), clock.get()));
    token = ((Outcome.AuthorityGranted) a.outcome()).token();
    publish(plan(1, 2, 3, 4));
    Generation g2 = publish(plan(1, 2, 3));
    Generation g3 = proposeAndApprove(plan(1));
    Result r = submit(new Command.AdvancePointer(DDB, 2, g3, token, PLANNER, clock.get()));
    pendingId = ((Outcome.ApprovalRequired) ((Result.Accepted) r).outcome()).pendingId();

    Marker current = new Marker(2, g2, token);
    write(API, List.of("10.0.0.1", "10.0.0.2", "10.0.0.3"), current);
    write(STREAMS, List.of("10.9.9.9"), current);
    submit(new Command.RecordApplied(DDB, API, 2, g2, AZS.get(0), token, ActorId.of("enactor@az-a"), clock.get()));
  }

  /** A dynamodb plan with API targets 10.0.0.h and two fixed streams targets. */
  public static Plan plan(int... hosts) {
    List<Target> api = new ArrayList<>();
    for (int h : hosts) {
      api.add(Target.of("10.0.0." + h, 100, "az-" + (char) ('a' + h % 3)));
    }
    Map<EndpointName, List<Target>> m = new TreeMap<>();
    m.put(API, api);
    m.put(STREAMS, List.of(Target.of("10.1.0.1", 100, "az-a"), Target.of("10.1.0.2", 100, "az-b")));
    return Plan.of(DDB, m);
  }

  public Generation proposeAndApprove(Plan p) throws Exception {
    Result.Accepted r = (Result.Accepted) submit(new Command.ProposePlan(p, token, PLANNER, clock.get()));
    Generation g = ((Outcome.PlanProposed) r.outcome()).generation();
    for (AzId az : AZS.subList(0, 2)) {
      submit(new Command.Vote(DDB, g, az, true, "healthy", ActorId.of("validator@" + az), clock.get()));
    }
    return g;
  }

  private Generation publish(Plan p) throws Exception {
    Generation g = proposeAndApprove(p);
    long version = ledger.read(new dev.bulwark.core.ledger.LedgerQuery.PointerOf(DDB)).get().version();
    Result r = submit(new Command.AdvancePointer(DDB, version, g, token, PLANNER, clock.get()));
    if (!(r instanceof Result.Accepted a) || !(a.outcome() instanceof Outcome.PointerAdvanced)) {
      throw new AssertionError("advance to " + g + " failed: " + r);
    }
    return g;
  }

  private void write(EndpointName e, List<String> addresses, Marker marker) {
    List<InetAddress> a = new ArrayList<>();
    addresses.forEach(s -> a.add(IpAddresses.parse(s)));
    ApplyOutcome out = dnsClient.apply(new ApplyRequest(e, new ApplyRequest.Precondition.MarkerAbsent(), a, marker,
        60));
    if (!(out instanceof ApplyOutcome.Applied)) {
      throw new AssertionError("DNS write of " + e + " failed: " + out);
    }
  }

  public Result submit(Command c) throws Exception {
    clock.addAndGet(10);
    return ledger.submit(c).get();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  /** An answer: status, headers and the body parsed as JSON (null if it is not JSON). */
  public record Reply(int status, HttpResponse<String> raw, JsonNode json) {
    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }
  }

  public Reply get(String path, String secret) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20)).GET();
    if (secret != null) {
      b.header("Authorization", "Bearer " + secret);
    }
    return send(b.build());
  }

  public Reply post(String path, String secret, String json) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (secret != null) {
      b.header("Authorization", "Bearer " + secret);
    }
    return send(b.build());
  }

  public Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = mapper.readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    return new Reply(r.statusCode(), r, json);
  }

  @Override
  public void close() {
    server.close();
    dns.close();
    ledger.close();
  }
}
