package dev.bulwark.agents;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.ReadOutcome;
import java.util.function.Supplier;

/** A real DNS client built anew for each call, so a test can change its key or server mid-run. */
final class SwitchableDnsTarget implements DnsTarget {
  private final Supplier<? extends DnsTarget> current;

  SwitchableDnsTarget(Supplier<? extends DnsTarget> current) {
    this.current = current;
  }

  @Override
  public ReadOutcome read(EndpointName endpoint) {
    return current.get().read(endpoint);
  }

  @Override
  public ApplyOutcome apply(ApplyRequest request) {
    return current.get().apply(request);
  }
}
