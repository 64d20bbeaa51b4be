package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.ContentHash;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.internal.BinaryReader;
import dev.bulwark.core.internal.BinaryReader.MalformedInputException;
import dev.bulwark.core.internal.BinaryWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical binary encoding of commands, the form in which they travel to the Raft log.
 *
 * <p>Decoding treats its input as hostile: every count and length is bounded before anything is
 * allocated, every value goes through its validating constructor, and trailing bytes are an error.
 * A client's malformed or oversized command is refused here, before it reaches the log, so it can
 * never poison the log or stop a replica.
 */
public final class Codec {
  private Codec() {}

  /** Largest encoded command accepted, in bytes (a full plan of 2,000 endpoints fits). */
  public static final int MAX_COMMAND_BYTES = 8 * 1024 * 1024;

  /** Longest free-text reason in a command, in characters. */
  public static final int MAX_REASON_CHARS = 1_024;

  /** Shortest and longest authority lease TTL, in ms. */
  public static final long MIN_LEASE_TTL_MILLIS = 100;

  public static final long MAX_LEASE_TTL_MILLIS = 600_000;

  // Hard decode bounds; the ledger's (lower, configurable) limits are checked when applying.
  static final int MAX_NAME_BYTES = 255;
  static final int MAX_TEXT_BYTES = 4 * MAX_REASON_CHARS;
  static final int MAX_ENDPOINTS = 100_000;
  static final int MAX_TARGETS = 1_000;
  static final int MAX_VOTERS = 15;

  private static final int MAGIC = 0xB1;
  private static final int FORMAT = 1;

  static void checkLeaseTtl(long ttlMillis) {
    Check.arg(
        ttlMillis >= MIN_LEASE_TTL_MILLIS && ttlMillis <= MAX_LEASE_TTL_MILLIS,
        "lease TTL must be %d..%d ms, but was %d",
        MIN_LEASE_TTL_MILLIS,
        MAX_LEASE_TTL_MILLIS,
        ttlMillis);
  }

  /** Thrown for bytes that are not a valid command; the message says what is wrong. */
  public static final class MalformedCommandException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedCommandException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private enum Tag {
    REGISTER_SERVICE, UPDATE_POLICY, PROPOSE_PLAN, VOTE, ADVANCE_POINTER, ROLLBACK, ACQUIRE_AUTHORITY,
    RENEW_AUTHORITY, RECORD_APPLIED, MARK_FOR_DELETION, PURGE, PAUSE, RESUME, PIN, UNPIN, APPROVE, REJECT,
    DECOMMISSION, OBSERVE
  }

