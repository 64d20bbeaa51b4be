package dev.bulwark.server;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.agents.Agent;
import dev.bulwark.agents.Controller;
import dev.bulwark.agents.LeaseFollower;
import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.agents.Validator;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.core.port.SystemScheduler;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.InitialZone;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.dns.Rfc2136Target;
import dev.bulwark.dns.TsigKey;
import dev.bulwark.dns.TsigKeyFile;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.LedgerPeer;
import dev.bulwark.ledger.PeerOptions;
import dev.bulwark.ledger.RatisLedger;
import dev.bulwark.server.api.ApiContext;
import dev.bulwark.server.api.ApiServer;
import dev.bulwark.server.api.ApiToken;
import dev.bulwark.server.api.Promoter;
import dev.bulwark.server.api.Role;
import dev.bulwark.server.gameday.ApiGameDays;
import dev.bulwark.server.gameday.GameDayCommand;
import dev.bulwark.server.gameday.GameDayService;
import dev.bulwark.server.metrics.PrometheusEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything {@code bulwark up} runs, in one JVM on loopback: three ledger peers (az-a, az-b,
 * az-c), the embedded authoritative DNS server, the demo load balancers, per-AZ health checks, a
 * primary and a shadow controller (each with its Planner, Auditor and Janitor; only the lease
 * holder's act), three Validators and three Enactors, and the HTTP API with the console and
 * {@code /metrics}. State lives in the data directory and survives restarts.
 *
 * <p>Start order: ports are checked first (a busy port fails fast, naming the option that moves
 * it), then backends, ledger peers, DNS, the services' registration, the agents, and last the API. {@link
 * #close()} stops them in the reverse order.
 */
final class EmbeddedControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedControlPlane.class);

  /** Thrown when {@code bulwark up} can't start; the message says why and what to do. */
  static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message, Throwable cause) {
      super(message, cause);
    }

    StartupException(String message) {
      super(message);
    }
  }

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  final UpOptions options;
  final List<ServiceTopology> services = DemoTopology.services();
  private final SystemScheduler scheduler = new SystemScheduler("bulwark", 16);
  private final Map<String, HttpServer> backends = new LinkedHashMap<>();
  private final Map<AzId, LedgerPeer> peers = new TreeMap<>();
  private final Map<AzId, RatisLedger> ledgers = new TreeMap<>();
  private final List<Agent> agents = new ArrayList<>();
  private final List<Controller> controllers = new ArrayList<>();
  private final PrometheusEndpoint prometheus = PrometheusEndpoint.create();
  private EmbeddedDnsServer dns;
  private TsigKey key;
  private Path keyFile;
  private List<ApiToken> tokens = List.of();
  private ApiServer api;
  private GameDayService gameDays;

  private EmbeddedControlPlane(UpOptions options) {
    this.options = options;
  }

  /** Starts everything, or fails with a {@link StartupException} and leaves nothing running. */
  static EmbeddedControlPlane start(UpOptions options) throws StartupException {
    checkPorts(options);
    EmbeddedControlPlane p = new EmbeddedControlPlane(options);
    try {
      p.startAll();
      return p;
    } catch (StartupException e) {
      p.close();
      throw e;
    } catch (Exception e) {
      p.close();
      throw new StartupException("bulwark up could not start: " + e.getMessage(), e);
    }
  }

  private static void checkPorts(UpOptions o) throws StartupException {
    checkTcp(o.dnsPort(), "DNS", "--dns-port");
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, o.dnsPort()))) {
      s.getLocalPort();
    } catch (IOException e) {
      throw new StartupException(busy(o.dnsPort(), "DNS (UDP)", "--dns-port"));
    }
    for (int i = 0; i < 3; i++) {
      checkTcp(o.ledgerPort() + i, "ledger peer " + DemoTopology.AZS.get(i), "--ledger-port");
    }
    checkTcp(o.apiPort(), "HTTP API", "--api-port");
  }

  private static void checkTcp(int port, String what, String option) throws StartupException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(LOOPBACK, port));
    } catch (IOException e) {
      throw new StartupException(busy(port, what, option));
    }
  }

  private static String busy(int port, String what, String option) {
    return "port " + port + " on 127.0.0.1 (" + what + ") is already in use; stop what uses it, or choose another"
        + " port with " + option + " (see bulwark up --help)";
  }

  private void startAll() throws Exception {
    Files.createDirectories(options.dataDir());
    for (ServiceTopology s : services) {
      for (Target t : s.allTargets()) {
        startBackend(t.addressText());
      }
    }

    SortedMap<AzId, InetSocketAddress> addrs = new TreeMap<>();
    for (int i = 0; i < 3; i++) {
      addrs.put(AzId.of(DemoTopology.AZS.get(i)), InetSocketAddress.createUnresolved("127.0.0.1",
          options.ledgerPort() + i));
    }
    ClusterConfig cluster = new ClusterConfig("bulwark-up", addrs);
    for (AzId az : addrs.keySet()) {
      LedgerPeer peer = new LedgerPeer(az, cluster, options.dataDir().resolve("ledger").resolve(az.value()),
          PeerOptions.DEFAULT);
      peer.start();
      peers.put(az, peer);
      RatisLedger ledger = new RatisLedger(cluster, peer, RatisLedger.ClientOptions.DEFAULT);
      ledger.setMetrics(prometheus.metrics());
      ledgers.put(az, ledger);
    }

    key = loadOrCreateKey(options.dataDir().resolve("dns"));
    dns = EmbeddedDnsServer.start(new EmbeddedDnsServer.Options(LOOPBACK, options.dnsPort(),
        options.dataDir().resolve("dns").resolve("zone"), List.of(key), InitialZone.minimal(DemoTopology.ZONE)));

    registerServices();
    startAgents();
    startApi(cluster);
  }

  private void startApi(ClusterConfig cluster) throws IOException {
    tokens = UpTokens.loadOrCreate(options.dataDir());
    Rfc2136Target reader = dnsClient();
    ApiContext context = ApiContext.builder(ledgers.get(AzId.of("az-a")), reader::read,
            new RatisClusterView(cluster, () -> Map.copyOf(peers)), tokens, scheduler::nowMillis)
        .bind(LOOPBACK.getHostAddress(), options.apiPort())
        .metrics(prometheus.scrape())
        .promoter(this::promote)
        .gameDays(new ApiGameDays(ApiGameDays.findScenarios().orElse(Path.of(GameDayCommand.SCENARIOS_DIR)),
            gameDays = new GameDayService(options.dataDir().resolve("gamedays"), Clock.systemUTC())))
        .build();
    api = ApiServer.start(context);
  }

  private TsigKey loadOrCreateKey(Path dir) throws IOException {
    Files.createDirectories(dir);
    keyFile = dir.resolve("enactor.key");
    if (Files.exists(keyFile)) {
      return TsigKeyFile.load(keyFile).get(0);
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    TsigKey k = TsigKey.hmacSha256("bulwark-enactor", Base64.getEncoder().encodeToString(secret));
    UpTokens.writePrivate(keyFile, k.toBindSyntax());
    return k;
  }

  /** Registers the demo services; waits (bounded) for the ledger to elect its first leader. */
  private void registerServices() throws Exception {
    RatisLedger home = ledgers.get(AzId.of("az-a"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (ServiceTopology s : services) {
      ServiceDefinition def = ServiceDefinition.of(s.service(), List.copyOf(s.candidates().keySet()),
          DemoTopology.AZS.stream().map(AzId::of).toList(), ServicePolicy.DEFAULT);
      while (true) {
        try {
          Result r = home.submit(new Command.RegisterService(def, ActorId.of("config:bulwark-up"),
              scheduler.nowMillis())).get(15, TimeUnit.SECONDS);
          if (!r.isAccepted()) {
            throw new StartupException("the ledger refused the demo service " + s.service() + ": " + r);
          }
          break;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new StartupException("the ledger peers did not elect a leader within 60 s: " + e.getMessage(), e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  /**
   * Two controllers, {@code controller@az-a} and {@code controller@az-b}: whichever takes the
   * authority lease first is the primary, the other the shadow that compares in dry-run and takes
   * over when the lease lapses or an operator promotes it. Each AZ's Validator and Enactor follow
   * the lease, so all three publish under the current epoch.
   */
  private void startAgents() {
    Map<AzId, HealthChecker> health = new TreeMap<>();
    for (AzId az : peers.keySet()) {
      Map<Target, HealthCheck> checks = new LinkedHashMap<>();
      services.forEach(s -> s.allTargets().forEach(t -> checks.put(t, HealthCheck.http(options.backendPort(),
          "/health"))));
      HealthChecker h = new HealthChecker(az, checks, scheduler, HealthChecker.Options.DEFAULT);
      health.put(az, h);
      agents.add(h);
    }
    for (AzId az : List.of(AzId.of("az-a"), AzId.of("az-b"))) {
      Controller c = Controller.builder(ActorId.of("controller@" + az.value()), az, ledgers.get(az), dnsClient(),
          health.get(az), services, scheduler).build();
      controllers.add(c);
      agents.add(c);
    }
    for (AzId az : peers.keySet()) {
      LeaseFollower lease = new LeaseFollower(az, ledgers.get(az), scheduler,
          LeaseFollower.DEFAULT_REFRESH_INTERVAL_MILLIS);
      agents.add(lease);
      agents.add(new Validator(services, health.get(az), ledgers.get(az), lease, scheduler,
          Validator.DEFAULT_INTERVAL_MILLIS));
      agents.add(new Enactor(az, services, dnsClient(), ledgers.get(az), lease, scheduler, Enactor.Options.DEFAULT));
    }
    agents.forEach(a -> a.setMetrics(prometheus.metrics()));
    agents.forEach(Agent::start);
  }

  /** The controllers, primary and shadow (their roles change with the lease). */
  List<Controller> controllers() {
    return List.copyOf(controllers);
  }

  /** An operator's promotion: asks the controller that is the shadow now. */
  private Promoter.Outcome promote(String operator, String reason) throws InterruptedException {
    Controller shadow = controllers.stream().filter(c -> c.role() == Controller.Role.SHADOW).findFirst()
        .orElseThrow(() -> new IllegalStateException("no shadow controller is running (roles: " + controllers.stream()
            .map(c -> c.identity() + "=" + c.role()).toList() + ")"));
    return ControllerPromoter.promote(shadow, operator, reason);
  }

  Rfc2136Target dnsClient() {
    return new Rfc2136Target(Rfc2136Options.of(LOOPBACK, dns.port(), DemoTopology.ZONE, key));
  }

  int dnsPort() {
    return dns.port();
  }

  /** Starts the demo load balancer on {@code ip} (a 127.0.0.x address). */
  synchronized void startBackend(String ip) throws IOException {
    if (backends.containsKey(ip)) {
      return;
    }
    HttpServer s;
    try {
      s = DemoBackend.start(ip, options.backendPort());
    } catch (IOException e) {
      throw new IOException(busy(options.backendPort(), "demo load balancer " + ip, "--backend-port"), e);
    }
    backends.put(ip, s);
  }

  /** Stops the demo load balancer on {@code ip}: its health checks start failing. */
  synchronized boolean stopBackend(String ip) {
    HttpServer s = backends.remove(ip);
    if (s == null) {
      return false;
    }
    s.stop(0);
    return true;
  }

  synchronized boolean isBackendRunning(String ip) {
    return backends.containsKey(ip);
  }

  /** The pointer of a service, read linearizably. */
  Pointer pointer(ServiceId service) throws Exception {
    return ledgers.get(AzId.of("az-a")).read(new LedgerQuery.PointerOf(service)).get(10, TimeUnit.SECONDS);
  }

  /** What DNS serves for an endpoint right now, as addresses in text form. */
  List<String> published(EndpointName endpoint) {
    ReadOutcome r = dnsClient().read(endpoint);
    if (!(r instanceof ReadOutcome.Read read)) {
      return List.of();
    }
    return read.state().addresses().stream().map(InetAddress::getHostAddress).toList();
  }

  /** A summary of what runs where, for the console. */
  void printSummary(PrintStream out) {
    out.println("Bulwark is up: an embedded control plane with three AZs on this machine.");
    out.printf("  ledger    az-a 127.0.0.1:%d, az-b 127.0.0.1:%d, az-c 127.0.0.1:%d (Raft, 2 of 3 commit)%n",
        options.ledgerPort(), options.ledgerPort() + 1, options.ledgerPort() + 2);
    out.printf("  dns       127.0.0.1:%d UDP+TCP, authoritative for %s (TSIG key in %s)%n", dns.port(),
        DemoTopology.ZONE, keyFile);
    for (ServiceTopology s : services) {
      List<Target> t = s.allTargets();
      out.printf("  service   %-9s %s -> %d load balancers %s..%s (port %d)%n", s.service(),
          s.candidates().firstKey(), t.size(), t.get(0).addressText(), t.get(t.size() - 1).addressText(),
          options.backendPort());
    }
    out.printf("  console   http://127.0.0.1:%d/ (sign in with a token below)%n", api.port());
    out.printf("  api       http://127.0.0.1:%d/api/v1 (OpenAPI at /api/v1/openapi.json, Prometheus at /metrics)%n",
        api.port());
    out.printf("  tokens    %s (one per role: %s)%n", UpTokens.file(options.dataDir()),
        String.join(", ", tokens.stream().map(ApiToken::name).toList()));
    out.printf("  state     %s%n", options.dataDir().toAbsolutePath().normalize());
    out.println();
    out.println("Ask DNS what it publishes:");
    for (ServiceTopology s : services) {
      out.printf("  dig @127.0.0.1 -p %d %s +short%n", dns.port(), s.candidates().firstKey());
    }
    out.printf("  dig @127.0.0.1 -p %d _bulwark.%s TXT +short     # the marker: version, generation, token%n",
        dns.port(), services.get(0).candidates().firstKey());
    out.println();
    out.println("Talk to it with the CLI (this token is the admin one; the file above has the others):");
    out.printf("  export BULWARK_URL=http://127.0.0.1:%d BULWARK_TOKEN=%s%n", api.port(), adminToken());
    out.println("  ./bulwark status        ./bulwark audit --limit 10        ./bulwark pause --service dynamodb --reason test");
    out.println();
    out.println("Type 'stop 127.0.0.13' to fail a load balancer, 'start 127.0.0.13' to bring it back, 'status' to");
    out.println("see what DNS and the ledger say, 'help' for more. Ctrl-C stops Bulwark; its state stays.");
  }

  private String adminToken() {
    return tokens.stream().filter(t -> t.role() == Role.ADMIN).map(ApiToken::secret).findFirst()
        .orElse("(none: add an admin token to " + UpTokens.file(options.dataDir()) + ")");
  }

  /** The port the HTTP API listens on. */
  int apiPort() {
    return api.port();
  }

  /** The API tokens, one per role. */
  List<ApiToken> tokens() {
    return tokens;
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
    if (gameDays != null) {
      gameDays.close();
    }
    Lifecycle.closeInReverse(agents, LOG);
    scheduler.close();
    if (dns != null) {
      dns.close();
    }
    ledgers.values().forEach(RatisLedger::close);
    peers.values().forEach(LedgerPeer::close);
    synchronized (this) {
      backends.values().forEach(s -> s.stop(0));
      backends.clear();
    }
    prometheus.close();
  }
}
