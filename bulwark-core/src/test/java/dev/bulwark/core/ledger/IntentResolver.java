package dev.bulwark.core.ledger;

import static dev.bulwark.core.ledger.CommandGenerators.ADDRESSES;
import static dev.bulwark.core.ledger.CommandGenerators.ALPHA;
import static dev.bulwark.core.ledger.CommandGenerators.BETA;
import static dev.bulwark.core.ledger.CommandGenerators.DELTA;
import static dev.bulwark.core.ledger.CommandGenerators.FOREIGN_AZ;
import static dev.bulwark.core.ledger.CommandGenerators.GAMMA;
import static dev.bulwark.core.ledger.CommandGenerators.JANITOR;
import static dev.bulwark.core.ledger.CommandGenerators.LIMITS;
import static dev.bulwark.core.ledger.CommandGenerators.OPERATORS;
import static dev.bulwark.core.ledger.CommandGenerators.PLANNERS;
import static dev.bulwark.core.ledger.CommandGenerators.POLICY;
import static dev.bulwark.core.ledger.CommandGenerators.START_MILLIS;
import static dev.bulwark.core.ledger.CommandGenerators.UNREGISTERED;
import static dev.bulwark.core.ledger.CommandGenerators.VOTERS;
import static dev.bulwark.core.ledger.CommandGenerators.WEIGHTS;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.CommandGenerators.Intent;
import dev.bulwark.core.ledger.CommandGenerators.Script;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Turns the intents of a {@link Script} into concrete commands, one at a time, against the state
 * the ledger is in at that moment (see the design note of {@link CommandGenerators}).
 *
 * <p>The resolver plays the senders: it keeps their clock (which moves forward by each intent's
 * step, except for commands "from the past"), the Raft log index, and every fencing token the
 * ledger ever granted, so that it can send a stale one on purpose. Given the same script and the
 * same ledger states it produces the same commands, so a resolved log can be replayed into other
 * ledgers.
 */
final class IntentResolver {
  /**
   * Re-registration once ended decommission allowances that plans still used (I1); fixed, and kept
   * in {@code LedgerRegressionTest}. When true, the resolver sends an UpdatePolicy in place of such
   * a RegisterService; it stays false so that the properties keep exercising the fixed path.
   */
  static final boolean STEER_AROUND_KNOWN_BUGS = false;

  /** A resolved command and the log index it is applied at. */
  record Entry(long logIndex, Command command) {}

  /** A whole script resolved against one ledger: the log and the ledger's answers. */
  record Run(List<Entry> log, List<Result> results, LedgerState ledger) {}

  private final List<Intent> intents;
  private final List<Kickoff> bootstrap = new ArrayList<>();
  private int position;
  private long clockMillis = START_MILLIS;
  private long logIndex;
  private final List<FencingToken> granted = new ArrayList<>();

  private enum Kickoff {
    REGISTER_ALPHA,
    REGISTER_BETA,
    ACQUIRE,
    PROPOSE_ALPHA,
    PROPOSE_BETA
  }

  IntentResolver(Script script) {
    this.intents = script.intents();
    if (script.bootstrap()) {
      bootstrap.addAll(List.of(Kickoff.values()));
    }
    Check.state(bootstrap.size() == (script.bootstrap() ? Script.BOOTSTRAP_COMMANDS : 0), "bootstrap length");
  }

