package dev.bulwark.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ledger driven the way the replication layer drives it: increasing log indexes, commands
 * carrying a test-controlled clock. Checks every invariant after every command.
 */
final class LedgerFixture {
  static final ServiceId DDB = ServiceId.of("dynamodb");
  static final EndpointName API = EndpointName.of("dynamodb.us-east-1.example");
  static final EndpointName STREAMS = EndpointName.of("streams.dynamodb.us-east-1.example");
  static final AzId AZ_A = AzId.of("az-a");
  static final AzId AZ_B = AzId.of("az-b");
  static final AzId AZ_C = AzId.of("az-c");
  static final ActorId PLANNER = ActorId.of("planner@az-a");
  static final ActorId JANITOR = ActorId.of("janitor@az-b");
  static final ActorId ALICE = ActorId.of("operator:alice");
  static final ActorId BOB = ActorId.of("operator:bob");
  static final ActorId CONTROLLER = ActorId.of("controller:primary");

  final LedgerState ledger;
  long logIndex;
  long now = 1_000_000;
  FencingToken token = FencingToken.NONE;

  LedgerFixture() {
    this(new LedgerState());
  }

  LedgerFixture(LedgerState ledger) {
    this.ledger = ledger;
  }

  /** A fixture with dynamodb registered (default policy) and authority held by the controller. */
  static LedgerFixture withService() {
    return withService(ServicePolicy.DEFAULT);
  }

  static LedgerFixture withService(ServicePolicy policy) {
    LedgerFixture f = new LedgerFixture();
    f.accepted(new Command.RegisterService(
        ServiceDefinition.of(DDB, List.of(API, STREAMS), List.of(AZ_A, AZ_B, AZ_C), policy), ALICE, f.now));
    f.acquire(CONTROLLER);
    return f;
  }

  /**
   * Applies {@code c} and checks, besides the invariants, that the command and its result survive
   * the wire encodings unchanged (so every scenario in the suite also tests the codecs).
   */
  Result apply(Command c) {
    assertThat(Codec.decode(Codec.encode(c))).isEqualTo(c);
    Result r = ledger.apply(++logIndex, c);
    assertThat(ResultCodec.decode(ResultCodec.encode(r))).isEqualTo(r);
    ledger.checkInvariants();
    assertThat(ledger.audit().verify().intact()).isTrue();
    assertThat(ledger.audit().size()).isEqualTo(r.eventId() + 1);
    return r;
  }

  Result.Accepted accepted(Command c) {
    Result r = apply(c);
    assertThat(r).as("result of %s", c).isInstanceOf(Result.Accepted.class);
    return (Result.Accepted) r;
  }

  Result.Rejected rejected(Command c, RejectCode code) {
    Result r = apply(c);
    assertThat(r).as("result of %s", c).isInstanceOf(Result.Rejected.class);
    Result.Rejected rej = (Result.Rejected) r;
    assertThat(rej.code()).as("reject code; message: %s", rej.message()).isEqualTo(code);
    AuditEvent e = ledger.audit().get(rej.eventId());
    assertThat(e.accepted()).isFalse();
    assertThat(e.code()).isEqualTo(code.name());
    assertThat(e.detail()).isEqualTo(rej.message());
    return rej;
  }

  FencingToken acquire(ActorId who) {
    Result.Accepted r = accepted(new Command.AcquireAuthority(10_000, false, who, now));
    token = ((Outcome.AuthorityGranted) r.outcome()).token();
    return token;
  }

  static Map<EndpointName, List<Target>> endpoints(List<Target> api, List<Target> streams) {
    Map<EndpointName, List<Target>> m = new LinkedHashMap<>();
    m.put(API, api);
    m.put(STREAMS, streams);
    return m;
  }

  /** A dynamodb plan with these API targets (10.0.0.x) and fixed streams targets. */
  static Plan plan(int... apiHosts) {
    List<Target> api = Arrays.stream(apiHosts)
        .mapToObj(h -> Target.of("10.0.0." + h, 100, "az-" + (char) ('a' + h % 3)))
        .toList();
    return Plan.of(DDB, endpoints(api, List.of(Target.of("10.1.0.1", 100, "az-a"), Target.of("10.1.0.2", 100, "az-b"))));
  }

  Generation propose(Plan p) {
    Result.Accepted r = accepted(new Command.ProposePlan(p, token, PLANNER, now));
    return ((Outcome.PlanProposed) r.outcome()).generation();
  }

  void vote(Generation g, AzId az, boolean approve) {
    accepted(new Command.Vote(DDB, g, az, approve, approve ? "" : "unhealthy from " + az, ActorId.of("validator@" + az),
        now));
  }

  void approveBy(Generation g, AzId... azs) {
    for (AzId az : azs) {
      vote(g, az, true);
    }
  }

  Command.AdvancePointer advanceCmd(Generation g) {
    return new Command.AdvancePointer(DDB, ledger.pointer(DDB).version(), g, token, PLANNER, now);
  }

  /** Proposes, gets two approvals and advances: the happy path. Returns the generation. */
  Generation publish(Plan p) {
    Generation g = propose(p);
    approveBy(g, AZ_A, AZ_B);
    accepted(advanceCmd(g));
    return g;
  }

  void reportApplied(EndpointName e, AzId az) {
    var ptr = ledger.pointer(DDB);
    accepted(new Command.RecordApplied(DDB, e, ptr.version(), ptr.generation(), az, token,
        ActorId.of("enactor@" + az), now));
  }

  void tick(long millis) {
    now += millis;
  }
}
