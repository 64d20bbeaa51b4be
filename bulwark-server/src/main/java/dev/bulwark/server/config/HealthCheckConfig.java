package dev.bulwark.server.config;

import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.core.Check;

/**
 * A service's {@code healthCheck} section: how each of its targets is probed, and how often.
 *
 * @param check the probe: {@code type} (http or tcp), {@code port}, and {@code path} for http
 *     (default {@value #DEFAULT_PATH})
 * @param options timing and thresholds, with {@link HealthChecker.Options}' defaults
 */
public record HealthCheckConfig(HealthCheck check, HealthChecker.Options options) {
  /** Default HTTP path. */
  public static final String DEFAULT_PATH = "/health";

  /** Validates that nothing is null. */
  public HealthCheckConfig {
    Check.notNull(check, "check");
    Check.notNull(options, "options");
  }
}
