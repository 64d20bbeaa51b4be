package dev.bulwark.server.api;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.AppliedRecord;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.AuthorityLease;
import dev.bulwark.core.ledger.Ballot;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.PendingApproval;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.core.ledger.StoredPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The JSON shapes of the API's answers, built from ledger values. Field names here are the ones
 * {@code openapi.json} documents; a change here is a change of the API.
 */
final class Views {
  private Views() {}

  /** An ordered JSON object from name, value pairs. */
  static Map<String, @Nullable Object> obj(@Nullable Object... kv) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(String.valueOf(kv[i]), kv[i + 1]);
    }
    return m;
  }

  static Map<String, @Nullable Object> pointer(Pointer p) {
    return obj("version", p.version(), "generation", p.generation().value());
  }

  static Map<String, @Nullable Object> target(Target t) {
    return obj("address", t.addressText(), "weight", t.weight(), "az", t.az().value());
  }

  static List<Map<String, @Nullable Object>> targets(List<Target> ts) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    ts.forEach(t -> out.add(target(t)));
    return out;
  }

  static Map<String, @Nullable Object> policy(ServicePolicy p) {
    return obj("quorum", p.quorum(), "maxRemovalPercent", p.maxRemovalPercent(), "maxAdvancesPerWindow",
        p.maxAdvancesPerWindow(), "velocityWindowMillis", p.velocityWindowMillis(), "quarantineTtlMillis",
        p.quarantineTtlMillis());
  }

  static Map<String, @Nullable Object> summary(LedgerQuery.ServiceSummary s) {
    ServiceDefinition d = s.definition();
    List<String> endpoints = new ArrayList<>();
    d.endpoints().forEach(e -> endpoints.add(e.value()));
    List<String> voters = new ArrayList<>();
    d.voters().forEach(a -> voters.add(a.value()));
    return obj("id", d.service().value(), "pointer", pointer(s.pointer()), "latestGeneration",
        s.latestGeneration().value(), "lastKnownGood", s.lastKnownGood().map(g -> (Object) g.value()).orElse(null),
        "paused", s.controls().paused(), "pinned", s.controls().pinned(), "endpoints", endpoints, "voters", voters,
        "policy", policy(d.policy()));
  }

  static @Nullable Map<String, @Nullable Object> applied(@Nullable AppliedRecord a) {
    return a == null ? null
        : obj("version", a.version(), "generation", a.generation().value(), "az", a.az().value(), "atMillis",
            a.atMillis(), "eventId", a.eventId());
  }

  static Map<String, @Nullable Object> plan(StoredPlan p, boolean withContent) {
    Map<String, @Nullable Object> m = obj("generation", p.generation().value(), "state", p.state().name(),
        "contentHash", p.contentHash().toString(), "proposedBy", p.proposedBy().value(), "proposedAtMillis",
        p.proposedAtMillis(), "proposalEventId", p.proposalEventId(), "approvals", p.approvals(), "rejections",
        p.rejections(), "rollback", p.provenance().rollback() ? obj("source", p.provenance().source().value(),
            "replaced", p.provenance().replaced().value()) : null,
        "targetCount", p.content().map(c -> (Object) c.targetCount()).orElse(null));
    List<Map<String, @Nullable Object>> votes = new ArrayList<>();
    for (Ballot b : p.votes().values()) {
      votes.add(obj("az", b.az().value(), "approve", b.approve(), "reason", b.reason(), "actor", b.actor().value(),
          "eventId", b.eventId()));
    }
    m.put("votes", votes);
    if (withContent) {
      Map<String, @Nullable Object> eps = new TreeMap<>();
      p.content().ifPresent(c -> c.endpoints().forEach((e, ts) -> eps.put(e.value(), targets(ts))));
      m.put("endpoints", p.content().isPresent() ? eps : null);
    }
    return m;
  }

  static Map<String, @Nullable Object> pending(PendingApproval p) {
    return obj("id", p.id(), "service", p.service().value(), "generation", p.generation().value(), "expectedVersion",
        p.expectedVersion(), "reason", p.reason(), "requestedBy", p.requestedBy().value(), "requestedAtMillis",
        p.requestedAtMillis(), "eventId", p.eventId());
  }

  static Map<String, @Nullable Object> event(AuditEvent e) {
    return obj("id", e.id(), "logIndex", e.logIndex(), "timeMillis", e.timeMillis(), "commandTimeMillis",
        e.commandTimeMillis(), "actor", e.actor(), "action", e.action(), "subject", e.subject(), "accepted",
        e.accepted(), "code", e.code(), "detail", e.detail(), "parents", e.parents(), "hash", e.hash().toString());
  }

  static Map<String, @Nullable Object> lease(AuthorityLease l, long nowMillis) {
    return obj("holder", l.holder().value(), "epoch", l.epoch().value(), "token", l.token().logIndex(),
        "grantedAtMillis", l.grantedAtMillis(), "expiresAtMillis", l.expiresAtMillis(), "expired",
        l.expiredAt(nowMillis));
  }

  /** Per endpoint: targets added, removed and changed (same address, other weight or AZ) from a to b. */
  static List<Map<String, @Nullable Object>> diff(Map<EndpointName, List<Target>> a, Map<EndpointName, List<Target>> b) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    TreeSet<EndpointName> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    for (EndpointName name : names) {
      Map<String, Target> before = byAddress(a.getOrDefault(name, List.of()));
      Map<String, Target> after = byAddress(b.getOrDefault(name, List.of()));
      List<Map<String, @Nullable Object>> added = new ArrayList<>();
      List<Map<String, @Nullable Object>> removed = new ArrayList<>();
      List<Map<String, @Nullable Object>> changed = new ArrayList<>();
      after.forEach((addr, t) -> {
        Target old = before.get(addr);
        if (old == null) {
          added.add(target(t));
        } else if (!old.equals(t)) {
          changed.add(obj("address", addr, "from", obj("weight", old.weight(), "az", old.az().value()), "to",
              obj("weight", t.weight(), "az", t.az().value())));
        }
      });
      before.forEach((addr, t) -> {
        if (!after.containsKey(addr)) {
          removed.add(target(t));
        }
      });
      if (!added.isEmpty() || !removed.isEmpty() || !changed.isEmpty()) {
        out.add(obj("endpoint", name.value(), "added", added, "removed", removed, "changed", changed));
      }
    }
    return out;
  }

  private static Map<String, Target> byAddress(List<Target> ts) {
    Map<String, Target> m = new LinkedHashMap<>();
    ts.forEach(t -> m.put(t.addressText(), t));
    return m;
  }
}
