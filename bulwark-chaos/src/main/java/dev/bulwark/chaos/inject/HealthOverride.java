package dev.bulwark.chaos.inject;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.HealthSource;
import dev.bulwark.core.port.Scheduler;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault injection: one AZ's health view with verdicts that a game day can force (plan storms,
 * health-check flapping). A forced target reads as forced from the moment it is forced; when the
 * force is lifted it reads as the real checks say, changed as of that moment, so a Planner's
 * debounce sees every flip. Without forces it is the wrapped view, unchanged.
 */
public final class HealthOverride implements HealthSource {
  private final HealthSource delegate;
  private final Scheduler clock;
  private final Map<InetAddress, HealthSource.Health> forced = new ConcurrentHashMap<>();
  private final Map<InetAddress, Long> liftedAt = new ConcurrentHashMap<>();

  /** Wraps {@code delegate}; times of forced changes come from {@code clock}. */
  public HealthOverride(HealthSource delegate, Scheduler clock) {
    this.delegate = Check.notNull(delegate, "delegate");
    this.clock = Check.notNull(clock, "clock");
  }

  /** Forces {@code address} to read as {@code healthy} until {@link #lift}. */
  public void force(InetAddress address, boolean healthy) {
    HealthSource.Health before = forced.get(address);
    if (before == null || before.healthy() != healthy) {
      forced.put(address, new HealthSource.Health(healthy, clock.nowMillis()));
    }
  }

  /** Lifts the force on {@code address}; the real checks speak for it again. */
  public void lift(InetAddress address) {
    if (forced.remove(address) != null) {
      liftedAt.put(address, clock.nowMillis());
    }
  }

  /** Lifts every force. */
  public void liftAll() {
    forced.keySet().forEach(this::lift);
  }

  @Override
  public AzId az() {
    return delegate.az();
  }

  @Override
  public Map<Target, HealthSource.Health> snapshot() {
    Map<Target, HealthSource.Health> out = new LinkedHashMap<>();
    for (Map.Entry<Target, HealthSource.Health> e : delegate.snapshot().entrySet()) {
      InetAddress a = e.getKey().address();
      HealthSource.Health f = forced.get(a);
      if (f != null) {
        out.put(e.getKey(), f);
      } else {
        long lifted = liftedAt.getOrDefault(a, 0L);
        HealthSource.Health real = e.getValue();
        out.put(e.getKey(), new HealthSource.Health(real.healthy(), Math.max(real.sinceMillis(), lifted)));
      }
    }
    return out;
  }
}
