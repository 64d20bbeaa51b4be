package dev.bulwark.server;

import dev.bulwark.agents.Agent;
import dev.bulwark.agents.Auditor;
import dev.bulwark.agents.AuthorityKeeper;
import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.Janitor;
import dev.bulwark.agents.Planner;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.agents.Validator;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.port.Metrics;
import dev.bulwark.core.port.SystemScheduler;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.Rfc2136Target;
import dev.bulwark.ledger.LedgerPeer;
import dev.bulwark.ledger.RatisLedger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * its health checks, Validator and Enactor, and a controller candidate (authority keeper, Planner,
 * Auditor, Janitor).
 *
 * <p>Every node runs a controller candidate, but the ledger's authority lease lets only one of
 * them act at a time; when its node dies, the lease lapses and another node's candidate takes a
 * new epoch, which fences the old one's commands and DNS writes. The Validator and Enactor of each
 * AZ act independently of the lease holder: 2 of 3 AZs must approve a plan, and every AZ publishes
 * the pointer's plan with a compare-and-swap.
 *
 * <p>Start order: ledger peer, DNS (if embedded), the services' registration (an idempotent upsert,
 * so every node may do it), then the agents. {@link #close()} stops them in reverse.
 */
final class NodeControlPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeControlPlane.class);

  /** How long a starting node waits for the cluster to elect a leader before giving up. */
  static final long STARTUP_QUORUM_TIMEOUT_MILLIS = 120_000;

  private final NodeSettings settings;
  private final Metrics metrics;
  private final SystemScheduler scheduler = new SystemScheduler("bulwark-node", 8);
  private final List<Agent> agents = new ArrayList<>();
  private @Nullable LedgerPeer peer;
  private @Nullable RatisLedger ledger;
  private @Nullable EmbeddedDnsServer embeddedDns;

  private NodeControlPlane(NodeSettings settings, Metrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
  }

  /** Starts the node, or throws and leaves nothing running. */
  static NodeControlPlane start(NodeSettings settings, Metrics metrics) throws EmbeddedControlPlane.StartupException {
    NodeControlPlane n = new NodeControlPlane(settings, metrics);
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
    LedgerPeer p = new LedgerPeer(settings.az(), settings.cluster(), settings.dataDir().resolve("ledger"),
        settings.peerOptions());
    peer = p;
    p.start();
    RatisLedger l = new RatisLedger(settings.cluster(), p, RatisLedger.ClientOptions.DEFAULT);
    ledger = l;
    LOG.info("ledger peer {} listening on {}", settings.az(), settings.cluster().peers().get(settings.az()));
    if (settings.embeddedDns().isPresent()) {
      embeddedDns = EmbeddedDnsServer.start(settings.embeddedDns().get());
    }
    register(l);
    startAgents(l);
  }

  /** Registers (upserts) every configured service; waits, bounded, for the cluster to have a leader. */
  private void register(RatisLedger l) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_QUORUM_TIMEOUT_MILLIS);
    ActorId actor = ActorId.of("config:node@" + settings.az().value());
    for (ServiceDefinition def : settings.definitions()) {
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
                + STARTUP_QUORUM_TIMEOUT_MILLIS / 1000 + " s (start at least a majority of the nodes): "
                + e.getMessage(), e);
          }
          LOG.info("waiting for a ledger quorum to register {}: {}", def.service(), e.getMessage());
          Thread.sleep(500);
        }
      }
    }
  }

  private void startAgents(RatisLedger l) {
    String az = settings.az().value();
    List<ServiceTopology> services = settings.services();
    AuthorityKeeper authority = new AuthorityKeeper(ActorId.of("controller@" + az), l, scheduler,
        AuthorityKeeper.DEFAULT_LEASE_TTL_MILLIS);
    agents.add(authority);
    Map<Target, HealthCheck> checks = new LinkedHashMap<>();
    services.forEach(s -> s.allTargets().forEach(t -> checks.put(t, settings.checks().get(t))));
    HealthChecker health = new HealthChecker(settings.az(), checks, scheduler, settings.health());
    agents.add(health);
    agents.add(new Planner(ActorId.of("planner@" + az), services, health, l, authority, scheduler,
        settings.planner()));
    agents.add(new Validator(services, health, l, authority, scheduler, Validator.DEFAULT_INTERVAL_MILLIS));
    agents.add(new Enactor(settings.az(), services, dns(), l, authority, scheduler, settings.enactor()));
    agents.add(new Auditor(settings.az(), services, dns(), l, authority, scheduler, Auditor.DEFAULT_INTERVAL_MILLIS));
    agents.add(new Janitor(services.stream().map(ServiceTopology::service).toList(), l, authority, scheduler,
        Janitor.Options.DEFAULT));
    agents.forEach(a -> a.setMetrics(metrics));
    agents.forEach(Agent::start);
  }

  private Rfc2136Target dns() {
    return new Rfc2136Target(settings.dns());
  }

  /** This node's ledger client. */
  RatisLedger ledger() {
    RatisLedger l = ledger;
    if (l == null) {
      throw new IllegalStateException("the node is not started");
    }
    return l;
  }

  /** This node's ledger peer. */
  LedgerPeer peer() {
    LedgerPeer p = peer;
    if (p == null) {
      throw new IllegalStateException("the node is not started");
    }
    return p;
  }

  @Override
  public void close() {
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
  }
}
