package dev.bulwark.chaos.kpi;

import dev.bulwark.chaos.GameDayTarget.ControlEvent;
import dev.bulwark.core.Check;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything one run recorded, with every time in milliseconds from the start of the method (time
 * zero). KPIs are computed from this alone, so a journal can be re-scored later.
 *
 * @param endMillis when recording stopped (after rollbacks and convergence)
 * @param probes each probed endpoint with the service it belongs to and its minimum record count
 * @param residualDrift endpoints still drifting after convergence (I7)
 * @param dependencies dependent service to the services it depends on, for the blast radius
 */
public record Timeline(
    long endMillis,
    List<FaultWindow> faults,
    List<ActionRecord> actions,
    List<RunEvent> events,
    List<ProbeSample> samples,
    Map<String, ProbedEndpoint> probes,
    int residualDrift,
    Map<String, List<String>> dependencies) {

  public Timeline {
    Check.arg(endMillis >= 0, "endMillis must be >= 0, but was %d", endMillis);
    faults = List.copyOf(faults);
    actions = List.copyOf(actions);
    events = List.copyOf(events);
    samples = List.copyOf(samples);
    probes = Collections.unmodifiableMap(new LinkedHashMap<>(probes));
    Check.arg(residualDrift >= 0, "residualDrift must be >= 0, but was %d", residualDrift);
    dependencies = Map.copyOf(dependencies);
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
   */
  public record ProbeSample(String endpoint, long atMillis, boolean answered, int records, OptionalLong version) {
    public ProbeSample {
      Check.notNull(endpoint, "endpoint");
      Check.arg(records >= 0, "records must be >= 0, but was %d", records);
      Check.notNull(version, "version");
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
