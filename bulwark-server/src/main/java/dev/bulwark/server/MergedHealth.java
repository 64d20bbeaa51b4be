package dev.bulwark.server;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.HealthSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One AZ's health view made of several checkers, one per service where services check at
 * different intervals or thresholds. Targets are disjoint across services' checkers, except a
 * target shared by two services; then it counts as healthy only if every checker says so.
 */
final class MergedHealth implements HealthSource {
  private final AzId az;
  private final List<? extends HealthSource> parts;

  MergedHealth(AzId az, List<? extends HealthSource> parts) {
    this.az = az;
    this.parts = List.copyOf(parts);
  }

  @Override
  public AzId az() {
    return az;
  }

  @Override
  public Map<Target, Health> snapshot() {
    Map<Target, Health> out = new HashMap<>();
    for (HealthSource p : parts) {
      p.snapshot().forEach((t, h) -> out.merge(t, h, MergedHealth::worse));
    }
    return out;
  }

  /** Unhealthy wins; between two equal verdicts, the more recent change. */
  private static Health worse(Health a, Health b) {
    if (a.healthy() != b.healthy()) {
      return a.healthy() ? b : a;
    }
    return a.sinceMillis() >= b.sinceMillis() ? a : b;
  }
}
