package dev.bulwark.server.api;

import static dev.bulwark.server.api.Views.obj;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Marker;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.ChainVerification;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.PauseScope;
import dev.bulwark.core.ledger.PendingApproval;
import dev.bulwark.core.ledger.RejectCode;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.StoredPlan;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of {@code /api/v1}. Each read is one ledger query, so an answer is consistent at
 * one log index; each action is one ledger command whose actor is the caller's token ({@code
 * api:<name>}), so the audit chain says who did it and why.
 */
final class Routes {
  /** Most repetitions one game day started through the API may run. */
  static final int MAX_GAMEDAY_REPETITIONS = 20;

  /** Default page of plans (the largest is {@link LedgerQuery.Plans#MAX_PAGE}). */
  static final int DEFAULT_PLAN_PAGE = 50;

  /** Default page of endpoints read from DNS in one request (each is a DNS query). */
  static final int DEFAULT_ENDPOINT_PAGE = 50;

  /** Largest page of endpoints read from DNS in one request. */
  static final int MAX_ENDPOINT_PAGE = 200;

  /** Default page of audit events. */
  static final int DEFAULT_AUDIT_PAGE = 100;

  /** Newest audit events the overview searches for pointer moves and operator pages. */
  static final int OVERVIEW_AUDIT_WINDOW = 20_000;

  /** Operator pages (fail-static events) the overview lists, newest first. */
  static final int OVERVIEW_PAGES = 20;

  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

  private final ApiContext context;
  private final ObjectMapper mapper;
  private final ExecutorService dnsPool;

  Routes(ApiContext context, ObjectMapper mapper, ExecutorService dnsPool) {
    this.context = context;
    this.mapper = mapper;
    this.dnsPool = dnsPool;
  }

  /** Answers a request with a JSON body, or a {@link Raw} one. */
  @FunctionalInterface
  interface Handler {
    Object handle(Context ctx, Caller caller) throws Exception;
  }

  /** Registers one route; {@code role} null means no authentication. */
  @FunctionalInterface
  interface Registrar {
    void add(HandlerType method, String path, @Nullable Role role, Handler handler);
  }

  /** A body that is not JSON. */
  record Raw(String contentType, byte[] bytes) {}

  /** Who is calling: empty for unauthenticated routes. */
  record Caller(Optional<ApiToken> token) {
    ActorId actor() {
      return ActorId.of(token.orElseThrow().actor());
    }
  }

