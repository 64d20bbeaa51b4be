package dev.bulwark.core.port;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.Target;
import java.util.Map;

/**
 * One AZ's view of target health (a fault containment zone: each AZ checks from its own vantage).
 * Health checks keep it current; the Planner and that AZ's Validator read it.
 */
public interface HealthSource {
  /** The AZ whose vantage point this is. */
  AzId az();

  /** The current health of every known target, by address. */
  Map<Target, Health> snapshot();

  /** A target's health as this AZ sees it, with the time it last changed. */
  record Health(boolean healthy, long sinceMillis) {
    public Health {
      Check.arg(sinceMillis >= 0, "sinceMillis must be >= 0, but was %d", sinceMillis);
    }
  }
}
