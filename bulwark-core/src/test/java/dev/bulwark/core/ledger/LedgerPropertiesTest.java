package dev.bulwark.core.ledger;

import static dev.bulwark.core.ledger.CommandGenerators.LIMITS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ContentHash;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.CommandGenerators.Script;
import dev.bulwark.core.ledger.IntentResolver.Entry;
import dev.bulwark.core.ledger.IntentResolver.Run;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Property tests of {@link LedgerState}: thousands of generated command sequences (see {@link
 * CommandGenerators}) never break invariants I1-I5, never make {@code apply} throw, survive a
 * snapshot round trip at any point, and drive two replicas to byte-identical states.
 *
 * <p>Each property resolves its script step by step against the ledger under test, so the commands
 * follow the evolving state (votes on plans that exist, advances with the current version, stale
 * tokens that really were granted). {@link #generatedScriptsReachTheLedgersDeepPaths} proves that
 * the scripts do reach pointer moves, approvals, rollbacks and purges, not only rejections.
 */
class LedgerPropertiesTest {
  private static final int TRIES = 1_000;
  private static final int MAX_INTENTS = 200;

  @Provide
  Arbitrary<Script> scripts() {
    return CommandGenerators.scripts(MAX_INTENTS);
  }

  /** The audit code a result must be recorded with. */
  private static String auditCode(Result r) {
    return r instanceof Result.Accepted a ? a.outcome().code() : ((Result.Rejected) r).code().name();
  }

  private static Optional<RejectCode> rejectCode(Result r) {
    return r instanceof Result.Rejected x ? Optional.of(x.code()) : Optional.empty();
  }

  // ---- apply is total, the invariants hold, the chain grows by one link per command ------------

  @Property(tries = TRIES)
  void everyCommandGetsAResultKeepsTheInvariantsAndAddsOneLinkToAnIntactChain(@ForAll("scripts") Script script) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    while (resolver.hasNext()) {
      Entry e = resolver.next(ledger);
      long events = ledger.audit().size();
      ContentHash lastLink = ledger.audit().lastHash();

      Result r = ledger.apply(e.logIndex(), e.command()); // any exception fails the property
      resolver.observe(r);

      ledger.checkInvariants();
      assertThat(ledger.audit().size()).as("audit events after %s", e.command()).isEqualTo(events + 1);
      AuditEvent added = ledger.audit().get(events);
      assertThat(added.prevHash()).as("link of the new event").isEqualTo(lastLink);
      assertThat(added.computeHash()).as("hash of the new event").isEqualTo(added.hash());
      assertThat(ledger.lastLogIndex()).isEqualTo(e.logIndex());
      // The new link is checked above; re-verifying the whole chain after every command would make
      // the property quadratic, so the whole chain is recomputed every 25 commands and at the end.
      if (events % 25 == 0) {
        assertThat(ledger.audit().verify().intact()).as("chain after %d events", events + 1).isTrue();
      }
    }
    assertThat(ledger.audit().verify().intact()).isTrue();
    assertThat(ledger.audit().size()).isEqualTo(script.length());
  }

  @Provide
  Arbitrary<List<Command>> wildCommands() {
    return CommandGenerators.anyCommand().list().ofMaxSize(40);
  }

  /**
   * Commands no well-behaved agent would send, with any well-formed values (random names, huge
   * generations and versions, times at the end of the epoch, extreme policies, forced takeovers),
   * are mixed into ordinary runs: apply still answers each one, and the state stays valid.
   */
  @Property(tries = TRIES)
  void nothingAClientSendsThrowsOutOfApplyOrBreaksTheInvariants(
      @ForAll("scripts") Script script, @ForAll("wildCommands") List<Command> wild,
      @ForAll @IntRange(min = 1, max = 4) int every) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    int step = 0;
    int nextWild = 0;
    int wildAccepted = 0;
    while (resolver.hasNext() || nextWild < wild.size()) {
      boolean wildTurn = nextWild < wild.size() && (!resolver.hasNext() || ++step % every == 0);
      Entry e = wildTurn ? resolver.interject(ledger, wild.get(nextWild++)) : resolver.next(ledger);
      long events = ledger.audit().size();

      Result r = ledger.apply(e.logIndex(), e.command());
      resolver.observe(r);
      if (wildTurn && r.isAccepted()) {
        wildAccepted++;
      }

      ledger.checkInvariants();
      assertThat(ledger.audit().size()).as("audit events after %s", e.command()).isEqualTo(events + 1);
    }
    Statistics.label("wild commands accepted").collect(bucket(wildAccepted));
    assertThat(ledger.audit().verify().intact()).isTrue();
    LedgerState restored = LedgerState.fromSnapshot(ledger.toSnapshot());
    assertThat(restored.toSnapshot()).isEqualTo(ledger.toSnapshot());
  }

  // ---- I5 --------------------------------------------------------------------------------------

  @Property(tries = TRIES)
  void everyDecisionIsAuditedInTheStepThatMadeItWithTheResultsVerdict(@ForAll("scripts") Script script) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    while (resolver.hasNext()) {
      Entry e = resolver.next(ledger);
      long events = ledger.audit().size();

      Result r = ledger.apply(e.logIndex(), e.command());
      resolver.observe(r);

      assertThat(ledger.audit().size()).isEqualTo(events + 1);
      AuditEvent added = ledger.audit().get(events);
      assertThat(r.eventId()).as("result names its audit event").isEqualTo(added.id());
      assertThat(r.logIndex()).isEqualTo(e.logIndex());
      assertThat(added.logIndex()).isEqualTo(e.logIndex());
      assertThat(added.accepted()).as("accepted flag of %s", r).isEqualTo(r.isAccepted());
      assertThat(added.code()).as("code of %s", r).isEqualTo(auditCode(r));
      assertThat(added.action()).isEqualTo(e.command().action());
      assertThat(added.actor()).isEqualTo(e.command().actor().value());
      assertThat(added.commandTimeMillis()).isEqualTo(e.command().timeMillis());
      assertThat(added.timeMillis()).isEqualTo(ledger.nowMillis());
      if (r instanceof Result.Rejected x) {
        assertThat(added.detail()).isEqualTo(x.message());
      }
    }
  }

  // ---- I1 --------------------------------------------------------------------------------------

  // Only registered endpoints count: one dropped by a re-registration is no longer published, and
  // its allowance ends with the registration (as checkInvariants reads I1 too).

  @Property(tries = TRIES)
  void theActivePlanNeverLeavesARegisteredEndpointEmptyUnlessItsDecommissionWasAllowed(
      @ForAll("scripts") Script script) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    while (resolver.hasNext()) {
      Entry e = resolver.next(ledger);
      resolver.observe(ledger.apply(e.logIndex(), e.command()));

      for (ServiceId s : ledger.services()) {
        Pointer p = ledger.pointer(s);
        if (p.version() == 0) {
          continue;
        }
        StoredPlan active = ledger.plan(s, p.generation()).orElseThrow();
        assertThat(active.state()).isEqualTo(PlanState.ACTIVE);
        Set<EndpointName> registered = ledger.service(s).orElseThrow().endpoints();
        for (Map.Entry<EndpointName, List<Target>> en : active.plan().endpoints().entrySet()) {
          if (registered.contains(en.getKey()) && en.getValue().isEmpty()) {
            assertThat(ledger.decommissioned(s))
                .as("%s publishes %s empty after %s", s, en.getKey(), e.command())
                .contains(en.getKey());
          }
        }
      }
    }
  }

  // ---- I2 --------------------------------------------------------------------------------------

  @Property(tries = TRIES)
  void pointersOnlyMoveForwardOneVersionAtATimeAndARollbackIsANewerGeneration(@ForAll("scripts") Script script) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    Map<ServiceId, Pointer> seen = new HashMap<>();
    while (resolver.hasNext()) {
      Entry e = resolver.next(ledger);
      Map<ServiceId, Generation> latestBefore = new HashMap<>();
      for (ServiceId s : ledger.services()) {
        latestBefore.put(s, ledger.latestGeneration(s));
      }

      Result r = ledger.apply(e.logIndex(), e.command());
      resolver.observe(r);

      for (ServiceId s : ledger.services()) {
        Pointer before = seen.getOrDefault(s, Pointer.INITIAL);
        Pointer now = ledger.pointer(s);
        if (!now.equals(before)) {
          assertThat(now.version()).as("version of %s after %s", s, e.command()).isEqualTo(before.version() + 1);
          assertThat(now.generation().value()).as("generation of %s", s).isGreaterThan(before.generation().value());
          assertThat(r.isAccepted()).as("only an accepted command moves a pointer").isTrue();
          Outcome o = ((Result.Accepted) r).outcome();
          if (o instanceof Outcome.PointerAdvanced a) {
            assertThat(a.service()).isEqualTo(s);
            assertThat(a.previous()).isEqualTo(before);
            assertThat(a.pointer()).isEqualTo(now);
          } else {
            Outcome.RolledBack rb = (Outcome.RolledBack) o;
            assertThat(rb.previous()).isEqualTo(before);
            assertThat(rb.pointer()).isEqualTo(now);
            assertThat(now.generation().value())
                .as("a rollback re-publishes old content as a generation newer than all before it")
                .isGreaterThan(latestBefore.getOrDefault(s, Generation.NONE).value());
            assertThat(ledger.plan(s, now.generation()).orElseThrow().contentHash())
                .isEqualTo(ledger.plan(s, rb.source()).orElseThrow().contentHash());
          }
        }
        seen.put(s, now);
      }
    }
  }

  // ---- I3 --------------------------------------------------------------------------------------

  @Property(tries = TRIES)
  void onlyTheCurrentEpochsTokenIsHonouredAndAnyOtherTokenIsRejected(@ForAll("scripts") Script script) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    FencingToken highestGranted = FencingToken.NONE;
    while (resolver.hasNext()) {
      Entry e = resolver.next(ledger);
      Optional<AuthorityLease> lease = ledger.authority();

      Result r = ledger.apply(e.logIndex(), e.command());
      resolver.observe(r);

      if (e.command() instanceof Command.Fenced f) {
        if (lease.isEmpty()) {
          assertThat(rejectCode(r)).as("%s before any grant", f).contains(RejectCode.NO_AUTHORITY);
        } else if (!f.token().equals(lease.get().token())) {
          assertThat(rejectCode(r)).as("%s under epoch token %s", f, lease.get().token())
              .contains(RejectCode.STALE_TOKEN);
        }
        if (r.isAccepted()) {
          assertThat(f.token()).as("token of accepted %s", f).isEqualTo(lease.orElseThrow().token());
        }
      }
      if (r instanceof Result.Accepted a && a.outcome() instanceof Outcome.AuthorityGranted g) {
        assertThat(g.token()).as("a token is the granting log index").isEqualTo(FencingToken.of(e.logIndex()));
        assertThat(g.token()).isGreaterThan(highestGranted);
        assertThat(g.epoch().value()).isEqualTo(lease.map(x -> x.epoch().value()).orElse(0L) + 1);
        highestGranted = g.token();
      }
    }
  }

  // ---- I4 --------------------------------------------------------------------------------------

  // The quarantine is measured with the TTL of the policy in force at the purge, as the ledger does:
  // an operator's UpdatePolicy may shorten (or lengthen) the wait of plans already quarantined.

  @Property(tries = TRIES)
  void referencedPlansAreNeverDeletedAndAPurgeWaitsOutTheQuarantine(@ForAll("scripts") Script script) {
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    while (resolver.hasNext()) {
      Entry e = resolver.next(ledger);
      Optional<StoredPlan> target = Optional.empty();
      SortedMap<Generation, String> referencedBefore = null;
      long ttlBefore = -1;
      if (e.command() instanceof Command.Purge c) {
        target = ledger.plan(c.service(), c.generation());
        referencedBefore = ledger.referencedPlans(c.service());
        ttlBefore = ledger.service(c.service()).map(d -> d.policy().quarantineTtlMillis()).orElse(-1L);
      } else if (e.command() instanceof Command.MarkForDeletion c) {
        referencedBefore = ledger.referencedPlans(c.service());
      }

      Result r = ledger.apply(e.logIndex(), e.command());
      resolver.observe(r);

      if (r.isAccepted() && e.command() instanceof Command.Purge c) {
        StoredPlan was = target.orElseThrow();
        assertThat(was.state()).isEqualTo(PlanState.PENDING_DELETION);
        assertThat(referencedBefore).as("references of %s before the purge", c.generation())
            .doesNotContainKey(c.generation());
        assertThat(ledger.nowMillis()).as("ledger time of the purge of %s marked at %d", c.generation(),
            was.markedAtMillis()).isGreaterThanOrEqualTo(was.markedAtMillis() + ttlBefore);
      }
      if (r.isAccepted() && e.command() instanceof Command.MarkForDeletion c) {
        assertThat(referencedBefore).doesNotContainKey(c.generation());
      }
      for (ServiceId s : ledger.services()) {
        Set<Generation> live = new TreeSet<>();
        Pointer p = ledger.pointer(s);
        if (p.version() > 0) {
          live.add(p.generation());
        }
        ledger.lastKnownGood(s).ifPresent(live::add);
        for (PendingApproval pa : ledger.pendingApprovals()) {
          if (pa.service().equals(s)) {
            live.add(pa.generation());
          }
        }
        for (Generation g : live) {
          PlanState st = ledger.plan(s, g).orElseThrow().state();
          assertThat(st).as("%s/%s (pointer, last-known-good or pending) after %s", s, g, e.command())
              .isNotIn(PlanState.PENDING_DELETION, PlanState.PURGED);
        }
        for (AppliedRecord a : ledger.applied(s).values()) {
          assertThat(ledger.plan(s, a.generation()).orElseThrow().state())
              .as("%s/%s, which DNS publishes", s, a.generation()).isNotEqualTo(PlanState.PURGED);
        }
      }
    }
  }

  // ---- snapshots -------------------------------------------------------------------------------

  @Property(tries = TRIES)
  void aRestoredSnapshotIsTheSameStateAndGivesTheSameFutureResults(
      @ForAll("scripts") Script script, @ForAll @Size(min = 1, max = 2) List<@IntRange(max = 1_000) Integer> cuts) {
    int n = script.length();
    Set<Integer> cutPoints = new TreeSet<>();
    for (int c : cuts) {
      cutPoints.add(c % (n + 1));
    }
    LedgerState ledger = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    List<Entry> log = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    Map<Integer, LedgerState> restoredAt = new TreeMap<>();
    for (int k = 0; k <= n; k++) {
      if (cutPoints.contains(k)) {
        byte[] snapshot = ledger.toSnapshot();
        LedgerState restored = LedgerState.fromSnapshot(snapshot);
        assertThat(restored.toSnapshot()).as("snapshot of the restored state at step %d", k).isEqualTo(snapshot);
        restoredAt.put(k, restored);
      }
      if (k < n) {
        Entry e = resolver.next(ledger);
        Result r = ledger.apply(e.logIndex(), e.command());
        resolver.observe(r);
        log.add(e);
        results.add(r);
      }
    }
    byte[] expectedEnd = ledger.toSnapshot();

    restoredAt.forEach((k, restored) -> {
      assertThat(IntentResolver.replay(log.subList(k, n), restored)).as("results after a restore at step %d", k)
          .isEqualTo(results.subList(k, n));
      assertThat(restored.toSnapshot()).as("final state after a restore at step %d", k).isEqualTo(expectedEnd);
    });
  }

  @Property(tries = TRIES)
  void twoReplicasFedTheSameLogAnswerAlikeAndStayByteIdentical(
      @ForAll("scripts") Script script, @ForAll @IntRange(min = 20, max = 80) int compareEvery) {
    LedgerState first = new LedgerState(LIMITS);
    LedgerState second = new LedgerState(LIMITS);
    IntentResolver resolver = new IntentResolver(script);
    int step = 0;
    while (resolver.hasNext()) {
      Entry e = resolver.next(first);
      Result r1 = first.apply(e.logIndex(), e.command());
      Result r2 = second.apply(e.logIndex(), e.command());
      resolver.observe(r1);
      assertThat(r2).as("second replica's answer to %s", e.command()).isEqualTo(r1);
      if (++step % compareEvery == 0) {
        assertThat(second.toSnapshot()).as("snapshots after %d commands", step).isEqualTo(first.toSnapshot());
      }
    }
    assertThat(second.toSnapshot()).isEqualTo(first.toSnapshot());
    assertThat(second.audit().lastHash()).isEqualTo(first.audit().lastHash());
  }

  // ---- the scripts are worth something ---------------------------------------------------------

  /**
   * How often each audit code came up in a run. An Approve that moved a pointer counts as
   * APPROVED_STEP, apart from the Planner's own POINTER_ADVANCED.
   */
  private static Map<String, Integer> auditCodeCounts(Run run) {
    Map<String, Integer> counts = new HashMap<>();
    for (int k = 0; k < run.results().size(); k++) {
      Result r = run.results().get(k);
      boolean approval = r.isAccepted() && run.log().get(k).command() instanceof Command.Approve;
      counts.merge(approval ? "APPROVED_STEP" : auditCode(r), 1, Integer::sum);
      counts.merge(r.isAccepted() ? "accepted" : "rejected", 1, Integer::sum);
    }
    return counts;
  }

  /** True if the pointer of some service ever showed a plan with an empty endpoint. */
  private static boolean publishedAnEmptyEndpoint(Run run) {
    for (ServiceId s : run.ledger().services()) {
      for (PointerMove m : run.ledger().pointerHistory(s).values()) {
        Optional<Plan> content = run.ledger().plan(s, m.generation()).flatMap(StoredPlan::content);
        if (content.isPresent() && content.get().endpoints().values().stream().anyMatch(List::isEmpty)) {
          return true;
        }
      }
    }
    return false;
  }

  private static String bucket(int n) {
    return n == 0 ? "0" : n <= 2 ? "1-2" : n <= 5 ? "3-5" : n <= 10 ? "6-10" : ">10";
  }

  /**
   * Not an invariant but a check on the generators: a suite that only exercised rejections would
   * prove little. Runs of at least 50 commands must regularly move pointers, wait for and get
   * approvals, roll back, quarantine and purge plans, and hit every guard. The thresholds are
   * percentages of all runs, set well below what the generators reach (see the statistics report)
   * so that the check is stable across seeds.
   */
  @Property(tries = TRIES)
  void generatedScriptsReachTheLedgersDeepPaths(@ForAll("scripts") Script script) {
    Run run = IntentResolver.run(script);
    Map<String, Integer> counts = auditCodeCounts(run);
    int commands = run.results().size();
    boolean longRun = commands >= 50;
    int share = 100 * counts.getOrDefault("accepted", 0) / commands;
    Statistics.label("accepted share (%)").collect(share < 25 ? "<25" : share < 40 ? "25-39" : share < 55 ? "40-54" : ">=55");
    for (String code : List.of("POINTER_ADVANCED", "APPROVAL_REQUIRED", "APPROVED_STEP", "ROLLED_BACK",
        "MARKED_FOR_DELETION", "PURGED", "APPLIED_RECORDED")) {
      Statistics.label(code + " per run").collect(bucket(counts.getOrDefault(code, 0)));
    }

    // Per path: did this run reach it? Short runs (under 50 commands) are counted apart.
    reach("accepted >= 30%", longRun, share >= 30, 50.0);
    reach("POINTER_ADVANCED", longRun, counts, 55.0);
    reach("APPROVAL_REQUIRED", longRun, counts, 25.0);
    reach("APPROVED_STEP", longRun, counts, 18.0);
    reach("ROLLED_BACK", longRun, counts, 25.0);
    reach("MARKED_FOR_DELETION", longRun, counts, 35.0);
    reach("PURGED", longRun, counts, 20.0);
    reach("APPLIED_RECORDED", longRun, counts, 45.0);
    reach("STALE_TOKEN", longRun, counts, 55.0);
    reach("new epoch", longRun, counts.getOrDefault("AUTHORITY_GRANTED", 0) > 1, 40.0);
    reach("SELF_APPROVAL", longRun, counts, 4.0);
    reach("VELOCITY_LIMIT", longRun, counts, 1.0);
    reach("QUARANTINE_NOT_ELAPSED", longRun, counts, 20.0);
    reach("PLAN_REFERENCED", longRun, counts, 50.0);
    reach("EMPTY_ENDPOINT", longRun, counts, 18.0);
    reach("decommissioned endpoint published empty", longRun, publishedAnEmptyEndpoint(run), 8.0);
  }

  private static void reach(String code, boolean longRun, Map<String, Integer> counts, double minPercent) {
    reach(code, longRun, counts.getOrDefault(code, 0) > 0, minPercent);
  }

  /** Collects whether a long run reached {@code path}; at least {@code minPercent} of all runs must. */
  private static void reach(String path, boolean longRun, boolean reached, double minPercent) {
    Statistics.label(path).collect(longRun ? (reached ? "reached" : "missed") : "short run");
    Statistics.label(path).coverage(cover -> cover.check("reached").percentage(p -> p >= minPercent));
  }
}
