package dev.bulwark.agents;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.ContentHash;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Generation;
import dev.bulwark.core.IpAddresses;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.AuthorityLease;
import dev.bulwark.core.ledger.Codec;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.HealthSource;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shadow control plane (the playbook's §3.1): while its controller does not hold the authority,
 * it runs the Planner's, the Validator's and the Enactor's decisions in dry-run against the same
 * ledger and the live DNS, and compares them with what the primary did. It is read-only by
 * construction: it never sends a fenced command and never writes DNS; its only write is an {@code
 * Observe} of {@code SHADOW_DIVERGENCE}, which changes nothing but the audit chain.
 *
 * <p>Two comparisons per service, each with a debounce so that ordinary lag (a proposal waiting for
 * votes, an Enactor a round behind, two AZs' checks a probe apart) is not divergence:
 *
 * <ul>
 *   <li><b>Plan.</b> The shadow's Planner decision, from its own AZ's health view and the active
 *       plan ({@link Planning#decide}, the very function the primary's Planner runs), against the
 *       primary's intent: the plan it proposed within the debounce (the Planner re-proposes every
 *       round while it wants a change), else the active plan. The report includes the shadow's
 *       Validator verdict on the primary's plan.
 *   <li><b>DNS.</b> What the shadow's Enactor would publish for each endpoint (the active plan at
 *       the pointer's version) against what DNS serves.
 * </ul>
 *
 * <p>A disagreement that lasts {@code divergenceDebounceMillis} is reported once per pair of
 * decisions: a {@code bulwark_shadow_divergence_total{service}} count, a warning, and the audit
 * event with both decisions. Divergence is how diverse redundancy catches a primary that is wrong,
 * not only one that is dead.
 */
public final class ShadowController extends LoopAgent {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowController.class);

  /**
   * Shadow options.
   *
   * @param intervalMillis time between comparisons, 10..600,000 ms. Default {@value
   *     #DEFAULT_INTERVAL_MILLIS}.
   * @param divergenceDebounceMillis how long the shadow and the primary must disagree before it is
   *     reported, 0..3,600,000 ms; also how recent a proposal must be to count as the primary's
   *     intent. Default {@value #DEFAULT_DIVERGENCE_DEBOUNCE_MILLIS}.
   */
  public record Options(long intervalMillis, long divergenceDebounceMillis) {
    public static final long DEFAULT_INTERVAL_MILLIS = 1_000;
    public static final long DEFAULT_DIVERGENCE_DEBOUNCE_MILLIS = 10_000;
    public static final Options DEFAULT = new Options(DEFAULT_INTERVAL_MILLIS, DEFAULT_DIVERGENCE_DEBOUNCE_MILLIS);

    public Options {
      Check.arg(intervalMillis >= 10 && intervalMillis <= 600_000, "intervalMillis must be 10..600000, but was %d",
          intervalMillis);
      Check.arg(divergenceDebounceMillis >= 0 && divergenceDebounceMillis <= 3_600_000,
          "divergenceDebounceMillis must be 0..3600000, but was %d", divergenceDebounceMillis);
    }
  }

  /**
   * The latest plan comparison for one service.
   *
   * @param shadow what the shadow would do
   * @param primary what the primary did
   * @param agrees whether they agree
   * @param divergentForMillis how long they have disagreed (0 if they agree)
   */
  public record Verdict(ServiceId service, String shadow, String primary, boolean agrees, long divergentForMillis) {
    public Verdict {
      Check.notNull(service, "service");
      Check.notNull(shadow, "shadow");
      Check.notNull(primary, "primary");
    }
  }

  /** Longest text of one side's decision in a report, so that both fit the ledger's detail bound. */
  static final int MAX_SIDE_CHARS = (Codec.MAX_REASON_CHARS - 200) / 2;

  private final ActorId actor;
  private final AzId az;
  private final List<ServiceTopology> topologies;
  private final HealthSource health;
  private final DnsTarget dns;
  private final LedgerCalls ledger;
  private final Authority own;
  private final Planner.Options plannerOptions;
  private final Options options;
  private final Ledger.Subscription subscription;
  /** The primary's latest proposal per service, and when it was seen (monotonic clock). */
  private final Map<ServiceId, SeenProposal> proposals = new ConcurrentHashMap<>();
  private final Map<String, Track> tracks = new TreeMap<>();
  private final Map<ServiceId, Verdict> verdicts = new ConcurrentHashMap<>();

  private record SeenProposal(Generation generation, ContentHash hash, long seenAtNanos) {}

  /** A disagreement being debounced. */
  private static final class Track {
    final long sinceNanos;
    @Nullable String reported;

    Track(long sinceNanos) {
      this.sinceNanos = sinceNanos;
    }
  }

  /**
   * A shadow that compares from {@code health}'s AZ.
   *
   * @param own the authority of this shadow's controller: the shadow compares only while it holds
   *     no token (a primary has nothing to shadow)
   * @param dns read only; the shadow never calls {@code apply}
   * @param planner the primary's Planner options, so that both decide alike
   */
  public ShadowController(ActorId actor, List<ServiceTopology> topologies, HealthSource health, DnsTarget dns,
      Ledger ledger, Authority own, Scheduler scheduler, Planner.Options planner, Options options) {
    super("shadow@" + health.az(), scheduler, Duration.ofMillis(options.intervalMillis()));
    this.actor = Check.notNull(actor, "actor");
    this.az = health.az();
    this.topologies = List.copyOf(topologies);
    this.health = health;
    this.dns = Check.notNull(dns, "dns");
    this.own = Check.notNull(own, "own");
    this.ledger = new LedgerCalls(ledger, own, this::metrics);
    this.plannerOptions = Check.notNull(planner, "planner");
    this.options = Check.notNull(options, "options");
    this.subscription = ledger.watch((index, outcome) -> {
      if (outcome instanceof Outcome.PlanProposed p) {
        proposals.put(p.service(), new SeenProposal(p.generation(), p.contentHash(), scheduler.nanoTime()));
      }
    });
  }

  /** The latest plan comparison per service; empty while this controller is the primary. */
  public Map<ServiceId, Verdict> verdicts() {
    return Map.copyOf(verdicts);
  }

  @Override
  protected void runRound() throws Exception {
    if (own.token().isPresent()) {
      tracks.clear();
      verdicts.clear();
      return;
    }
    for (ServiceTopology topo : topologies) {
      ServiceId service = topo.service();
      LedgerQuery.Controls controls = ledger.read(new LedgerQuery.ControlsOf(service));
      if (controls.paused() || controls.pinned()) {
        verdicts.remove(service);
        continue; // The primary stands still too: nothing to compare.
      }
      Pointer pointer = ledger.read(new LedgerQuery.PointerOf(service));
      Optional<Plan> active = pointer.version() == 0 ? Optional.empty()
          : ledger.read(new LedgerQuery.PlanOf(service, pointer.generation())).flatMap(StoredPlan::content);
      Map<Target, HealthSource.Health> view = health.snapshot();
      comparePlans(topo, pointer, active, view);
      if (active.isPresent()) {
        for (Map.Entry<EndpointName, List<Target>> e : active.get().endpoints().entrySet()) {
          compareDns(topo, pointer, e.getKey(), e.getValue());
        }
      }
    }
  }

  private void comparePlans(ServiceTopology topo, Pointer pointer, Optional<Plan> active,
      Map<Target, HealthSource.Health> view) throws Exception {
    ServiceId service = topo.service();
    Planning.Decision d = Planning.decide(topo, view, active, scheduler.nowMillis(), plannerOptions);
    if (d instanceof Planning.Decision.Settling) {
      return; // No opinion while this AZ's health view is still moving.
    }
    String activeText = active.map(p -> pointer.generation() + " " + describe(p)).orElse("no plan");
    Optional<ContentHash> shadowHash;
    String shadowText;
    if (d instanceof Planning.Decision.Propose p) {
      shadowHash = Optional.of(p.plan().contentHash());
      shadowText = "would propose " + describe(p.plan()) + " (" + p.down() + " of " + p.total()
          + " targets unhealthy from " + az + ")";
    } else if (d instanceof Planning.Decision.FailStatic f) {
      shadowHash = active.map(Plan::contentHash);
      shadowText = "would fail static (" + f.down() + " of " + f.total() + " unhealthy from " + az + ") and keep "
          + activeText;
    } else {
      shadowHash = active.map(Plan::contentHash);
      shadowText = "would keep " + activeText;
    }

    Optional<ContentHash> primaryHash = active.map(Plan::contentHash);
    String primaryText = "keeps " + activeText;
    SeenProposal seen = proposals.get(service);
    if (seen != null && seen.generation().isNewerThan(pointer.generation())
        && scheduler.nanoTime() - seen.seenAtNanos() <= options.divergenceDebounceMillis() * 1_000_000L) {
      Optional<StoredPlan> proposed = ledger.read(new LedgerQuery.PlanOf(service, seen.generation()));
      if (proposed.isPresent() && proposed.get().content().isPresent()) {
        StoredPlan sp = proposed.get();
        primaryHash = Optional.of(sp.contentHash());
        String objection = Validator.objection(topo, sp, Planning.unhealthy(view));
        primaryText = "proposed " + sp.generation() + " " + describe(sp.plan()) + " (" + sp.state() + "; "
            + az + "'s Validator view: " + (objection == null ? "approve" : "reject: " + objection) + ")";
      }
    }
    boolean agrees = shadowHash.equals(primaryHash);
    long forMillis = judge("plan " + service, service, Optional.empty(), agrees,
        shadowHash.map(ContentHash::toString).orElse("-") + "|" + primaryHash.map(ContentHash::toString).orElse("-"),
        "its plan", shadowText, primaryText);
    verdicts.put(service, new Verdict(service, shadowText, primaryText, agrees, forMillis));
  }

  private void compareDns(ServiceTopology topo, Pointer pointer, EndpointName endpoint, List<Target> targets)
      throws Exception {
    ReadOutcome read = dns.read(endpoint);
    if (!(read instanceof ReadOutcome.Read r)) {
      return; // The Enactors report DNS outages; the shadow judges only what it can see.
    }
    PublishedState state = r.state();
    List<InetAddress> expected = new ArrayList<>();
    targets.forEach(t -> expected.add(t.address()));
    expected.sort(IpAddresses::compare);
    Optional<Marker> marker = state.marker();
    boolean agrees = marker.isPresent() && marker.get().version() == pointer.version()
        && marker.get().generation().equals(pointer.generation()) && state.addresses().equals(expected);
    String shadowText = "would publish v" + pointer.version() + "/" + pointer.generation() + " "
        + Auditor.text(expected);
    String primaryText = "DNS serves " + Auditor.text(state.addresses()) + " with marker '"
        + state.rawMarker().orElse("(none)") + "'";
    judge("dns " + endpoint, topo.service(), Optional.of(endpoint), agrees, shadowText + "|" + primaryText,
        "what DNS serves for " + endpoint, shadowText, primaryText);
  }

  /**
   * Debounces one comparison and reports a disagreement that outlasts the debounce, once per pair
   * of decisions. Returns how long they have disagreed, in ms.
   */
  private long judge(String key, ServiceId service, Optional<EndpointName> endpoint, boolean agrees, String pair,
      String what, String shadowText, String primaryText) throws Exception {
    long now = scheduler.nanoTime();
    Track t = tracks.get(key);
    if (agrees) {
      if (t != null && t.reported != null) {
        LOG.info("{}: the shadow and the primary agree again on {}", service, what);
      }
      tracks.remove(key);
      return 0;
    }
    if (t == null) {
      t = new Track(now);
      tracks.put(key, t);
    }
    long forMillis = (now - t.sinceNanos) / 1_000_000;
    if (forMillis >= options.divergenceDebounceMillis() && !pair.equals(t.reported)) {
      t.reported = pair;
      Optional<AuthorityLease> lease = own.lease();
      String primary = lease.map(l -> l.holder() + " (epoch " + l.epoch() + ")").orElse("no primary");
      String detail = String.format("the shadow %s and the primary %s have disagreed on %s for %d ms. Primary: %s."
          + " Shadow: %s.", actor, primary, what, forMillis, cut(primaryText), cut(shadowText));
      LOG.warn("{}: SHADOW DIVERGENCE: {}", service, detail);
      metrics().count("bulwark_shadow_divergence_total", "service", service.value());
      ledger.observe(service, endpoint, Command.Observation.SHADOW_DIVERGENCE, detail, az, actor,
          scheduler.nowMillis());
    }
    return forMillis;
  }

  private static String cut(String s) {
    return s.length() <= MAX_SIDE_CHARS ? s : s.substring(0, MAX_SIDE_CHARS - 3) + "...";
  }

  private static String describe(Plan p) {
    List<String> parts = new ArrayList<>();
    p.endpoints().forEach((e, targets) -> {
      List<InetAddress> a = new ArrayList<>();
      targets.forEach(t -> a.add(t.address()));
      parts.add(e + ": " + Auditor.text(a));
    });
    return "{" + String.join("; ", parts) + "}";
  }

  @Override
  public void close() {
    subscription.close();
    super.close();
  }
}
