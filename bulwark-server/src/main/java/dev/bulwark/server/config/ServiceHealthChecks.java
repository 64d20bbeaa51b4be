package dev.bulwark.server.config;

import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.core.Check;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health checks of one service, ready for a {@link HealthChecker}: its timing and the probe
 * of each candidate target.
 *
 * @param service the service
 * @param options the service's check timing and thresholds
 * @param checks the probe of every candidate target, in file order
 */
public record ServiceHealthChecks(ServiceId service, HealthChecker.Options options, Map<Target, HealthCheck> checks) {
  /** Validates that nothing is null, and copies the map. */
  public ServiceHealthChecks {
    Check.notNull(service, "service");
    Check.notNull(options, "options");
    checks = Collections.unmodifiableMap(new LinkedHashMap<>(Check.notNull(checks, "checks")));
  }
}