  /** Encodes a command. */
  public static byte[] encode(Command command) {
    BinaryWriter w = new BinaryWriter();
    w.u8(MAGIC).u8(FORMAT);
    if (command instanceof Command.RegisterService c) {
      w.u8(Tag.REGISTER_SERVICE.ordinal());
      writeDefinition(w, c.definition());
    } else if (command instanceof Command.UpdatePolicy c) {
      w.u8(Tag.UPDATE_POLICY.ordinal()).str(c.service().value());
      writePolicy(w, c.policy());
    } else if (command instanceof Command.ProposePlan c) {
      w.u8(Tag.PROPOSE_PLAN.ordinal());
      c.plan().writeTo(w);
      w.i64(c.token().logIndex());
    } else if (command instanceof Command.Vote c) {
      w.u8(Tag.VOTE.ordinal()).str(c.service().value()).i64(c.generation().value()).str(c.az().value());
      w.bool(c.approve()).str(c.reason());
    } else if (command instanceof Command.AdvancePointer c) {
      w.u8(Tag.ADVANCE_POINTER.ordinal()).str(c.service().value()).i64(c.expectedVersion());
      w.i64(c.generation().value()).i64(c.token().logIndex());
    } else if (command instanceof Command.Rollback c) {
      w.u8(Tag.ROLLBACK.ordinal()).str(c.service().value()).i64(c.toGeneration().value()).str(c.reason());
    } else if (command instanceof Command.AcquireAuthority c) {
      w.u8(Tag.ACQUIRE_AUTHORITY.ordinal()).i64(c.ttlMillis()).bool(c.force());
    } else if (command instanceof Command.RenewAuthority c) {
      w.u8(Tag.RENEW_AUTHORITY.ordinal()).i64(c.ttlMillis()).i64(c.token().logIndex());
    } else if (command instanceof Command.RecordApplied c) {
      w.u8(Tag.RECORD_APPLIED.ordinal()).str(c.service().value()).str(c.endpoint().value()).i64(c.version());
      w.i64(c.generation().value()).str(c.az().value()).i64(c.token().logIndex());
    } else if (command instanceof Command.MarkForDeletion c) {
      w.u8(Tag.MARK_FOR_DELETION.ordinal()).str(c.service().value()).i64(c.generation().value());
      w.i64(c.token().logIndex());
    } else if (command instanceof Command.Purge c) {
      w.u8(Tag.PURGE.ordinal()).str(c.service().value()).i64(c.generation().value()).i64(c.token().logIndex());
    } else if (command instanceof Command.Pause c) {
      w.u8(Tag.PAUSE.ordinal());
      writeScope(w, c.scope());
      w.str(c.reason());
    } else if (command instanceof Command.Resume c) {
      w.u8(Tag.RESUME.ordinal());
      writeScope(w, c.scope());
      w.str(c.reason());
    } else if (command instanceof Command.Pin c) {
      w.u8(Tag.PIN.ordinal()).str(c.service().value()).str(c.reason());
    } else if (command instanceof Command.Unpin c) {
      w.u8(Tag.UNPIN.ordinal()).str(c.service().value()).str(c.reason());
    } else if (command instanceof Command.Approve c) {
      w.u8(Tag.APPROVE.ordinal()).i64(c.pendingId()).str(c.reason());
    } else if (command instanceof Command.Reject c) {
      w.u8(Tag.REJECT.ordinal()).i64(c.pendingId()).str(c.reason());
    } else if (command instanceof Command.Decommission c) {
      w.u8(Tag.DECOMMISSION.ordinal()).str(c.service().value()).str(c.endpoint().value()).str(c.reason());
    } else if (command instanceof Command.Observe c) {
      w.u8(Tag.OBSERVE.ordinal()).str(c.service().value()).bool(c.endpoint().isPresent());
      c.endpoint().ifPresent(e -> w.str(e.value()));
      w.u8(c.kind().ordinal()).str(c.detail()).str(c.az().value());
    } else {
      throw new IllegalStateException("invariant broken: no encoding for " + command.getClass().getName());
    }
    w.str(command.actor().value()).i64(command.timeMillis());
    Check.arg(w.size() <= MAX_COMMAND_BYTES, "command encodes to %d bytes; at most %d are allowed", w.size(),
        MAX_COMMAND_BYTES);
    return w.toByteArray();
  }

  /**
   * Decodes a command, validating everything.
   *
   * @throws MalformedCommandException if the bytes are not exactly one valid command
   */
  public static Command decode(byte[] bytes) {
    if (bytes.length > MAX_COMMAND_BYTES) {
      throw new MalformedCommandException(
          "command is " + bytes.length + " bytes; at most " + MAX_COMMAND_BYTES + " are allowed", null);
    }
    try {
      BinaryReader r = new BinaryReader(bytes);
      int magic = r.u8();
      int format = r.u8();
      if (magic != MAGIC || format != FORMAT) {
        throw new MalformedInputException(String.format(
            "not a Bulwark command (magic 0x%02x format %d; expected 0x%02x format %d)", magic, format, MAGIC,
            FORMAT));
      }
      int tag = r.u8();
      if (tag >= Tag.values().length) {
        throw new MalformedInputException("unknown command tag " + tag);
      }
      Command c = decodeBody(Tag.values()[tag], r);
      r.expectEnd("command");
      return c;
    } catch (MalformedInputException | IllegalArgumentException e) {
      throw new MalformedCommandException("malformed command: " + e.getMessage(), e);
    }
  }

