package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Epoch;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.internal.BinaryReader;
import dev.bulwark.core.internal.BinaryReader.MalformedInputException;
import dev.bulwark.core.internal.BinaryWriter;

/**
 * The binary encoding of {@link Result}s, the replies a replicated ledger sends back to the client
 * that submitted a command. Like {@link Codec}, decoding validates everything and fails with a
 * message rather than trusting its input.
 */
public final class ResultCodec {
  private ResultCodec() {}

  private static final int MAGIC = 0xB2;
  private static final int FORMAT = 1;
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  private enum Tag {
    SERVICE_REGISTERED, POLICY_UPDATED, PLAN_PROPOSED, VOTE_RECORDED, POINTER_ADVANCED, APPROVAL_REQUIRED,
    ROLLED_BACK, AUTHORITY_GRANTED, AUTHORITY_RENEWED, APPLIED_RECORDED, MARKED_FOR_DELETION, PURGED, PAUSE_CHANGED,
    PIN_CHANGED, PENDING_REJECTED, DECOMMISSION_ALLOWED, OBSERVED
  }

  /** Encodes a result. */
  public static byte[] encode(Result result) {
    BinaryWriter w = new BinaryWriter();
    w.u8(MAGIC).u8(FORMAT).i64(result.logIndex()).i64(result.eventId());
    if (result instanceof Result.Rejected r) {
      w.bool(false).u8(r.code().ordinal()).str(r.message());
      return w.toByteArray();
    }
    w.bool(true);
    writeOutcome(w, ((Result.Accepted) result).outcome());
    return w.toByteArray();
  }

  /**
   * Decodes a result.
   *
   * @throws IllegalArgumentException if the bytes are not exactly one valid result
   */
  public static Result decode(byte[] bytes) {
    try {
      BinaryReader r = new BinaryReader(bytes);
      if (r.u8() != MAGIC || r.u8() != FORMAT) {
        throw new MalformedInputException("not a Bulwark ledger result");
      }
      long logIndex = r.i64();
      long eventId = r.i64();
      Result out;
      if (!r.bool()) {
        int code = r.u8();
        if (code >= RejectCode.values().length) {
          throw new MalformedInputException("unknown reject code " + code);
        }
        out = new Result.Rejected(logIndex, eventId, RejectCode.values()[code], r.str(MAX_MESSAGE_BYTES, "message"));
      } else {
        out = new Result.Accepted(logIndex, eventId, readOutcome(r));
      }
      r.expectEnd("result");
      return out;
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("malformed ledger result: " + e.getMessage(), e);
    }
  }

  private static void writePointer(BinaryWriter w, Pointer p) {
    w.i64(p.version()).i64(p.generation().value());
  }

  private static Pointer readPointer(BinaryReader r) {
    return new Pointer(r.i64(), Generation.of(r.i64()));
  }

  private static void writeOutcome(BinaryWriter w, Outcome o) {
    if (o instanceof Outcome.ServiceRegistered x) {
      w.u8(Tag.SERVICE_REGISTERED.ordinal()).str(x.service().value()).bool(x.created());
    } else if (o instanceof Outcome.PolicyUpdated x) {
      w.u8(Tag.POLICY_UPDATED.ordinal()).str(x.service().value());
    } else if (o instanceof Outcome.PlanProposed x) {
      w.u8(Tag.PLAN_PROPOSED.ordinal()).str(x.service().value()).i64(x.generation().value());
      w.raw(x.contentHash().bytes()).bool(x.idempotent());
    } else if (o instanceof Outcome.VoteRecorded x) {
      w.u8(Tag.VOTE_RECORDED.ordinal()).str(x.service().value()).i64(x.generation().value());
      w.i32(x.approvals()).i32(x.rejections()).u8(x.state().ordinal());
    } else if (o instanceof Outcome.PointerAdvanced x) {
      w.u8(Tag.POINTER_ADVANCED.ordinal()).str(x.service().value());
      writePointer(w, x.previous());
      writePointer(w, x.pointer());
    } else if (o instanceof Outcome.ApprovalRequired x) {
      w.u8(Tag.APPROVAL_REQUIRED.ordinal()).str(x.service().value()).i64(x.pendingId()).i64(x.generation().value());
      w.str(x.why());
    } else if (o instanceof Outcome.RolledBack x) {
      w.u8(Tag.ROLLED_BACK.ordinal()).str(x.service().value()).i64(x.source().value());
      writePointer(w, x.previous());
      writePointer(w, x.pointer());
    } else if (o instanceof Outcome.AuthorityGranted x) {
      w.u8(Tag.AUTHORITY_GRANTED.ordinal()).str(x.holder().value()).i64(x.epoch().value());
      w.i64(x.token().logIndex()).i64(x.expiresAtMillis());
    } else if (o instanceof Outcome.AuthorityRenewed x) {
      w.u8(Tag.AUTHORITY_RENEWED.ordinal()).i64(x.epoch().value()).i64(x.token().logIndex()).i64(x.expiresAtMillis());
    } else if (o instanceof Outcome.AppliedRecorded x) {
      w.u8(Tag.APPLIED_RECORDED.ordinal()).str(x.service().value()).str(x.endpoint().value()).i64(x.version());
      w.i64(x.generation().value());
    } else if (o instanceof Outcome.MarkedForDeletion x) {
      w.u8(Tag.MARKED_FOR_DELETION.ordinal()).str(x.service().value()).i64(x.generation().value());
      w.i64(x.purgeableAtMillis());
    } else if (o instanceof Outcome.Purged x) {
      w.u8(Tag.PURGED.ordinal()).str(x.service().value()).i64(x.generation().value());
    } else if (o instanceof Outcome.PauseChanged x) {
      w.u8(Tag.PAUSE_CHANGED.ordinal());
      Codec.writeScope(w, x.scope());
      w.bool(x.paused());
    } else if (o instanceof Outcome.PinChanged x) {
      w.u8(Tag.PIN_CHANGED.ordinal()).str(x.service().value()).bool(x.pinned());
    } else if (o instanceof Outcome.PendingRejected x) {
      w.u8(Tag.PENDING_REJECTED.ordinal()).str(x.service().value()).i64(x.pendingId());
    } else if (o instanceof Outcome.DecommissionAllowed x) {
      w.u8(Tag.DECOMMISSION_ALLOWED.ordinal()).str(x.service().value()).str(x.endpoint().value());
    } else if (o instanceof Outcome.Observed x) {
      w.u8(Tag.OBSERVED.ordinal()).str(x.service().value()).u8(x.kind().ordinal());
    } else {
      throw new IllegalStateException("invariant broken: no encoding for " + o.getClass().getName());
    }
  }

