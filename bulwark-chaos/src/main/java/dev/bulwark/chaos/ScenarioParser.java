package dev.bulwark.chaos;

import dev.bulwark.chaos.Scenario.Bound;
import dev.bulwark.chaos.Scenario.EventBound;
import dev.bulwark.chaos.Scenario.Probe;
import dev.bulwark.chaos.Scenario.RollbackAction;
import dev.bulwark.chaos.Scenario.SteadyState;
import dev.bulwark.chaos.Scenario.Step;
import dev.bulwark.chaos.Scenario.SuccessCriteria;
import dev.bulwark.chaos.internal.Fields;
import dev.bulwark.chaos.internal.YamlNode;
import dev.bulwark.chaos.internal.YamlNode.ListNode;
import dev.bulwark.chaos.internal.YamlNode.MapNode;
import dev.bulwark.chaos.internal.YamlNode.ScalarNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads scenario files (the schema is in docs/gamedays.md). Every error is a {@link
 * ScenarioException} naming the file, line, column and field path; unknown keys are errors, so a
 * misspelt tolerance can never be silently ignored.
 */
public final class ScenarioParser {
  private static final long MAX_MILLIS = Scenario.MAX_DURATION_MILLIS;
  private static final Set<String> TOP = Set.of("title", "description", "mode", "durationMillis", "repetitions",
      "topology", "steadyState", "method", "rollbacks", "successCriteria", "dependencies", "legacy");
  private static final Set<String> STEP_COMMON = Set.of("atMillis", "durationMillis", "fault");
  private static final Map<String, Set<String>> ACTION_KEYS = Map.of(
      "propose-delete", Set.of("service", "az"),
      "read-dns", Set.of("service", "az"));
  private static final Map<String, Set<String>> FAULT_KEYS = Map.ofEntries(
      Map.entry("enactor-delay", Set.of("az", "delayMillis", "delaysMillis")),
      Map.entry("latency-skew", Set.of("skewMillis")),
      Map.entry("kill-ledger-peer", Set.of("peer")),
      Map.entry("clock-skew", Set.of("az", "offsetMillis")),
      Map.entry("dns-outage", Set.of()),
      Map.entry("backend-failure", Set.of("service", "count", "percent")),
      Map.entry("health-flapping", Set.of("service", "target", "periodMillis", "az")),
      Map.entry("plan-storm", Set.of("service", "generations", "intervalMillis")),
      Map.entry("kill-controller", Set.of()),
      Map.entry("freeze-controller", Set.of()));

  private ScenarioParser() {}

