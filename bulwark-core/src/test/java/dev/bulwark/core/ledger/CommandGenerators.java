package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;

/**
 * Generators for the ledger's property tests.
 *
 * <p><b>Design note.</b> A command drawn at random almost always names a plan, a version or a
 * pending approval that does not exist, so the ledger rejects it and the run proves little about
 * the interesting paths. These generators therefore draw <em>intents</em> ("an AZ votes on the
 * newest proposed plan", "advance the pointer, but with a stale expected version"), and {@link
 * IntentResolver} turns each intent into a concrete command against the state the ledger is in when
 * the command is sent. Intents are plain values, so jqwik shrinks a failing script by dropping and
 * simplifying intents, and the resolver keeps the shrunk script meaningful. Choice 0, variant 0
 * and fault 0 always mean "the ordinary, well-formed thing"; the higher values add the faults.
 *
 * <p>The universe is deliberately small so that commands collide: two services (three and four
 * endpoints), three voting AZs, ten targets (two of them IPv6), two planners that compete for the
 * authority lease, validators and Enactors per AZ, a Janitor and two operators. The policy is tight
 * (34% removal budget, 2 moves a minute, 10 s quarantine) so that over-budget steps, the velocity
 * limit and the quarantine are all reached.
 */
final class CommandGenerators {
  private CommandGenerators() {}

  // ---- the universe ----------------------------------------------------------------------------

  static final ServiceId ALPHA = ServiceId.of("alpha");
  static final ServiceId BETA = ServiceId.of("beta");
  /** Registered only by an occasional RegisterService intent. */
  static final ServiceId GAMMA = ServiceId.of("gamma");
  /** The fourth service: registering it exceeds {@link #LIMITS} once gamma exists. */
  static final ServiceId DELTA = ServiceId.of("delta");
  /** Never registered: commands naming it test UNKNOWN_SERVICE. */
  static final ServiceId UNREGISTERED = ServiceId.of("zeta");