  private static ServiceId service(BinaryReader r) {
    return ServiceId.of(r.str(Codec.MAX_NAME_BYTES, "service"));
  }

  private static Outcome readOutcome(BinaryReader r) {
    int t = r.u8();
    if (t >= Tag.values().length) {
      throw new MalformedInputException("unknown outcome tag " + t);
    }
    try {
      switch (Tag.values()[t]) {
        case SERVICE_REGISTERED:
          return new Outcome.ServiceRegistered(service(r), r.bool());
        case POLICY_UPDATED:
          return new Outcome.PolicyUpdated(service(r));
        case PLAN_PROPOSED:
          return new Outcome.PlanProposed(service(r), Generation.of(r.i64()), Codec.readHash(r), r.bool());
        case VOTE_RECORDED: {
          ServiceId s = service(r);
          Generation g = Generation.of(r.i64());
          int approvals = r.i32();
          int rejections = r.i32();
          int st = r.u8();
          if (st >= PlanState.values().length) {
            throw new MalformedInputException("unknown plan state " + st);
          }
          return new Outcome.VoteRecorded(s, g, approvals, rejections, PlanState.values()[st]);
        }
        case POINTER_ADVANCED:
          return new Outcome.PointerAdvanced(service(r), readPointer(r), readPointer(r));
        case APPROVAL_REQUIRED:
          return new Outcome.ApprovalRequired(service(r), r.i64(), Generation.of(r.i64()),
              r.str(MAX_MESSAGE_BYTES, "why"));
        case ROLLED_BACK:
          return new Outcome.RolledBack(service(r), Generation.of(r.i64()), readPointer(r), readPointer(r));
        case AUTHORITY_GRANTED:
          return new Outcome.AuthorityGranted(ActorId.of(r.str(Codec.MAX_NAME_BYTES, "holder")), new Epoch(r.i64()),
              FencingToken.of(r.i64()), r.i64());
        case AUTHORITY_RENEWED:
          return new Outcome.AuthorityRenewed(new Epoch(r.i64()), FencingToken.of(r.i64()), r.i64());
        case APPLIED_RECORDED:
          return new Outcome.AppliedRecorded(service(r), EndpointName.of(r.str(Codec.MAX_NAME_BYTES, "endpoint")),
              r.i64(), Generation.of(r.i64()));
        case MARKED_FOR_DELETION:
          return new Outcome.MarkedForDeletion(service(r), Generation.of(r.i64()), r.i64());
        case PURGED:
          return new Outcome.Purged(service(r), Generation.of(r.i64()));
        case PAUSE_CHANGED:
          return new Outcome.PauseChanged(Codec.readScope(r), r.bool());
        case PIN_CHANGED:
          return new Outcome.PinChanged(service(r), r.bool());
        case PENDING_REJECTED:
          return new Outcome.PendingRejected(service(r), r.i64());
        case DECOMMISSION_ALLOWED:
          return new Outcome.DecommissionAllowed(service(r), EndpointName.of(r.str(Codec.MAX_NAME_BYTES, "endpoint")));
        case OBSERVED: {
          ServiceId s = service(r);
          int k = r.u8();
          if (k >= Command.Observation.values().length) {
            throw new MalformedInputException("unknown observation kind " + k);
          }
          return new Outcome.Observed(s, Command.Observation.values()[k]);
        }
        default:
          throw new IllegalStateException("invariant broken: outcome tag " + t + " has no decoder");
      }
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("invalid outcome: " + e.getMessage());
    }
  }
}
