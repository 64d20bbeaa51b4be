package dev.bulwark.chaos.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.chaos.Activity;
import dev.bulwark.chaos.Fault;
import dev.bulwark.chaos.Kpi;
import dev.bulwark.chaos.RunResult;
import dev.bulwark.chaos.Scenario;
import dev.bulwark.chaos.kpi.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The JSON journal of one run: the scenario, every fault window, every control-plane event and
 * probe sample with its time (ms from time zero), the KPIs and the verdict. Absent KPIs are JSON
 * {@code null}. Format version {@value #FORMAT}; fields are only ever added.
 */
public final class Journal {
  /** The journal format version, in the {@code format} field. */
  public static final int FORMAT = 1;

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Journal() {}

  /** Writes the journal of {@code run} of {@code scenario} to {@code file}. */
  public static void write(Scenario scenario, RunResult run, Path file) throws IOException {
    JSON.writeValue(file.toFile(), toJson(scenario, run));
  }

  /** The journal of {@code run} as a JSON tree. */
  public static ObjectNode toJson(Scenario scenario, RunResult run) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    ObjectNode s = root.putObject("scenario");
    s.put("name", scenario.name());
    s.put("source", scenario.source());
    s.put("title", scenario.title());
    s.put("description", scenario.description());
    s.put("mode", run.mode().yamlName());
    s.put("durationMillis", scenario.durationMillis());
    s.put("repetitions", scenario.repetitions());
    ArrayNode method = s.putArray("method");
    for (Scenario.Step step : scenario.method()) {
      ObjectNode m = method.addObject();
      m.put("atMillis", step.atMillis());
      if (step.durationMillis().isPresent()) {
        m.put("durationMillis", step.durationMillis().getAsLong());
      }
      Activity f = step.activity();
      m.put(f instanceof Fault ? "fault" : "action", f.kind());
      m.put("describe", f.describe());
    }
    root.put("repetition", run.repetition());
    root.put("startedAtMillis", run.startedAtMillis());
    root.put("verdict", run.verdict().name());
    root.put("exitCode", run.verdict().exitCode());
    run.findings().forEach(root.putArray("findings")::add);
    run.checks().forEach(root.putArray("checks")::add);
    ObjectNode kpis = root.putObject("kpis");
    for (Kpi k : Kpi.values()) {
      OptionalDouble v = run.kpis().get(k);
      if (v.isPresent()) {
        kpis.put(k.yamlName(), v.getAsDouble());
      } else {
        kpis.putNull(k.yamlName());
      }
    }
    run.kpis().impairedServices().forEach(root.putArray("impairedServices")::add);
    run.kpis().affectedDependents().forEach(root.putArray("affectedDependents")::add);
    Timeline t = run.timeline();
    root.put("endMillis", t.endMillis());
    root.put("residualDrift", t.residualDrift());
    ArrayNode faults = root.putArray("faults");
    for (Timeline.FaultWindow f : t.faults()) {
      ObjectNode o = faults.addObject();
      o.put("id", f.id());
      o.put("kind", f.kind());
      o.put("description", f.description());
      o.put("injectedAtMillis", f.injectedAtMillis());
      if (f.removedAtMillis().isPresent()) {
        o.put("removedAtMillis", f.removedAtMillis().getAsLong());
      } else {
        o.putNull("removedAtMillis");
      }
    }
    ArrayNode actions = root.putArray("actions");
    for (Timeline.ActionRecord a : t.actions()) {
      ObjectNode o = actions.addObject();
      o.put("id", a.id());
      o.put("kind", a.kind());
      o.put("atMillis", a.atMillis());
      o.put("result", a.result());
    }
    ArrayNode events = root.putArray("events");
    for (Timeline.RunEvent e : t.events()) {
      ObjectNode o = events.addObject();
      o.put("atMillis", e.atMillis());
      o.put("id", e.event().id());
      o.put("actor", e.event().actor());
      o.put("action", e.event().action());
      o.put("subject", e.event().subject());
      o.put("accepted", e.event().accepted());
      o.put("code", e.event().code());
      o.put("detail", e.event().detail());
    }
    ArrayNode samples = root.putArray("samples");
    for (Timeline.ProbeSample p : t.samples()) {
      ObjectNode o = samples.addObject();
      o.put("endpoint", p.endpoint());
      o.put("atMillis", p.atMillis());
      o.put("answered", p.answered());
      o.put("records", p.records());
      if (p.version().isPresent()) {
        o.put("version", p.version().getAsLong());
      } else {
        o.putNull("version");
      }
      if (p.token().isPresent()) {
        o.put("token", p.token().getAsLong());
      }
    }
    if (t.stateCheck().isPresent()) {
      ObjectNode c = root.putObject("stateCheck");
      c.put("acknowledged", t.stateCheck().get().acknowledged());
      c.put("missing", t.stateCheck().get().missing());
      c.put("changed", t.stateCheck().get().changed());
    }
    return root;
  }
}