  static final List<AzId> VOTERS = List.of(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c"));
  /** An AZ that is no service's voter. */
  static final AzId FOREIGN_AZ = AzId.of("az-z");

  static final List<ActorId> PLANNERS = List.of(ActorId.of("planner@az-a"), ActorId.of("planner@az-b"));
  static final List<ActorId> OPERATORS = List.of(ActorId.of("operator:alice"), ActorId.of("operator:bob"));
  static final ActorId JANITOR = ActorId.of("janitor@az-c");

  /** Ten load balancers; eight fit an endpoint ({@link #LIMITS}), all ten exceed it. */
  static final List<String> ADDRESSES =
      List.of(
          "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8",
          "2001:db8::1", "2001:db8::2");

  static final int[] WEIGHTS = {50, 100, 200};

  /** Small limits, so that LIMIT_EXCEEDED (services, targets, stored plans) is reachable. */
  static final LedgerLimits LIMITS = new LedgerLimits(3, 6, 8, 16);

  /**
   * Quorum 2 of 3, 2 automated moves a minute, 10 s quarantine, and a 34% removal budget: dropping
   * one of three targets is within it, dropping one of two is not, so over-budget steps come up.
   */
  static final ServicePolicy POLICY = new ServicePolicy(2, 34, 2, 60_000, 10_000);

  /** The time of the first command, in ms since the epoch. */
  static final long START_MILLIS = 1_700_000_000_000L;

  static ActorId validator(AzId az) {
    return ActorId.of("validator@" + az.value());
  }

  static ActorId enactor(AzId az) {
    return ActorId.of("enactor@" + az.value());
  }

  static Target target(String address, int weight) {
    int i = ADDRESSES.indexOf(address);
    return Target.of(address, weight, VOTERS.get(Math.floorMod(i, VOTERS.size())).value());
  }

  /**
   * An endpoint name below the service's own zone, e.g. {@code api.alpha.example}. A service id
   * may end with '-', a DNS label may not, so the zone label drops trailing hyphens.
   */
  static EndpointName endpointName(String label, ServiceId service) {
    return EndpointName.of(label + "." + service.value().replaceAll("-+$", "") + ".example");
  }

  static List<EndpointName> endpointsOf(ServiceId service) {
    List<String> labels =
        service.equals(ALPHA) ? List.of("api", "www", "img")
            : service.equals(BETA) ? List.of("api", "www", "db", "ws")
            : List.of("api", "www");
    List<EndpointName> out = new ArrayList<>();
    for (String l : labels) {
      out.add(endpointName(l, service));
    }
    return out;
  }

  /** The definition a service of the universe is registered with. */
  static ServiceDefinition definition(ServiceId service, ServicePolicy policy) {
    return ServiceDefinition.of(service, endpointsOf(service), VOTERS, policy);
  }

  /** A well-formed plan giving every endpoint of {@code service} its first three targets. */
  static Plan healthyPlan(ServiceId service) {
    Map<EndpointName, List<Target>> endpoints = new LinkedHashMap<>();
    for (EndpointName e : endpointsOf(service)) {
      endpoints.put(e, List.of(target("10.0.0.1", 100), target("10.0.0.2", 100), target("10.0.0.3", 100)));
    }
    return Plan.of(service, endpoints);
  }

  // ---- intents ---------------------------------------------------------------------------------

  /** What a client means to do; weights are the relative frequencies in generated scripts. */
  enum Kind {
    PROPOSE(16),
    VOTE(64),
    ADVANCE(28),
    RECORD_APPLIED(16),
    MARK(16),
    PURGE(20),
    ROLLBACK(6),
    ACQUIRE(4),
    RENEW(6),
    PAUSE(1),
    RESUME(8),
    PIN(1),
    UNPIN(8),
    APPROVE(20),
    REJECT(2),
    DECOMMISSION(4),
    REGISTER(2),
    UPDATE_POLICY(2);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  /**
   * One step of a script.
   *
   * @param choice which candidate (service, plan, AZ, endpoint), taken modulo the candidates
   * @param variant 0-6 the ordinary command, 7-9 the kind's odd cases (see {@link IntentResolver})
   * @param fault 0-17 a current fencing token, 18 a stale one, 19 one from the future
   * @param twist a second fault dial: 0-15 ordinary, 16-19 e.g. a wrong expected version or a
   *     self-approval
   * @param seed drives the content of proposed plans
   * @param timeStepMillis how far the sender's clock moved; negative: a command from the past
   *     (clock skew), which does not move the clock
   * @param indexGap how far the Raft log index moved (gaps are other log entries)
   */
  record Intent(Kind kind, int choice, int variant, int fault, int twist, int seed, long timeStepMillis, int indexGap) {}

  /**
   * A generated run: an optional bootstrap (register alpha and beta, planner@az-a takes the
   * lease and proposes a healthy plan for each), then the intents.
   */
  record Script(boolean bootstrap, List<Intent> intents) {
    /** The bootstrap's commands: register alpha and beta, take the lease, one plan for each. */
    static final int BOOTSTRAP_COMMANDS = 5;

    /** How many commands the script resolves to. */
    int length() {
      return intents.size() + (bootstrap ? BOOTSTRAP_COMMANDS : 0);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("Script[bootstrap=" + bootstrap + ", " + intents.size() + " intents]");
      for (Intent i : intents) {
        b.append("\n  ").append(i);
      }
      return b.toString();
    }
  }

  static Arbitrary<Kind> kinds() {
    List<Tuple.Tuple2<Integer, Kind>> weighted = new ArrayList<>();
    for (Kind k : Kind.values()) {
      weighted.add(Tuple.of(k.weight, k));
    }
    return Arbitraries.frequency(weighted).withoutEdgeCases();
  }

  /** Mostly small steps forward, sometimes a jump past the quarantine, sometimes a skewed clock. */
  @SuppressWarnings("unchecked")
  static Arbitrary<Long> timeSteps() {
    return Arbitraries.frequencyOf(
        Tuple.of(75, Arbitraries.longs().between(0, 500)),
        Tuple.of(15, Arbitraries.longs().between(501, 5_000)),
        Tuple.of(3, Arbitraries.longs().between(30_000, 120_000)),
        Tuple.of(7, Arbitraries.longs().between(-60_000, -1)));
  }

  static Arbitrary<Intent> intents() {
    return Combinators.combine(
            kinds(),
            Arbitraries.integers().between(0, 15),
            Arbitraries.integers().between(0, 9),
            Arbitraries.integers().between(0, 19),
            Arbitraries.integers().between(0, 19),
            Arbitraries.integers(),
            timeSteps(),
            Arbitraries.frequency(Tuple.of(9, 1), Tuple.of(1, 3)))
        .as(Intent::new);
  }

  /** Scripts of 1 to {@code maxIntents} intents, of uniformly distributed length. */
  static Arbitrary<Script> scripts(int maxIntents) {
    return Combinators.combine(
            Arbitraries.frequency(Tuple.of(19, true), Tuple.of(1, false)),
            intents().list().ofMinSize(1).ofMaxSize(maxIntents).withSizeDistribution(RandomDistribution.uniform()))
        .as(Script::new)
        // Edge cases (one-intent scripts, every dial at its maximum) would crowd out real runs.
        .withoutEdgeCases();
  }

  // ---- free-standing commands (for the codec) --------------------------------------------------

  /**
   * Valid Unicode only: command constructors refuse an unpaired surrogate (see {@code
   * LedgerRegressionTest}), so generating one would only produce construction errors.
   */
  private static Arbitrary<String> reasons() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').withChars(' ', '-', '.', ':', '/').ofMaxLength(40),
        Arbitraries.of("", "drill", "überfällig €", "見る ✓", "clef 𝄞 and grin 😀", "x".repeat(Codec.MAX_REASON_CHARS)));
  }