  void register(Registrar r, byte[] openApi) {
    r.add(HandlerType.GET, "/healthz", null, (ctx, c) -> obj("status", "ok"));
    r.add(HandlerType.GET, "/api/v1/openapi.json", null, (ctx, c) -> new Raw("application/json", openApi));
    context.metrics.ifPresent(m -> r.add(HandlerType.GET, "/metrics", Role.VIEWER,
        (ctx, c) -> new Raw("text/plain; version=0.0.4; charset=utf-8",
            m.get().getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    r.add(HandlerType.GET, "/api/v1/whoami", Role.VIEWER, (ctx, c) -> whoami(c));
    r.add(HandlerType.GET, "/api/v1/overview", Role.VIEWER, (ctx, c) -> overview());
    r.add(HandlerType.GET, "/api/v1/cluster", Role.VIEWER, (ctx, c) -> cluster());
    r.add(HandlerType.GET, "/api/v1/services", Role.VIEWER, (ctx, c) -> services());
    r.add(HandlerType.GET, "/api/v1/services/{id}", Role.VIEWER, (ctx, c) -> service(ctx));
    r.add(HandlerType.GET, "/api/v1/services/{id}/endpoints", Role.VIEWER, (ctx, c) -> endpoints(ctx));
    r.add(HandlerType.GET, "/api/v1/services/{id}/plans", Role.VIEWER, (ctx, c) -> plans(ctx));
    r.add(HandlerType.GET, "/api/v1/services/{id}/plans/{generation}", Role.VIEWER, (ctx, c) -> plan(ctx));
    r.add(HandlerType.GET, "/api/v1/services/{id}/plans/{a}/diff/{b}", Role.VIEWER, (ctx, c) -> diff(ctx));
    r.add(HandlerType.GET, "/api/v1/approvals", Role.VIEWER, (ctx, c) -> approvals());
    r.add(HandlerType.GET, "/api/v1/audit", Role.VIEWER, (ctx, c) -> audit(ctx));
    r.add(HandlerType.GET, "/api/v1/audit/verify", Role.VIEWER, (ctx, c) -> verify());
    r.add(HandlerType.POST, "/api/v1/pause", Role.OPERATOR, (ctx, c) -> pause(ctx, c, true));
    r.add(HandlerType.POST, "/api/v1/resume", Role.OPERATOR, (ctx, c) -> pause(ctx, c, false));
    r.add(HandlerType.POST, "/api/v1/services/{id}/pin", Role.OPERATOR, (ctx, c) -> pin(ctx, c, true));
    r.add(HandlerType.POST, "/api/v1/services/{id}/unpin", Role.OPERATOR, (ctx, c) -> pin(ctx, c, false));
    r.add(HandlerType.POST, "/api/v1/services/{id}/rollback", Role.OPERATOR, this::rollback);
    r.add(HandlerType.POST, "/api/v1/approvals/{id}/approve", Role.APPROVER, (ctx, c) -> decide(ctx, c, true));
    r.add(HandlerType.POST, "/api/v1/approvals/{id}/reject", Role.APPROVER, (ctx, c) -> decide(ctx, c, false));
    r.add(HandlerType.POST, "/api/v1/authority/promote", Role.APPROVER, this::promote);
    r.add(HandlerType.GET, "/api/v1/gamedays/scenarios", Role.VIEWER, (ctx, c) -> gameDays().scenarios());
    r.add(HandlerType.GET, "/api/v1/gamedays", Role.VIEWER, (ctx, c) -> gameDays().runs());
    r.add(HandlerType.POST, "/api/v1/gamedays", Role.OPERATOR, (ctx, c) -> startGameDay(ctx));
    r.add(HandlerType.GET, "/api/v1/gamedays/{id}", Role.VIEWER, (ctx, c) -> gameDays().run(ctx.pathParam("id"))
        .orElseThrow(() -> ApiProblem.notFound("no game day '" + RequestBody.abbreviate(ctx.pathParam("id"))
            + "'; GET /api/v1/gamedays lists them")));
    r.add(HandlerType.GET, "/api/v1/gamedays/{id}/report", Role.VIEWER, (ctx, c) -> new Raw("text/html; charset=utf-8",
        gameDays().report(ctx.pathParam("id")).orElseThrow(() -> ApiProblem.notFound("game day '"
            + RequestBody.abbreviate(ctx.pathParam("id")) + "' has no report (unknown, still running, or aborted)"))));
  }

  // ---- reads ---------------------------------------------------------------------------------

  private Map<String, @Nullable Object> cluster() {
    List<Map<String, @Nullable Object>> peers = new ArrayList<>();
    Map<String, @Nullable Object> azs = new java.util.TreeMap<>();
    String leader = null;
    String peerError = null;
    try {
      for (ClusterView.Peer p : context.cluster.peers()) {
        peers.add(obj("az", p.az().value(), "address", p.address(), "reachable", p.reachable(), "leader", p.leader(),
            "appliedIndex", p.appliedIndex().isPresent() ? p.appliedIndex().getAsLong() : null));
        azs.put(p.az().value(), obj("reachable", p.reachable()));
        leader = p.leader() ? p.az().value() : leader;
      }
    } catch (RuntimeException e) {
      peerError = "the cluster view failed: " + e.getMessage();
      LOG.warn("GET /api/v1/cluster: {}", peerError);
    }
    Map<String, @Nullable Object> out = obj("peers", peers, "leader", leader, "azs", azs);
    if (peerError != null) {
      out.put("peersError", peerError);
    }
    // The cluster page is what an operator opens when the ledger has no quorum, so it degrades
    // instead of failing: the peers above are still shown.
    try {
      LedgerQuery.Overview o = read(new LedgerQuery.OverviewOf());
      out.put("ledger", obj("available", true, "lastLogIndex", o.lastLogIndex(), "nowMillis", o.nowMillis(),
          "services", o.services(), "pendingApprovals", o.pendingApprovals(), "auditEvents", o.auditEvents()));
      out.put("authority", o.authority().map(l -> (Object) Views.lease(l, o.nowMillis())).orElse(null));
      List<Map<String, @Nullable Object>> pauses = new ArrayList<>();
      o.pauses().forEach((scope, reason) -> pauses.add(obj("scope", scope.kind().name().toLowerCase(
          java.util.Locale.ROOT), "name", scope.kind() == PauseScope.Kind.GLOBAL ? null : scope.name(), "reason",
          reason)));
      out.put("pauses", pauses);
    } catch (ApiProblem p) {
      out.put("ledger", obj("available", false, "error", p.detail));
      out.put("authority", null);
      out.put("pauses", List.of());
    }
    return out;
  }

  private static Object whoami(Caller c) {
    ApiToken t = c.token().orElseThrow();
    return obj("name", t.name(), "role", t.role().label(), "actor", t.actor());
  }

  /**
   * What the console's overview shows, in one answer: the cluster, each service with the time its
   * pointer last moved and each endpoint's DNS state, the pending approvals and the newest operator
   * pages. The reads are separate ledger queries, so parts may be a few log entries apart.
   */
  private Object overview() {
    Map<String, @Nullable Object> cluster = cluster();
    LedgerQuery.Overview o = read(new LedgerQuery.OverviewOf());
    long tailFrom = Math.max(0, o.auditEvents() - OVERVIEW_AUDIT_WINDOW);
    List<Map<String, @Nullable Object>> services = new ArrayList<>();
    for (LedgerQuery.ServiceSummary s : read(new LedgerQuery.ServiceSummaries())) {
      ServiceId id = s.definition().service();
      Map<String, @Nullable Object> view = Views.summary(s);
      Optional<AuditEvent> moved = newest(tailFrom, Optional.of(id), "POINTER_ADVANCED", 1).stream()
          .findFirst();
      Optional<AuditEvent> rolled = newest(tailFrom, Optional.of(id), "ROLLED_BACK", 1).stream().findFirst();
      long since = Math.max(moved.map(AuditEvent::timeMillis).orElse(-1L), rolled.map(AuditEvent::timeMillis)
          .orElse(-1L));
      view.put("pointerSinceMillis", since < 0 ? null : since);
      Optional<LedgerQuery.ServiceDetail> d = read(new LedgerQuery.ServiceDetailOf(id));
      List<Map<String, @Nullable Object>> states = new ArrayList<>();
      boolean drift = false;
      if (d.isPresent()) {
        List<EndpointName> all = List.copyOf(d.get().summary().definition().endpoints());
        view.put("endpointStatesTruncated", all.size() > MAX_ENDPOINT_PAGE);
        for (Map<String, @Nullable Object> e : endpointViews(d.get(), all.subList(0, Math.min(all.size(),
            MAX_ENDPOINT_PAGE)))) {
          states.add(obj("name", e.get("name"), "state", e.get("state"), "drift", e.get("drift")));
          drift |= Boolean.TRUE.equals(e.get("drift"));
        }
      }
      view.put("endpointStates", states);
      view.put("drift", drift);
      services.add(view);
    }
    List<Map<String, @Nullable Object>> approvals = new ArrayList<>();
    read(new LedgerQuery.PendingApprovals()).forEach(p -> approvals.add(Views.pending(p)));
    List<AuditEvent> pages = new ArrayList<>(newest(tailFrom, Optional.empty(), "FAIL_STATIC_PAGE", OVERVIEW_PAGES));
    pages.addAll(newest(tailFrom, Optional.empty(), "FAIL_STATIC_CLEARED", OVERVIEW_PAGES));
    pages.sort(java.util.Comparator.comparingLong(AuditEvent::id).reversed());
    List<Map<String, @Nullable Object>> pageViews = new ArrayList<>();
    pages.stream().limit(OVERVIEW_PAGES).forEach(e -> pageViews.add(Views.event(e)));
    return obj("cluster", cluster, "services", services, "approvals", approvals, "pages", pageViews);
  }

  /** Up to {@code max} newest events with {@code code} from id {@code from} on, newest first. */
  private List<AuditEvent> newest(long from, Optional<ServiceId> service, String code, int max) {
    java.util.ArrayDeque<AuditEvent> last = new java.util.ArrayDeque<>();
    long next = from;
    // Bounded even while events keep arriving: each round scans at least one page forward.
    for (int round = 0; round <= OVERVIEW_AUDIT_WINDOW / LedgerQuery.AuditSearch.MAX_PAGE + 1; round++) {
      LedgerQuery.AuditPage page = read(new LedgerQuery.AuditSearch(next, LedgerQuery.AuditSearch.MAX_PAGE, service,
          Optional.empty(), Optional.of(code)));
      for (AuditEvent e : page.events()) {
        last.addFirst(e);
        if (last.size() > max) {
          last.removeLast();
        }
      }
      if (!page.more() || page.next() <= next) {
        break;
      }
      next = page.next();
    }
    return List.copyOf(last);
  }

  private Object services() {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    read(new LedgerQuery.ServiceSummaries()).forEach(s -> out.add(Views.summary(s)));
    return obj("services", out);
  }

  private LedgerQuery.ServiceDetail detail(ServiceId id) {
    return read(new LedgerQuery.ServiceDetailOf(id)).orElseThrow(() -> ApiProblem.notFound(
        "service '" + id + "' is not registered; GET /api/v1/services lists the services"));
  }

  private Object service(Context ctx) {
    LedgerQuery.ServiceDetail d = detail(service(ctx.pathParam("id")));
    Map<String, @Nullable Object> out = Views.summary(d.summary());
    List<Map<String, @Nullable Object>> eps = new ArrayList<>();
    for (EndpointName e : d.summary().definition().endpoints()) {
      eps.add(obj("name", e.value(), "applied", Views.applied(d.applied().get(e))));
    }
    out.put("endpoints", eps);
    return out;
  }

  private Object endpoints(Context ctx) {
    LedgerQuery.ServiceDetail d = detail(service(ctx.pathParam("id")));
    int limit = (int) queryLong(ctx, "limit", DEFAULT_ENDPOINT_PAGE, 1, MAX_ENDPOINT_PAGE);
    String from = Optional.ofNullable(ctx.queryParam("from")).orElse("");
    return endpointPage(d, from, limit);
  }

  /** One page of endpoints, sorted by name from {@code from} on, with the cursor of the next. */
  private Map<String, @Nullable Object> endpointPage(LedgerQuery.ServiceDetail d, String from, int limit) {
    List<EndpointName> page = new ArrayList<>();
    String next = null;
    for (EndpointName e : d.summary().definition().endpoints()) {
      if (e.value().compareTo(from) < 0) {
        continue;
      }
      if (page.size() == limit) {
        next = e.value();
        break;
      }
      page.add(e);
    }
    return obj("service", d.summary().definition().service().value(), "pointer",
        Views.pointer(d.summary().pointer()), "endpoints", endpointViews(d, page), "next", next);
  }

  /** Each endpoint's plan next to what DNS publishes now, read over the wire (8 reads at a time). */
  private List<Map<String, @Nullable Object>> endpointViews(LedgerQuery.ServiceDetail d, List<EndpointName> page) {
    Pointer pointer = d.summary().pointer();
    Optional<Plan> active = pointer.version() == 0 ? Optional.empty()
        : read(new LedgerQuery.PlanOf(d.summary().definition().service(), pointer.generation()))
            .flatMap(StoredPlan::content);
    List<CompletableFuture<ReadOutcome>> reads = new ArrayList<>();
    for (EndpointName e : page) {
      reads.add(readDns(e));
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(context.ledgerTimeoutMillis);
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (int i = 0; i < page.size(); i++) {
      EndpointName e = page.get(i);
      List<Target> planned = active.map(p -> p.targets(e)).orElse(List.of());
      out.add(endpoint(e, pointer, active.isPresent(), planned, d, awaitDns(reads.get(i), deadline)));
    }
    return out;
  }

  private CompletableFuture<ReadOutcome> readDns(EndpointName e) {
    try {
      return CompletableFuture.supplyAsync(() -> context.dns.apply(e), dnsPool);
    } catch (java.util.concurrent.RejectedExecutionException x) {
      return CompletableFuture.failedFuture(new IllegalStateException("too many DNS reads in progress; retry"));
    }
  }

  /** The DNS answer, or why there is none (failure text) as a {@code String}. */
  private static Object awaitDns(CompletableFuture<ReadOutcome> f, long deadlineNanos) {
    try {
      return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      return "the DNS read did not finish in time";
    } catch (ExecutionException e) {
      return "the DNS read failed: " + e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static Map<String, @Nullable Object> endpoint(EndpointName e, Pointer pointer, boolean hasPlan,
      List<Target> planned, LedgerQuery.ServiceDetail d, Object dns) {
    List<String> expected = new ArrayList<>();
    planned.forEach(t -> expected.add(t.addressText()));
    Map<String, @Nullable Object> out = obj("name", e.value(),
        "ledger", obj("version", pointer.version(), "generation", pointer.generation().value(), "targets",
            Views.targets(planned)),
        "applied", Views.applied(d.applied().get(e)));
    String state;
    @Nullable Boolean drift;
    if (dns instanceof ReadOutcome.Read r) {
      PublishedState s = r.state();
      List<String> published = new ArrayList<>();
      s.addresses().forEach((InetAddress a) -> published.add(a.getHostAddress()));
      Optional<Marker> m = s.marker();
      out.put("dns", obj("addresses", published, "marker", s.rawMarker().orElse(null), "markerVersion",
          m.map(x -> (Object) x.version()).orElse(null), "markerGeneration",
          m.map(x -> (Object) x.generation().value()).orElse(null)));
      boolean sameRecords = published.equals(expected);
      boolean sameMarker = m.isPresent() && m.get().version() == pointer.version()
          && m.get().generation().equals(pointer.generation());
      if (!hasPlan) {
        state = "NO_PLAN";
        drift = false;
      } else if (sameRecords && sameMarker) {
        state = "IN_SYNC";
        drift = false;
      } else if (m.isPresent() && m.get().version() < pointer.version()) {
        state = "BEHIND";
        drift = true;
      } else {
        state = "DIVERGED";
        drift = true;
      }
    } else {
      String why = dns instanceof ReadOutcome.Failed f
          ? f.failure().kind() + ": " + f.failure().detail() : String.valueOf(dns);
      out.put("dns", obj("error", why));
      state = "UNREADABLE";
      drift = null;
    }
    out.put("state", state);
    out.put("drift", drift);
    return out;
  }

  private Object plans(Context ctx) {
    ServiceId id = service(ctx.pathParam("id"));
    long from = queryLong(ctx, "from", 1, 1, Long.MAX_VALUE);
    int limit = (int) queryLong(ctx, "limit", DEFAULT_PLAN_PAGE, 1, LedgerQuery.Plans.MAX_PAGE);
    detail(id);
    List<StoredPlan> plans = read(new LedgerQuery.Plans(id, Generation.of(from), limit));
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    plans.forEach(p -> out.add(Views.plan(p, false)));
    Object next = plans.size() == limit ? plans.get(plans.size() - 1).generation().value() + 1 : null;
    return obj("service", id.value(), "plans", out, "next", next);
  }

  private StoredPlan storedPlan(ServiceId id, long generation) {
    Optional<StoredPlan> p = read(new LedgerQuery.PlanOf(id, Generation.of(generation)));
    if (p.isPresent()) {
      return p.get();
    }
    detail(id);
    throw ApiProblem.notFound("service '" + id + "' has no plan g" + generation);
  }

  private Object plan(Context ctx) {
    ServiceId id = service(ctx.pathParam("id"));
    return Views.plan(storedPlan(id, pathNumber(ctx, "generation", "plan generation")), true);
  }

  private Object diff(Context ctx) {
    ServiceId id = service(ctx.pathParam("id"));
    StoredPlan a = storedPlan(id, pathNumber(ctx, "a", "plan generation"));
    StoredPlan b = storedPlan(id, pathNumber(ctx, "b", "plan generation"));
    for (StoredPlan p : List.of(a, b)) {
      if (p.content().isEmpty()) {
        throw ApiProblem.conflict(RejectCode.PLAN_DELETED, "plan " + p.generation() + " of " + id
            + " was purged; its content is gone, so it can't be compared");
      }
    }
    return obj("service", id.value(), "from", a.generation().value(), "to", b.generation().value(), "endpoints",
        Views.diff(a.plan().endpoints(), b.plan().endpoints()));
  }

  private Object approvals() {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (PendingApproval p : read(new LedgerQuery.PendingApprovals())) {
      out.add(Views.pending(p));
    }
    return obj("approvals", out);
  }

  private Object audit(Context ctx) {
    long from = queryLong(ctx, "from", 0, 0, Long.MAX_VALUE);
    int limit = (int) queryLong(ctx, "limit", DEFAULT_AUDIT_PAGE, 1, LedgerQuery.AuditSearch.MAX_PAGE);
    Optional<ServiceId> service = Optional.ofNullable(ctx.queryParam("service")).map(s -> {
      try {
        return ServiceId.of(s);
      } catch (IllegalArgumentException e) {
        throw ApiProblem.badRequest("query parameter 'service': " + e.getMessage());
      }
    });
    Optional<String> actor = boundedText(ctx, "actor");
    Optional<String> code = boundedText(ctx, "code").map(c -> c.toUpperCase(java.util.Locale.ROOT));
    LedgerQuery.AuditPage page = read(new LedgerQuery.AuditSearch(from, limit, service, actor, code));
    List<Map<String, @Nullable Object>> events = new ArrayList<>();
    for (AuditEvent e : page.events()) {
      events.add(Views.event(e));
    }
    return obj("events", events, "next", page.more() ? page.next() : null, "scannedTo", page.next());
  }

  private static Optional<String> boundedText(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v != null && (v.isEmpty() || v.length() > LedgerQuery.AuditSearch.MAX_FILTER_CHARS)) {
      throw ApiProblem.badRequest("query parameter '" + name + "' must be 1-" + LedgerQuery.AuditSearch.MAX_FILTER_CHARS
          + " characters");
    }
    return Optional.ofNullable(v);
  }

  private Object verify() {
    ChainVerification v = read(new LedgerQuery.VerifyAudit());
    return obj("intact", v.intact(), "eventsChecked", v.eventsChecked(), "firstBadEventId",
        v.firstBadEventId().isPresent() ? v.firstBadEventId().getAsLong() : null, "message", v.message());
  }

  // ---- actions -------------------------------------------------------------------------------

  private Object pause(Context ctx, Caller c, boolean pause) {
    RequestBody body = body(ctx, "scope", "name", "reason");
    String reason = body.reason();
    PauseScope scope = scope(body);
    return act(() -> pause ? new Command.Pause(scope, reason, c.actor(), now())
        : new Command.Resume(scope, reason, c.actor(), now()));
  }

  private static PauseScope scope(RequestBody body) {
    String kind = body.optionalText("scope").orElseThrow(() -> ApiProblem.invalid(
        "field 'scope' is required: one of 'global', 'az' (with 'name') or 'service' (with 'name')"));
    Optional<String> name = body.optionalText("name");
    try {
      return switch (kind) {
        case "global" -> {
          if (name.isPresent()) {
            throw ApiProblem.invalid("a global scope takes no 'name'");
          }
          yield PauseScope.GLOBAL;
        }
        case "az" -> PauseScope.az(AzId.of(name.orElseThrow(() -> ApiProblem.invalid(
            "scope 'az' needs field 'name', the AZ, e.g. \"az-a\""))));
        case "service" -> PauseScope.service(ServiceId.of(name.orElseThrow(() -> ApiProblem.invalid(
            "scope 'service' needs field 'name', the service id"))));
        default -> throw ApiProblem.invalid("field 'scope' must be 'global', 'az' or 'service', but was '"
            + RequestBody.abbreviate(kind) + "'");
      };
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("field 'name': " + e.getMessage());
    }
  }

  private Object pin(Context ctx, Caller c, boolean pin) {
    ServiceId id = service(ctx.pathParam("id"));
    String reason = body(ctx, "reason").reason();
    return act(() -> pin ? new Command.Pin(id, reason, c.actor(), now()) : new Command.Unpin(id, reason, c.actor(),
        now()));
  }

  /**
   * An operator's promotion of the shadow controller: approver role, because it fences the acting
   * primary mid-flight; refused (409) when the ledger refuses, 503 when it can't be reached.
   */
  private Object promote(Context ctx, Caller c) throws InterruptedException {
    String reason = body(ctx, "reason").reason();
    Promoter p = context.promoter.orElseThrow(() -> ApiProblem.notFound(
        "this process runs no controller that can be promoted"));
    Promoter.Outcome out;
    try {
      out = p.promote(c.actor().value(), reason);
    } catch (IllegalStateException e) {
      throw new ApiProblem(409, "cannot-promote", "The controller can't be promoted now", e.getMessage());
    }
    return switch (out.status()) {
      case PROMOTED, ALREADY_PRIMARY -> obj("status", out.status().name(), "controller", out.controller(), "message",
          out.message());
      case REFUSED -> throw new ApiProblem(409, "promotion-refused", "The ledger refused the promotion", out.message());
      case UNAVAILABLE -> throw ApiProblem.unavailable(out.message());
    };
  }

  private GameDays gameDays() {
    return context.gameDays.orElseThrow(() -> ApiProblem.notFound("this process runs no game days"));
  }

  /**
   * Starts a game day in the background (operator: it runs its own fresh embedded Bulwark, never
   * touching this one, but it costs CPU); 202 with its status, 409 while another runs.
   */
  private Object startGameDay(Context ctx) {
    GameDays g = gameDays();
    RequestBody body = body(ctx, "scenario", "mode", "repetitions");
    String scenario = body.requiredText("scenario");
    Optional<String> mode = body.optionalText("mode");
    OptionalLong reps = body.optionalPositive("repetitions");
    if (reps.isPresent() && reps.getAsLong() > MAX_GAMEDAY_REPETITIONS) {
      throw ApiProblem.invalid("repetitions must be 1.." + MAX_GAMEDAY_REPETITIONS + ", but was " + reps.getAsLong());
    }
    try {
      GameDays.Run run = g.start(scenario, mode, reps.isPresent() ? OptionalInt.of((int) reps.getAsLong())
          : OptionalInt.empty());
      ctx.status(202);
      return run;
    } catch (IllegalArgumentException e) {
      throw g.scenarios().stream().anyMatch(s -> s.name().equals(scenario)) ? ApiProblem.invalid(e.getMessage())
          : ApiProblem.notFound(e.getMessage());
    } catch (IllegalStateException e) {
      throw new ApiProblem(409, "gameday-running", "A game day is already running", e.getMessage());
    }
  }

  private Object rollback(Context ctx, Caller c) {
    ServiceId id = service(ctx.pathParam("id"));
    RequestBody body = body(ctx, "reason", "toGeneration");
    String reason = body.reason();
    OptionalLong to = body.optionalPositive("toGeneration");
    Generation target;
    if (to.isPresent()) {
      target = Generation.of(to.getAsLong());
    } else {
      target = detail(id).summary().lastKnownGood().orElseThrow(() -> ApiProblem.conflict(
          RejectCode.NOTHING_TO_ROLL_BACK, "service '" + id + "' has no last-known-good generation yet (the pointer"
              + " has made no automated move); name one with 'toGeneration'"));
    }
    return act(() -> new Command.Rollback(id, target, reason, c.actor(), now()));
  }

  private Object decide(Context ctx, Caller c, boolean approve) {
    long pendingId = pathNumber(ctx, "id", "approval id");
    String reason = body(ctx, "reason").reason();
    return act(() -> approve ? new Command.Approve(pendingId, reason, c.actor(), now())
        : new Command.Reject(pendingId, reason, c.actor(), now()));
  }

  private RequestBody body(Context ctx, String... allowed) {
    return RequestBody.read(ctx, mapper, context.maxBodyBytes, List.of(allowed));
  }

  private long now() {
    return context.clockMillis.getAsLong();
  }

  /** Submits one command and describes what it did; a rejection becomes a problem. */
  private Object act(Supplier<Command> build) {
    Command command;
    try {
      command = build.get();
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(e.getMessage());
    }
    Result r = await(context.ledger.submit(command), command.action());
    if (r instanceof Result.Rejected rej) {
      throw ApiProblem.fromLedger(rej.code(), rej.message()).with("logIndex", rej.logIndex())
          .with("eventId", rej.eventId());
    }
    Result.Accepted a = (Result.Accepted) r;
    Map<String, @Nullable Object> out = obj("accepted", true, "action", command.action(), "code",
        a.outcome().code(), "actor", command.actor().value(), "logIndex", a.logIndex(), "eventId", a.eventId());
    if (a.outcome() instanceof Outcome.PointerAdvanced p) {
      out.put("service", p.service().value());
      out.put("previous", Views.pointer(p.previous()));
      out.put("pointer", Views.pointer(p.pointer()));
    } else if (a.outcome() instanceof Outcome.RolledBack p) {
      out.put("service", p.service().value());
      out.put("source", p.source().value());
      out.put("previous", Views.pointer(p.previous()));
      out.put("pointer", Views.pointer(p.pointer()));
    } else if (a.outcome() instanceof Outcome.PendingRejected p) {
      out.put("service", p.service().value());
      out.put("pendingId", p.pendingId());
    }
    return out;
  }

  // ---- ledger calls and parameters -------------------------------------------------------------

  private <T> T read(LedgerQuery<T> q) {
    return await(context.ledger.read(q), q.getClass().getSimpleName());
  }

  private <T> T await(CompletableFuture<T> f, String what) {
    try {
      return f.get(context.ledgerTimeoutMillis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("ledger did not answer {} within {} ms", what, context.ledgerTimeoutMillis);
      throw ApiProblem.unavailable("the ledger did not answer " + what + " within " + context.ledgerTimeoutMillis
          + " ms (no quorum?); a command may still commit later, so check GET /api/v1/audit before retrying");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.warn("ledger could not serve {}: {}", what, cause.getMessage());
      throw ApiProblem.unavailable("the ledger could not serve " + what + ": " + cause.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiProblem.unavailable("interrupted while waiting for the ledger");
    }
  }

  private static ServiceId service(String raw) {
    try {
      return ServiceId.of(raw);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.notFound("no service '" + RequestBody.abbreviate(raw) + "': " + e.getMessage());
    }
  }

  /** A positive whole number in the path; anything else names no resource (404). */
  private static long pathNumber(Context ctx, String name, String what) {
    String raw = ctx.pathParam(name);
    if (!raw.matches("[0-9]{1,18}") || Long.parseLong(raw) < 1) {
      throw ApiProblem.notFound("no " + what + " '" + RequestBody.abbreviate(raw) + "': it must be a positive"
          + " whole number");
    }
    return Long.parseLong(raw);
  }

  /** A whole-number query parameter within bounds; out of bounds is a 400, never clamped. */
  private static long queryLong(Context ctx, String name, long dflt, long min, long max) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return dflt;
    }
    if (!raw.matches("[0-9]{1,18}")) {
      throw ApiProblem.badRequest("query parameter '" + name + "' must be a whole number " + min + ".." + max
          + ", but was '" + RequestBody.abbreviate(raw) + "'");
    }
    long v = Long.parseLong(raw);
    if (v < min || v > max) {
      throw ApiProblem.badRequest("query parameter '" + name + "' must be " + min + ".." + max + ", but was " + v);
    }
    return v;
  }
}