  /** Reads and validates the scenario file at {@code file}. */
  public static Scenario parse(Path file) throws ScenarioException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ScenarioException(file.toString(), 1, 1, "", "could not read the file: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** Reads and validates scenario {@code text}; {@code source} names it in errors. */
  public static Scenario parse(String source, String text) throws ScenarioException {
    YamlNode root = YamlNode.parse(source, text);
    Fields f = Fields.of(root, TOP);
    String title = f.string("title");
    String description = f.optString("description").orElse("");
    YamlNode modeNode = f.required("mode");
    Mode mode = mode(modeNode);
    long duration = f.integer("durationMillis", 1, MAX_MILLIS);
    int repetitions = (int) f.integer("repetitions", 1, Scenario.MAX_REPETITIONS, 1);
    String topologyName = f.optString("topology").orElse(Topology.DEMO.name());
    Topology topology = Topology.named(topologyName).orElseThrow(() -> f.child("topology").orElseThrow()
        .error("unknown topology; the only one is demo"));
    SteadyState steady = f.child("steadyState").isPresent() ? steadyState(f.child("steadyState").get(), topology)
        : new SteadyState(SteadyState.DEFAULT_WARMUP_MILLIS, SteadyState.DEFAULT_CONVERGE_WITHIN_MILLIS, List.of());
    List<Step> method = new ArrayList<>();
    ListNode steps = Fields.asList(f.required("method"));
    for (YamlNode s : steps.items()) {
      method.add(step(s, duration, topology));
    }
    List<RollbackAction> rollbacks = new ArrayList<>();
    if (f.child("rollbacks").isPresent()) {
      for (YamlNode r : Fields.asList(f.child("rollbacks").get()).items()) {
        rollbacks.add(rollback(r));
      }
    }
    SuccessCriteria criteria = f.child("successCriteria").isPresent() ? criteria(f.child("successCriteria").get())
        : SuccessCriteria.NONE;
    Map<String, List<String>> deps = f.child("dependencies").isPresent()
        ? dependencies(f.child("dependencies").get(), topology) : Map.of();
    Scenario.LegacyFencing fencing = Scenario.LegacyFencing.NONE;
    if (f.child("legacy").isPresent()) {
      Fields legacy = Fields.of(f.child("legacy").get(), Set.of("fencing"));
      String v = legacy.string("fencing");
      fencing = switch (v) {
        case "none" -> Scenario.LegacyFencing.NONE;
        case "timestamp" -> Scenario.LegacyFencing.TIMESTAMP;
        default -> throw legacy.required("fencing").error("must be none or timestamp, but was \"" + v + "\"");
      };
    }
    return new Scenario(source, title, description, mode, duration, repetitions, topologyName, steady, method,
        rollbacks, criteria, deps, fencing);
  }

  private static Mode mode(YamlNode n) throws ScenarioException {
    String m = Fields.text(n);
    for (Mode x : Mode.values()) {
      if (x.yamlName().equals(m)) {
        return x;
      }
    }
    throw n.error("must be safe or legacy, but was \"" + m + "\"");
  }

  private static SteadyState steadyState(YamlNode n, Topology topology) throws ScenarioException {
    Fields f = Fields.of(n, Set.of("warmupMillis", "convergeWithinMillis", "probes"));
    long warmup = f.integer("warmupMillis", 0, MAX_MILLIS, SteadyState.DEFAULT_WARMUP_MILLIS);
    long converge = f.integer("convergeWithinMillis", 0, MAX_MILLIS, SteadyState.DEFAULT_CONVERGE_WITHIN_MILLIS);
    List<Probe> probes = new ArrayList<>();
    if (f.child("probes").isPresent()) {
      for (YamlNode p : Fields.asList(f.child("probes").get()).items()) {
        probes.add(probe(p, topology));
      }
    }
    return new SteadyState(warmup, converge, probes);
  }

  private static final String PROBE_KINDS = "dns-answers, ledger-invariants, audit-chain-intact, api-health";

  private static Probe probe(YamlNode n, Topology topology) throws ScenarioException {
    String kind;
    Optional<YamlNode> body;
    if (n instanceof ScalarNode) {
      kind = Fields.text(n);
      body = Optional.empty();
    } else {
      MapNode m = Fields.asMap(n);
      if (m.entries().size() != 1) {
        throw n.error("must name exactly one probe (" + PROBE_KINDS + "), but has " + m.entries().size() + " keys");
      }
      var e = m.entries().entrySet().iterator().next();
      kind = e.getKey();
      body = e.getValue() instanceof ScalarNode s && s.type() == ScalarNode.Type.NULL ? Optional.empty()
          : Optional.of(e.getValue());
    }
    switch (kind) {
      case "dns-answers" -> {
        YamlNode b = body.orElseThrow(() -> n.errorBelow(kind, "needs at least service"));
        Fields f = Fields.of(b, Set.of("service", "endpoint", "minRecords", "maxEmptyMillis", "intervalMillis"));
        String service = service(f, topology);
        return new Probe.DnsAnswers(service, (int) f.integer("endpoint", 0, 1_999, 0),
            (int) f.integer("minRecords", 0, 64, 1), f.integer("maxEmptyMillis", 0, MAX_MILLIS, 0),
            f.integer("intervalMillis", 10, 10_000, Probe.DnsAnswers.DEFAULT_INTERVAL_MILLIS));
      }
      case "ledger-invariants" -> {
        long interval = Probe.LedgerInvariants.DEFAULT_INTERVAL_MILLIS;
        if (body.isPresent()) {
          interval = Fields.of(body.get(), Set.of("intervalMillis")).integer("intervalMillis", 10, 600_000, interval);
        }
        return new Probe.LedgerInvariants(interval);
      }
      case "api-health" -> {
        long interval = Probe.ApiHealth.DEFAULT_INTERVAL_MILLIS;
        long maxUnavailable = 0;
        if (body.isPresent()) {
          Fields f = Fields.of(body.get(), Set.of("intervalMillis", "maxUnavailableMillis"));
          interval = f.integer("intervalMillis", 10, 60_000, interval);
          maxUnavailable = f.integer("maxUnavailableMillis", 0, MAX_MILLIS, 0);
        }
        return new Probe.ApiHealth(interval, maxUnavailable);
      }
      case "audit-chain-intact" -> {
        if (body.isPresent()) {
          Fields.of(body.get(), Set.of());
        }
        return new Probe.AuditChainIntact();
      }
      default -> throw (n instanceof ScalarNode ? n : ((MapNode) n).entries().get(kind))
          .error("unknown probe \"" + kind + "\"; expected one of: " + PROBE_KINDS);
    }
  }

  private static String service(Fields f, Topology topology) throws ScenarioException {
    String s = f.string("service");
    if (!topology.services().contains(s)) {
      throw f.required("service").error("unknown service \"" + s + "\"; topology " + topology.name() + " has: "
          + String.join(", ", topology.services()));
    }
    return s;
  }

  private static String az(Fields f, String key, Topology topology, String... extra) throws ScenarioException {
    String az = f.string(key);
    if (!topology.azs().contains(az) && !List.of(extra).contains(az)) {
      List<String> ok = new ArrayList<>(List.of(extra));
      ok.addAll(topology.azs());
      throw f.required(key).error("unknown AZ \"" + az + "\"; expected one of: " + String.join(", ", ok));
    }
    return az;
  }

  private static Step step(YamlNode n, long scenarioDuration, Topology topology) throws ScenarioException {
    MapNode m = Fields.asMap(n);
    Fields any = Fields.of(m, allStepKeys());
    if (any.child("fault").isPresent() == any.child("action").isPresent()) {
      throw m.errorBelow("fault", "give exactly one of fault or action");
    }
    if (any.child("action").isPresent()) {
      return actionStep(m, scenarioDuration, topology);
    }
    YamlNode kindNode = any.required("fault");
    String kind = Fields.text(kindNode);
    Set<String> params = FAULT_KEYS.get(kind);
    if (params == null) {
      throw kindNode.error("unknown fault \"" + kind + "\"; expected one of: "
          + String.join(", ", new java.util.TreeSet<>(FAULT_KEYS.keySet())));
    }
    Set<String> allowed = new LinkedHashSet<>(STEP_COMMON);
    allowed.addAll(params);
    Fields f = Fields.of(m, allowed);
    long at = f.integer("atMillis", 0, scenarioDuration - 1);
    OptionalLong duration = f.optInteger("durationMillis", 1, MAX_MILLIS);
    if (duration.isPresent() && at + duration.getAsLong() > scenarioDuration) {
      throw f.required("durationMillis").error("ends at " + (at + duration.getAsLong()) + " ms, after the scenario's"
          + " durationMillis (" + scenarioDuration + "); shorten it or leave it out to let the rollbacks remove"
          + " the fault");
    }
    Fault fault = switch (kind) {
      case "enactor-delay" -> {
        String az = az(f, "az", topology);
        boolean one = f.child("delayMillis").isPresent();
        boolean many = f.child("delaysMillis").isPresent();
        if (one == many) {
          throw m.errorBelow("delayMillis", "give exactly one of delayMillis or delaysMillis");
        }
        yield new Fault.EnactorDelay(az, one ? List.of(f.integer("delayMillis", 0, MAX_MILLIS))
            : Fields.integers(f.required("delaysMillis"), 0, MAX_MILLIS));
      }
      case "latency-skew" -> {
        Fields skew = Fields.of(f.required("skewMillis"), Set.copyOf(topology.azs()));
        Map<String, Long> out = new TreeMap<>();
        for (String az : skew.node().entries().keySet()) {
          out.put(az, skew.integer(az, 0, MAX_MILLIS));
        }
        if (out.isEmpty()) {
          throw f.required("skewMillis").error("must name at least one AZ");
        }
        yield Fault.LatencySkew.of(out);
      }
      case "kill-ledger-peer" -> new Fault.KillLedgerPeer(az(f, "peer", topology, Fault.KillLedgerPeer.LEADER));
      case "clock-skew" -> new Fault.ClockSkew(az(f, "az", topology), f.integer("offsetMillis", -MAX_MILLIS,
          MAX_MILLIS));
      case "dns-outage" -> new Fault.DnsOutage();
      case "backend-failure" -> {
        String service = service(f, topology);
        boolean count = f.child("count").isPresent();
        if (count == f.child("percent").isPresent()) {
          throw m.errorBelow("count", "give exactly one of count or percent");
        }
        yield count ? new Fault.BackendFailure(service, (int) f.integer("count", 1, 10_000), 0)
            : new Fault.BackendFailure(service, 0, (int) f.integer("percent", 1, 100));
      }
      case "health-flapping" -> new Fault.HealthFlapping(service(f, topology), (int) f.integer("target", 0, 10_000, 0),
          f.integer("periodMillis", 10, MAX_MILLIS),
          f.child("az").isPresent() ? az(f, "az", topology, Fault.HealthFlapping.ALL_AZS)
              : Fault.HealthFlapping.ALL_AZS);
      case "plan-storm" -> new Fault.PlanStorm(service(f, topology), (int) f.integer("generations", 1, 1_000),
          f.integer("intervalMillis", 10, MAX_MILLIS));
      case "kill-controller" -> new Fault.KillController();
      case "freeze-controller" -> new Fault.FreezeController();
      default -> throw new IllegalStateException("unreachable: " + kind);
    };
    return new Step(at, duration, fault);
  }

  private static Set<String> allStepKeys() {
    Set<String> all = new LinkedHashSet<>(STEP_COMMON);
    all.add("action");
    FAULT_KEYS.values().forEach(all::addAll);
    ACTION_KEYS.values().forEach(all::addAll);
    return all;
  }

  private static Step actionStep(MapNode m, long scenarioDuration, Topology topology) throws ScenarioException {
    YamlNode kindNode = m.entries().get("action");
    String kind = Fields.text(kindNode);
    Set<String> params = ACTION_KEYS.get(kind);
    if (params == null) {
      throw kindNode.error("unknown action \"" + kind + "\"; expected one of: "
          + String.join(", ", new java.util.TreeSet<>(ACTION_KEYS.keySet())));
    }
    Set<String> allowed = new LinkedHashSet<>(Set.of("atMillis", "action"));
    allowed.addAll(params);
    Fields f = Fields.of(m, allowed);
    long at = f.integer("atMillis", 0, scenarioDuration - 1);
    Action action = switch (kind) {
      case "propose-delete" -> new Action.ProposeDelete(service(f, topology), az(f, "az", topology));
      case "read-dns" -> new Action.ReadDns(service(f, topology), az(f, "az", topology));
      default -> throw new IllegalStateException("unreachable: " + kind);
    };
    return new Step(at, OptionalLong.empty(), action);
  }

  private static RollbackAction rollback(YamlNode n) throws ScenarioException {
    MapNode m = Fields.asMap(n);
    YamlNode actionNode = Fields.of(m, Set.of("action", "millis")).required("action");
    String action = Fields.text(actionNode);
    return switch (action) {
      case "remove-all-faults" -> {
        Fields.of(m, Set.of("action"));
        yield new RollbackAction.RemoveAllFaults();
      }
      case "wait" -> new RollbackAction.Wait(Fields.of(m, Set.of("action", "millis")).integer("millis", 0,
          MAX_MILLIS));
      default -> throw actionNode.error("unknown rollback action \"" + action
          + "\"; expected remove-all-faults or wait");
    };
  }

  private static SuccessCriteria criteria(YamlNode n) throws ScenarioException {
    Set<String> allowed = new LinkedHashSet<>();
    for (Kpi k : Kpi.values()) {
      allowed.add(k.yamlName());
    }
    allowed.add("events");
    Fields f = Fields.of(n, allowed);
    Map<Kpi, Bound> kpis = new LinkedHashMap<>();
    for (var e : f.node().entries().entrySet()) {
      Optional<Kpi> k = Kpi.byYamlName(e.getKey());
      if (k.isPresent()) {
        kpis.put(k.get(), bound(e.getValue()));
      }
    }
    List<EventBound> events = new ArrayList<>();
    if (f.child("events").isPresent()) {
      for (YamlNode e : Fields.asList(f.child("events").get()).items()) {
        Fields ef = Fields.of(e, Set.of("code", "min", "max"));
        String code = ef.string("code");
        if (!code.matches("[A-Z][A-Z0-9_]*")) {
          throw ef.required("code").error("must be an audit code in capitals, such as STALE_WRITE_REFUSED, but was \""
              + code + "\"");
        }
        events.add(new EventBound(code, bound(e)));
      }
    }
    return new SuccessCriteria(kpis, events);
  }

  private static Bound bound(YamlNode n) throws ScenarioException {
    MapNode m = Fields.asMap(n);
    Set<String> allowed = m.entries().containsKey("code") ? Set.of("code", "min", "max") : Set.of("min", "max");
    Fields f = Fields.of(m, allowed);
    OptionalDouble min = f.child("min").isPresent() ? OptionalDouble.of(Fields.number(f.required("min")))
        : OptionalDouble.empty();
    OptionalDouble max = f.child("max").isPresent() ? OptionalDouble.of(Fields.number(f.required("max")))
        : OptionalDouble.empty();
    if (min.isEmpty() && max.isEmpty()) {
      throw n.error("needs min, max or both");
    }
    if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
      throw f.required("min").error("min (" + Kpi.format(min.getAsDouble()) + ") is above max ("
          + Kpi.format(max.getAsDouble()) + ")");
    }
    return new Bound(min, max);
  }

  private static Map<String, List<String>> dependencies(YamlNode n, Topology topology) throws ScenarioException {
    MapNode m = Fields.asMap(n);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (var e : m.entries().entrySet()) {
      List<String> on = new ArrayList<>();
      for (YamlNode item : Fields.asList(e.getValue()).items()) {
        on.add(Fields.text(item));
      }
      out.put(e.getKey(), on);
    }
    for (var e : m.entries().entrySet()) {
      List<YamlNode> items = ((ListNode) e.getValue()).items();
      for (YamlNode item : items) {
        String s = Fields.text(item);
        if (!out.containsKey(s) && !topology.services().contains(s)) {
          throw item.error("\"" + s + "\" is neither a service of topology " + topology.name() + " ("
              + String.join(", ", topology.services()) + ") nor listed under dependencies");
        }
        if (s.equals(e.getKey())) {
          throw item.error("a service can't depend on itself");
        }
      }
    }
    return out;
  }
}
