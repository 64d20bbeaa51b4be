package dev.bulwark.server;

import dev.bulwark.agents.Agent;
import dev.bulwark.agents.Controller;
import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.LeaseFollower;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.agents.Validator;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.port.HealthSource;
import dev.bulwark.core.port.SystemScheduler;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.Rfc2136Target;
import dev.bulwark.ledger.LedgerPeer;
import dev.bulwark.ledger.RatisLedger;
import dev.bulwark.server.api.ApiContext;
import dev.bulwark.server.api.ApiServer;
import dev.bulwark.server.api.ApiToken;
import dev.bulwark.server.api.Role;
import dev.bulwark.server.config.ApiTokenConfig;
import dev.bulwark.server.config.BulwarkConfig;
import dev.bulwark.server.config.ServiceHealthChecks;
import dev.bulwark.server.metrics.PrometheusEndpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Availability Zone of a distributed deployment ({@code bulwark node}): this AZ's ledger peer,
 * its health checks, Validator and Enactor, a controller candidate ({@link Controller}: authority
 * keeper, Planner, Auditor, Janitor and the shadow's dry-run), and the HTTP API with the console
 * and {@code /metrics}.
 *
 * <p>Every node runs a controller candidate, but the ledger's authority lease lets only one of
 * them act at a time; the others are shadows that compare in dry-run. When the primary's node dies,
 * the lease lapses and another node's candidate takes a new epoch, which fences the old one's
 * commands. Each AZ's Validator and Enactor follow the lease ({@link LeaseFollower}) rather than
 * hold it: a quorum of AZs must approve a plan, and every AZ publishes the pointer's plan under
 * the current epoch with a compare-and-swap, so DNS stays right while any majority of nodes runs.
 *
 * <p>Start order: ledger peer, DNS (if embedded), the services' registration (an idempotent upsert,
 * so every node may do it), the agents, the API. {@link #close()} stops them in reverse.
 */
final class NodeControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeControlPlane.class);

  /** How long a starting node waits for a ledger quorum before giving up. */
  static final long STARTUP_QUORUM_TIMEOUT_MILLIS = 120_000;

  private final BulwarkConfig config;
  private final PrometheusEndpoint prometheus = PrometheusEndpoint.create();
  private final SystemScheduler scheduler = new SystemScheduler("bulwark-node", 8);
  private final List<Agent> agents = new ArrayList<>();
  private @Nullable LedgerPeer peer;
  private @Nullable RatisLedger ledger;
  private @Nullable EmbeddedDnsServer embeddedDns;
  private @Nullable ApiServer api;
  private @Nullable Controller controller;

  private NodeControlPlane(BulwarkConfig config) {
    this.config = config;
  }

  /** Starts the node, or throws and leaves nothing running. */
  static NodeControlPlane start(BulwarkConfig config) throws EmbeddedControlPlane.StartupException {
    NodeControlPlane n = new NodeControlPlane(config);
    try {
      n.startAll();
      return n;
    } catch (EmbeddedControlPlane.StartupException e) {
      n.close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      n.close();
      throw new EmbeddedControlPlane.StartupException("interrupted while starting", e);
    } catch (Exception e) {
      n.close();
      throw new EmbeddedControlPlane.StartupException("bulwark node could not start: " + e.getMessage(), e);
    }
  }

  private void startAll() throws Exception {
    LedgerPeer p = new LedgerPeer(config.az(), config.cluster(), config.node().ledgerDir(), config.ledger());
    peer = p;
    p.start();
    RatisLedger l = new RatisLedger(config.cluster(), p, RatisLedger.ClientOptions.DEFAULT);
    l.setMetrics(prometheus.metrics());
    ledger = l;
    if (config.embeddedDnsServer().isPresent()) {
      embeddedDns = EmbeddedDnsServer.start(config.embeddedDnsServer().get());
    }
    register(l);
    startAgents(l);
    startApi(l, p);
    LOG.info("node {} is up: ledger peer {}, API http://{}:{}/api/v1", config.az(),
        config.cluster().peers().get(config.az()), config.api().bind().getHostAddress(), api().port());
  }

  /** Registers (upserts) every configured service; waits, bounded, for a ledger quorum. */
  private void register(RatisLedger l) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_QUORUM_TIMEOUT_MILLIS);
    ActorId actor = ActorId.of("config:node@" + config.az().value());
    for (ServiceDefinition def : config.serviceDefinitions()) {
      while (true) {
        try {
          Result r = l.submit(new Command.RegisterService(def, actor, scheduler.nowMillis())).get(15, TimeUnit.SECONDS);
          if (!r.isAccepted()) {
            throw new EmbeddedControlPlane.StartupException("the ledger refused service " + def.service()
                + " from the configuration: " + r);
          }
          break;
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new EmbeddedControlPlane.StartupException("no ledger quorum within "
                + STARTUP_QUORUM_TIMEOUT_MILLIS / 1000 + " s; start a majority of the nodes of " + config.cluster()
                .peers().keySet() + " (" + e.getMessage() + ")", e);
          }
          LOG.info("waiting for a ledger quorum to register {}: {}", def.service(), e.getMessage());
          Thread.sleep(500);
        }
      }
    }
  }

  private void startAgents(RatisLedger l) {
    AzId az = config.az();
    List<ServiceTopology> services = config.topologies();
    List<HealthChecker> checkers = new ArrayList<>();
    if (config.sharedHealthCheckerOptions().isPresent()) {
      Map<Target, dev.bulwark.agents.HealthCheck> all = new HashMap<>();
      config.healthChecks().forEach(g -> all.putAll(g.checks()));
      checkers.add(new HealthChecker(az, all, scheduler, config.sharedHealthCheckerOptions().get()));
    } else {
      for (ServiceHealthChecks g : config.healthChecks()) {
        checkers.add(new HealthChecker(az, g.checks(), scheduler, g.options()));
      }
    }
    agents.addAll(checkers);
    HealthSource health = checkers.size() == 1 ? checkers.get(0) : new MergedHealth(az, checkers);
    Controller c = Controller.builder(ActorId.of("controller@" + az.value()), az, l, dns(), health, services, scheduler)
        .planner(config.planner()).janitor(config.janitor()).auditorIntervalMillis(config.auditorIntervalMillis())
        .build();
    controller = c;
    agents.add(c);
    LeaseFollower lease = new LeaseFollower(az, l, scheduler, LeaseFollower.DEFAULT_REFRESH_INTERVAL_MILLIS);
    agents.add(lease);
    agents.add(new Validator(services, health, l, lease, scheduler, config.validatorIntervalMillis()));
    agents.add(new Enactor(az, services, dns(), l, lease, scheduler, config.enactor()));
    agents.forEach(a -> a.setMetrics(prometheus.metrics()));
    agents.forEach(Agent::start);
  }

  private void startApi(RatisLedger l, LedgerPeer p) {
    List<ApiToken> tokens = config.apiTokens().stream().map(NodeControlPlane::token).toList();
    Rfc2136Target reader = dns();
    ApiContext context = ApiContext.builder(l, reader::read, new RatisClusterView(config.cluster(),
            () -> Map.of(p.az(), p)), tokens, scheduler::nowMillis)
        .bind(config.api().bind().getHostAddress(), config.api().port())
        .maxBodyBytes(config.api().maxBodyBytes())
        .metrics(prometheus.scrape())
        .promoter((operator, reason) -> ControllerPromoter.promote(controller(), operator, reason))
        .build();
    api = ApiServer.start(context);
  }

  /** This node's controller candidate: the primary while it holds the lease, the shadow otherwise. */
  Controller controller() {
    Controller c = controller;
    if (c == null) {
      throw new IllegalStateException("the node is not started");
    }
    return c;
  }

  private static ApiToken token(ApiTokenConfig t) {
    return new ApiToken(t.name(), Role.valueOf(t.role().name()), t.secret());
  }

  private Rfc2136Target dns() {
    return new Rfc2136Target(config.dnsClientOptions());
  }

  /** The API server (started last). */
  ApiServer api() {
    ApiServer a = api;
    if (a == null) {
      throw new IllegalStateException("the node is not started");
    }
    return a;
  }

  @Override
  public void close() {
    if (api != null) {
      api.close();
    }
    Lifecycle.closeInReverse(agents, LOG);
    scheduler.close();
    if (embeddedDns != null) {
      embeddedDns.close();
    }
    if (ledger != null) {
      ledger.close();
    }
    if (peer != null) {
      peer.close();
    }
    prometheus.close();
  }
}
