package dev.bulwark.agents;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
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
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A whole control plane on loopback, with nothing simulated: three Ratis ledger peers (one per
 * AZ), the embedded authoritative DNS server, four real HTTP backends on 127.0.0.11-14, per-AZ
 * health checks, the Planner, three Validators, three Enactors and the Janitor.
 */
final class World implements AutoCloseable {
  static final List<AzId> AZS = List.of(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c"));
  static final ServiceId SERVICE = ServiceId.of("dynamodb");
  static final String ZONE = "bulwark.test";
  static final EndpointName ENDPOINT = EndpointName.of("api.bulwark.test");
  static final List<String> BACKENDS = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14");

  final SystemScheduler scheduler = new SystemScheduler("agents", 16);
  final Map<AzId, LedgerPeer> peers = new TreeMap<>();
  final Map<AzId, RatisLedger> ledgers = new TreeMap<>();
  final Map<String, HttpServer> backends = new LinkedHashMap<>();
  final int backendPort;
  EmbeddedDnsServer dns;
  final Path dir;
  final dev.bulwark.core.port.InMemoryMetrics metrics = new dev.bulwark.core.port.InMemoryMetrics();
  final TsigKey key;
  final List<AutoCloseable> agents = new ArrayList<>();
  final ServiceTopology topology;
  final Map<AzId, DelayedDnsTarget> enactorDns = new TreeMap<>();
  Planner planner;
  AuthorityKeeper authority;
  /** One freeze switch per AZ "node": its controller's and its Enactor's ledger and DNS calls. */
  final Map<AzId, PauseGate> gates = new TreeMap<>();
  /** Arms a freeze of a node at its Enactor's next DNS update (see {@link FreezeOnApply}). */
  final Map<AzId, FreezeOnApply> freezeOnApply = new TreeMap<>();
  final Map<AzId, Enactor> enactors = new TreeMap<>();
  /** The controller pair of {@link #startControllerPair}: first started in az-a, then in az-b. */
  Controller primary;
  Controller shadow;

  World(Path dir, ServicePolicy policy) throws Exception {
    this.dir = dir;
    SortedMap<AzId, InetSocketAddress> addrs = new TreeMap<>();
    for (AzId az : AZS) {
      addrs.put(az, InetSocketAddress.createUnresolved("127.0.0.1", freePort()));
    }
    ClusterConfig cluster = new ClusterConfig("agents", addrs);
    for (AzId az : AZS) {
      LedgerPeer p = new LedgerPeer(az, cluster, dir.resolve("ledger-" + az), new PeerOptions(300, 600, 10_000, 5_000));
      p.start();
      peers.put(az, p);
      ledgers.put(az, new RatisLedger(cluster, p, RatisLedger.ClientOptions.DEFAULT));
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    key = TsigKey.hmacSha256("enactor-key", Base64.getEncoder().encodeToString(secret));
    dns = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(InetAddress.getLoopbackAddress(), 0,
        dir.resolve("dns"), List.of(key), InitialZone.minimal(ZONE)));

    backendPort = freePort();
    for (String ip : BACKENDS) {
      startBackend(ip);
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < BACKENDS.size(); i++) {
      targets.add(Target.of(BACKENDS.get(i), 100, AZS.get(i % 3).value()));
    }
    topology = new ServiceTopology(SERVICE, new TreeMap<>(Map.of(ENDPOINT, targets)), 5);

    submit(new Command.RegisterService(ServiceDefinition.of(SERVICE, List.of(ENDPOINT), AZS, policy),
        ActorId.of("operator:setup"), scheduler.nowMillis()));
  }

  /** Starts every agent; the controller lives in az-a. */
  void startAgents() {
    RatisLedger home = ledgers.get(AZS.get(0));
    authority = new AuthorityKeeper(ActorId.of("controller:primary"), home, scheduler, 3_000);
    agents.add(authority);
    Map<AzId, HealthChecker> health = new TreeMap<>();
    for (AzId az : AZS) {
      Map<Target, HealthCheck> checks = new LinkedHashMap<>();
      topology.allTargets().forEach(t -> checks.put(t, HealthCheck.http(backendPort, "/health")));
      HealthChecker h = new HealthChecker(az, checks, scheduler, new HealthChecker.Options(150, 100, 2, 2));
      health.put(az, h);
      agents.add(h);
    }
    planner = new Planner(ActorId.of("planner@az-a"), List.of(topology), health.get(AZS.get(0)), home, authority,
        scheduler, new Planner.Options(200, 50, 600));
    agents.add(planner);
    for (AzId az : AZS) {
      agents.add(new Validator(List.of(topology), health.get(az), ledgers.get(az), authority, scheduler, 500));
      DelayedDnsTarget target = new DelayedDnsTarget(new SwitchableDnsTarget(this::enactorDnsClient));
      enactorDns.put(az, target);
      agents.add(new Enactor(az, List.of(topology), target, ledgers.get(az), authority, scheduler,
          new Enactor.Options(500, 20, 10, 50)));
    }
    agents.add(new Janitor(List.of(SERVICE), home, authority, scheduler, new Janitor.Options(500, 1)));
    agents.add(new Auditor(AZS.get(1), List.of(topology), dnsClient(), ledgers.get(AZS.get(1)), authority, scheduler,
        500));
    for (AutoCloseable a : agents) {
      ((LoopAgent) a).setMetrics(metrics);
      ((LoopAgent) a).start();
    }
  }

  /** Lease TTL of the controller pair, in ms; short so that promotion tests stay short. */
  static final long PAIR_LEASE_TTL_MILLIS = 3_000;

  /**
   * Starts the shape of {@code bulwark node} on one machine: per AZ a health checker, a Validator
   * and an Enactor that follow the lease ({@link LeaseFollower}), and two controller candidates,
   * {@code controller@az-a} (started first, so it becomes the primary) and {@code controller@az-b}
   * (the shadow). Each AZ's controller and Enactor go through that AZ's {@link PauseGate}.
   *
   * @param primaryHealth the health view the az-a controller plans from (a test may make it wrong)
   * @param enactorAzs the AZs that run an Enactor
   */
  void startControllerPair(java.util.function.UnaryOperator<dev.bulwark.core.port.HealthSource> primaryHealth,
      List<AzId> enactorAzs) {
    Map<AzId, HealthChecker> health = new TreeMap<>();
    List<LoopAgent> started = new ArrayList<>();
    for (AzId az : AZS) {
      PauseGate gate = new PauseGate();
      gates.put(az, gate);
      Map<Target, HealthCheck> checks = new LinkedHashMap<>();
      topology.allTargets().forEach(t -> checks.put(t, HealthCheck.http(backendPort, "/health")));
      HealthChecker h = new HealthChecker(az, checks, scheduler, new HealthChecker.Options(150, 100, 2, 2));
      health.put(az, h);
      started.add(h);
      LeaseFollower follower = new LeaseFollower(az, gate.wrap(ledgers.get(az)), scheduler, 200);
      started.add(follower);
      started.add(new Validator(List.of(topology), h, ledgers.get(az), follower, scheduler, 500));
      if (enactorAzs.contains(az)) {
        FreezeOnApply freeze = new FreezeOnApply(gate, gate.wrap(new SwitchableDnsTarget(this::enactorDnsClient)));
        freezeOnApply.put(az, freeze);
        DelayedDnsTarget target = new DelayedDnsTarget(freeze);
        enactorDns.put(az, target);
        Enactor e = new Enactor(az, List.of(topology), target, gate.wrap(ledgers.get(az)), follower, scheduler,
            new Enactor.Options(500, 20, 10, 50));
        enactors.put(az, e);
        started.add(e);
      }
    }
    for (LoopAgent a : started) {
      agents.add(a);
      a.setMetrics(metrics);
      a.start();
    }
    primary = controller(AZS.get(0), primaryHealth.apply(health.get(AZS.get(0))));
    await(Duration.ofSeconds(20), () -> primary.role() == Controller.Role.PRIMARY, "controller@az-a to take the lease");
    shadow = controller(AZS.get(1), health.get(AZS.get(1)));
  }

  private Controller controller(AzId az, dev.bulwark.core.port.HealthSource health) {
    Controller c = Controller.builder(ActorId.of("controller@" + az), az, ledgers.get(az), dnsClient(), health,
            List.of(topology), scheduler)
        .leaseTtlMillis(PAIR_LEASE_TTL_MILLIS)
        .planner(new Planner.Options(200, 50, 600))
        .janitor(new Janitor.Options(500, 1))
        .auditorIntervalMillis(500)
        .shadow(new ShadowController.Options(200, 2_000))
        .gate(gates.get(az))
        .build();
    c.setMetrics(metrics);
    agents.add(c);
    c.start();
    return c;
  }

  Result submit(Command c) throws Exception {
    return ledgers.get(AZS.get(0)).submit(c).get(30, TimeUnit.SECONDS);
  }

  void startBackend(String ip) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(ip, backendPort), 16);
    s.createContext("/health", ex -> {
      byte[] ok = "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, ok.length);
      ex.getResponseBody().write(ok);
      ex.close();
    });
    s.start();
    backends.put(ip, s);
  }

  void stopBackend(String ip) {
    HttpServer s = backends.remove(ip);
    if (s != null) {
      s.stop(0);
    }
  }

  /** Stops the DNS server (clients see it unreachable). */
  void stopDns() {
    dns.close();
  }

  /** Starts the DNS server again on the same port, from its saved zone. */
  void restartDns() {
    int port = dns.port();
    dns = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(InetAddress.getLoopbackAddress(), port,
        dir.resolve("dns"), List.of(key), InitialZone.minimal(ZONE)));
  }

  /** Stops one AZ's ledger peer. */
  void stopPeer(AzId az) {
    peers.get(az).close();
  }

  /** Starts one AZ's ledger peer again from its directory. */
  void restartPeer(AzId az) throws IOException {
    LedgerPeer old = peers.get(az);
    LedgerPeer p = new LedgerPeer(az, old.cluster(), dir.resolve("ledger-" + az), new PeerOptions(300, 600, 10_000, 5_000));
    p.start();
    peers.put(az, p);
    ledgers.get(az).attach(p);
  }

  /** The key the Enactors sign with; a test may swap it for a wrong one to see TSIG refused. */
  volatile TsigKey enactorKey;

  private Rfc2136Target enactorDnsClient() {
    TsigKey k = enactorKey == null ? key : enactorKey;
    return new Rfc2136Target(Rfc2136Options.of(InetAddress.getLoopbackAddress(), dns.port(), ZONE, k));
  }

  Rfc2136Target dnsClient() {
    return new Rfc2136Target(Rfc2136Options.of(InetAddress.getLoopbackAddress(), dns.port(), ZONE, key));
  }

  /** The ledger state of az-a's replica, as it is now. */
  <T> T ledgerState(java.util.function.Function<dev.bulwark.core.ledger.LedgerState, T> reader) {
    return peers.get(AZS.get(0)).readLocal(reader);
  }

  /** What DNS publishes for the endpoint, read over the wire. */
  PublishedState published() {
    ReadOutcome r = dnsClient().read(ENDPOINT);
    if (r instanceof ReadOutcome.Read read) {
      return read.state();
    }
    throw new AssertionError("DNS read failed: " + r);
  }

  List<String> publishedAddresses() {
    return published().addresses().stream().map(InetAddress::getHostAddress).sorted().toList();
  }

  static void await(Duration max, BooleanSupplier cond, String what) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + max + " waiting for " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    gates.values().forEach(PauseGate::resume);
    for (AutoCloseable a : agents) {
      try {
        a.close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
    scheduler.close();
    backends.values().forEach(s -> s.stop(0));
    dns.close();
    ledgers.values().forEach(RatisLedger::close);
    peers.values().forEach(LedgerPeer::close);
  }
}
