package dev.bulwark.server.gameday;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.agents.Agent;
import dev.bulwark.agents.Controller;
import dev.bulwark.agents.DelayedDnsTarget;
import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.Janitor;
import dev.bulwark.agents.LeaseFollower;
import dev.bulwark.agents.PauseGate;
import dev.bulwark.agents.Planner;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.agents.ShadowController;
import dev.bulwark.agents.Validator;
import dev.bulwark.agents.legacy.LegacyEnactor;
import dev.bulwark.agents.legacy.LegacyPlanStore;
import dev.bulwark.chaos.Action;
import dev.bulwark.chaos.Fault;
import dev.bulwark.chaos.GameDayTarget;
import dev.bulwark.chaos.Mode;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.Topology;
import dev.bulwark.chaos.inject.HealthOverride;
import dev.bulwark.chaos.inject.LegacyPlanner;
import dev.bulwark.chaos.inject.SkewedScheduler;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.ChainVerification;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerState;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.core.port.Scheduler;
import dev.bulwark.core.port.SystemScheduler;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.InitialZone;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.dns.Rfc2136Target;
import dev.bulwark.dns.TsigKey;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.LedgerPeer;
import dev.bulwark.ledger.PeerOptions;
import dev.bulwark.ledger.RatisLedger;
import dev.bulwark.server.DemoBackend;
import dev.bulwark.server.DemoTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The {@link GameDayTarget} that {@code bulwark gameday run} drives: a whole, fresh Bulwark embedded
 * in this JVM, with nothing simulated. Three Ratis ledger peers (one per AZ), the embedded DNS
 * server, real HTTP load balancers on 127.0.0.x ({@link DemoBackend}), per-AZ health checks and the
 * real agents, tuned for short game days: like {@code bulwark up}, a primary and a shadow {@link
 * Controller} (az-a, az-b) and in each AZ a {@link LeaseFollower} with that AZ's Validator and
 * Enactor, with a lease TTL of {@value #LEASE_TTL_MILLIS} ms. In legacy mode it runs the 2025 design instead: a {@link
 * LegacyPlanStore} per service, the {@link LegacyPlanner} and one {@link LegacyEnactor} per AZ and
 * service, with no ledger.
 *
 * <p>Design note: every repetition gets its own world on free loopback ports, with its state in a
 * directory of its own under a temporary one, and the world is closed after the run. A game day
 * injects faults that a running {@code bulwark up} must never see (killed ledger peers, a stopped
 * DNS server, stopped load balancers), so it never connects to one; its load balancers share the
 * demo's loopback addresses but listen on another port. The fleet is smaller than {@code bulwark
 * up}'s so that the shipped scenarios' fractions read simply ("three of four"): {@code dynamodb}
 * at {@code dynamodb.us-east-1.bulwark.test} has four load balancers (127.0.0.11-14), {@code s3}
 * at {@code s3.us-east-1.bulwark.test} two (127.0.0.21-22); zone {@code bulwark.test}, AZs az-a,
 * az-b and az-c, as in {@link DemoTopology}.
 */
final class EmbeddedGameDayTarget implements GameDayTarget {
  static final String ZONE = DemoTopology.ZONE;
  static final List<AzId> AZS = DemoTopology.AZS.stream().map(AzId::of).toList();
  /**
   * Every DNS update an Enactor sends takes this long, in both modes, as real DNS changes take time.
   * Without it, whichever legacy Enactor polls first applies each plan alone within milliseconds,
   * and the 2025 race (two Enactors holding the same plan) could not line up.
   */
  static final long UPDATE_LATENCY_MILLIS = 100;
  static final ServicePolicy POLICY = ServicePolicy.DEFAULT.withQuarantineTtlMillis(500).withVelocity(1_000, 60_000);
  /**
   * The authority lease TTL of the game day's controllers, in ms (renewed every third): half of
   * {@code bulwark up}'s 6,000, so that a control-plane failure is detected and the shadow promoted
   * within a short game day. Detection takes about one TTL after the primary's last renewal.
   */
  static final long LEASE_TTL_MILLIS = 3_000;
  /** How often each AZ's lease follower re-reads the lease at the latest, in ms (bulwark up: 1,000). */
  static final long LEASE_REFRESH_MILLIS = 200;
  /** Where the two controller candidates run: the primary first, then the shadow (as in bulwark up). */
  static final List<AzId> CONTROLLER_AZS = List.of(AZS.get(0), AZS.get(1));

