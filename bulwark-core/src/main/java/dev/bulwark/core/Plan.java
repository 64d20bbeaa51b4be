package dev.bulwark.core;

import dev.bulwark.core.internal.BinaryWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The desired record sets of all endpoints of one service: for each endpoint, the targets its A and
 * AAAA records should hold. Immutable; identified by its {@link #contentHash()}, a SHA-256 of the
 * canonical encoding, so two plans with equal content have equal hashes on every replica.
 *
 * <p>A plan on its own says nothing about generations or approval; the ledger wraps it in a
 * {@code StoredPlan} when it is proposed. An endpoint with no targets is structurally allowed
 * here and rejected by the ledger unless an operator approved its decommission (invariant I1).
 */
public final class Plan {
  private final ServiceId service;
  private final SortedMap<EndpointName, List<Target>> endpoints;
  private final ContentHash contentHash;

  private Plan(ServiceId service, SortedMap<EndpointName, List<Target>> endpoints) {
    this.service = service;
    this.endpoints = endpoints;
    this.contentHash = ContentHash.sha256(canonicalBytes());
  }

  /**
   * A plan for {@code service}. Targets are put into canonical (address) order; the same address
   * twice within one endpoint is an error.
   */
  public static Plan of(ServiceId service, Map<EndpointName, ? extends List<Target>> endpoints) {
    Check.notNull(service, "plan service");
    Check.notNull(endpoints, "plan endpoints");
    SortedMap<EndpointName, List<Target>> copy = new TreeMap<>();
    for (Map.Entry<EndpointName, ? extends List<Target>> e : endpoints.entrySet()) {
      EndpointName name = Check.notNull(e.getKey(), "endpoint name");
      if (e.getValue() == null) {
        throw new IllegalArgumentException("targets of " + name + " must not be null");
      }
      List<Target> targets = new ArrayList<>(e.getValue());
      Set<Object> seen = new HashSet<>();
      for (Target t : targets) {
        if (t == null) {
          throw new IllegalArgumentException("a target of " + name + " is null");
        }
        if (!seen.add(t.address())) {
          throw new IllegalArgumentException("endpoint " + name + " lists address " + t.addressText() + " twice");
        }
      }
      Collections.sort(targets);
      copy.put(name, List.copyOf(targets));
    }
    return new Plan(service, Collections.unmodifiableSortedMap(copy));
  }

  public ServiceId service() {
    return service;
  }

  /** Endpoint name to its targets, both in canonical order. Unmodifiable. */
  public SortedMap<EndpointName, List<Target>> endpoints() {
    return endpoints;
  }

  /** The targets of {@code endpoint}, or an empty list if the plan does not name it. */
  public List<Target> targets(EndpointName endpoint) {
    return endpoints.getOrDefault(endpoint, List.of());
  }

  public ContentHash contentHash() {
    return contentHash;
  }

  /** Total number of targets over all endpoints. */
  public int targetCount() {
    int n = 0;
    for (List<Target> t : endpoints.values()) {
      n += t.size();
    }
    return n;
  }

  /** Writes the canonical encoding: the input of {@link #contentHash()} and of snapshots. */
  public void writeTo(BinaryWriter w) {
    w.str(service.value());
    w.i32(endpoints.size());
    for (Map.Entry<EndpointName, List<Target>> e : endpoints.entrySet()) {
      w.str(e.getKey().value());
      w.i32(e.getValue().size());
      for (Target t : e.getValue()) {
        w.bytes(t.address().getAddress());
        w.i32(t.weight());
        w.str(t.az().value());
      }
    }
  }

  private byte[] canonicalBytes() {
    BinaryWriter w = new BinaryWriter(64 + 32 * endpoints.size());
    writeTo(w);
    return w.toByteArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Plan p && p.contentHash.equals(contentHash) && p.endpoints.equals(endpoints)
        && p.service.equals(service);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, contentHash);
  }

  @Override
  public String toString() {
    return "Plan[" + service + ", " + endpoints.size() + " endpoints, " + targetCount()
        + " targets, " + contentHash.shortHex() + "]";
  }
}