  private static Command decodeBody(Tag tag, BinaryReader r) {
    switch (tag) {
      case REGISTER_SERVICE: {
        ServiceDefinition d = readDefinition(r);
        return new Command.RegisterService(d, actor(r), r.i64());
      }
      case UPDATE_POLICY: {
        ServiceId s = service(r);
        ServicePolicy p = readPolicy(r);
        return new Command.UpdatePolicy(s, p, actor(r), r.i64());
      }
      case PROPOSE_PLAN: {
        Plan p = readPlan(r);
        FencingToken t = FencingToken.of(r.i64());
        return new Command.ProposePlan(p, t, actor(r), r.i64());
      }
      case VOTE: {
        ServiceId s = service(r);
        Generation g = Generation.of(r.i64());
        AzId az = AzId.of(r.str(MAX_NAME_BYTES, "AZ"));
        boolean approve = r.bool();
        String reason = text(r);
        return new Command.Vote(s, g, az, approve, reason, actor(r), r.i64());
      }
      case ADVANCE_POINTER: {
        ServiceId s = service(r);
        long expected = r.i64();
        Generation g = Generation.of(r.i64());
        FencingToken t = FencingToken.of(r.i64());
        return new Command.AdvancePointer(s, expected, g, t, actor(r), r.i64());
      }
      case ROLLBACK: {
        ServiceId s = service(r);
        Generation g = Generation.of(r.i64());
        String reason = text(r);
        return new Command.Rollback(s, g, reason, actor(r), r.i64());
      }
      case ACQUIRE_AUTHORITY: {
        long ttl = r.i64();
        boolean force = r.bool();
        return new Command.AcquireAuthority(ttl, force, actor(r), r.i64());
      }
      case RENEW_AUTHORITY: {
        long ttl = r.i64();
        FencingToken t = FencingToken.of(r.i64());
        return new Command.RenewAuthority(ttl, t, actor(r), r.i64());
      }
      case RECORD_APPLIED: {
        ServiceId s = service(r);
        EndpointName e = EndpointName.of(r.str(MAX_NAME_BYTES, "endpoint"));
        long version = r.i64();
        Generation g = Generation.of(r.i64());
        AzId az = AzId.of(r.str(MAX_NAME_BYTES, "AZ"));
        FencingToken t = FencingToken.of(r.i64());
        return new Command.RecordApplied(s, e, version, g, az, t, actor(r), r.i64());
      }
      case MARK_FOR_DELETION: {
        ServiceId s = service(r);
        Generation g = Generation.of(r.i64());
        FencingToken t = FencingToken.of(r.i64());
        return new Command.MarkForDeletion(s, g, t, actor(r), r.i64());
      }
      case PURGE: {
        ServiceId s = service(r);
        Generation g = Generation.of(r.i64());
        FencingToken t = FencingToken.of(r.i64());
        return new Command.Purge(s, g, t, actor(r), r.i64());
      }
      case PAUSE: {
        PauseScope scope = readScope(r);
        String reason = text(r);
        return new Command.Pause(scope, reason, actor(r), r.i64());
      }
      case RESUME: {
        PauseScope scope = readScope(r);
        String reason = text(r);
        return new Command.Resume(scope, reason, actor(r), r.i64());
      }
      case PIN: {
        ServiceId s = service(r);
        String reason = text(r);
        return new Command.Pin(s, reason, actor(r), r.i64());
      }
      case UNPIN: {
        ServiceId s = service(r);
        String reason = text(r);
        return new Command.Unpin(s, reason, actor(r), r.i64());
      }
      case APPROVE: {
        long id = r.i64();
        String reason = text(r);
        return new Command.Approve(id, reason, actor(r), r.i64());
      }
      case REJECT: {
        long id = r.i64();
        String reason = text(r);
        return new Command.Reject(id, reason, actor(r), r.i64());
      }
      case DECOMMISSION: {
        ServiceId s = service(r);
        EndpointName e = EndpointName.of(r.str(MAX_NAME_BYTES, "endpoint"));
        String reason = text(r);
        return new Command.Decommission(s, e, reason, actor(r), r.i64());
      }
      case OBSERVE: {
        ServiceId s = service(r);
        java.util.Optional<EndpointName> e = r.bool()
            ? java.util.Optional.of(EndpointName.of(r.str(MAX_NAME_BYTES, "endpoint"))) : java.util.Optional.empty();
        int k = r.u8();
        if (k >= Command.Observation.values().length) {
          throw new MalformedInputException("unknown observation kind " + k);
        }
        String detail = text(r);
        AzId az = AzId.of(r.str(MAX_NAME_BYTES, "AZ"));
        return new Command.Observe(s, e, Command.Observation.values()[k], detail, az, actor(r), r.i64());
      }
      default:
        throw new IllegalStateException("invariant broken: tag " + tag + " has no decoder");
    }
  }

