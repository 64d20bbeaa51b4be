package dev.bulwark.core.ledger;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.ContentHash;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Epoch;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.internal.BinaryReader;
import dev.bulwark.core.internal.BinaryReader.MalformedInputException;
import dev.bulwark.core.internal.BinaryWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The snapshot encoding of {@link LedgerState}: magic, format version, then every field in a fixed
 * order, collections in their sorted order. Reading validates every value through its constructor
 * and bounds every count; {@link LedgerState#fromSnapshot} then verifies the audit chain and the
 * invariants.
 */
final class Snapshots {
  private Snapshots() {}

  private static final int MAGIC = 0x42574c53; // "BWLS"
  private static final int FORMAT = 1;
  private static final int MAX_COUNT = Integer.MAX_VALUE - 8;

  static byte[] write(LedgerState s) {
    BinaryWriter w = new BinaryWriter(1 << 16);
    w.i32(MAGIC).i32(FORMAT);
    LedgerLimits l = s.limits();
    w.i32(l.maxServices()).i32(l.maxEndpointsPerService()).i32(l.maxTargetsPerEndpoint());
    w.i32(l.maxStoredPlansPerService());
    w.i64(s.lastLogIndex()).i64(s.nowMillis()).i64(s.lastPendingIdForCodec());
    AuthorityLease lease = s.leaseForCodec();
    w.bool(lease != null);
    if (lease != null) {
      w.str(lease.holder().value()).i64(lease.epoch().value()).i64(lease.token().logIndex());
      w.i64(lease.grantedAtMillis()).i64(lease.expiresAtMillis()).i64(lease.eventId());
    }
    w.i32(s.pausesForCodec().size());
    for (Map.Entry<PauseScope, String> e : s.pausesForCodec().entrySet()) {
      Codec.writeScope(w, e.getKey());
      w.str(e.getValue());
    }
    w.i32(s.servicesForCodec().size());
    for (ServiceState svc : s.servicesForCodec().values()) {
      writeService(w, svc);
    }
    AuditChain audit = s.audit();
    w.i64(audit.size());
    for (long i = 0; i < audit.size(); i++) {
      writeEvent(w, audit.get(i));
    }
    return w.toByteArray();
  }

  private static void writeService(BinaryWriter w, ServiceState s) {
    Codec.writeDefinition(w, s.definition);
    w.i64(s.pointer.version()).i64(s.pointer.generation().value()).i64(s.lastKnownGood.value());
    w.bool(s.pinned);
    w.i32(s.plans.size());
    for (StoredPlan p : s.plans.values()) {
      w.i64(p.generation().value()).raw(p.contentHash().bytes()).u8(p.state().ordinal());
      p.content().ifPresent(plan -> plan.writeTo(w));
      w.bool(p.provenance().rollback()).i64(p.provenance().source().value()).i64(p.provenance().replaced().value());
      w.str(p.proposedBy().value()).i64(p.proposedAtMillis()).i64(p.proposalEventId()).i64(p.markedAtMillis());
      w.i64(p.purgeableAtMillis());
      w.i32(p.votes().size());
      for (Ballot b : p.votes().values()) {
        w.str(b.az().value()).bool(b.approve()).str(b.reason()).str(b.actor().value()).i64(b.eventId());
      }
    }
    w.i32(s.moves.size());
    for (PointerMove m : s.moves.values()) {
      w.i64(m.version()).i64(m.generation().value()).i64(m.atMillis()).i64(m.eventId());
    }
    w.i32(s.applied.size());
    for (Map.Entry<EndpointName, AppliedRecord> e : s.applied.entrySet()) {
      AppliedRecord a = e.getValue();
      w.str(e.getKey().value()).i64(a.version()).i64(a.generation().value()).str(a.az().value());
      w.i64(a.atMillis()).i64(a.eventId());
    }
    w.bool(s.pending != null);
    if (s.pending != null) {
      PendingApproval p = s.pending;
      w.i64(p.id()).i64(p.expectedVersion()).i64(p.generation().value()).str(p.reason());
      w.str(p.requestedBy().value()).i64(p.requestedAtMillis()).i64(p.eventId());
    }
    w.i32(s.decommissioned.size());
    for (EndpointName e : s.decommissioned) {
      w.str(e.value());
    }
    w.i32(s.recentAdvances.size());
    for (long t : s.recentAdvances) {
      w.i64(t);
    }
  }

  private static void writeEvent(BinaryWriter w, AuditEvent e) {
    w.i64(e.id()).i64(e.logIndex()).i64(e.timeMillis()).i64(e.commandTimeMillis());
    w.str(e.actor()).str(e.action()).str(e.subject()).bool(e.accepted()).str(e.code()).str(e.detail());
    w.i32(e.parents().size());
    for (long p : e.parents()) {
      w.i64(p);
    }
    w.raw(e.prevHash().bytes()).raw(e.hash().bytes());
  }

  static LedgerState read(byte[] bytes) {
    try {
      BinaryReader r = new BinaryReader(bytes);
      int magic = r.i32();
      int format = r.i32();
      if (magic != MAGIC || format != FORMAT) {
        throw new MalformedInputException(String.format(
            "not a Bulwark ledger snapshot (magic 0x%08x format %d; expected 0x%08x format %d)", magic, format,
            MAGIC, FORMAT));
      }
      LedgerLimits limits = new LedgerLimits(r.i32(), r.i32(), r.i32(), r.i32());
      LedgerState s = new LedgerState(limits);
      long lastLogIndex = r.i64();
      long now = r.i64();
      long lastPendingId = r.i64();
      AuthorityLease lease = null;
      if (r.bool()) {
        lease = new AuthorityLease(ActorId.of(r.str(Codec.MAX_NAME_BYTES, "holder")), new Epoch(r.i64()),
            FencingToken.of(r.i64()), r.i64(), r.i64(), r.i64());
      }
      s.restoreScalars(lastLogIndex, now, lastPendingId, lease);
      int pauses = r.count(MAX_COUNT, "pause");
      for (int i = 0; i < pauses; i++) {
        s.pausesForCodec().put(Codec.readScope(r), r.str(Codec.MAX_TEXT_BYTES, "reason"));
      }
      int services = r.count(limits.maxServices(), "service");
      for (int i = 0; i < services; i++) {
        ServiceState svc = readService(r, limits);
        if (s.servicesForCodec().put(svc.definition.service(), svc) != null) {
          throw new MalformedInputException("service " + svc.definition.service() + " appears twice");
        }
      }
      long events = r.i64();
      if (events < 0 || events > r.remaining() / 64) {
        throw new MalformedInputException("audit event count " + events + " does not fit the remaining bytes");
      }
      for (long i = 0; i < events; i++) {
        s.audit().restore(readEvent(r));
      }
      r.expectEnd("snapshot");
      return s;
    } catch (MalformedInputException | IllegalArgumentException e) {
      throw new IllegalArgumentException("snapshot rejected: " + e.getMessage(), e);
    }
  }

  private static ServiceState readService(BinaryReader r, LedgerLimits limits) {
    ServiceState s = new ServiceState(Codec.readDefinition(r));
    long version = r.i64();
    s.pointer = new Pointer(version, Generation.of(r.i64()));
    s.lastKnownGood = Generation.of(r.i64());
    s.pinned = r.bool();
    int plans = r.count(MAX_COUNT, "plan");
    for (int i = 0; i < plans; i++) {
      Generation g = Generation.of(r.i64());
      ContentHash hash = Codec.readHash(r);
      int st = r.u8();
      if (st >= PlanState.values().length) {
        throw new MalformedInputException("unknown plan state " + st);
      }
      PlanState state = PlanState.values()[st];
      Optional<Plan> content = state.hasContent() ? Optional.of(Codec.readPlan(r)) : Optional.empty();
      Provenance prov = new Provenance(r.bool(), Generation.of(r.i64()), Generation.of(r.i64()));
      ActorId by = ActorId.of(r.str(Codec.MAX_NAME_BYTES, "proposer"));
      long at = r.i64();
      long eventId = r.i64();
      long marked = r.i64();
      long purgeable = r.i64();
      int votes = r.count(Codec.MAX_VOTERS, "vote");
      TreeMap<AzId, Ballot> ballots = new TreeMap<>();
      for (int j = 0; j < votes; j++) {
        Ballot b = new Ballot(AzId.of(r.str(Codec.MAX_NAME_BYTES, "AZ")), r.bool(), r.str(Codec.MAX_TEXT_BYTES, "reason"),
            ActorId.of(r.str(Codec.MAX_NAME_BYTES, "voter")), r.i64());
        ballots.put(b.az(), b);
      }
      s.plans.put(g.value(), new StoredPlan(g, hash, content, state, prov, by, at, eventId, ballots, marked, purgeable));
      if (state.hasContent()) {
        s.storedPlans++;
      }
    }
    int moves = r.count(MAX_COUNT, "pointer move");
    for (int i = 0; i < moves; i++) {
      PointerMove m = new PointerMove(r.i64(), Generation.of(r.i64()), r.i64(), r.i64());
      s.moves.put(m.version(), m);
    }
    int applied = r.count(limits.maxEndpointsPerService(), "applied record");
    for (int i = 0; i < applied; i++) {
      EndpointName e = EndpointName.of(r.str(Codec.MAX_NAME_BYTES, "endpoint"));
      s.applied.put(e, new AppliedRecord(r.i64(), Generation.of(r.i64()), AzId.of(r.str(Codec.MAX_NAME_BYTES, "AZ")),
          r.i64(), r.i64()));
    }
    if (r.bool()) {
      s.pending = new PendingApproval(r.i64(), s.definition.service(), r.i64(), Generation.of(r.i64()),
          r.str(Codec.MAX_TEXT_BYTES, "reason"), ActorId.of(r.str(Codec.MAX_NAME_BYTES, "requester")), r.i64(),
          r.i64());
    }
    int decommissioned = r.count(limits.maxEndpointsPerService(), "decommissioned endpoint");
    for (int i = 0; i < decommissioned; i++) {
      s.decommissioned.add(EndpointName.of(r.str(Codec.MAX_NAME_BYTES, "endpoint")));
    }
    int recent = r.count(ServicePolicy.MAX_ADVANCES_PER_WINDOW_LIMIT, "recent advance");
    for (int i = 0; i < recent; i++) {
      s.recentAdvances.addLast(r.i64());
    }
    return s;
  }

  private static AuditEvent readEvent(BinaryReader r) {
    long id = r.i64();
    long logIndex = r.i64();
    long time = r.i64();
    long commandTime = r.i64();
    String actor = r.str(Codec.MAX_NAME_BYTES, "actor");
    String action = r.str(Codec.MAX_NAME_BYTES, "action");
    String subject = r.str(Codec.MAX_TEXT_BYTES, "subject");
    boolean accepted = r.bool();
    String code = r.str(Codec.MAX_NAME_BYTES, "code");
    String detail = r.str(1 << 20, "detail");
    int n = r.count(1 << 16, "parent");
    List<Long> parents = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      parents.add(r.i64());
    }
    ContentHash prev = Codec.readHash(r);
    ContentHash hash = Codec.readHash(r);
    return new AuditEvent(id, logIndex, time, commandTime, actor, action, subject, accepted, code, detail, parents,
        prev, hash);
  }

}