  private static Arbitrary<ActorId> actors() {
    return Arbitraries.oneOf(
        Arbitraries.of(PLANNERS.get(0), PLANNERS.get(1), OPERATORS.get(0), OPERATORS.get(1), JANITOR),
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(ActorId.MAX_LENGTH).map(ActorId::of));
  }

  private static Arbitrary<ServiceId> serviceIds() {
    return Arbitraries.oneOf(
        Arbitraries.of(ALPHA, BETA, GAMMA, UNREGISTERED),
        Arbitraries.strings().withCharRange('a', 'z').withChars('-', '0', '9').ofMinLength(1).ofMaxLength(63)
            .filter(s -> s.charAt(0) != '-')
            .map(ServiceId::of));
  }

  private static Arbitrary<Long> times() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(0, Command.MAX_TIME_MILLIS),
        Arbitraries.of(0L, START_MILLIS, Command.MAX_TIME_MILLIS));
  }

  private static Arbitrary<Long> indexes() {
    return Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.longs().between(0, 10));
  }

  private static Arbitrary<Generation> generations() {
    return indexes().map(Generation::of);
  }

  private static Arbitrary<FencingToken> tokens() {
    return indexes().map(FencingToken::of);
  }

  private static Arbitrary<AzId> azs() {
    return Arbitraries.of(VOTERS.get(0), VOTERS.get(1), VOTERS.get(2), FOREIGN_AZ);
  }

  private static Arbitrary<EndpointName> endpoints() {
    return Arbitraries.of(
        EndpointName.of("api.alpha.example"), EndpointName.of("www.beta.example"),
        EndpointName.of("a-1.b-2.c-3.example.com"), EndpointName.of("x.y"));
  }

  private static Arbitrary<ServicePolicy> policies() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 15),
            Arbitraries.integers().between(0, 100),
            Arbitraries.integers().between(1, ServicePolicy.MAX_ADVANCES_PER_WINDOW_LIMIT),
            Arbitraries.longs().between(1, ServicePolicy.MAX_DURATION_MILLIS),
            Arbitraries.longs().between(0, ServicePolicy.MAX_DURATION_MILLIS))
        .as(ServicePolicy::new);
  }

  private static Arbitrary<ServiceDefinition> definitions() {
    return Combinators.combine(
            serviceIds(), endpoints().set().ofMinSize(1), Arbitraries.integers().between(1, 3), policies())
        .as((s, e, quorum, p) -> new ServiceDefinition(s, new java.util.TreeSet<>(e),
            new java.util.TreeSet<>(VOTERS), p.withQuorum(quorum == 1 ? 2 : quorum)));
  }

  private static Arbitrary<Plan> plans() {
    Arbitrary<Target> targets =
        Combinators.combine(
                Arbitraries.of(ADDRESSES), Arbitraries.integers().between(Target.MIN_WEIGHT, Target.MAX_WEIGHT), azs())
            .as((a, w, az) -> Target.of(a, w, az.value()));
    Arbitrary<List<Target>> targetLists = targets.list().ofMaxSize(5).uniqueElements(Target::address);
    return Combinators.combine(serviceIds(), Arbitraries.maps(endpoints(), targetLists).ofMaxSize(4))
        .as(Plan::of);
  }

  private static Arbitrary<PauseScope> scopes() {
    return Arbitraries.oneOf(
        Arbitraries.just(PauseScope.GLOBAL), azs().map(PauseScope::az), serviceIds().map(PauseScope::service));
  }

  /** Every command type with wide-ranging, but valid, values: the codec's round-trip corpus. */
  static Arbitrary<Command> anyCommand() {
    Arbitrary<Long> ttls = Arbitraries.longs().between(Codec.MIN_LEASE_TTL_MILLIS, Codec.MAX_LEASE_TTL_MILLIS);
    Arbitrary<Long> pendingIds = Arbitraries.longs().between(1, Long.MAX_VALUE);
    Arbitrary<Long> versions = Arbitraries.longs().between(1, Long.MAX_VALUE);
    return Arbitraries.<Command>oneOf(List.<Arbitrary<? extends Command>>of(
        Combinators.combine(definitions(), actors(), times()).as(Command.RegisterService::new),
        Combinators.combine(serviceIds(), policies(), actors(), times()).as(Command.UpdatePolicy::new),
        Combinators.combine(plans(), tokens(), actors(), times()).as(Command.ProposePlan::new),
        Combinators.combine(serviceIds(), generations(), azs(), Arbitraries.of(true, false), reasons(), actors(), times())
            .as(Command.Vote::new),
        Combinators.combine(serviceIds(), indexes(), generations(), tokens(), actors(), times())
            .as(Command.AdvancePointer::new),
        Combinators.combine(serviceIds(), generations(), reasons(), actors(), times()).as(Command.Rollback::new),
        Combinators.combine(ttls, Arbitraries.of(true, false), actors(), times()).as(Command.AcquireAuthority::new),
        Combinators.combine(ttls, tokens(), actors(), times()).as(Command.RenewAuthority::new),
        Combinators.combine(serviceIds(), endpoints(), versions, generations(), azs(), tokens(), actors(), times())
            .as(Command.RecordApplied::new),
        Combinators.combine(serviceIds(), generations(), tokens(), actors(), times()).as(Command.MarkForDeletion::new),
        Combinators.combine(serviceIds(), generations(), tokens(), actors(), times()).as(Command.Purge::new),
        Combinators.combine(scopes(), reasons(), actors(), times()).as(Command.Pause::new),
        Combinators.combine(scopes(), reasons(), actors(), times()).as(Command.Resume::new),
        Combinators.combine(serviceIds(), reasons(), actors(), times()).as(Command.Pin::new),
        Combinators.combine(serviceIds(), reasons(), actors(), times()).as(Command.Unpin::new),
        Combinators.combine(pendingIds, reasons(), actors(), times()).as(Command.Approve::new),
        Combinators.combine(pendingIds, reasons(), actors(), times()).as(Command.Reject::new),
        Combinators.combine(serviceIds(), endpoints(), reasons(), actors(), times()).as(Command.Decommission::new)));
  }
}
