package dev.bulwark.chaos.kpi;

import dev.bulwark.chaos.GameDayTarget.ControlEvent;
import dev.bulwark.core.Check;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one run recorded, with every time in milliseconds from the start of the method (time
 * zero). KPIs are computed from this alone, so a journal can be re-scored later.
 *
 * @param endMillis when recording stopped (after rollbacks and convergence)
 * @param probes each probed endpoint with the service it belongs to and its minimum record count
 * @param residualDrift endpoints still drifting after convergence (I7)
 * @param dependencies dependent service to the services it depends on, for the blast radius
 * @param stateCheck the control-plane events acknowledged before the first fault, compared with
 *     what the target holds after the run; empty if no fault was injected
 */
public record Timeline(
    long endMillis,
    List<FaultWindow> faults,
    List<ActionRecord> actions,
    List<RunEvent> events,
    List<ProbeSample> samples,
    Map<String, ProbedEndpoint> probes,
    int residualDrift,
    Map<String, List<String>> dependencies,
    Optional<StateCheck> stateCheck) {

  public Timeline {
    Check.arg(endMillis >= 0, "endMillis must be >= 0, but was %d", endMillis);
    faults = List.copyOf(faults);
    actions = List.copyOf(actions);
    events = List.copyOf(events);
    samples = List.copyOf(samples);
    probes = Collections.unmodifiableMap(new LinkedHashMap<>(probes));
    Check.arg(residualDrift >= 0, "residualDrift must be >= 0, but was %d", residualDrift);
    dependencies = Map.copyOf(dependencies);
    Check.notNull(stateCheck, "stateCheck");
  }

  /** A timeline without a state check (no fault, or a hand-built one). */
  public Timeline(long endMillis, List<FaultWindow> faults, List<ActionRecord> actions, List<RunEvent> events,
      List<ProbeSample> samples, Map<String, ProbedEndpoint> probes, int residualDrift,
      Map<String, List<String>> dependencies) {
    this(endMillis, faults, actions, events, samples, probes, residualDrift, dependencies, Optional.empty());
  }

  /**
   * Zero state loss, checked: every control-plane event that existed when the first fault was
   * injected, read again after the run (docs/kpis.md, {@code stateLossEvents}).
   *
   * @param acknowledged events that existed at the first fault (ids 0 .. acknowledged-1)
   * @param missing of those, how many the target no longer has
   * @param changed of those, how many it holds with different content
   */
  public record StateCheck(long acknowledged, long missing, long changed) {
    public StateCheck {
      Check.arg(acknowledged >= 0 && missing >= 0 && changed >= 0 && missing + changed <= acknowledged,
          "0 <= missing + changed <= acknowledged, but were %d, %d and %d", missing, changed, acknowledged);
    }
  }

  /**
   * One injected fault.
   *
   * @param id the method step's id, {@code f1}, {@code f2}, ...
   * @param removedAtMillis when it was removed; empty if it never was (a failed removal)
   */
  public record FaultWindow(String id, String kind, String description, long injectedAtMillis,
      OptionalLong removedAtMillis) {
    public FaultWindow {
      Check.notNull(id, "id");
      Check.notNull(kind, "kind");
      Check.notNull(description, "description");
      Check.notNull(removedAtMillis, "removedAtMillis");
    }
  }

  /** An action the method performed at {@code atMillis}, and what came of it. */
  public record ActionRecord(String id, String kind, long atMillis, String result) {
    public ActionRecord {
      Check.notNull(id, "id");
      Check.notNull(kind, "kind");
      Check.notNull(result, "result");
    }
  }

  /** A control-plane event at {@code atMillis} from time zero (negative: before the method began). */
  public record RunEvent(long atMillis, ControlEvent event) {
    public RunEvent {
      Check.notNull(event, "event");
    }
  }

  /**
   * One DNS probe sample.
   *
   * @param answered the server answered (NOERROR or NXDOMAIN); false on timeout or unreachable
   * @param records how many addresses the answer held
   * @param version the marker's pointer version, if a marker was served
   * @param token the fencing token of the marker's writer, if a marker with one was served
   */
  public record ProbeSample(String endpoint, long atMillis, boolean answered, int records, OptionalLong version,
      OptionalLong token) {
    public ProbeSample {
      Check.notNull(endpoint, "endpoint");
      Check.arg(records >= 0, "records must be >= 0, but was %d", records);
      Check.notNull(version, "version");
      Check.notNull(token, "token");
    }

    /** A sample of a marker without a fencing token. */
    public ProbeSample(String endpoint, long atMillis, boolean answered, int records, OptionalLong version) {
      this(endpoint, atMillis, answered, records, version, OptionalLong.empty());
    }

    /** An answer with no address at all: what I1 forbids. */
    public boolean isEmpty() {
      return answered && records == 0;
    }
  }

  /** A probed endpoint: its service and the fewest records a healthy answer has. */
  public record ProbedEndpoint(String service, int minRecords) {
    public ProbedEndpoint {
      Check.notNull(service, "service");
    }
  }
}