  private final Mode mode;
  private final Scenario.LegacyFencing fencing;
  private final Path dir;
  private final SystemScheduler scheduler = new SystemScheduler("world", 16);
  private final Map<AzId, SkewedScheduler> clocks = new TreeMap<>();
  private final Map<String, HttpServer> backends = new LinkedHashMap<>();
  private final int backendPort = freePort();
  private final List<ServiceTopology> services;
  private final TsigKey key;
  private final Map<AzId, LedgerPeer> peers = new TreeMap<>();
  private final Map<AzId, RatisLedger> ledgers = new TreeMap<>();
  private final List<Agent> agents = new ArrayList<>();
  private final Map<AzId, HealthOverride> health = new TreeMap<>();
  /** Each AZ's Enactors' DNS clients (one per service in legacy mode): the delay faults act here. */
  private final Map<AzId, List<DelayedDnsTarget>> enactorDns = new TreeMap<>();
  private final Map<AzId, List<Long>> enactorDelays = new TreeMap<>();
  private final Map<AzId, Long> latencySkew = new TreeMap<>();
  private final Map<ServiceId, LegacyPlanStore> stores = new TreeMap<>();
  private final List<LegacyEnactor> legacyEnactors = new ArrayList<>();
  private final List<ServiceId> legacyEnactorServices = new ArrayList<>();
  private final LegacyLog legacyLog;
  private volatile EmbeddedDnsServer dns;
  /** Controller candidates by AZ: a killed one is replaced by a fresh one with the same identity. */
  private final Map<AzId, Controller> controllers = new TreeMap<>();
  /** Each AZ node's freeze switch (lease follower, Validator, Enactor), for freeze-controller. */
  private final Map<AzId, PauseGate> nodeGates = new TreeMap<>();
  /** The operators' API in safe mode, for the {@code api-health} probe; the 2025 design had none. */
  private volatile @Nullable GameDayApi api;
  private final Rfc2136Target sampler;

