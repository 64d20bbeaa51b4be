package dev.bulwark.chaos;

import dev.bulwark.core.Check;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A fault a game day injects and later removes. Each is a value; the {@link GameDayTarget} decides
 * how to realise it on its control plane. Names in {@link #kind()} are the ones used in scenario
 * files (docs/gamedays.md).
 */
public sealed interface Fault extends Activity {

  /**
   * One AZ's Enactor writes to DNS late: each update waits {@code delaysMillis[0]}, then {@code [1]},
   * ...; the last value repeats (the delayed Enactor of 2025).
   */
  record EnactorDelay(String az, List<Long> delaysMillis) implements Fault {
    public EnactorDelay {
      Check.notNull(az, "az");
      delaysMillis = List.copyOf(delaysMillis);
      Check.arg(!delaysMillis.isEmpty(), "delaysMillis must not be empty");
      delaysMillis.forEach(d -> Check.arg(d >= 0, "delays must be >= 0 ms, but one was %d", d));
    }

    @Override
    public String kind() {
      return "enactor-delay";
    }

    @Override
    public String describe() {
      return "Enactor in " + az + " delays its DNS updates by " + delaysMillis + " ms";
    }
  }

  /** Every AZ's Enactor writes late by its own amount: latency skew between AZs (Appendix C). */
  record LatencySkew(SortedMap<String, Long> skewMillis) implements Fault {
    public LatencySkew {
      skewMillis = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(skewMillis));
      Check.arg(!skewMillis.isEmpty(), "skewMillis must name at least one AZ");
      skewMillis.values().forEach(d -> Check.arg(d >= 0, "skews must be >= 0 ms, but one was %d", d));
    }

    /** A skew from any map of AZ to milliseconds. */
    public static LatencySkew of(Map<String, Long> skew) {
      return new LatencySkew(new TreeMap<>(skew));
    }

    @Override
    public String kind() {
      return "latency-skew";
    }

    @Override
    public String describe() {
      return "DNS update latency per AZ " + skewMillis + " ms";
    }
  }

  /** Stops one ledger peer ({@code leader}, or an AZ's); removal restarts it from its directory. */
  record KillLedgerPeer(String peer) implements Fault {
    /** The {@link #peer} value that means "whichever peer leads when the fault is injected". */
    public static final String LEADER = "leader";

    public KillLedgerPeer {
      Check.notNull(peer, "peer");
    }

    @Override
    public String kind() {
      return "kill-ledger-peer";
    }

    @Override
    public String describe() {
      return "ledger peer " + peer + " killed";
    }
  }

  /** One AZ's agents read a clock that is {@code offsetMillis} off (ahead if positive). */
  record ClockSkew(String az, long offsetMillis) implements Fault {
    public ClockSkew {
      Check.notNull(az, "az");
    }

    @Override
    public String kind() {
      return "clock-skew";
    }

    @Override
    public String describe() {
      return "clock of " + az + " skewed by " + offsetMillis + " ms";
    }
  }

  /** The authoritative DNS server stops answering; removal starts it again from its saved zone. */
  record DnsOutage() implements Fault {
    @Override
    public String kind() {
      return "dns-outage";
    }

    @Override
    public String describe() {
      return "DNS server down";
    }
  }

  /**
   * Some of a service's load balancers stop serving (their health endpoints go away): {@code count}
   * of them, or {@code percent} of them rounded up; exactly one of the two is non-zero. Which ones:
   * the first in address order.
   */
  record BackendFailure(String service, int count, int percent) implements Fault {
    public BackendFailure {
      Check.notNull(service, "service");
      Check.arg(count >= 0 && percent >= 0 && percent <= 100, "count must be >= 0 and percent 0..100, but were %d"
          + " and %d", count, percent);
      Check.arg((count == 0) != (percent == 0), "exactly one of count and percent must be set, but were %d and %d",
          count, percent);
    }

    /** How many of {@code targets} load balancers fail. */
    public int failingOutOf(int targets) {
      return count > 0 ? Math.min(count, targets) : (int) Math.min(targets, (percent * (long) targets + 99) / 100);
    }

    @Override
    public String kind() {
      return "backend-failure";
    }

    @Override
    public String describe() {
      return (count > 0 ? count + "" : percent + "%") + " of the load balancers of " + service + " failed";
    }
  }

  /**
   * One load balancer's health flaps: it fails and recovers every {@code periodMillis}, as seen by
   * the health checks of {@code az} ({@code all} for every AZ).
   */
  record HealthFlapping(String service, int target, long periodMillis, String az) implements Fault {
    /** The {@link #az} value that means every AZ's checks. */
    public static final String ALL_AZS = "all";

    public HealthFlapping {
      Check.notNull(service, "service");
      Check.notNull(az, "az");
      Check.arg(target >= 0, "target must be >= 0, but was %d", target);
      Check.arg(periodMillis >= 10, "periodMillis must be >= 10, but was %d", periodMillis);
    }

    @Override
    public String kind() {
      return "health-flapping";
    }

    @Override
    public String describe() {
      return "health of " + service + " target #" + target + " flaps every " + periodMillis + " ms (" + az + ")";
    }
  }

  /**
   * Many plan generations quickly: the health of one of the service's load balancers toggles every
   * {@code intervalMillis}, {@code generations} times, so the Planner writes a new plan each time.
   */
  record PlanStorm(String service, int generations, long intervalMillis) implements Fault {
    public PlanStorm {
      Check.notNull(service, "service");
      Check.arg(generations >= 1, "generations must be >= 1, but was %d", generations);
      Check.arg(intervalMillis >= 10, "intervalMillis must be >= 10, but was %d", intervalMillis);
    }

    @Override
    public String kind() {
      return "plan-storm";
    }

    @Override
    public String describe() {
      return generations + " plan generations of " + service + ", one every " + intervalMillis + " ms";
    }
  }

  /**
   * The primary controller (the one holding the authority lease) stops abruptly, as a killed
   * process would: nothing is handed over, so its lease lapses after one TTL and the shadow takes
   * over. Removal starts a fresh controller with the same identity in the same AZ, which finds
   * another holder's lease and comes back as the shadow.
   */
  record KillController() implements Fault {
    @Override
    public String kind() {
      return "kill-controller";
    }

    @Override
    public String describe() {
      return "primary controller killed";
    }
  }

  /**
   * The primary controller's node freezes, as with SIGSTOP or a long GC pause: its ledger and DNS
   * calls (and its AZ's Enactor's, Validator's and lease follower's) wait, so it stops renewing its
   * lease. Give the step a {@code durationMillis} longer than the lease TTL and the shadow takes
   * over; removal resumes the node, which must find itself fenced: none of its writes may land.
   */
  record FreezeController() implements Fault {
    @Override
    public String kind() {
      return "freeze-controller";
    }

    @Override
    public String describe() {
      return "primary controller frozen";
    }
  }
}
