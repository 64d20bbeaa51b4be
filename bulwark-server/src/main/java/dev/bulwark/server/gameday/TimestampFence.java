package dev.bulwark.server.gameday;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsFailure;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.core.port.Scheduler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whitepaper's Appendix B Example 1, timestamp fencing, in front of one
 * service's DNS records for the legacy world. A writer stamps its update with its own wall clock
 * when it starts it ({@link #stamping}); where the update lands ({@link #checking}) it is accepted
 * only if the stamp is newer than the last accepted one for that endpoint. With an AZ's clock
 * running ahead, a stale update carries a stamp from the future: it is accepted, and every correct
 * update after it is refused until real time catches up. Bulwark's fencing tokens are log indexes
 * and never read a clock (ARCHITECTURE.md §4).
 */
final class TimestampFence {
  /** The stamp of the update this thread is sending; set by the stamping side, read where it lands. */
  private static final ThreadLocal<Long> STAMP = new ThreadLocal<>();

  private final Map<EndpointName, Long> lastAccepted = new ConcurrentHashMap<>();

  /** The writer's side: stamps each update with {@code clock}'s reading, then sends it through {@code next}. */
  DnsTarget stamping(Scheduler clock, DnsTarget next) {
    return new DnsTarget() {
      @Override
      public ReadOutcome read(EndpointName endpoint) {
        return next.read(endpoint);
      }

      @Override
      public ApplyOutcome apply(ApplyRequest request) {
        STAMP.set(clock.nowMillis());
        try {
          return next.apply(request);
        } finally {
          STAMP.remove();
        }
      }
    };
  }

  /** Where the update lands: refuses a stamp that is not newer than the last accepted one. */
  DnsTarget checking(DnsTarget dns) {
    return new DnsTarget() {
      @Override
      public ReadOutcome read(EndpointName endpoint) {
        return dns.read(endpoint);
      }

      @Override
      public ApplyOutcome apply(ApplyRequest request) {
        Long stamp = STAMP.get();
        if (stamp == null) {
          return dns.apply(request);
        }
        synchronized (TimestampFence.this) {
          long last = lastAccepted.getOrDefault(request.endpoint(), Long.MIN_VALUE);
          if (stamp <= last) {
            return new ApplyOutcome.Failed(new DnsFailure(DnsFailure.Kind.REFUSED, "timestamp fencing: stamp "
                + stamp + " is not newer than the last accepted " + last));
          }
          ApplyOutcome out = dns.apply(request);
          if (out instanceof ApplyOutcome.Applied) {
            lastAccepted.put(request.endpoint(), stamp);
          }
          return out;
        }
      }
    };
  }
}