  private static ActorId actor(BinaryReader r) {
    return ActorId.of(r.str(MAX_NAME_BYTES, "actor"));
  }

  private static ServiceId service(BinaryReader r) {
    return ServiceId.of(r.str(MAX_NAME_BYTES, "service"));
  }

  private static String text(BinaryReader r) {
    return r.str(MAX_TEXT_BYTES, "reason");
  }

  // ---- shared with snapshots -------------------------------------------------------------------

  static void writeDefinition(BinaryWriter w, ServiceDefinition d) {
    w.str(d.service().value()).i32(d.endpoints().size());
    for (EndpointName e : d.endpoints()) {
      w.str(e.value());
    }
    w.i32(d.voters().size());
    for (AzId az : d.voters()) {
      w.str(az.value());
    }
    writePolicy(w, d.policy());
  }

  static ServiceDefinition readDefinition(BinaryReader r) {
    ServiceId s = service(r);
    int n = r.count(MAX_ENDPOINTS, "endpoint");
    List<EndpointName> endpoints = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      endpoints.add(EndpointName.of(r.str(MAX_NAME_BYTES, "endpoint")));
    }
    int v = r.count(MAX_VOTERS, "voter");
    List<AzId> voters = new ArrayList<>(v);
    for (int i = 0; i < v; i++) {
      voters.add(AzId.of(r.str(MAX_NAME_BYTES, "voter")));
    }
    return ServiceDefinition.of(s, endpoints, voters, readPolicy(r));
  }

  static void writePolicy(BinaryWriter w, ServicePolicy p) {
    w.i32(p.quorum()).i32(p.maxRemovalPercent()).i32(p.maxAdvancesPerWindow()).i64(p.velocityWindowMillis());
    w.i64(p.quarantineTtlMillis());
  }

  static ServicePolicy readPolicy(BinaryReader r) {
    return new ServicePolicy(r.i32(), r.i32(), r.i32(), r.i64(), r.i64());
  }

  static void writeScope(BinaryWriter w, PauseScope s) {
    w.u8(s.kind().ordinal()).str(s.name());
  }

  static PauseScope readScope(BinaryReader r) {
    int k = r.u8();
    if (k >= PauseScope.Kind.values().length) {
      throw new MalformedInputException("unknown pause scope kind " + k);
    }
    return new PauseScope(PauseScope.Kind.values()[k], r.str(MAX_NAME_BYTES, "pause scope"));
  }

  /** Reads what {@link Plan#writeTo} wrote. */
  static Plan readPlan(BinaryReader r) {
    ServiceId s = service(r);
    int n = r.count(MAX_ENDPOINTS, "endpoint");
    Map<EndpointName, List<Target>> endpoints = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      EndpointName e = EndpointName.of(r.str(MAX_NAME_BYTES, "endpoint"));
      int t = r.count(MAX_TARGETS, "target");
      List<Target> targets = new ArrayList<>(t);
      for (int j = 0; j < t; j++) {
        byte[] addr = r.bytes(16, "address");
        if (addr.length != 4 && addr.length != 16) {
          throw new MalformedInputException("an address has 4 or 16 bytes, not " + addr.length);
        }
        int weight = r.i32();
        AzId az = AzId.of(r.str(MAX_NAME_BYTES, "AZ"));
        targets.add(new Target(address(addr), weight, az));
      }
      if (endpoints.put(e, targets) != null) {
        throw new MalformedInputException("endpoint " + e + " appears twice in a plan");
      }
    }
    return Plan.of(s, endpoints);
  }

  private static InetAddress address(byte[] b) {
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new MalformedInputException("bad address length " + b.length);
    }
  }

  static ContentHash readHash(BinaryReader r) {
    return new ContentHash(java.util.HexFormat.of().formatHex(r.raw(32)));
  }
}