  /** Resolves and applies a whole script to a fresh ledger. */
  static Run run(Script script) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    List<Entry> log = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    while (resolver.hasNext()) {
      Entry e = resolver.next(ledger);
      Result r = ledger.apply(e.logIndex(), e.command());
      resolver.observe(r);
      log.add(e);
      results.add(r);
    }
    return new Run(log, results, ledger);
  }

  /** Replays a resolved log into {@code ledger}, returning its answers. */
  static List<Result> replay(List<Entry> log, LedgerState ledger) {
    List<Result> results = new ArrayList<>();
    for (Entry e : log) {
      results.add(ledger.apply(e.logIndex(), e.command()));
    }
    return results;
  }

  boolean hasNext() {
    return position < bootstrap.size() + intents.size();
  }

  /** The next command, resolved against {@code ledger} as it is now. */
  Entry next(LedgerState ledger) {
    int i = position++;
    if (i < bootstrap.size()) {
      logIndex++;
      clockMillis += 10;
      FencingToken token = currentToken(ledger);
      Command c = switch (bootstrap.get(i)) {
        case REGISTER_ALPHA -> new Command.RegisterService(
            CommandGenerators.definition(ALPHA, POLICY), OPERATORS.get(0), clockMillis);
        case REGISTER_BETA -> new Command.RegisterService(
            CommandGenerators.definition(BETA, POLICY), OPERATORS.get(0), clockMillis);
        case ACQUIRE -> new Command.AcquireAuthority(30_000, false, PLANNERS.get(0), clockMillis);
        case PROPOSE_ALPHA -> new Command.ProposePlan(
            CommandGenerators.healthyPlan(ALPHA), token, PLANNERS.get(0), clockMillis);
        case PROPOSE_BETA -> new Command.ProposePlan(
            CommandGenerators.healthyPlan(BETA), token, PLANNERS.get(0), clockMillis);
      };
      return new Entry(logIndex, c);
    }
    Intent intent = intents.get(i - bootstrap.size());
    logIndex += intent.indexGap();
    long time;
    if (intent.timeStepMillis() >= 0) {
      clockMillis += intent.timeStepMillis();
      time = clockMillis;
    } else {
      time = Math.max(0, clockMillis + intent.timeStepMillis());
    }
    return new Entry(logIndex, resolve(ledger, intent, time));
  }

  /**
   * Wraps a command from outside the script (a careless or hostile client) as the next log entry.
   * Like the resolver's own commands, it is steered around the known bug.
   */
  Entry interject(LedgerState ledger, Command c) {
    logIndex++;
    if (STEER_AROUND_KNOWN_BUGS && c instanceof Command.RegisterService r
        && reRegistrationWouldStripAnAllowanceInUse(ledger, r.definition())) {
      c = new Command.UpdatePolicy(r.definition().service(), r.definition().policy(), r.actor(), r.timeMillis());
    }
    return new Entry(logIndex, c);
  }

  /** Remembers the fencing tokens the ledger grants, to send them again once they are stale. */
  void observe(Result r) {
    if (r instanceof Result.Accepted a && a.outcome() instanceof Outcome.AuthorityGranted g) {
      granted.add(g.token());
    }
  }

  // ---- resolution ------------------------------------------------------------------------------

  private Command resolve(LedgerState l, Intent i, long t) {
    return switch (i.kind()) {
      case PROPOSE -> propose(l, i, t);
      case VOTE -> vote(l, i, t);
      case ADVANCE -> advance(l, i, t);
      case RECORD_APPLIED -> recordApplied(l, i, t);
      case MARK -> {
        ServiceId s = serviceToMark(l, i);
        yield new Command.MarkForDeletion(s, markable(l, s, i), token(l, i), JANITOR, t);
      }
      case PURGE -> {
        ServiceId s = serviceToPurge(l, i);
        yield new Command.Purge(s, purgeable(l, s, i), token(l, i), JANITOR, t);
      }
      case ROLLBACK -> new Command.Rollback(service(l, i), rollbackSource(l, i), "roll back drill", operator(i), t);
      case ACQUIRE -> new Command.AcquireAuthority(
          i.variant() <= 6 ? 30_000 : i.variant() <= 8 ? Codec.MIN_LEASE_TTL_MILLIS : Codec.MAX_LEASE_TTL_MILLIS,
          i.twist() >= 15, PLANNERS.get(i.choice() % PLANNERS.size()), t);
      case RENEW -> new Command.RenewAuthority(30_000, token(l, i), i.twist() >= 17 ? otherPlanner(l) : holder(l), t);
      case PAUSE -> new Command.Pause(scope(l, i), "pause drill", operator(i), t);
      case RESUME -> new Command.Resume(
          i.variant() <= 7 && !l.pauses().isEmpty() ? pick(new ArrayList<>(l.pauses().keySet()), i.choice())
              : scope(l, i),
          "", operator(i), t);
      case PIN -> new Command.Pin(service(l, i), "hold still", operator(i), t);
      case UNPIN -> new Command.Unpin(pinnedService(l, i), "", operator(i), t);
      case APPROVE -> approve(l, i, t);
      case REJECT -> new Command.Reject(pendingId(l, i), "not now", operator(i), t);
      case DECOMMISSION -> new Command.Decommission(service(l, i), endpoint(l, i), "retiring it", operator(i), t);
      case REGISTER -> register(l, i, t);
      case UPDATE_POLICY -> new Command.UpdatePolicy(service(l, i), policy(i.variant()), operator(i), t);
    };
  }

  private static <T> T pick(List<T> options, int choice) {
    return options.get(Math.floorMod(choice, options.size()));
  }

  private static ActorId operator(Intent i) {
    return pick(OPERATORS, i.choice() + i.twist());
  }

  /** A registered service; choice 15 names one that was never registered. */
  private static ServiceId service(LedgerState l, Intent i) {
    if (i.choice() == 15) {
      return UNREGISTERED;
    }
    List<ServiceId> registered = l.services();
    return registered.isEmpty() ? ALPHA : pick(registered, i.choice());
  }

  /**
   * Like {@link #service}, but prefers a registered service where {@code ready} holds (one with a
   * plan to vote on, say), so that ordinary intents push plans through the whole pipeline.
   */
  private static ServiceId serviceWhere(LedgerState l, Intent i, Predicate<ServiceId> ready) {
    if (i.choice() == 15) {
      return UNREGISTERED;
    }
    List<ServiceId> candidates = new ArrayList<>();
    for (ServiceId s : l.services()) {
      if (ready.test(s)) {
        candidates.add(s);
      }
    }
    return candidates.isEmpty() ? service(l, i) : pick(candidates, i.choice());
  }

  private static boolean hasPlanIn(LedgerState l, ServiceId s, PlanState state) {
    for (StoredPlan p : plans(l, s)) {
      if (p.state() == state && p.generation().isNewerThan(l.pointer(s).generation())) {
        return true;
      }
    }
    return false;
  }

  private static ServiceDefinition definitionOf(LedgerState l, ServiceId s) {
    return l.service(s).orElse(CommandGenerators.definition(s, POLICY));
  }

  private static ActorId holder(LedgerState l) {
    return l.authority().map(AuthorityLease::holder).orElse(PLANNERS.get(0));
  }

  private static ActorId otherPlanner(LedgerState l) {
    return holder(l).equals(PLANNERS.get(0)) ? PLANNERS.get(1) : PLANNERS.get(0);
  }

  private static FencingToken currentToken(LedgerState l) {
    return l.authority().map(AuthorityLease::token).orElse(FencingToken.NONE);
  }

  /** The current epoch's token (fault 0-17), an older one (18) or one from the future (19). */
  private FencingToken token(LedgerState l, Intent i) {
    FencingToken current = currentToken(l);
    if (i.fault() <= 17) {
      return current;
    }
    if (i.fault() == 18) {
      List<FencingToken> stale = new ArrayList<>();
      for (FencingToken g : granted) {
        if (!g.equals(current)) {
          stale.add(g);
        }
      }
      return stale.isEmpty() ? FencingToken.of(Math.max(0, current.logIndex() - 1)) : pick(stale, i.seed());
    }
    return FencingToken.of(current.logIndex() + 1 + Math.floorMod(i.seed(), 4));
  }

  private static List<StoredPlan> plans(LedgerState l, ServiceId s) {
    return l.plans(s, Generation.of(1), Integer.MAX_VALUE);
  }

  private static Generation missingGeneration(LedgerState l, ServiceId s, Intent i) {
    return Generation.of(l.latestGeneration(s).value() + 1 + i.choice());
  }

  /** A generation of {@code candidates}, falling back to any plan, then to a missing one. */
  private static Generation among(LedgerState l, ServiceId s, Intent i, List<StoredPlan> candidates) {
    if (!candidates.isEmpty()) {
      return pick(candidates, i.choice() + i.seed()).generation();
    }
    List<StoredPlan> all = plans(l, s);
    return all.isEmpty() ? Generation.of(1) : pick(all, i.choice()).generation();
  }

  // ---- plans -----------------------------------------------------------------------------------

  /** The content the Planner starts from: the active plan, else the newest stored one. */
  private static Optional<Plan> baseContent(LedgerState l, ServiceId s) {
    Pointer p = l.pointer(s);
    if (p.version() > 0) {
      return l.plan(s, p.generation()).flatMap(StoredPlan::content);
    }
    List<StoredPlan> all = plans(l, s);
    for (int k = all.size() - 1; k >= 0; k--) {
      if (all.get(k).content().isPresent()) {
        return all.get(k).content();
      }
    }
    return Optional.empty();
  }

  /**
   * Variants 0-3 change each endpoint a little (mostly within the removal budget) and may empty
   * endpoints whose decommission was allowed; 4-6 replace one endpoint's targets wholesale (over
   * budget); 7 leaves one endpoint empty, preferring one whose decommission was allowed; 8 repeats
   * the newest plan (idempotent); 9 covers the wrong endpoints. Fault 19 gives one endpoint more
   * targets than the limit.
   */
  private Command propose(LedgerState l, Intent i, long t) {
    ServiceId s = service(l, i);
    ServiceDefinition def = definitionOf(l, s);
    Random rnd = new Random(i.seed());
    Optional<Plan> base = baseContent(l, s);
    if (i.variant() == 8 && base.isPresent()) {
      List<StoredPlan> all = plans(l, s);
      Plan latest = all.get(all.size() - 1).content().orElse(base.get());
      return new Command.ProposePlan(latest, token(l, i), holder(l), t);
    }
    Map<EndpointName, List<Target>> endpoints = new TreeMap<>();
    for (EndpointName e : def.endpoints()) {
      List<Target> before = base.map(p -> p.targets(e)).orElse(List.of());
      endpoints.put(e, nudge(before, rnd));
    }
    List<EndpointName> names = new ArrayList<>(def.endpoints());
    EndpointName victim = pick(names, i.choice());
    if (i.variant() <= 3) {
      // Once an operator allowed an endpoint's decommission, the Planner often empties it.
      for (EndpointName e : l.decommissioned(s)) {
        if (endpoints.containsKey(e) && rnd.nextBoolean()) {
          endpoints.put(e, List.of());
        }
      }
    }
    if (i.variant() >= 4 && i.variant() <= 6) {
      endpoints.put(victim, List.of(freshTarget(endpoints.get(victim), rnd)));
    } else if (i.variant() == 7) {
      List<EndpointName> allowed = new ArrayList<>(l.decommissioned(s));
      allowed.retainAll(names);
      endpoints.put(!allowed.isEmpty() && rnd.nextInt(10) < 7 ? pick(allowed, i.choice()) : victim, List.of());
    } else if (i.variant() == 9) {
      if (rnd.nextBoolean() && endpoints.size() > 1) {
        endpoints.remove(victim);
      } else {
        endpoints.put(CommandGenerators.endpointName("extra", s), List.of(freshTarget(List.of(), rnd)));
      }
    }
    if (i.fault() == 19) {
      List<Target> all = new ArrayList<>();
      for (String a : ADDRESSES) {
        all.add(CommandGenerators.target(a, 100));
      }
      endpoints.put(victim, all);
    }
    return new Command.ProposePlan(Plan.of(s, endpoints), token(l, i), holder(l), t);
  }

  /** A small change: add a target, drop one (never the last), or change a weight. */
  private static List<Target> nudge(List<Target> before, Random rnd) {
    List<Target> out = new ArrayList<>(before);
    if (out.isEmpty()) {
      int first = rnd.nextInt(6);
      for (int k = 0; k < 3; k++) {
        out.add(CommandGenerators.target(ADDRESSES.get(first + k), 100));
      }
      return out;
    }
    int dial = rnd.nextInt(10);
    if (dial < 4 && out.size() < 5) {
      out.add(freshTarget(out, rnd));
    } else if (dial < 7 && out.size() >= 2) {
      out.remove(rnd.nextInt(out.size()));
    } else {
      int k = rnd.nextInt(out.size());
      Target old = out.get(k);
      out.set(k, new Target(old.address(), WEIGHTS[rnd.nextInt(WEIGHTS.length)], old.az()));
    }
    return out;
  }

  /** An IPv4 target that is not in {@code present}. */
  private static Target freshTarget(List<Target> present, Random rnd) {
    List<String> free = new ArrayList<>(ADDRESSES.subList(0, 8));
    for (Target p : present) {
      free.remove(p.addressText());
    }
    String a = free.isEmpty() ? ADDRESSES.get(0) : free.get(rnd.nextInt(free.size()));
    return CommandGenerators.target(a, WEIGHTS[rnd.nextInt(WEIGHTS.length)]);
  }

  /**
   * Variants 0-7: an AZ that has not voted yet votes on the newest PROPOSED plan (approving unless
   * fault >= 18); 8: any plan or a missing one, any voter (duplicates); 9: an AZ that is no voter.
   */
  private static Command vote(LedgerState l, Intent i, long t) {
    ServiceId s = i.variant() <= 7 ? serviceWhere(l, i, x -> hasPlanIn(l, x, PlanState.PROPOSED)) : service(l, i);
    boolean approve = i.fault() < 18;
    List<StoredPlan> proposed = new ArrayList<>();
    for (StoredPlan p : plans(l, s)) {
      if (p.state() == PlanState.PROPOSED) {
        proposed.add(p);
      }
    }
    Generation g;
    AzId az = pick(VOTERS, i.choice() + i.twist());
    if (i.variant() <= 7 && !proposed.isEmpty()) {
      StoredPlan p = proposed.get(Math.max(0, proposed.size() - 1 - (i.choice() < 12 ? 0 : 1)));
      g = p.generation();
      for (int k = 0; k < VOTERS.size(); k++) {
        AzId candidate = pick(VOTERS, i.twist() + k);
        if (!p.votes().containsKey(candidate)) {
          az = candidate;
          break;
        }
      }
    } else if (i.variant() == 8 && i.seed() % 2 == 0) {
      g = missingGeneration(l, s, i);
    } else {
      g = among(l, s, i, List.of());
    }
    if (i.variant() == 9) {
      az = FOREIGN_AZ;
    }
    return new Command.Vote(s, g, az, approve, approve ? "" : "health checks disagree",
        CommandGenerators.validator(az), t);
  }

  /**
   * Variants 0-7: the newest APPROVED plan newer than the pointer; 8: any plan, or the pointer's
   * own generation; 9: a missing one. Twist 17 expects the next version, 18 the previous one,
   * 19 version 0.
   */
  private Command advance(LedgerState l, Intent i, long t) {
    ServiceId s = i.variant() <= 7 ? serviceWhere(l, i, x -> hasPlanIn(l, x, PlanState.APPROVED)) : service(l, i);
    Pointer p = l.pointer(s);
    Generation g;
    if (i.variant() <= 7) {
      List<StoredPlan> ready = new ArrayList<>();
      for (StoredPlan sp : plans(l, s)) {
        if (sp.state() == PlanState.APPROVED && sp.generation().isNewerThan(p.generation())) {
          ready.add(sp);
        }
      }
      g = ready.isEmpty() ? l.latestGeneration(s) : ready.get(ready.size() - 1).generation();
      if (g.equals(Generation.NONE)) {
        g = Generation.of(1);
      }
    } else if (i.variant() == 8 && i.seed() % 2 == 0) {
      g = among(l, s, i, List.of());
    } else if (i.variant() == 8) {
      g = p.version() == 0 ? Generation.of(1) : p.generation();
    } else {
      g = missingGeneration(l, s, i);
    }
    long expected = p.version();
    if (i.twist() == 17) {
      expected = p.version() + 1;
    } else if (i.twist() == 18) {
      expected = Math.max(0, p.version() - 1);
    } else if (i.twist() == 19) {
      expected = 0;
    }
    return new Command.AdvancePointer(s, expected, g, token(l, i), holder(l), t);
  }

  /**
   * Variants 0-5: the newest published version; 6-7: an older one (a late report); 8: a version
   * the ledger never published as that generation; 9: an endpoint the service doesn't have.
   */
  private Command recordApplied(LedgerState l, Intent i, long t) {
    ServiceId s = service(l, i);
    List<PointerMove> moves = new ArrayList<>(l.pointerHistory(s).values());
    long version = 1;
    Generation g = Generation.of(1);
    if (!moves.isEmpty()) {
      PointerMove m = i.variant() <= 5 ? moves.get(moves.size() - 1) : pick(moves, i.choice() + i.seed());
      version = m.version();
      g = m.generation();
      if (i.variant() == 8) {
        g = Generation.of(g.value() + 1);
      }
    }
    AzId az = pick(VOTERS, i.twist());
    return new Command.RecordApplied(s, endpoint(l, i), version, g, az, token(l, i), CommandGenerators.enactor(az), t);
  }

  /** One of the service's endpoints; variant 9 names one it doesn't have. */
  private static EndpointName endpoint(LedgerState l, Intent i) {
    ServiceId s = service(l, i);
    if (i.variant() == 9) {
      return CommandGenerators.endpointName("nope", s);
    }
    return pick(new ArrayList<>(definitionOf(l, s).endpoints()), i.choice() + i.seed());
  }

  /** Plans the Janitor may quarantine: unreferenced, and in a state that may be marked. */
  private static List<StoredPlan> markableCandidates(LedgerState l, ServiceId s) {
    Map<Generation, String> referenced = l.referencedPlans(s);
    List<StoredPlan> out = new ArrayList<>();
    for (StoredPlan p : plans(l, s)) {
      if (p.state().canMoveTo(PlanState.PENDING_DELETION) && !referenced.containsKey(p.generation())) {
        out.add(p);
      }
    }
    return out;
  }

  private static List<StoredPlan> quarantined(LedgerState l, ServiceId s) {
    List<StoredPlan> out = new ArrayList<>();
    for (StoredPlan p : plans(l, s)) {
      if (p.state() == PlanState.PENDING_DELETION) {
        out.add(p);
      }
    }
    return out;
  }

  private static ServiceId serviceToMark(LedgerState l, Intent i) {
    return i.variant() <= 6 ? serviceWhere(l, i, s -> !markableCandidates(l, s).isEmpty()) : service(l, i);
  }

  private static ServiceId serviceToPurge(LedgerState l, Intent i) {
    return i.variant() <= 6 ? serviceWhere(l, i, s -> !quarantined(l, s).isEmpty()) : service(l, i);
  }

  /** Variants 0-6: an unreferenced plan that may be quarantined; 7-8: any plan; 9: a missing one. */
  private static Generation markable(LedgerState l, ServiceId s, Intent i) {
    if (i.variant() == 9) {
      return missingGeneration(l, s, i);
    }
    return among(l, s, i, i.variant() <= 6 ? markableCandidates(l, s) : List.of());
  }

  /** Variants 0-6: a quarantined plan; 7-8: any plan; 9: a missing one. */
  private static Generation purgeable(LedgerState l, ServiceId s, Intent i) {
    if (i.variant() == 9) {
      return missingGeneration(l, s, i);
    }
    return among(l, s, i, i.variant() <= 6 ? quarantined(l, s) : List.of());
  }

  /**
   * Variants 0-6: a stored plan whose content differs from the active one; 7: the active plan;
   * 8: any plan (purged ones too); 9: a missing one.
   */
  private static Generation rollbackSource(LedgerState l, Intent i) {
    ServiceId s = service(l, i);
    Pointer p = l.pointer(s);
    if (i.variant() == 9) {
      return missingGeneration(l, s, i);
    }
    if (i.variant() == 7 && p.version() > 0) {
      return p.generation();
    }
    List<StoredPlan> candidates = new ArrayList<>();
    if (i.variant() <= 6) {
      Optional<StoredPlan> active = l.plan(s, p.generation());
      for (StoredPlan sp : plans(l, s)) {
        if (sp.state().hasContent()
            && (active.isEmpty() || !sp.contentHash().equals(active.get().contentHash()))) {
          candidates.add(sp);
        }
      }
    }
    return among(l, s, i, candidates);
  }

  // ---- operators -------------------------------------------------------------------------------

  private static PauseScope scope(LedgerState l, Intent i) {
    int c = i.choice() % 9;
    if (c <= 3) {
      return PauseScope.service(service(l, i));
    } else if (c <= 6) {
      return PauseScope.az(pick(VOTERS, c));
    } else if (c == 7) {
      return PauseScope.GLOBAL;
    }
    return PauseScope.service(UNREGISTERED);
  }

  private static ServiceId pinnedService(LedgerState l, Intent i) {
    if (i.variant() <= 7) {
      for (ServiceId s : l.services()) {
        if (l.isPinned(s)) {
          return s;
        }
      }
    }
    return service(l, i);
  }

  /** Variants 0-7: the pending approval of some service; 8-9: an id that is not (or no longer) pending. */
  private static long pendingId(LedgerState l, Intent i) {
    List<PendingApproval> pending = l.pendingApprovals();
    if (i.variant() <= 7 && !pending.isEmpty()) {
      return pick(pending, i.choice()).id();
    }
    long max = 0;
    for (PendingApproval p : pending) {
      max = Math.max(max, p.id());
    }
    return i.variant() == 8 ? max + 1 + i.choice() : 1;
  }

  /** An operator approves; twist 16-19 makes the requester approve its own step. */
  private static Command approve(LedgerState l, Intent i, long t) {
    long id = pendingId(l, i);
    ActorId actor = operator(i);
    if (i.twist() >= 16) {
      for (PendingApproval p : l.pendingApprovals()) {
        if (p.id() == id) {
          actor = p.requestedBy();
        }
      }
    }
    return new Command.Approve(id, "checked the dashboards", actor, t);
  }

  private static ServicePolicy policy(int variant) {
    return switch (variant) {
      case 1 -> POLICY.withQuarantineTtlMillis(0);
      case 2 -> POLICY.withQuarantineTtlMillis(5_000);
      case 3 -> POLICY.withVelocity(2, 60_000);
      case 4 -> POLICY.withVelocity(30, 60_000);
      case 5 -> POLICY.withMaxRemovalPercent(100);
      case 6 -> POLICY.withMaxRemovalPercent(0);
      case 7 -> POLICY.withQuorum(3);
      case 8 -> POLICY.withQuorum(1); // not a majority of three voters: INVALID_ARGUMENT
      case 9 -> POLICY.withMaxRemovalPercent(25);
      default -> POLICY;
    };
  }

  /**
   * Variants 0-5: re-register a service with its endpoints (which ends its decommission
   * allowances) and a policy; 6: gamma; 7: delta (over the service limit once gamma exists);
   * 8: drop an endpoint; 9: add one.
   */
  private Command register(LedgerState l, Intent i, long t) {
    ServiceId s = i.variant() == 6 ? GAMMA : i.variant() == 7 ? DELTA : service(l, i);
    // Mostly the usual policy; a third of the time one of the other valid ones (never variant 8).
    int policyVariant = Math.floorMod(i.seed(), 3) == 0 ? Math.floorMod(i.seed() / 3, 10) : 0;
    ServicePolicy policy = policy(policyVariant == 8 ? 0 : policyVariant);
    TreeSet<EndpointName> endpoints = new TreeSet<>(definitionOf(l, s).endpoints());
    if (i.variant() == 8 && endpoints.size() > 1) {
      endpoints.remove(pick(new ArrayList<>(endpoints), i.choice()));
    } else if (i.variant() == 9) {
      endpoints.add(pick(CommandGenerators.endpointsOf(s), i.choice()));
      endpoints.add(CommandGenerators.endpointName("new" + i.choice(), s));
    }
    ServiceDefinition def = new ServiceDefinition(s, endpoints, new TreeSet<>(VOTERS), policy);
    if (STEER_AROUND_KNOWN_BUGS && reRegistrationWouldStripAnAllowanceInUse(l, def)) {
      return new Command.UpdatePolicy(s, policy, operator(i), t);
    }
    return new Command.RegisterService(def, operator(i), t);
  }

  /**
   * True if {@code def} would end the decommission allowance of an endpoint that the active plan
   * leaves empty, or that a plan which may still be activated (PROPOSED or APPROVED) leaves empty:
   * the two ways into the known bug.
   */
  static boolean reRegistrationWouldStripAnAllowanceInUse(LedgerState l, ServiceDefinition def) {
    Generation active = l.pointer(def.service()).generation();
    for (StoredPlan p : plans(l, def.service())) {
      boolean live = p.generation().equals(active) || p.state() == PlanState.PROPOSED
          || p.state() == PlanState.APPROVED;
      if (!live) {
        continue;
      }
      for (Map.Entry<EndpointName, List<Target>> e : p.plan().endpoints().entrySet()) {
        if (e.getValue().isEmpty() && def.endpoints().contains(e.getKey())) {
          return true;
        }
      }
    }
    return false;
  }
}
