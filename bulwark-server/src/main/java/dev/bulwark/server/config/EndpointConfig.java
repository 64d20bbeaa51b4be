package dev.bulwark.server.config;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One endpoint of a service: the DNS name Bulwark publishes and the candidate targets, in file
 * order.
 *
 * @param name the published name; must lie in the DNS zone
 * @param targets 1..{@value #MAX_TARGETS} targets with distinct addresses
 */
public record EndpointConfig(EndpointName name, List<Target> targets) {
  /** Most targets one endpoint may list. */
  public static final int MAX_TARGETS = 1_000;

  /** Validates that the targets are present and distinct by address. */
  public EndpointConfig {
    Check.notNull(name, "name");
    targets = List.copyOf(Check.notNull(targets, "targets"));
    Check.arg(!targets.isEmpty() && targets.size() <= MAX_TARGETS, "endpoint %s needs 1..%d targets, but has %d", name,
        MAX_TARGETS, targets.size());
    Set<String> seen = new HashSet<>();
    for (Target t : targets) {
      Check.arg(seen.add(t.addressText()), "endpoint %s lists target %s twice", name, t.addressText());
    }
  }
}