  private EmbeddedGameDayTarget(Mode mode, Scenario.LegacyFencing fencing, Path dir) {
    this.mode = mode;
    this.fencing = fencing;
    this.dir = dir;
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = TsigKey.hmacSha256("enactor-key", Base64.getEncoder().encodeToString(secret));
    this.services = List.of(DemoTopology.service("dynamodb", "dynamodb.us-east-1." + ZONE, 11, 4),
        DemoTopology.service("s3", "s3.us-east-1." + ZONE, 21, 2));
    AZS.forEach(az -> clocks.put(az, new SkewedScheduler(scheduler)));
    this.dns = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(InetAddress.getLoopbackAddress(), 0,
        dir.resolve("dns"), List.of(key), InitialZone.minimal(ZONE)));
    this.sampler = new Rfc2136Target(dnsOptions().withTimeoutMillis(500).withRetries(0));
    this.legacyLog = new LegacyLog(scheduler, stores, legacyEnactors, legacyEnactorServices);
  }

  /** A factory that starts a fresh world per repetition under {@code baseDir}. */
  static Factory factory(Path baseDir) {
    return (scenario, repetition) -> start(scenario.mode(), scenario.legacyFencing(),
        baseDir.resolve(scenario.name() + "-" + scenario.mode().yamlName() + "-" + repetition));
  }

  /**
   * Starts a world running {@code mode} (legacy mode fenced as {@code fencing} says), keeping its
   * state under {@code dir}.
   */
  static EmbeddedGameDayTarget start(Mode mode, Scenario.LegacyFencing fencing, Path dir) throws Exception {
    EmbeddedGameDayTarget t = new EmbeddedGameDayTarget(mode, fencing, dir);
    try {
      for (ServiceTopology s : t.services) {
        for (Target target : s.allTargets()) {
          t.startBackend(target.addressText());
        }
      }
      if (mode == Mode.SAFE) {
        t.startSafe();
      } else {
        t.startLegacy();
      }
      return t;
    } catch (Exception e) {
      t.close();
      throw e;
    }
  }

  private Rfc2136Options dnsOptions() {
    return Rfc2136Options.of(InetAddress.getLoopbackAddress(), dns.port(), ZONE, key);
  }

  private void startHealth() {
    for (AzId az : AZS) {
      Map<Target, HealthCheck> checks = new LinkedHashMap<>();
      services.forEach(s -> s.allTargets().forEach(t -> checks.put(t, HealthCheck.http(backendPort, "/health"))));
      HealthChecker h = new HealthChecker(az, checks, clocks.get(az), new HealthChecker.Options(150, 100, 2, 2));
      agents.add(h);
      health.put(az, new HealthOverride(h, clocks.get(az)));
      enactorDns.put(az, new ArrayList<>());
    }
  }

  private DnsTarget enactorClient() {
    return new Rfc2136Target(dnsOptions().withTimeoutMillis(1_000));
  }

  /** {@code inner}, with this AZ's delay faults in front of it. */
  private DelayedDnsTarget delayed(AzId az, DnsTarget inner) {
    DelayedDnsTarget d = new DelayedDnsTarget(inner);
    enactorDns.get(az).add(d);
    applyDelays(az);
    return d;
  }

  private void startSafe() throws Exception {
    SortedMap<AzId, InetSocketAddress> addrs = new TreeMap<>();
    for (AzId az : AZS) {
      addrs.put(az, InetSocketAddress.createUnresolved("127.0.0.1", freePort()));
    }
    ClusterConfig cluster = new ClusterConfig("gameday", addrs);
    for (AzId az : AZS) {
      LedgerPeer p = new LedgerPeer(az, cluster, dir.resolve("ledger-" + az), peerOptions());
      p.start();
      peers.put(az, p);
      ledgers.put(az, new RatisLedger(cluster, p, RatisLedger.ClientOptions.DEFAULT));
    }
    for (ServiceTopology s : services) {
      ServiceDefinition def = ServiceDefinition.of(s.service(), List.copyOf(s.candidates().keySet()), AZS, POLICY);
      ledgers.get(AZS.get(0)).submit(new Command.RegisterService(def, ActorId.of("operator:setup"),
          scheduler.nowMillis())).get(30, TimeUnit.SECONDS);
    }
    startHealth();
    // Each AZ is one node: its lease follower, Validator and Enactor reach the ledger and DNS through
    // the node's gate, so freezing the primary's node freezes them with its controller.
    for (AzId az : AZS) {
      PauseGate gate = new PauseGate();
      nodeGates.put(az, gate);
      Ledger ledger = gate.wrap(ledgers.get(az));
      LeaseFollower lease = new LeaseFollower(az, ledger, clocks.get(az), LEASE_REFRESH_MILLIS);
      agents.add(lease);
      agents.add(new Validator(services, health.get(az), ledger, lease, clocks.get(az), 500));
      agents.add(new Enactor(az, services, delayed(az, gate.wrap(enactorClient())), ledger, lease, clocks.get(az),
          new Enactor.Options(500, 20, 10, 50)));
    }
    agents.forEach(Agent::start);
    // The primary first, so that it is the primary; then the shadow (as bulwark up does).
    Controller primary = startController(CONTROLLER_AZS.get(0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (primary.role() != Controller.Role.PRIMARY) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(primary.identity() + " did not take the authority lease within 30 s");
      }
      Thread.sleep(50);
    }
    startController(CONTROLLER_AZS.get(1));
    api = GameDayApi.start(ledgers.get(AZS.get(0)), sampler::read, scheduler::nowMillis);
  }

  /** Starts the controller candidate of {@code az}; it is the primary only if the lease is free. */
  private Controller startController(AzId az) {
    Controller c = Controller.builder(ActorId.of("controller@" + az.value()), az, ledgers.get(az),
            new Rfc2136Target(dnsOptions()), health.get(az), services, clocks.get(az))
        .leaseTtlMillis(LEASE_TTL_MILLIS)
        .planner(new Planner.Options(200, 50, 300))
        .janitor(new Janitor.Options(500, 1))
        .auditorIntervalMillis(500)
        .shadow(new ShadowController.Options(500, 5_000))
        .build();
    c.start();
    synchronized (this) {
      controllers.put(az, c);
    }
    return c;
  }

  /** The controller that holds the authority lease now, if any. */
  private synchronized Optional<Map.Entry<AzId, Controller>> primary() {
    return controllers.entrySet().stream().filter(e -> e.getValue().role() == Controller.Role.PRIMARY).findFirst();
  }

  private static PeerOptions peerOptions() {
    return new PeerOptions(300, 600, 10_000, 5_000);
  }

  private void startLegacy() {
    startHealth();
    AzId home = AZS.get(0);
    for (ServiceTopology s : services) {
      LegacyPlanStore store = new LegacyPlanStore();
      stores.put(s.service(), store);
      agents.add(new LegacyPlanner(List.of(s), health.get(home), store, clocks.get(home), 100));
      TimestampFence fence = new TimestampFence();
      for (AzId az : AZS) {
        DnsTarget dns = fencing == Scenario.LegacyFencing.TIMESTAMP
            ? fence.stamping(clocks.get(az), delayed(az, fence.checking(enactorClient())))
            : delayed(az, enactorClient());
        legacyEnactorServices.add(s.service());
        legacyEnactors.add(new LegacyEnactor(az, store, dns, clocks.get(az), new LegacyEnactor.Options(50, 2, 3_000,
            5)));
      }
    }
    agents.forEach(Agent::start);
    legacyEnactors.forEach(LegacyEnactor::start);
    legacyLog.start();
  }

  // ---------------------------------------------------------------------------------------------
  // The port
  // ---------------------------------------------------------------------------------------------

  @Override
  public Mode mode() {
    return mode;
  }

  @Override
  public Topology topology() {
    return Topology.DEMO;
  }

  @Override
  public String endpoint(String service, int index) {
    ServiceTopology s = topologyOf(service);
    List<EndpointName> names = List.copyOf(s.candidates().keySet());
    if (index < 0 || index >= names.size()) {
      throw new IllegalArgumentException("service " + service + " has " + names.size() + " endpoint(s), so endpoint "
          + index + " does not exist");
    }
    return names.get(index).value();
  }

  private ServiceTopology topologyOf(String service) {
    return services.stream().filter(s -> s.service().value().equals(service)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown service " + service));
  }

  private AzId az(String name) {
    AzId az = AzId.of(name);
    if (!AZS.contains(az)) {
      throw new IllegalArgumentException("unknown AZ " + name + "; this world has " + AZS);
    }
    return az;
  }

  @Override
  public Injection inject(Fault fault) throws Exception {
    if (fault instanceof Fault.EnactorDelay d) {
      AzId az = az(d.az());
      setDelays(az, d.delaysMillis());
      return injection(fault.describe(), () -> setDelays(az, List.of(0L)));
    }
    if (fault instanceof Fault.LatencySkew s) {
      Map<AzId, Long> skew = new TreeMap<>();
      s.skewMillis().forEach((az, ms) -> skew.put(az(az), ms));
      skew.forEach(this::setSkew);
      return injection(fault.describe(), () -> skew.keySet().forEach(az -> setSkew(az, 0L)));
    }
    if (fault instanceof Fault.ClockSkew c) {
      SkewedScheduler clock = clocks.get(az(c.az()));
      clock.setOffsetMillis(c.offsetMillis());
      return injection(fault.describe(), () -> clock.setOffsetMillis(0));
    }
    if (fault instanceof Fault.KillLedgerPeer k) {
      return killPeer(k);
    }
    if (fault instanceof Fault.DnsOutage) {
      int port = dns.port();
      dns.close();
      return injection("DNS server on port " + port + " stopped", this::restartDns);
    }
    if (fault instanceof Fault.BackendFailure b) {
      List<Target> all = topologyOf(b.service()).allTargets();
      List<String> down = all.subList(0, b.failingOutOf(all.size())).stream().map(Target::addressText).toList();
      down.forEach(this::stopBackend);
      return injection("stopped load balancers " + down + " of " + b.service(), () -> {
        for (String ip : down) {
          startBackend(ip);
        }
      });
    }
    if (fault instanceof Fault.HealthFlapping f) {
      List<Target> all = topologyOf(f.service()).allTargets();
      if (f.target() >= all.size()) {
        throw new IllegalArgumentException(f.service() + " has " + all.size() + " targets; #" + f.target()
            + " does not exist");
      }
      InetAddress a = all.get(f.target()).address();
      List<HealthOverride> views = f.az().equals(Fault.HealthFlapping.ALL_AZS) ? List.copyOf(health.values())
          : List.of(health.get(az(f.az())));
      Toggler t = new Toggler(views, a, f.periodMillis(), Integer.MAX_VALUE);
      return injection("health of " + a.getHostAddress() + " flaps every " + f.periodMillis() + " ms in "
          + f.az(), t::stop);
    }
    if (fault instanceof Fault.PlanStorm p) {
      List<Target> all = topologyOf(p.service()).allTargets();
      InetAddress a = all.get(all.size() - 1).address();
      Toggler t = new Toggler(List.copyOf(health.values()), a, p.intervalMillis(), p.generations());
      return injection("health of " + a.getHostAddress() + " toggles " + p.generations() + " times, every "
          + p.intervalMillis() + " ms: a new plan each time", t::stop);
    }
    if (fault instanceof Fault.KillController || fault instanceof Fault.FreezeController) {
      return controllerFault(fault instanceof Fault.FreezeController);
    }
    throw new IllegalArgumentException("this world can't inject " + fault.kind());
  }

  @Override
  public String perform(Action action) throws Exception {
    if (action instanceof Action.ReadDns r) {
      String endpoint = endpoint(r.service(), 0);
      DnsObservation o = sampleDns(endpoint);
      return r.az() + " read " + endpoint + ": " + (o.failure().isPresent() ? "no answer (" + o.failure().get() + ")"
          : o.addresses().size() + " record(s) " + o.addresses() + (o.markerVersion().isPresent()
          ? ", marker v" + o.markerVersion().getAsLong() : ", no marker"));
    }
    Action.ProposeDelete d = (Action.ProposeDelete) action;
    AzId az = az(d.az());
    ServiceTopology topo = topologyOf(d.service());
    Map<EndpointName, List<Target>> empty = new TreeMap<>();
    topo.candidates().keySet().forEach(e -> empty.put(e, List.of()));
    Plan plan = Plan.of(topo.service(), empty);
    if (mode == Mode.LEGACY) {
      long g = stores.get(topo.service()).add(plan);
      return "the 2025 plan store took the deletion as g" + g + ", unvalidated; the Enactors will apply it";
    }
    Optional<dev.bulwark.core.FencingToken> token = primary().flatMap(p -> p.getValue().authority().token());
    if (token.isEmpty()) {
      return "no authority token right now; the deletion could not even be proposed";
    }
    dev.bulwark.core.ledger.Result r = ledgers.get(az).submit(new Command.ProposePlan(plan, token.get(),
        ActorId.of("gameday@" + az), clocks.get(az).nowMillis())).get(10, TimeUnit.SECONDS);
    if (r instanceof dev.bulwark.core.ledger.Result.Rejected rej) {
      return "the ledger refused it: " + rej.code() + ": " + rej.message();
    }
    return "the ledger accepted the proposal (" + r + "); it still needs a quorum of validators";
  }

  private interface Removal {
    void run() throws Exception;
  }

  private static Injection injection(String description, Removal removal) {
    return new Injection() {
      private boolean removed;

      @Override
      public String description() {
        return description;
      }

      @Override
      public synchronized void remove() throws Exception {
        if (!removed) {
          removed = true;
          removal.run();
        }
      }
    };
  }

  /** Forces one target's health down and up again, {@code flips} times, in some AZs' views. */
  private final class Toggler {
    private final List<HealthOverride> views;
    private final InetAddress address;
    private final long periodMillis;
    private int flipsLeft;
    private boolean down;
    private boolean stopped;
    private Scheduler.Cancellable next;

    Toggler(List<HealthOverride> views, InetAddress address, long periodMillis, int flips) {
      this.views = views;
      this.address = address;
      this.periodMillis = periodMillis;
      this.flipsLeft = flips;
      this.next = scheduler.schedule(Duration.ZERO, this::flip);
    }

    private synchronized void flip() {
      if (stopped || flipsLeft-- <= 0) {
        views.forEach(v -> v.lift(address));
        return;
      }
      down = !down;
      views.forEach(v -> {
        if (down) {
          v.force(address, false);
        } else {
          v.lift(address);
        }
      });
      next = scheduler.schedule(Duration.ofMillis(periodMillis), this::flip);
    }

    synchronized void stop() {
      stopped = true;
      next.cancel();
      views.forEach(v -> v.lift(address));
    }
  }

  private synchronized void setDelays(AzId az, List<Long> delays) {
    enactorDelays.put(az, delays);
    applyDelays(az);
  }

  private synchronized void setSkew(AzId az, long ms) {
    latencySkew.put(az, ms);
    applyDelays(az);
  }

  private synchronized void applyDelays(AzId az) {
    long skew = latencySkew.getOrDefault(az, 0L) + UPDATE_LATENCY_MILLIS;
    List<Duration> d = enactorDelays.getOrDefault(az, List.of(0L)).stream().map(ms -> Duration.ofMillis(ms + skew))
        .toList();
    enactorDns.get(az).forEach(t -> t.setDelays(d));
  }

  private Injection killPeer(Fault.KillLedgerPeer k) throws Exception {
    if (mode == Mode.LEGACY) {
      return injection("nothing to kill: the legacy design has no replicated ledger", () -> { });
    }
    AzId victim;
    if (k.peer().equals(Fault.KillLedgerPeer.LEADER)) {
      victim = livePeers().entrySet().stream().filter(e -> e.getValue().isLeader()).map(Map.Entry::getKey)
          .findFirst().orElseThrow(() -> new IllegalStateException("no ledger peer leads right now"));
    } else {
      victim = az(k.peer());
    }
    LedgerPeer p;
    synchronized (this) {
      p = peers.remove(victim);
    }
    if (p == null) {
      throw new IllegalStateException("ledger peer " + victim + " is already down");
    }
    boolean wasLeader = p.isLeader();
    p.close();
    return injection("killed ledger peer " + victim + (wasLeader ? " (the leader)" : ""), () -> {
      LedgerPeer again = new LedgerPeer(victim, p.cluster(), dir.resolve("ledger-" + victim), peerOptions());
      again.start();
      synchronized (this) {
        peers.put(victim, again);
      }
      ledgers.get(victim).attach(again);
    });
  }

  /**
   * {@code kill-controller} and {@code freeze-controller}, both on whichever controller is the
   * primary at injection. Legacy mode has no controller lease and no shadow, so both are no-ops there.
   */
  private Injection controllerFault(boolean freeze) {
    String verb = freeze ? "freeze" : "kill";
    if (mode == Mode.LEGACY) {
      return injection("nothing to " + verb + ": the legacy design has no controller lease (each Enactor acts on"
          + " its own, and the 2025 design has no shadow to promote)", () -> { });
    }
    Map.Entry<AzId, Controller> p = primary().orElseThrow(() -> new IllegalStateException("no controller holds"
        + " the authority lease right now, so there is no primary to " + verb));
    AzId az = p.getKey();
    Controller c = p.getValue();
    String who = c.identity() + c.authority().token().map(t -> " (token " + t + ")").orElse("");
    if (!freeze) {
      c.close();
      return injection("killed the primary controller " + who + "; nothing handed over", () -> startController(az));
    }
    PauseGate node = nodeGates.get(az);
    c.pause();
    node.pause();
    return injection("froze the primary controller " + who + " with " + az + "'s Enactor, Validator and lease"
        + " follower", () -> {
          node.resume();
          c.resume();
        });
  }

  private synchronized Map<AzId, LedgerPeer> livePeers() {
    return new TreeMap<>(peers);
  }

  private <T> Optional<T> readLedger(Function<LedgerState, T> reader) {
    for (LedgerPeer p : livePeers().values()) {
      try {
        return Optional.of(p.readLocal(reader));
      } catch (RuntimeException e) {
        // A peer that is stopping; try the next.
      }
    }
    return Optional.empty();
  }

  @Override
  public DnsObservation sampleDns(String endpoint) {
    ReadOutcome r = sampler.read(EndpointName.of(endpoint));
    if (r instanceof ReadOutcome.Read read) {
      PublishedState s = read.state();
      Optional<Marker> m = s.marker();
      return new DnsObservation(Optional.empty(), s.addresses().stream().map(InetAddress::getHostAddress).toList(),
          m.map(x -> OptionalLong.of(x.version())).orElse(OptionalLong.empty()),
          m.map(x -> OptionalLong.of(x.generation().value())).orElse(OptionalLong.empty()),
          m.map(x -> OptionalLong.of(x.token().logIndex())).orElse(OptionalLong.empty()));
    }
    return DnsObservation.failed(((ReadOutcome.Failed) r).failure().kind().name());
  }

  @Override
  public List<ControlEvent> events(long fromId, int limit) {
    if (mode == Mode.LEGACY) {
      return legacyLog.events(fromId, limit);
    }
    List<AuditEvent> a = readLedger(s -> s.audit().range(fromId, limit)).orElse(List.of());
    return a.stream().map(ControlEvent::of).toList();
  }

  @Override
  public Optional<String> invariantViolation() {
    if (mode == Mode.LEGACY) {
      return legacyLog.violation();
    }
    for (var e : livePeers().entrySet()) {
      try {
        Optional<String> v = e.getValue().readLocal(s -> {
          try {
            s.checkInvariants();
            return Optional.<String>empty();
          } catch (IllegalStateException ex) {
            return Optional.of(ex.getMessage());
          }
        });
        if (v.isPresent()) {
          return Optional.of(e.getKey() + ": " + v.get());
        }
      } catch (RuntimeException ex) {
        // A peer that is stopping has nothing to say.
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<String> apiProblem() {
    GameDayApi a = api;
    return a == null ? Optional.empty() : a.problem();
  }

  @Override
  public String apiDescription() {
    GameDayApi a = api;
    return a == null ? "none: the legacy design has no operators' API, so the probe passes vacuously"
        : a.description();
  }

  @Override
  public Optional<ChainVerification> verifyAuditChain() {
    return mode == Mode.LEGACY ? Optional.empty() : readLedger(s -> s.audit().verify());
  }

  @Override
  public List<String> residualDrift() {
    List<String> out = new ArrayList<>();
    for (ServiceTopology s : services) {
      for (EndpointName e : s.candidates().keySet()) {
        Optional<Intent> intent = mode == Mode.LEGACY ? legacyLog.intent(s.service(), e) : safeIntent(s.service(), e);
        if (intent.isEmpty()) {
          continue;
        }
        ReadOutcome r = sampler.read(e);
        if (!(r instanceof ReadOutcome.Read read)) {
          out.add(e + ": DNS did not answer");
          continue;
        }
        List<String> served = read.state().addresses().stream().map(InetAddress::getHostAddress).sorted().toList();
        long marker = read.state().marker().map(m -> mode == Mode.LEGACY ? m.generation().value() : m.version())
            .orElse(0L);
        if (!served.equals(intent.get().addresses()) || marker != intent.get().marker()) {
          out.add(e + ": DNS serves " + served + " at " + (mode == Mode.LEGACY ? "g" : "v") + marker + "; the "
              + (mode == Mode.LEGACY ? "latest plan" : "ledger") + " says " + intent.get().addresses() + " at "
              + (mode == Mode.LEGACY ? "g" : "v") + intent.get().marker());
        }
      }
    }
    return out;
  }

  /** What an endpoint should publish: sorted addresses and the marker number (version, or legacy generation). */
  record Intent(List<String> addresses, long marker) {}

  private Optional<Intent> safeIntent(ServiceId service, EndpointName endpoint) {
    return readLedger(st -> {
      Pointer p = st.pointer(service);
      if (p.version() == 0) {
        return Optional.<Intent>empty();
      }
      return st.plan(service, p.generation()).flatMap(StoredPlan::content)
          .map(plan -> new Intent(addresses(plan, endpoint), p.version()));
    }).flatMap(x -> x);
  }

  static List<String> addresses(Plan plan, EndpointName endpoint) {
    return plan.targets(endpoint).stream().map(Target::addressText).sorted().toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Pieces
  // ---------------------------------------------------------------------------------------------

  private synchronized void startBackend(String ip) throws IOException {
    backends.put(ip, DemoBackend.start(ip, backendPort));
  }

  private synchronized void stopBackend(String ip) {
    HttpServer s = backends.remove(ip);
    if (s != null) {
      s.stop(0);
    }
  }

  private void restartDns() {
    int port = dns.port();
    dns = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(InetAddress.getLoopbackAddress(), port,
        dir.resolve("dns"), List.of(key), InitialZone.minimal(ZONE)));
  }

  /** A TCP port free on loopback now; a peer or load balancer binds it a moment later. */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    GameDayApi probeApi = api;
    if (probeApi != null) {
      probeApi.close();
    }
    // The scheduler first: it interrupts a delayed Enactor's sleep, so closing the agents (which
    // waits for a round in progress) can't hang on a fault that is still in flight.
    legacyLog.close();
    enactorDns.values().forEach(l -> l.forEach(t -> t.setDelay(Duration.ZERO)));
    scheduler.close();
    legacyEnactors.forEach(LegacyEnactor::close);
    // A frozen node would hold its agents' rounds at the gate; thaw it so that they can stop.
    nodeGates.values().forEach(PauseGate::resume);
    List<Controller> running;
    synchronized (this) {
      running = List.copyOf(controllers.values());
    }
    for (Controller c : running) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // keep closing the rest
      }
    }
    for (Agent a : agents) {
      try {
        a.close();
      } catch (RuntimeException e) {
        // keep closing the rest
      }
    }
    synchronized (this) {
      backends.values().forEach(s -> s.stop(0));
      backends.clear();
    }
    dns.close();
    ledgers.values().forEach(RatisLedger::close);
    livePeers().values().forEach(LedgerPeer::close);
  }
}
