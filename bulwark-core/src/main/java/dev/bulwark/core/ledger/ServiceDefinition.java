package dev.bulwark.core.ledger;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A service as configured: its endpoints (every plan must cover exactly these), the AZs whose
 * Validators vote on its plans, and its policy.
 */
public record ServiceDefinition(
    ServiceId service, SortedSet<EndpointName> endpoints, SortedSet<AzId> voters, ServicePolicy policy) {

  public ServiceDefinition {
    Check.notNull(service, "service");
    Check.notNull(policy, "policy");
    endpoints = Collections.unmodifiableSortedSet(new TreeSet<>(Check.notNull(endpoints, "endpoints")));
    voters = Collections.unmodifiableSortedSet(new TreeSet<>(Check.notNull(voters, "voters")));
    Check.arg(!endpoints.isEmpty(), "service %s must have at least one endpoint", service);
    Check.arg(!voters.isEmpty(), "service %s must have at least one voting AZ", service);
    Check.arg(
        policy.quorum() <= voters.size() && policy.quorum() * 2 > voters.size(),
        "quorum of service %s must be a strict majority of its %d voting AZs %s (so two disjoint"
            + " groups can never both approve), but was %d",
        service,
        voters.size(),
        voters,
        policy.quorum());
  }

  /** A definition from lists, e.g. in tests and configuration. */
  public static ServiceDefinition of(
      ServiceId service, List<EndpointName> endpoints, List<AzId> voters, ServicePolicy policy) {
    return new ServiceDefinition(service, new TreeSet<>(endpoints), new TreeSet<>(voters), policy);
  }

  public ServiceDefinition withPolicy(ServicePolicy p) {
    return new ServiceDefinition(service, endpoints, voters, p);
  }
}
