package dev.bulwark.server;

import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.Planner;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.PeerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one {@code bulwark node} needs, as domain objects: the configuration file is mapped
 * into this, and tests can build it directly.
 *
 * @param az the Availability Zone this node serves; one of the cluster's peers
 * @param cluster every ledger peer of the deployment
 * @param dataDir where this node keeps its ledger
 * @param peerOptions Raft timing and snapshot settings
 * @param services the services, their endpoints and candidate targets
 * @param definitions the ledger registration of each service (voters, policy)
 * @param checks the health check of every target, run from this node's AZ
 * @param health thresholds and timing of the health checks
 * @param planner the Planner's options (used while this node's controller holds authority)
 * @param enactor this AZ's Enactor options (velocity limits)
 * @param dns how the Enactor and Auditor reach the authoritative DNS server
 * @param embeddedDns if present, this node also runs the embedded DNS server (single-host trials)
 */
record NodeSettings(
    AzId az,
    ClusterConfig cluster,
    Path dataDir,
    PeerOptions peerOptions,
    List<ServiceTopology> services,
    List<ServiceDefinition> definitions,
    Map<Target, HealthCheck> checks,
    HealthChecker.Options health,
    Planner.Options planner,
    Enactor.Options enactor,
    Rfc2136Options dns,
    Optional<EmbeddedDnsServer.Options> embeddedDns) {

  NodeSettings {
    Check.arg(cluster.peers().containsKey(az), "az %s must be one of the cluster's peers %s", az,
        cluster.peers().keySet());
    services = List.copyOf(services);
    definitions = List.copyOf(definitions);
    checks = Map.copyOf(checks);
    for (ServiceTopology s : services) {
      for (Target t : s.allTargets()) {
        Check.arg(checks.containsKey(t), "target %s of %s has no health check", t.addressText(), s.service());
      }
    }
  }
}
