package dev.bulwark.benchmarks;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A closed ring of plans for one service, built once per benchmark trial, in which every plan
 * differs from the one before it in exactly {@code changedPerStep} endpoints.
 *
 * <p>Design note: each endpoint has {@value #TARGETS_PER_ENDPOINT} targets spread over three AZs.
 * A step swaps the last target of one block of {@code changedPerStep} endpoints for a sibling
 * address (or back), so one step removes 1 of 4 targets (25%) of the endpoints it touches: well
 * inside the default removal budget of 50%, so every advance is automatic and never waits for an
 * operator. After every block has been swapped twice all endpoints are back at the start, which
 * closes the ring, so the benchmarks can propose forever without two consecutive plans being equal
 * (the ledger would answer an unchanged plan with "already latest" and append nothing).
 */
final class PlanRing {
  static final ServiceId SERVICE = ServiceId.of("checkout");
  static final int TARGETS_PER_ENDPOINT = 4;
  static final List<AzId> VOTERS = List.of(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c"));

  private static final Map<List<Integer>, PlanRing> BUILT = new ConcurrentHashMap<>();

  private final List<EndpointName> endpoints;
  private final List<Plan> plans;
  private final int changedPerStep;

  private PlanRing(List<EndpointName> endpoints, List<Plan> plans, int changedPerStep) {
    this.endpoints = endpoints;
    this.plans = plans;
    this.changedPerStep = changedPerStep;
  }

  /**
   * A ring for a service with {@code endpointCount} endpoints in which each step changes {@code
   * changedPerStep} of them; {@code endpointCount} must be a multiple of {@code changedPerStep} so
   * every step changes the same number (and a benchmark cycle has a fixed command count).
   */
  static PlanRing create(int endpointCount, int changedPerStep) {
    // A ring is immutable and a pure function of its two sizes, so one build (seconds for 1,000
    // endpoints) serves every benchmark state and test in the same JVM.
    return BUILT.computeIfAbsent(List.of(endpointCount, changedPerStep), k -> build(endpointCount, changedPerStep));
  }

  private static PlanRing build(int endpointCount, int changedPerStep) {
    Check.arg(endpointCount >= 1 && endpointCount <= 62_500, "endpointCount must be 1..62500, but was %d",
        endpointCount);
    Check.arg(changedPerStep >= 1 && endpointCount % changedPerStep == 0,
        "changedPerStep must divide endpointCount %d, but was %d", endpointCount, changedPerStep);
    List<EndpointName> names = new ArrayList<>(endpointCount);
    List<List<Target>> base = new ArrayList<>(endpointCount);
    List<List<Target>> swapped = new ArrayList<>(endpointCount);
    for (int e = 0; e < endpointCount; e++) {
      names.add(EndpointName.of(String.format(Locale.ROOT, "ep-%05d.%s.example", e, SERVICE.value())));
      // 10.<e/250>.<e%250>.1-4 keeps every address valid and unique up to 62,500 endpoints.
      String prefix = "10." + (e / 250) + "." + (e % 250) + ".";
      List<Target> targets = new ArrayList<>(TARGETS_PER_ENDPOINT);
      for (int t = 0; t < TARGETS_PER_ENDPOINT; t++) {
        targets.add(Target.of(prefix + (t + 1), Target.DEFAULT_WEIGHT, VOTERS.get(t % VOTERS.size()).value()));
      }
      base.add(List.copyOf(targets));
      targets.set(TARGETS_PER_ENDPOINT - 1,
          Target.of(prefix + (TARGETS_PER_ENDPOINT + 1), Target.DEFAULT_WEIGHT, VOTERS.get(0).value()));
      swapped.add(List.copyOf(targets));
    }
    int blocks = endpointCount / changedPerStep;
    boolean[] isSwapped = new boolean[endpointCount];
    List<Plan> plans = new ArrayList<>(2 * blocks);
    for (int step = 0; step < 2 * blocks; step++) {
      if (step > 0) {
        int block = (step - 1) % blocks;
        for (int e = block * changedPerStep; e < (block + 1) * changedPerStep; e++) {
          isSwapped[e] = !isSwapped[e];
        }
      }
      Map<EndpointName, List<Target>> content = new TreeMap<>();
      for (int e = 0; e < endpointCount; e++) {
        content.put(names.get(e), isSwapped[e] ? swapped.get(e) : base.get(e));
      }
      plans.add(Plan.of(SERVICE, content));
    }
    return new PlanRing(List.copyOf(names), List.copyOf(plans), changedPerStep);
  }

  /** The service with this ring's endpoints, the three voting AZs and {@code policy}. */
  ServiceDefinition definition(ServicePolicy policy) {
    return ServiceDefinition.of(SERVICE, endpoints, VOTERS, policy);
  }

  int size() {
    return plans.size();
  }

  int endpointCount() {
    return endpoints.size();
  }

  int changedPerStep() {
    return changedPerStep;
  }

  /** The plan at {@code position} (taken modulo the ring's size). */
  Plan plan(long position) {
    return plans.get(index(position));
  }

  /** The endpoints whose targets differ between the plan at {@code position} and the one before. */
  List<EndpointName> changedInto(long position) {
    int blocks = endpoints.size() / changedPerStep;
    int block = Math.floorMod(index(position) - 1, plans.size()) % blocks;
    return endpoints.subList(block * changedPerStep, (block + 1) * changedPerStep);
  }

  EndpointName endpoint(long position) {
    return endpoints.get((int) Math.floorMod(position, (long) endpoints.size()));
  }

  private int index(long position) {
    return (int) Math.floorMod(position, (long) plans.size());
  }
}
