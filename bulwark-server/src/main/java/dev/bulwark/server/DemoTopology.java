package dev.bulwark.server;

import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo that {@code bulwark up} runs: two services, one endpoint each, six load balancers per
 * endpoint spread over three AZs. The load balancers are real HTTP servers on loopback addresses
 * (127.0.0.11-16 and 127.0.0.21-26; Linux routes all of 127/8 to the loopback interface).
 */
public final class DemoTopology {
  /** The zone the embedded DNS server is authoritative for. */
  public static final String ZONE = "bulwark.test";

  /** The AZs of the demo, one ledger peer, Validator and Enactor each. */
  public static final List<String> AZS = List.of("az-a", "az-b", "az-c");

  private DemoTopology() {}

  static List<ServiceTopology> services() {
    return List.of(service("dynamodb", "dynamodb.us-east-1." + ZONE, 11, 6),
        service("s3", "s3.us-east-1." + ZONE, 21, 6));
  }

  /**
   * One service with one endpoint and {@code count} load balancers on 127.0.0.{@code firstHost}
   * onwards, spread round-robin over the AZs (the game days' smaller fleet uses it too).
   */
  public static ServiceTopology service(String name, String endpoint, int firstHost, int count) {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      targets.add(Target.of("127.0.0." + (firstHost + i), 100, AZS.get(i % 3)));
    }
    return new ServiceTopology(ServiceId.of(name), new TreeMap<>(Map.of(EndpointName.of(endpoint), targets)),
        ServiceTopology.DEFAULT_TTL_SECONDS);
  }
}
