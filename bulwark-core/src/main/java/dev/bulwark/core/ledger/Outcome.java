package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.ContentHash;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Epoch;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;

/** What an accepted command did. Each command has its own outcome type. */
public sealed interface Outcome {
  /** A short machine name for the audit chain, e.g. {@code POINTER_ADVANCED}. */
  String code();

  record ServiceRegistered(ServiceId service, boolean created) implements Outcome {
    @Override
    public String code() {
      return created ? "SERVICE_REGISTERED" : "SERVICE_UPDATED";
    }
  }

  record PolicyUpdated(ServiceId service) implements Outcome {
    @Override
    public String code() {
      return "POLICY_UPDATED";
    }
  }

  /** {@code idempotent}: the content equalled the latest plan, whose generation is returned. */
  record PlanProposed(ServiceId service, Generation generation, ContentHash contentHash, boolean idempotent)
      implements Outcome {
    @Override
    public String code() {
      return idempotent ? "PLAN_ALREADY_LATEST" : "PLAN_PROPOSED";
    }
  }

  record VoteRecorded(ServiceId service, Generation generation, int approvals, int rejections, PlanState state)
      implements Outcome {
    @Override
    public String code() {
      return "VOTE_RECORDED";
    }
  }

  record PointerAdvanced(ServiceId service, Pointer previous, Pointer pointer) implements Outcome {
    @Override
    public String code() {
      return "POINTER_ADVANCED";
    }
  }

  /** The step exceeded its budget (I6) and became pending approval {@code pendingId}. */
  record ApprovalRequired(ServiceId service, long pendingId, Generation generation, String why) implements Outcome {
    @Override
    public String code() {
      return "APPROVAL_REQUIRED";
    }
  }

  record RolledBack(ServiceId service, Generation source, Pointer previous, Pointer pointer) implements Outcome {
    @Override
    public String code() {
      return "ROLLED_BACK";
    }
  }

  record AuthorityGranted(ActorId holder, Epoch epoch, FencingToken token, long expiresAtMillis) implements Outcome {
    @Override
    public String code() {
      return "AUTHORITY_GRANTED";
    }
  }

  record AuthorityRenewed(Epoch epoch, FencingToken token, long expiresAtMillis) implements Outcome {
    @Override
    public String code() {
      return "AUTHORITY_RENEWED";
    }
  }

  record AppliedRecorded(ServiceId service, EndpointName endpoint, long version, Generation generation)
      implements Outcome {
    @Override
    public String code() {
      return "APPLIED_RECORDED";
    }
  }

  record MarkedForDeletion(ServiceId service, Generation generation, long purgeableAtMillis) implements Outcome {
    @Override
    public String code() {
      return "MARKED_FOR_DELETION";
    }
  }

  record Purged(ServiceId service, Generation generation) implements Outcome {
    @Override
    public String code() {
      return "PURGED";
    }
  }

  record PauseChanged(PauseScope scope, boolean paused) implements Outcome {
    @Override
    public String code() {
      return paused ? "PAUSED" : "RESUMED";
    }
  }

  record PinChanged(ServiceId service, boolean pinned) implements Outcome {
    @Override
    public String code() {
      return pinned ? "PINNED" : "UNPINNED";
    }
  }

  record PendingRejected(ServiceId service, long pendingId) implements Outcome {
    @Override
    public String code() {
      return "PENDING_REJECTED";
    }
  }

  record DecommissionAllowed(ServiceId service, EndpointName endpoint) implements Outcome {
    @Override
    public String code() {
      return "DECOMMISSION_ALLOWED";
    }
  }

  record Observed(ServiceId service, Command.Observation kind) implements Outcome {
    @Override
    public String code() {
      return kind.name();
    }
  }
}
