package dev.bulwark.agents;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.ApplyRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What configuration says about one service: for each endpoint, the candidate targets the Planner
 * may publish (when healthy), and the TTL of its records.
 *
 * @param ttlSeconds TTL of the published A/AAAA records. Default {@value #DEFAULT_TTL_SECONDS}.
 */
public record ServiceTopology(ServiceId service, SortedMap<EndpointName, List<Target>> candidates, int ttlSeconds) {
  public static final int DEFAULT_TTL_SECONDS = 30;

  public ServiceTopology {
    Check.notNull(service, "service");
    SortedMap<EndpointName, List<Target>> copy = new TreeMap<>();
    for (Map.Entry<EndpointName, List<Target>> e : Check.notNull(candidates, "candidates").entrySet()) {
      List<Target> t = new ArrayList<>(e.getValue());
      Check.arg(!t.isEmpty(), "endpoint %s of %s needs at least one candidate target", e.getKey(), service);
      Collections.sort(t);
      copy.put(e.getKey(), List.copyOf(t));
    }
    Check.arg(!copy.isEmpty(), "service %s needs at least one endpoint", service);
    candidates = Collections.unmodifiableSortedMap(copy);
    Check.arg(ttlSeconds >= 0 && ttlSeconds <= ApplyRequest.MAX_TTL_SECONDS, "ttlSeconds must be 0..%d, but was %d",
        ApplyRequest.MAX_TTL_SECONDS, ttlSeconds);
  }

  /** Every candidate target of the service, once. */
  public List<Target> allTargets() {
    SortedMap<java.net.InetAddress, Target> byAddress = new TreeMap<>(dev.bulwark.core.IpAddresses::compare);
    candidates.values().forEach(l -> l.forEach(t -> byAddress.putIfAbsent(t.address(), t)));
    return List.copyOf(byAddress.values());
  }
}
