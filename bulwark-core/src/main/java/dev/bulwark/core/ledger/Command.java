package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;

/**
 * Everything that can change the ledger. A command is a value: it carries who sent it, the
 * sender's clock reading (the ledger reads no clock of its own; time travels inside commands) and,
 * for automation, the {@link FencingToken} of the authority epoch it acts under.
 *
 * <p>Constructors check only the shape of a command; every decision that depends on ledger state
 * is made by {@link LedgerState#apply} and comes back as a {@link Result}.
 */
public sealed interface Command {
  /** Who sent the command (recorded in the audit chain). */
  ActorId actor();

  /** The sender's wall-clock time in ms since the epoch; used for TTLs and windows, never safety. */
  long timeMillis();

  /** The command's name in the audit chain, e.g. {@code AdvancePointer}. */
  default String action() {
    return getClass().getSimpleName();
  }

  /** Commands that only the current authority holder may send. */
  sealed interface Fenced extends Command {
    FencingToken token();
  }

  /** Latest accepted command time: the end of year 9999, so time arithmetic can never overflow. */
  long MAX_TIME_MILLIS = 253_402_300_799_999L;

  private static void checkTime(long t) {
    Check.arg(
        t >= 0 && t <= MAX_TIME_MILLIS,
        "command time must be 0..%d ms since the epoch, but was %d",
        MAX_TIME_MILLIS,
        t);
  }

