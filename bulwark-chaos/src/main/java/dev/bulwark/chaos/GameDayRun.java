package dev.bulwark.chaos;

import dev.bulwark.chaos.GameDayTarget.ControlEvent;
import dev.bulwark.chaos.GameDayTarget.DnsObservation;
import dev.bulwark.chaos.GameDayTarget.Injection;
import dev.bulwark.chaos.Scenario.Probe;
import dev.bulwark.chaos.Scenario.RollbackAction;
import dev.bulwark.chaos.Scenario.Step;
import dev.bulwark.chaos.kpi.Kpis;
import dev.bulwark.chaos.kpi.Timeline;
import dev.bulwark.chaos.kpi.Timeline.FaultWindow;
import dev.bulwark.chaos.kpi.Timeline.ProbeSample;
import dev.bulwark.chaos.kpi.Timeline.ProbedEndpoint;
import dev.bulwark.chaos.kpi.Timeline.RunEvent;
import dev.bulwark.core.ledger.ChainVerification;
import dev.bulwark.core.port.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One repetition of a scenario (see {@link GameDay} for the phases). Recording runs on scheduler
 * tasks that reschedule themselves until {@link #stopRecording}; everything recorded is guarded by
 * this object's lock.
 *
 * <p>Event times: an event's time is its sender's clock reading, capped at the moment the engine
 * first read it, so a sender whose clock runs ahead can't place an event in the future; the
 * engine reads events every {@value #EVENT_POLL_MILLIS} ms.
 */
final class GameDayRun {
  /** How often the engine reads new control-plane events. */
  static final long EVENT_POLL_MILLIS = 100;
  /** Events read per poll at most. */
  static final int EVENT_PAGE = 1_000;
  /** Pause between steady-state checks while warming up or converging. */
  static final long CHECK_PAUSE_MILLIS = 200;
  /** How long the after-check waits for a replica to hold every event acknowledged before the first fault. */
  static final long STATE_CHECK_RETRY_MILLIS = 5_000;
  /** Event codes the progress display shows; every event is recorded either way. */
  static final Set<String> SHOWN_CODES;

  static {
    Set<String> s = new LinkedHashSet<>(Kpis.DETECT);
    s.addAll(Kpis.MITIGATE);
    s.addAll(Kpis.PAGE);
    s.addAll(Kpis.CHANGE);
    s.addAll(Kpis.FAILED_CHANGE);
    s.add("PURGED");
    // Rejections that show a guard at work (I1, quorum); routine ones (VERSION_MISMATCH, ...) stay quiet.
    s.addAll(Set.of("EMPTY_ENDPOINT", "NO_QUORUM", "PLAN_REJECTED", "PLAN_REFERENCED", "ACTIVE_PLAN_DELETED"));
    SHOWN_CODES = Set.copyOf(s);
  }

  private final Scenario scenario;
  private final int repetition;
  private final GameDayTarget.Factory factory;
  private final Scheduler scheduler;
  private final Progress progress;

  private final List<FaultWindow> faults = new ArrayList<>();
  private final List<Timeline.ActionRecord> actions = new ArrayList<>();
  private final Map<String, Injection> active = new LinkedHashMap<>();
  private final List<RunEvent> events = new ArrayList<>();
  private final List<ProbeSample> samples = new ArrayList<>();
  private final Map<String, String> lastProbeState = new LinkedHashMap<>();
  private final Set<String> violations = new LinkedHashSet<>();
  private final List<String> findings = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  /** Time the API failed its checks so far, and since when it has been failing now (-1: it isn't). */
  private long apiUnavailableMillis;
  private long apiDownSince = -1;
  private @Nullable String lastApiProblem;
  private final List<Scheduler.Cancellable> pending = new ArrayList<>();
  private final CountDownLatch methodOver = new CountDownLatch(1);
  private long t0;
  private long nextEventId;
  private volatile boolean recording;
  private @Nullable String abortReason;

  GameDayRun(Scenario scenario, int repetition, GameDayTarget.Factory factory, Scheduler scheduler,
      Progress progress) {
    this.scenario = scenario;
    this.repetition = repetition;
    this.factory = factory;
    this.scheduler = scheduler;
    this.progress = progress;
  }

  RunResult execute() {
    Map<String, ProbedEndpoint> probed = new LinkedHashMap<>();
    t0 = scheduler.nowMillis();
    GameDayTarget target = null;
    try {
      target = factory.open(scenario, repetition);
      for (Probe.DnsAnswers p : scenario.steadyState().dnsProbes()) {
        probed.put(target.endpoint(p.service(), p.endpoint()), new ProbedEndpoint(p.service(), p.minRecords()));
      }
      runMethod(target, probed);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      abort("interrupted");
    } catch (Exception | LinkageError e) {
      abort("error: " + e);
    } finally {
      stopRecording();
      if (target != null) {
        try {
          target.close();
        } catch (RuntimeException e) {
          checks.add("closing the target failed: " + e);
        }
      }
    }
    return result(probed);
  }

  private void runMethod(GameDayTarget target, Map<String, ProbedEndpoint> probed) throws InterruptedException {
    Optional<String> before = awaitSteadyState(target, probed, scenario.steadyState().warmupMillis());
    if (before.isPresent()) {
      abort("the steady state did not hold before the method (after " + scenario.steadyState().warmupMillis()
          + " ms of warm-up): " + before.get());
      return;
    }
    checks.add("before: steady state holds");
    t0 = scheduler.nowMillis();
    nextEventId = drainExistingEvents(target);
    progress.line(0, "start", "method begins (" + scenario.durationMillis() + " ms, " + scenario.method().size()
        + " step(s))");
    startRecording(target, probed);
    try {
      int i = 0;
      for (Step step : scenario.method()) {
        String id = "f" + ++i;
        schedule(step.atMillis(), () -> inject(target, id, step));
      }
      schedule(scenario.durationMillis(), methodOver::countDown);
      methodOver.await();
    } finally {
      synchronized (this) {
        pending.forEach(Scheduler.Cancellable::cancel);
        pending.clear();
      }
      rollbacks();
    }
    if (abortReason != null) {
      return;
    }
    converge(target, probed);
    afterChecks(target);
  }

  /** Waits until the DNS probes, the invariants and the chain all hold; the last problem if they never do. */
  private Optional<String> awaitSteadyState(GameDayTarget target, Map<String, ProbedEndpoint> probed, long withinMillis)
      throws InterruptedException {
    long deadline = scheduler.nowMillis() + withinMillis;
    while (true) {
      Optional<String> problem = steadyStateProblem(target, probed);
      if (problem.isEmpty() || scheduler.nowMillis() >= deadline) {
        return problem;
      }
      sleep(CHECK_PAUSE_MILLIS);
    }
  }

  private Optional<String> steadyStateProblem(GameDayTarget target, Map<String, ProbedEndpoint> probed) {
    for (var e : probed.entrySet()) {
      DnsObservation o = target.sampleDns(e.getKey());
      if (o.failure().isPresent()) {
        return Optional.of(e.getKey() + " did not answer: " + o.failure().get());
      }
      int min = Math.max(1, e.getValue().minRecords());
      if (o.addresses().size() < min) {
        return Optional.of(e.getKey() + " serves " + o.addresses().size() + " record(s); the hypothesis needs at least "
            + min);
      }
    }
    if (scenario.steadyState().has(Probe.LedgerInvariants.class)) {
      Optional<String> v = target.invariantViolation();
      if (v.isPresent()) {
        return Optional.of("ledger invariant broken: " + v.get());
      }
    }
    if (scenario.steadyState().has(Probe.ApiHealth.class)) {
      Optional<String> api = target.apiProblem();
      if (api.isPresent()) {
        return Optional.of("the API is not healthy (" + target.apiDescription() + "): " + api.get());
      }
    }
    return Optional.empty();
  }

  private long drainExistingEvents(GameDayTarget target) {
    long next = 0;
    while (true) {
      List<ControlEvent> page = target.events(next, EVENT_PAGE);
      if (page.isEmpty()) {
        return next;
      }
      next = page.get(page.size() - 1).id() + 1;
    }
  }

  private void schedule(long atMillis, Runnable task) {
    long delay = Math.max(0, t0 + atMillis - scheduler.nowMillis());
    synchronized (this) {
      pending.add(scheduler.schedule(Duration.ofMillis(delay), task));
    }
  }

  private void inject(GameDayTarget target, String id, Step step) {
    if (abortReason != null) {
      return;
    }
    long at = now();
    if (step.activity() instanceof Action action) {
      perform(target, "a" + id.substring(1), action, at);
      return;
    }
    Fault fault = (Fault) step.activity();
    synchronized (this) {
      if (acknowledged == null) {
        acknowledged = allEvents(target, Long.MAX_VALUE);
      }
    }
    Injection inj;
    try {
      inj = target.inject(fault);
    } catch (Exception | LinkageError e) {
      abort("could not inject " + id + " (" + fault.kind() + "): " + e.getMessage());
      methodOver.countDown();
      return;
    }
    synchronized (this) {
      active.put(id, inj);
      faults.add(new FaultWindow(id, fault.kind(), inj.description(), at, OptionalLong.empty()));
    }
    progress.line(at, "inject", id + " " + fault.kind() + ": " + inj.description());
    if (step.durationMillis().isPresent()) {
      schedule(step.atMillis() + step.durationMillis().getAsLong(), () -> remove(id));
    }
  }

  private void perform(GameDayTarget target, String id, Action action, long at) {
    String result;
    try {
      result = target.perform(action);
    } catch (Exception | LinkageError e) {
      abort("could not perform " + id + " (" + action.kind() + "): " + e.getMessage());
      methodOver.countDown();
      return;
    }
    synchronized (this) {
      actions.add(new Timeline.ActionRecord(id, action.kind(), at, result));
    }
    progress.line(at, "action", id + " " + action.kind() + ": " + result);
  }

  /** Removes one injected fault and records when; false if it could not be removed. */
  private boolean remove(String id) {
    Injection inj;
    synchronized (this) {
      inj = active.remove(id);
    }
    if (inj == null) {
      return true;
    }
    try {
      inj.remove();
    } catch (Exception | LinkageError e) {
      checks.add("removing " + id + " failed: " + e);
      progress.line(now(), "ERROR", "could not remove " + id + ": " + e.getMessage());
      return false;
    }
    long at = now();
    synchronized (this) {
      for (int i = 0; i < faults.size(); i++) {
        FaultWindow f = faults.get(i);
        if (f.id().equals(id)) {
          faults.set(i, new FaultWindow(f.id(), f.kind(), f.description(), f.injectedAtMillis(), OptionalLong.of(at)));
        }
      }
    }
    progress.line(at, "remove", id);
    return true;
  }

  /** The rollbacks, then whatever is still injected: this always runs, also after an abort. */
  private void rollbacks() {
    for (RollbackAction a : scenario.rollbacks()) {
      try {
        if (a instanceof RollbackAction.RemoveAllFaults) {
          progress.line(now(), "rollback", "remove all faults");
          removeAll();
        } else if (a instanceof RollbackAction.Wait w) {
          progress.line(now(), "rollback", "wait " + w.millis() + " ms");
          sleep(w.millis());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort("interrupted during the rollbacks");
        break;
      } catch (RuntimeException e) {
        checks.add("rollback " + a + " failed: " + e);
      }
    }
    removeAll();
  }

  private void removeAll() {
    List<String> ids;
    synchronized (this) {
      ids = new ArrayList<>(active.keySet());
    }
    for (int i = ids.size() - 1; i >= 0; i--) {
      if (!remove(ids.get(i))) {
        abort("fault " + ids.get(i) + " could not be removed; the system may still be impaired");
      }
    }
  }

  private void converge(GameDayTarget target, Map<String, ProbedEndpoint> probed) throws InterruptedException {
    long within = scenario.steadyState().convergeWithinMillis();
    long deadline = scheduler.nowMillis() + within;
    long started = now();
    while (true) {
      List<String> drift = target.residualDrift();
      Optional<String> dns = lastSamplesProblem(probed);
      if ((drift.isEmpty() && dns.isEmpty()) || scheduler.nowMillis() >= deadline) {
        if (dns.isPresent()) {
          checks.add("after: " + dns.get());
        }
        drift.forEach(d -> checks.add("after: residual drift: " + d));
        residualDrift = drift.size();
        progress.line(now(), "converge", drift.isEmpty() && dns.isEmpty()
            ? "steady state and no drift " + (now() - started) + " ms after the rollbacks"
            : "not converged within " + within + " ms: " + dns.orElse(drift.size() + " endpoint(s) drifting"));
        return;
      }
      sleep(CHECK_PAUSE_MILLIS);
    }
  }

  private int residualDrift;
  /** The events that existed when the first fault was injected; null until then. */
  private @Nullable List<ControlEvent> acknowledged;
  private Optional<Timeline.StateCheck> stateCheck = Optional.empty();

  private synchronized Optional<String> lastSamplesProblem(Map<String, ProbedEndpoint> probed) {
    for (var e : probed.entrySet()) {
      ProbeSample last = null;
      for (ProbeSample s : samples) {
        if (s.endpoint().equals(e.getKey())) {
          last = s;
        }
      }
      if (last == null) {
        return Optional.of(e.getKey() + " was never sampled");
      }
      if (!last.answered() || last.records() < Math.max(1, e.getValue().minRecords())) {
        return Optional.of(e.getKey() + " " + describe(last));
      }
    }
    return Optional.empty();
  }

  /**
   * One API check while recording. Unavailability is measured from the start of the first failed
   * check to the start of the next good one, so checks that block until their timeout still count
   * for the whole time the API was down.
   */
  private void checkApi(GameDayTarget target) {
    long at = now();
    Optional<String> problem = target.apiProblem();
    synchronized (this) {
      if (problem.isPresent()) {
        if (apiDownSince < 0) {
          apiDownSince = at;
        }
        if (!problem.get().equals(lastApiProblem)) {
          progress.line(at, "probe", "API: " + problem.get());
        }
      } else if (apiDownSince >= 0) {
        apiUnavailableMillis += at - apiDownSince;
        apiDownSince = -1;
        progress.line(at, "probe", "API: healthy again");
      }
      lastApiProblem = problem.orElse(null);
    }
  }

  /** Every control-plane event with an id up to {@code lastId}, oldest first. */
  private static List<ControlEvent> allEvents(GameDayTarget target, long lastId) {
    List<ControlEvent> out = new ArrayList<>();
    long next = 0;
    while (next <= lastId) {
      List<ControlEvent> page = target.events(next, EVENT_PAGE);
      if (page.isEmpty()) {
        break;
      }
      page.stream().filter(e -> e.id() <= lastId).forEach(out::add);
      next = page.get(page.size() - 1).id() + 1;
    }
    return out;
  }

  /**
   * Zero state loss: reads again every event that existed at the first fault and compares. A
   * replica that is still catching up (a restarted peer) may answer short, so a short answer is
   * read again for up to {@value #STATE_CHECK_RETRY_MILLIS} ms before anything counts as missing.
   */
  private void checkState(GameDayTarget target) throws InterruptedException {
    List<ControlEvent> before;
    synchronized (this) {
      before = acknowledged;
    }
    if (before == null) {
      return;
    }
    long lastId = before.isEmpty() ? -1 : before.get(before.size() - 1).id();
    long deadline = scheduler.nowMillis() + STATE_CHECK_RETRY_MILLIS;
    Map<Long, ControlEvent> after = new LinkedHashMap<>();
    while (true) {
      after.clear();
      allEvents(target, lastId).forEach(e -> after.put(e.id(), e));
      if (after.size() >= before.size() || scheduler.nowMillis() >= deadline) {
        break;
      }
      sleep(CHECK_PAUSE_MILLIS);
    }
    long missing = before.stream().filter(e -> !after.containsKey(e.id())).count();
    long changed = before.stream().filter(e -> after.containsKey(e.id()) && !after.get(e.id()).equals(e)).count();
    Timeline.StateCheck c = new Timeline.StateCheck(before.size(), missing, changed);
    synchronized (this) {
      stateCheck = Optional.of(c);
    }
    checks.add("state: " + before.size() + " event(s) acknowledged before the first fault, " + missing
        + " missing, " + changed + " changed afterwards");
    if (missing + changed > 0) {
      findings.add("state was lost: of " + before.size() + " event(s) acknowledged before the first fault, " + missing
          + " are missing and " + changed + " changed after the run (zero state loss, I5)");
    }
  }

  private void afterChecks(GameDayTarget target) throws InterruptedException {
    checkState(target);
    pollEvents(target);
    for (Probe p : scenario.steadyState().probes()) {
      if (p instanceof Probe.ApiHealth a) {
        Optional<String> now = target.apiProblem();
        long unavailable;
        synchronized (this) {
          unavailable = apiUnavailableMillis + (apiDownSince >= 0 ? now() - apiDownSince : 0);
        }
        // Not an "after: " check: those mean "did not return to steady state"; the findings below
        // carry the API's deviations.
        checks.add("API after the run (" + target.apiDescription() + "): " + now.map(x -> "unhealthy: " + x)
            .orElse("healthy") + "; unavailable about " + unavailable + " ms during the run");
        if (now.isPresent()) {
          findings.add("the API is still unhealthy after the run: " + now.get());
        }
        if (unavailable > a.maxUnavailableMillis()) {
          findings.add("the API was unavailable for about " + unavailable + " ms, more than the hypothesis allows ("
              + a.maxUnavailableMillis() + " ms)");
        }
      }
    }
    if (scenario.steadyState().has(Probe.LedgerInvariants.class)) {
      checkInvariants(target);
    }
    if (scenario.steadyState().has(Probe.AuditChainIntact.class)) {
      Optional<ChainVerification> v = target.verifyAuditChain();
      if (v.isEmpty()) {
        checks.add("after: audit chain: none (this design keeps no audit chain)");
        findings.add("there is no audit chain to verify: the " + target.mode().yamlName()
            + " design records no decisions (I5)");
      } else {
        checks.add("after: audit chain: " + v.get().message());
        if (!v.get().intact()) {
          findings.add("the audit chain is broken: " + v.get().message() + " (I5)");
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Recording
  // ---------------------------------------------------------------------------------------------

  private void startRecording(GameDayTarget target, Map<String, ProbedEndpoint> probed) {
    recording = true;
    for (Probe.DnsAnswers p : scenario.steadyState().dnsProbes()) {
      String endpoint = target.endpoint(p.service(), p.endpoint());
      repeat(p.intervalMillis(), () -> sample(target, endpoint, probed.get(endpoint)));
    }
    repeat(EVENT_POLL_MILLIS, () -> pollEvents(target));
    for (Probe p : scenario.steadyState().probes()) {
      if (p instanceof Probe.LedgerInvariants li) {
        repeat(li.intervalMillis(), () -> checkInvariants(target));
      } else if (p instanceof Probe.ApiHealth a) {
        repeat(a.intervalMillis(), () -> checkApi(target));
      }
    }
  }

  private void repeat(long intervalMillis, Runnable task) {
    Runnable[] self = new Runnable[1];
    self[0] = () -> {
      if (!recording) {
        return;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        progress.line(now(), "ERROR", "probe failed: " + e);
      }
      if (recording) {
        scheduler.schedule(Duration.ofMillis(intervalMillis), self[0]);
      }
    };
    scheduler.schedule(Duration.ZERO, self[0]);
  }

  private void stopRecording() {
    recording = false;
  }

  private void sample(GameDayTarget target, String endpoint, ProbedEndpoint probe) {
    long at = now();
    DnsObservation o = target.sampleDns(endpoint);
    ProbeSample s = new ProbeSample(endpoint, at, o.failure().isEmpty(), o.addresses().size(), o.markerVersion(),
        o.markerToken());
    String state;
    if (!s.answered()) {
      state = "UNANSWERED (" + o.failure().orElse("") + ")";
    } else if (s.isEmpty()) {
      state = "EMPTY: no address (I1)";
    } else if (s.records() < probe.minRecords()) {
      state = "BELOW TOLERANCE: " + s.records() + " record(s), needs " + probe.minRecords();
    } else {
      state = "answering";
    }
    boolean changed;
    synchronized (this) {
      samples.add(s);
      changed = !state.equals(lastProbeState.put(endpoint, state));
    }
    if (changed) {
      progress.line(at, "dns", endpoint + " " + (state.equals("answering") ? describe(s) : state));
    }
  }

  private static String describe(ProbeSample s) {
    if (!s.answered()) {
      return "did not answer";
    }
    return "answers " + s.records() + " record(s)" + (s.version().isPresent() ? ", marker v" + s.version().getAsLong()
        : ", no marker");
  }

  private void pollEvents(GameDayTarget target) {
    while (true) {
      List<ControlEvent> page = target.events(nextEventId, EVENT_PAGE);
      if (page.isEmpty()) {
        return;
      }
      long observed = now();
      for (ControlEvent e : page) {
        long at = Math.min(e.timeMillis() - t0, observed);
        synchronized (this) {
          events.add(new RunEvent(at, e));
        }
        nextEventId = e.id() + 1;
        if (SHOWN_CODES.contains(e.code())) {
          progress.line(at, "event", e.code() + " " + e.actor() + " " + e.subject()
              + (e.detail().isEmpty() ? "" : ": " + abbreviate(e.detail())));
        }
      }
      if (page.size() < EVENT_PAGE) {
        return;
      }
    }
  }

  private void checkInvariants(GameDayTarget target) {
    Optional<String> v = target.invariantViolation();
    if (v.isPresent()) {
      boolean first;
      synchronized (this) {
        first = violations.add(v.get());
      }
      if (first) {
        progress.line(now(), "BROKEN", "ledger invariant: " + v.get());
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 157) + "...";
  }

  private long now() {
    return scheduler.nowMillis() - t0;
  }

  private void sleep(long millis) throws InterruptedException {
    CountDownLatch l = new CountDownLatch(1);
    scheduler.schedule(Duration.ofMillis(millis), l::countDown);
    if (!l.await(millis + 60_000, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the scheduler did not run a " + millis + " ms timer within a minute");
    }
  }

  private synchronized void abort(String why) {
    if (abortReason == null) {
      abortReason = why;
      progress.line(now(), "ABORT", why);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Judging
  // ---------------------------------------------------------------------------------------------

  private synchronized RunResult result(Map<String, ProbedEndpoint> probed) {
    long end = Math.max(0, now());
    Timeline timeline = new Timeline(end, faults, actions, events, samples, probed, residualDrift,
        scenario.dependencies(), stateCheck);
    Kpis.Values kpis = Kpis.compute(timeline);
    List<String> out = new ArrayList<>();
    Verdict verdict;
    if (abortReason != null) {
      out.add("aborted: " + abortReason);
      verdict = Verdict.ABORTED;
    } else {
      out.addAll(judge(timeline, kpis));
      verdict = out.isEmpty() ? Verdict.HELD : Verdict.DEVIATED;
    }
    return new RunResult(repetition, scenario.mode(), t0, verdict, out, checks, timeline, kpis);
  }

  private List<String> judge(Timeline t, Kpis.Values kpis) {
    List<String> out = new ArrayList<>();
    for (Probe.DnsAnswers p : scenario.steadyState().dnsProbes()) {
      String endpoint = t.probes().entrySet().stream().filter(e -> e.getValue().service().equals(p.service()))
          .map(Map.Entry::getKey).findFirst().orElse(p.service());
      Timeline one = new Timeline(t.endMillis(), List.of(), List.of(), List.of(), t.samples().stream()
          .filter(s -> s.endpoint().equals(endpoint)).toList(), Map.of(endpoint, t.probes().get(endpoint)), 0, Map.of());
      long empty = (long) Kpis.compute(one).get(Kpi.EMPTY_ANSWER_MILLIS).orElse(0);
      if (empty > p.maxEmptyMillis()) {
        out.add(endpoint + " answered with no address for " + empty + " ms (tolerance " + p.maxEmptyMillis()
            + " ms; I1)");
      }
      t.samples().stream().filter(s -> s.endpoint().equals(endpoint) && s.answered() && s.records() > 0
          && s.records() < p.minRecords()).findFirst().ifPresent(s -> out.add(endpoint + " served only " + s.records()
          + " record(s) at " + s.atMillis() + " ms; the hypothesis needs at least " + p.minRecords()));
    }
    checks.stream().filter(c -> c.startsWith("after: ") && !c.startsWith("after: audit chain")
        && !c.startsWith("after: residual drift")).forEach(c -> out.add("did not return to steady state within "
        + scenario.steadyState().convergeWithinMillis() + " ms: " + c.substring("after: ".length())));
    violations.forEach(v -> out.add("ledger invariant broken: " + v));
    for (var c : scenario.successCriteria().kpis().entrySet()) {
      OptionalDouble v = kpis.get(c.getKey());
      if (v.isEmpty()) {
        out.add(c.getKey().yamlName() + " is absent (" + absentMeaning(c.getKey()) + "); expected " + c.getValue());
      } else if (!c.getValue().holds(v.getAsDouble())) {
        out.add(c.getKey().yamlName() + " = " + Kpi.format(v.getAsDouble()) + ", expected " + c.getValue());
      }
    }
    for (Scenario.EventBound b : scenario.successCriteria().events()) {
      long n = t.events().stream().filter(e -> e.atMillis() >= 0 && e.event().code().equals(b.code())).count();
      if (!b.count().holds(n)) {
        out.add(n + " " + b.code() + " event(s) during the run, expected " + b.count());
      }
    }
    out.addAll(findings);
    return out;
  }

  private static String absentMeaning(Kpi k) {
    return switch (k) {
      case MTTD_MILLIS -> "never detected";
      case MTTM_MILLIS -> "never mitigated";
      case MTTR_MILLIS -> "never recovered";
      case MTTHI_MILLIS -> "no operator was paged";
      case CFI -> "no change was made";
      case PROMOTION_DETECT_MILLIS, PROMOTION_MILLIS -> "no shadow was promoted";
      case STATE_LOSS_EVENTS -> "no fault was injected";
      case DEPOSED_WRITES_LANDED -> "nobody was deposed";
      default -> "not measured";
    };
  }
}
