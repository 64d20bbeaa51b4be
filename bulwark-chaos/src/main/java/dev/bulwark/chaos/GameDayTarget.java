package dev.bulwark.chaos;

import dev.bulwark.core.Check;
import dev.bulwark.core.ledger.ChainVerification;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The port through which the game-day engine drives a running control plane: it injects and
 * removes faults, samples DNS as a user would, reads the audit chain and checks the ledger's
 * invariants. The server implements it over the embedded control plane ({@code bulwark up});
 * tests implement it over an in-process world. The engine owns timing and recording; an
 * implementation only acts and observes.
 *
 * <p>Implementations are thread-safe: the engine samples DNS, reads events and checks invariants
 * from scheduler threads while it injects faults from others. No method may block longer than a
 * few seconds, except {@link Injection#remove} of a fault whose removal must wait (a restarted
 * ledger peer), which is bounded by the implementation.
 */
public interface GameDayTarget extends AutoCloseable {
  /** The design running: safe, or the 2025 legacy design. */
  Mode mode();

  /** The topology's names this target serves (scenarios are validated against it). */
  Topology topology();

  /**
   * The DNS name of a service's {@code index}-th endpoint (in name order), e.g. {@code
   * dynamodb.us-east-1.bulwark.test} for ({@code dynamodb}, 0).
   *
   * @throws IllegalArgumentException if there is no such service or endpoint
   */
  String endpoint(String service, int index);

  /**
   * Injects {@code fault} now and returns the handle that removes it. Throws if the fault can't be
   * injected (e.g. an AZ this target does not have); the engine then aborts the run and still runs
   * the rollbacks.
   */
  Injection inject(Fault fault) throws Exception;

  /**
   * Performs an instant action and returns what happened, in one line (e.g. {@code the ledger
   * refused it: EMPTY_ENDPOINT ...}). Throws if the action can't be attempted at all.
   */
  String perform(Action action) throws Exception;

  /** One DNS query for {@code endpoint}'s records and marker, over the wire; never throws. */
  DnsObservation sampleDns(String endpoint);

  /**
   * Control-plane events with {@code id >= fromId}, oldest first, at most {@code limit}: the audit
   * chain in safe mode; in legacy mode what the 2025 design lets one see (plans added and
   * activated, the active plan deleted, automation stuck).
   */
  List<ControlEvent> events(long fromId, int limit);

  /**
   * The first broken ledger invariant on any live replica, or empty if they all hold. In legacy
   * mode, the plan store's equivalent (the active plan must exist, I4).
   */
  Optional<String> invariantViolation();

  /**
   * One check of the operators' HTTP API: empty if it answered a read with the ledger available,
   * otherwise what went wrong. A design without such an API (legacy mode) answers empty and says so
   * in {@link #apiDescription()}. Never throws.
   */
  default Optional<String> apiProblem() {
    return Optional.of("this target serves no API");
  }

  /** What {@link #apiProblem()} checks, for the journal, e.g. {@code GET http://127.0.0.1:41234/api/v1/cluster}. */
  default String apiDescription() {
    return "no API";
  }

  /** Verifies the audit chain (I5); empty if this design keeps none (legacy mode). */
  Optional<ChainVerification> verifyAuditChain();

  /**
   * Endpoints whose published DNS differs from the control plane's intent right now (records or
   * marker behind the pointer), each with a one-line account; empty when there is no drift (I7).
   */
  List<String> residualDrift();

  /** Stops everything this target started for the game day. */
  @Override
  void close();

  /** The handle of one injected fault. */
  interface Injection {
    /** What was actually done, e.g. {@code killed ledger peer az-b (the leader)}. */
    String description();

    /** Removes the fault (idempotent). */
    void remove() throws Exception;
  }

  /**
   * What one DNS query saw.
   *
   * @param failure why the server did not answer usefully (timeout, unreachable, ...), if so
   * @param addresses the A and AAAA addresses served (empty on failure)
   * @param markerVersion the pointer version in the endpoint's marker, if one was served
   * @param markerGeneration the plan generation in the marker, if one was served
   * @param markerToken the writer's fencing token in the marker, if one was served and it has one
   */
  record DnsObservation(Optional<String> failure, List<String> addresses, OptionalLong markerVersion,
      OptionalLong markerGeneration, OptionalLong markerToken) {
    public DnsObservation {
      Check.notNull(failure, "failure");
      addresses = List.copyOf(addresses);
      Check.notNull(markerVersion, "markerVersion");
      Check.notNull(markerGeneration, "markerGeneration");
      Check.notNull(markerToken, "markerToken");
    }

    /** An observation of a marker without a fencing token (a design that keeps none). */
    public DnsObservation(Optional<String> failure, List<String> addresses, OptionalLong markerVersion,
        OptionalLong markerGeneration) {
      this(failure, addresses, markerVersion, markerGeneration, OptionalLong.empty());
    }

    /** The server did not answer usefully. */
    public static DnsObservation failed(String why) {
      return new DnsObservation(Optional.of(why), List.of(), OptionalLong.empty(), OptionalLong.empty());
    }
  }

  /**
   * One control-plane event, shaped like an audit-chain event.
   *
   * @param id position in the target's event sequence, 0, 1, 2, ...
   * @param timeMillis when it happened, on the sender's clock (ms since the epoch)
   * @param code the outcome code (e.g. {@code POINTER_ADVANCED}, {@code STALE_WRITE_REFUSED}) or the
   *     rejection code; KPIs match on it (docs/kpis.md)
   */
  record ControlEvent(long id, long timeMillis, String actor, String action, String subject, boolean accepted,
      String code, String detail) {
    public ControlEvent {
      Check.arg(id >= 0, "id must be >= 0, but was %d", id);
      Check.notNull(actor, "actor");
      Check.notNull(action, "action");
      Check.notNull(subject, "subject");
      Check.notNull(code, "code");
      Check.notNull(detail, "detail");
    }

    /** The audit event {@code e} as a control event. */
    public static ControlEvent of(dev.bulwark.core.ledger.AuditEvent e) {
      return new ControlEvent(e.id(), e.commandTimeMillis(), e.actor(), e.action(), e.subject(), e.accepted(),
          e.code(), e.detail());
    }
  }

  /** Opens a fresh target for each repetition of a scenario. */
  @FunctionalInterface
  interface Factory {
    /**
     * Starts (or connects to) a control plane running {@code scenario.mode()} for repetition
     * {@code repetition} (1-based). The engine closes it after the run.
     */
    GameDayTarget open(Scenario scenario, int repetition) throws Exception;
  }
}