  private static String checkReason(String r) {
    Check.notNull(r, "reason");
    // Text must be well-formed Unicode: an unpaired surrogate would not survive UTF-8 encoding,
    // and a replica restored from a snapshot would then hold different text than the original.
    for (int i = 0; i < r.length(); i++) {
      char c = r.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < r.length() && Character.isLowSurrogate(r.charAt(i + 1))) {
        i++;
      } else {
        Check.arg(!Character.isSurrogate(c), "reason must be well-formed Unicode, but has an unpaired surrogate at %d",
            i);
      }
    }
    Check.arg(
        r.length() <= Codec.MAX_REASON_CHARS,
        "reason must be at most %d characters, but was %d",
        Codec.MAX_REASON_CHARS,
        r.length());
    return r;
  }

  /** Registers a service, or replaces its definition (endpoints, voters, policy). */
  record RegisterService(ServiceDefinition definition, ActorId actor, long timeMillis) implements Command {
    public RegisterService {
      Check.notNull(definition, "definition");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Replaces the policy of a registered service. */
  record UpdatePolicy(ServiceId service, ServicePolicy policy, ActorId actor, long timeMillis) implements Command {
    public UpdatePolicy {
      Check.notNull(service, "service");
      Check.notNull(policy, "policy");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Appends an immutable plan; the ledger assigns its generation. */
  record ProposePlan(Plan plan, FencingToken token, ActorId actor, long timeMillis) implements Fenced {
    public ProposePlan {
      Check.notNull(plan, "plan");
      Check.notNull(token, "token");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** One AZ's Validator approves or rejects one plan. One vote per AZ per plan. */
  record Vote(
      ServiceId service, Generation generation, AzId az, boolean approve, String reason, ActorId actor, long timeMillis)
      implements Command {
    public Vote {
      Check.notNull(service, "service");
      Check.notNull(generation, "generation");
      Check.notNull(az, "az");
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /**
   * Compare-and-set of the service's pointer: from {@code expectedVersion} to {@code generation}.
   */
  record AdvancePointer(
      ServiceId service, long expectedVersion, Generation generation, FencingToken token, ActorId actor, long timeMillis)
      implements Fenced {
    public AdvancePointer {
      Check.notNull(service, "service");
      Check.arg(expectedVersion >= 0, "expectedVersion must be >= 0, but was %d", expectedVersion);
      Check.notNull(generation, "generation");
      Check.notNull(token, "token");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** An operator re-publishes a stored plan's content as a new generation (I2: never backwards). */
  record Rollback(ServiceId service, Generation toGeneration, String reason, ActorId actor, long timeMillis)
      implements Command {
    public Rollback {
      Check.notNull(service, "service");
      Check.notNull(toGeneration, "toGeneration");
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /**
   * Takes the authority lease: grants a new epoch whose fencing token is this command's log index.
   * Fails while another holder's lease is live, unless {@code force} (an operator's promotion).
   */
  record AcquireAuthority(long ttlMillis, boolean force, ActorId actor, long timeMillis) implements Command {
    public AcquireAuthority {
      Codec.checkLeaseTtl(ttlMillis);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Extends the holder's lease; keeps the epoch and its token. */
  record RenewAuthority(long ttlMillis, FencingToken token, ActorId actor, long timeMillis) implements Fenced {
    public RenewAuthority {
      Codec.checkLeaseTtl(ttlMillis);
      Check.notNull(token, "token");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** What an Enactor saw published in DNS for one endpoint after writing it. */
  record RecordApplied(
      ServiceId service,
      EndpointName endpoint,
      long version,
      Generation generation,
      AzId az,
      FencingToken token,
      ActorId actor,
      long timeMillis)
      implements Fenced {
    public RecordApplied {
      Check.notNull(service, "service");
      Check.notNull(endpoint, "endpoint");
      Check.arg(version >= 1, "applied version must be >= 1, but was %d", version);
      Check.notNull(generation, "generation");
      Check.notNull(az, "az");
      Check.notNull(token, "token");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Staged deletion, step 1 (I4): an unreferenced plan enters quarantine. */
  record MarkForDeletion(ServiceId service, Generation generation, FencingToken token, ActorId actor, long timeMillis)
      implements Fenced {
    public MarkForDeletion {
      Check.notNull(service, "service");
      Check.notNull(generation, "generation");
      Check.notNull(token, "token");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Staged deletion, step 2 (I4): drops a quarantined plan's content once its TTL is over. */
  record Purge(ServiceId service, Generation generation, FencingToken token, ActorId actor, long timeMillis)
      implements Fenced {
    public Purge {
      Check.notNull(service, "service");
      Check.notNull(generation, "generation");
      Check.notNull(token, "token");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Stops automation in a scope until {@link Resume}. */
  record Pause(PauseScope scope, String reason, ActorId actor, long timeMillis) implements Command {
    public Pause {
      Check.notNull(scope, "scope");
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Lifts a pause. */
  record Resume(PauseScope scope, String reason, ActorId actor, long timeMillis) implements Command {
    public Resume {
      Check.notNull(scope, "scope");
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Holds a service at its current pointer: no advance and no rollback until {@link Unpin}. */
  record Pin(ServiceId service, String reason, ActorId actor, long timeMillis) implements Command {
    public Pin {
      Check.notNull(service, "service");
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** Lifts a pin. */
  record Unpin(ServiceId service, String reason, ActorId actor, long timeMillis) implements Command {
    public Unpin {
      Check.notNull(service, "service");
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** An operator releases a pending step that exceeded its budget; it advances the pointer. */
  record Approve(long pendingId, String reason, ActorId actor, long timeMillis) implements Command {
    public Approve {
      Check.arg(pendingId >= 1, "pendingId must be >= 1, but was %d", pendingId);
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** An operator discards a pending step. */
  record Reject(long pendingId, String reason, ActorId actor, long timeMillis) implements Command {
    public Reject {
      Check.arg(pendingId >= 1, "pendingId must be >= 1, but was %d", pendingId);
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /**
   * An operator allows one endpoint to be planned empty: the only exception to invariant I1. The
   * allowance lasts while the endpoint stays in the service's definition.
   */
  record Decommission(ServiceId service, EndpointName endpoint, String reason, ActorId actor, long timeMillis)
      implements Command {
    public Decommission {
      Check.notNull(service, "service");
      Check.notNull(endpoint, "endpoint");
      reason = checkReason(reason);
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /**
   * An agent's report of something it saw that the ledger must remember (I5): DNS drifting from
   * the ledger, a stale write that DNS refused, a page to an operator. It changes no state but
   * the audit chain, and it is accepted from any actor, fenced or not: a fact stays a fact.
   */
  record Observe(
      ServiceId service,
      java.util.Optional<EndpointName> endpoint,
      Observation kind,
      String detail,
      AzId az,
      ActorId actor,
      long timeMillis)
      implements Command {
    public Observe {
      Check.notNull(service, "service");
      Check.notNull(endpoint, "endpoint");
      Check.notNull(kind, "kind");
      detail = checkReason(detail);
      Check.notNull(az, "az");
      Check.notNull(actor, "actor");
      checkTime(timeMillis);
    }
  }

  /** What an {@link Observe} reports. Names are stable: KPIs and game days match on them. */
  enum Observation {
    /** DNS publishes something other than the ledger's active plan. */
    DRIFT,
    /** The Auditor rewrote drifted records to match the ledger again. */
    REPAIRED,
    /** A write was refused by the DNS compare-and-swap: its writer was stale (I3). */
    STALE_WRITE_REFUSED,
    /** DNS could not be read or written (timeout, refused, not authorized, ...). */
    DNS_UNAVAILABLE,
    /** The Planner distrusts its health checks and failed static; an operator is paged (I6). */
    FAIL_STATIC_PAGE,
    /** The Planner's health view recovered after failing static. */
    FAIL_STATIC_CLEARED,
    /**
     * The shadow controller would decide differently from the primary for longer than its debounce;
     * the detail holds both decisions.
     */
    SHADOW_DIVERGENCE,
    /** An operator asked for a controller to be promoted (forced takeover); the detail holds the reason. */
    PROMOTION_REQUESTED,
    /** A controller took the authority lease: after the holder's lease lapsed, or by an operator's promotion. */
    PROMOTED,
    /** A controller learned that its epoch was superseded and stood down to shadow. */
    FENCED
    // Append only: the wire encoding is the ordinal (Codec, ResultCodec).
  }
}
