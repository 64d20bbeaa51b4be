package dev.bulwark.chaos;

import dev.bulwark.core.Check;
import java.util.List;
import java.util.Optional;

/**
 * The names a scenario may refer to: services and AZs. Scenarios name targets by service and
 * index, never by address, so one file runs on any control plane with these names.
 */
public record Topology(String name, List<String> services, List<String> azs) {
  /**
   * The demo of {@code bulwark up}: zone {@code bulwark.test}, services {@code dynamodb} (endpoint
   * {@code dynamodb.us-east-1.bulwark.test}) and {@code s3}, AZs az-a, az-b and az-c.
   */
  public static final Topology DEMO = new Topology("demo", List.of("dynamodb", "s3"), List.of("az-a", "az-b", "az-c"));

  public Topology {
    Check.notNull(name, "name");
    services = List.copyOf(services);
    azs = List.copyOf(azs);
  }

  /** The topology with this name, if it exists. */
  public static Optional<Topology> named(String name) {
    return DEMO.name.equals(name) ? Optional.of(DEMO) : Optional.empty();
  }
}
