package dev.bulwark.agents;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.ReadOutcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fault injection: a {@link DnsTarget} whose updates arrive late, as the delayed Enactor's did in
 * 2025. Reads pass straight through; each update waits the current delay first, so the writer's
 * view of DNS is stale by the time its write lands. Used by tests and game days, never by default.
 */
public final class DelayedDnsTarget implements DnsTarget {
  private final DnsTarget delegate;
  /** Delays for the next updates, in order; the last one repeats. */
  private final AtomicReference<List<Duration>> delays = new AtomicReference<>(List.of(Duration.ZERO));

  public DelayedDnsTarget(DnsTarget delegate) {
    this.delegate = Check.notNull(delegate, "delegate");
  }

  /** Sets the delay added before every later update; {@link Duration#ZERO} removes the fault. */
  public void setDelay(Duration d) {
    setDelays(List.of(d));
  }

  /** Delays the next updates by {@code perUpdate[0]}, {@code [1]}, ...; the last value repeats. */
  public void setDelays(List<Duration> perUpdate) {
    Check.arg(!perUpdate.isEmpty(), "at least one delay is needed");
    perUpdate.forEach(d -> Check.arg(!d.isNegative(), "delays must not be negative"));
    delays.set(List.copyOf(perUpdate));
  }

  private Duration nextDelay() {
    return delays.getAndUpdate(l -> l.size() > 1 ? l.subList(1, l.size()) : l).get(0);
  }

  @Override
  public ReadOutcome read(EndpointName endpoint) {
    return delegate.read(endpoint);
  }

  @Override
  public ApplyOutcome apply(ApplyRequest request) {
    Duration d = nextDelay();
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return delegate.apply(request);
  }
}
