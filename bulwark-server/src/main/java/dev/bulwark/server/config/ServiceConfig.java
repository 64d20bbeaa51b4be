package dev.bulwark.server.config;

import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One entry of {@code services}: a set of endpoints planned together under one pointer.
 *
 * @param id the service's name
 * @param ttlSeconds TTL of its published records. Default {@value ServiceTopology#DEFAULT_TTL_SECONDS}.
 * @param endpoints 1..{@value #MAX_ENDPOINTS} endpoints with distinct names
 * @param healthCheck how its targets are probed
 * @param policy its safety knobs, with {@link ServicePolicy}'s defaults
 * @param voters the AZs whose Validators vote on its plans. Default: every AZ of the cluster.
 */
public record ServiceConfig(ServiceId id, int ttlSeconds, List<EndpointConfig> endpoints,
    HealthCheckConfig healthCheck, ServicePolicy policy, SortedSet<AzId> voters) {
  /** Most endpoints one service may list. */
  public static final int MAX_ENDPOINTS = 1_000;

  /** Validates the endpoints' names are distinct, and the rest through the domain types. */
  public ServiceConfig {
    Check.notNull(id, "id");
    endpoints = List.copyOf(Check.notNull(endpoints, "endpoints"));
    Check.arg(!endpoints.isEmpty() && endpoints.size() <= MAX_ENDPOINTS, "service %s needs 1..%d endpoints, but has %d",
        id, MAX_ENDPOINTS, endpoints.size());
    Set<EndpointName> names = new HashSet<>();
    for (EndpointConfig e : endpoints) {
      Check.arg(names.add(e.name()), "service %s lists endpoint %s twice", id, e.name());
    }
    Check.notNull(healthCheck, "healthCheck");
    Check.notNull(policy, "policy");
    voters = Collections.unmodifiableSortedSet(new TreeSet<>(Check.notNull(voters, "voters")));
    topology(id, ttlSeconds, endpoints); // Validates the TTL and the candidates.
    ServiceDefinition.of(id, List.copyOf(names), List.copyOf(voters), policy); // Validates the quorum.
  }

  private static ServiceTopology topology(ServiceId id, int ttlSeconds, List<EndpointConfig> endpoints) {
    TreeMap<EndpointName, List<Target>> candidates = new TreeMap<>();
    endpoints.forEach(e -> candidates.put(e.name(), e.targets()));
    return new ServiceTopology(id, candidates, ttlSeconds);
  }

  /** What the Planner, Validators, Enactors and Auditor know of this service. */
  public ServiceTopology topology() {
    return topology(id, ttlSeconds, endpoints);
  }

  /** What the ledger is told when the service is registered. */
  public ServiceDefinition definition() {
    return ServiceDefinition.of(id, endpoints.stream().map(EndpointConfig::name).toList(), List.copyOf(voters), policy);
  }

  /** The probe of every candidate target, by target, with this service's timing. */
  public ServiceHealthChecks healthChecks() {
    Map<Target, HealthCheck> checks = new LinkedHashMap<>();
    endpoints.forEach(e -> e.targets().forEach(t -> checks.putIfAbsent(t, healthCheck.check())));
    return new ServiceHealthChecks(id, healthCheck.options(), checks);
  }
}
