package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.core.port.Scheduler;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The independent post-commit check (the playbook's audit plane): reads what DNS serves, over the
 * wire and through its own client, and compares it with the ledger's active plan. Records that
 * differ while the marker says they are current are drift, from a hand edit or a writer outside
 * Bulwark: it records {@code DRIFT} in the audit chain and rewrites the endpoint to the ledger's
 * content with the same compare-and-swap as the Enactors, then records {@code REPAIRED}. DNS thus
 * matches the ledger again within a few rounds after a fault heals (I7).
 *
 * <p>An endpoint whose marker is behind the pointer is not drift but an apply in progress; that is
 * the Enactors' job.
 */
public final class Auditor extends LoopAgent {
  private static final Logger LOG = LoggerFactory.getLogger(Auditor.class);

  /** Default time between audit rounds. */
  public static final long DEFAULT_INTERVAL_MILLIS = 2_000;

  private final AzId az;
  private final ActorId actor;
  private final List<ServiceTopology> topologies;
  private final DnsTarget dns;
  private final LedgerCalls ledger;
  private final Authority authority;

  public Auditor(AzId az, List<ServiceTopology> topologies, DnsTarget dns, Ledger ledger, Authority authority,
      Scheduler scheduler, long intervalMillis) {
    super("auditor@" + az, scheduler, Duration.ofMillis(intervalMillis));
    this.az = Check.notNull(az, "az");
    this.actor = ActorId.of("auditor@" + az);
    this.topologies = List.copyOf(topologies);
    this.dns = Check.notNull(dns, "dns");
    this.ledger = new LedgerCalls(ledger, authority, this::metrics);
    this.authority = Check.notNull(authority, "authority");
  }

  /** Audit events read per round for the clock-divergence metric. */
  static final int MAX_EVENTS_PER_ROUND = LedgerQuery.AuditRange.MAX_PAGE;

  private long nextEventId;

  @Override
  protected void runRound() throws Exception {
    observeClocks();
    Optional<FencingToken> token = authority.token();
    if (token.isEmpty()) {
      return;
    }
    for (ServiceTopology topo : topologies) {
      if (ledger.read(new LedgerQuery.ControlsOf(topo.service())).paused()) {
        continue;
      }
      Pointer pointer = ledger.read(new LedgerQuery.PointerOf(topo.service()));
      Optional<Plan> plan = pointer.version() == 0 ? Optional.empty()
          : ledger.read(new LedgerQuery.PlanOf(topo.service(), pointer.generation())).flatMap(StoredPlan::content);
      if (plan.isEmpty()) {
        continue;
      }
      for (Map.Entry<EndpointName, List<Target>> e : plan.get().endpoints().entrySet()) {
        audit(topo, pointer, e.getKey(), e.getValue(), token.get());
      }
    }
  }

  /**
   * Cross-AZ clock divergence as observed in commands: each audit event holds the sender's clock
   * reading and the ledger's time (the largest clock reading seen so far, so never below the
   * sender's). How far the sender trails it, per actor, shows whose clock runs behind; safety never
   * depends on it, but TTLs and windows do. Recorded as a non-negative lag, since timing
   * histograms drop negative values.
   */
  private void observeClocks() throws Exception {
    List<AuditEvent> events = ledger.read(new LedgerQuery.AuditRange(nextEventId, MAX_EVENTS_PER_ROUND));
    for (AuditEvent e : events) {
      metrics().record("bulwark_clock_divergence_ms", e.timeMillis() - e.commandTimeMillis(), "actor", e.actor());
      nextEventId = e.id() + 1;
    }
  }

  private void audit(ServiceTopology topo, Pointer pointer, EndpointName endpoint, List<Target> targets,
      FencingToken token) throws Exception {
    ReadOutcome read = dns.read(endpoint);
    if (!(read instanceof ReadOutcome.Read r)) {
      return; // The Enactors report DNS outages; the Auditor judges only what it can see.
    }
    PublishedState state = r.state();
    Optional<Marker> marker = state.marker();
    if (marker.isEmpty() || marker.get().version() < pointer.version()) {
      return;
    }
    List<InetAddress> expected = new ArrayList<>();
    targets.forEach(t -> expected.add(t.address()));
    expected.sort(dev.bulwark.core.IpAddresses::compare);
    boolean sameRecords = state.addresses().equals(expected);
    boolean sameMarker = marker.get().version() == pointer.version()
        && marker.get().generation().equals(pointer.generation());
    if (sameRecords && sameMarker) {
      return;
    }
    String detail = String.format("DNS serves %s with marker '%s'; the ledger's %s says %s", text(state.addresses()),
        state.rawMarker().orElse(""), pointer, text(expected));
    LOG.warn("{}: drift on {}: {}", az, endpoint, detail);
    metrics().count("bulwark_drift_total", "service", topo.service().value());
    observe(topo, endpoint, Command.Observation.DRIFT, detail);
    ApplyOutcome out = dns.apply(new ApplyRequest(endpoint,
        new ApplyRequest.Precondition.MarkerEquals(state.rawMarker().orElseThrow()), expected,
        new Marker(pointer.version(), pointer.generation(), token), topo.ttlSeconds()));
    if (out instanceof ApplyOutcome.Applied) {
      observe(topo, endpoint, Command.Observation.REPAIRED, "rewrote " + endpoint + " to " + text(expected) + " ("
          + pointer + ")");
      LOG.info("{}: repaired {}", az, endpoint);
      metrics().count("bulwark_drift_repaired_total", "service", topo.service().value());
    } else {
      LOG.info("{}: repair of {} did not apply ({}); next round decides again", az, endpoint, out);
    }
  }

  static String text(List<InetAddress> addresses) {
    List<String> s = new ArrayList<>();
    addresses.forEach(a -> s.add(a.getHostAddress()));
    return s.isEmpty() ? "no address" : String.join(", ", s);
  }

  private void observe(ServiceTopology topo, EndpointName endpoint, Command.Observation kind, String detail)
      throws Exception {
    ledger.observe(topo.service(), Optional.of(endpoint), kind, detail, az, actor, scheduler.nowMillis());
  }
}
