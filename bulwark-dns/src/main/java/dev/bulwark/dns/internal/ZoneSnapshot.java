package dev.bulwark.dns.internal;

import dev.bulwark.core.Check;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * One immutable version of an authoritative zone (class IN): its origin and its RRsets by owner
 * name and type.
 *
 * <p>Design note: the server keeps the current snapshot behind an {@code AtomicReference} and
 * replaces it as a whole after each accepted UPDATE (copy-on-write), so queries never see a half
 * applied update and the update evaluator can be a pure function over snapshots. A {@link Builder}
 * copies only the outer map; inner RRset lists are immutable and shared between versions.
 *
 * <p>Invariants, checked whenever a snapshot is built: every owner is at or below the origin,
 * every record is class IN, the apex holds exactly one SOA and at least one NS, no other name
 * holds an SOA, a CNAME owner holds nothing else, and all records of one RRset share one TTL.
 */
public final class ZoneSnapshot {
  private final Name origin;
  private final Map<Name, Map<Integer, List<Record>>> rrsets;
  private final Set<Name> existingNames;
  private final int recordCount;

  private ZoneSnapshot(Name origin, Map<Name, Map<Integer, List<Record>>> rrsets) {
    this.origin = origin;
    this.rrsets = rrsets;
    Set<Name> names = new HashSet<>();
    int count = 0;
    for (Map.Entry<Name, Map<Integer, List<Record>>> e : rrsets.entrySet()) {
      Name owner = e.getKey();
      Check.state(owner.subdomain(origin), "owner %s is outside zone %s", owner, origin);
      Map<Integer, List<Record>> types = e.getValue();
      Check.state(!types.isEmpty(), "owner %s is kept with no RRsets", owner);
      Check.state(
          !types.containsKey(Type.CNAME) || types.size() == 1,
          "CNAME owner %s also holds other types %s",
          owner,
          types.keySet());
      Check.state(
          !types.containsKey(Type.SOA) || owner.equals(origin),
          "SOA at %s, which is not the apex %s",
          owner,
          origin);
      for (List<Record> set : types.values()) {
        Check.state(!set.isEmpty(), "empty RRset kept at %s", owner);
        long ttl = set.get(0).getTTL();
        for (Record r : set) {
          Check.state(r.getDClass() == DClass.IN, "record %s is not class IN", r);
          Check.state(r.getTTL() == ttl, "RRset of %s mixes TTLs", r);
        }
        count += set.size();
      }
      // Every ancestor up to the origin exists too (as an empty non-terminal if it owns nothing),
      // which is what separates NODATA from NXDOMAIN.
      for (Name n = owner; n.subdomain(origin); n = new Name(n, 1)) {
        if (!names.add(n) || n.equals(origin)) {
          break;
        }
      }
    }
    Map<Integer, List<Record>> apex = rrsets.getOrDefault(origin, Map.of());
    Check.state(
        apex.containsKey(Type.SOA) && apex.get(Type.SOA).size() == 1,
        "zone %s must have exactly one SOA at its apex",
        origin);
    Check.state(apex.containsKey(Type.NS), "zone %s must have an NS RRset at its apex", origin);
    this.existingNames = Collections.unmodifiableSet(names);
    this.recordCount = count;
  }

  /**
   * Builds a snapshot from records, normalising each RRset to one TTL (the first record's) the way
   * BIND does. Throws {@link IllegalArgumentException} naming the first record that breaks a zone
   * rule.
   */
  public static ZoneSnapshot of(Name origin, Collection<? extends Record> records) {
    Check.arg(origin.isAbsolute(), "zone origin must be absolute, but was %s", origin);
    Builder b = new Builder(origin, new HashMap<>());
    for (Record r : records) {
      Check.arg(
          r.getName().subdomain(origin),
          "record %s is outside zone %s; every record must be at or below the origin",
          r,
          origin);
      Check.arg(r.getDClass() == DClass.IN, "record %s must be class IN", r);
      Check.arg(Type.isRR(r.getType()), "record %s has a meta type that cannot be stored", r);
      List<Record> existing = b.rrset(r.getName(), r.getType());
      Check.arg(
          !(r.getType() == Type.SOA && (!existing.isEmpty() || !r.getName().equals(origin))),
          "zone %s must have exactly one SOA, at its apex, but found %s",
          origin,
          r);
      boolean cname = r.getType() == Type.CNAME;
      Set<Integer> typesAtOwner = b.typesAt(r.getName());
      Check.arg(
          typesAtOwner.isEmpty()
              || (cname ? typesAtOwner.equals(Set.of(Type.CNAME)) : !typesAtOwner.contains(Type.CNAME)),
          "record %s conflicts with a CNAME at the same name (RFC 1034 §3.6.2)",
          r);
      Check.arg(
          !(cname && !existing.isEmpty() && !existing.contains(r)),
          "name %s has more than one CNAME",
          r.getName());
      b.addToRRset(r);
    }
    Map<Integer, List<Record>> apex = b.data.getOrDefault(origin, Map.of());
    Check.arg(apex.containsKey(Type.SOA), "zone %s has no SOA record at its apex", origin);
    Check.arg(apex.containsKey(Type.NS), "zone %s has no NS record at its apex", origin);
    return b.build();
  }

  /** The zone's apex name. */
  public Name origin() {
    return origin;
  }

  /** The apex SOA record. */
  public SOARecord soa() {
    return (SOARecord) rrset(origin, Type.SOA).get(0);
  }

  /** The SOA serial, an unsigned 32-bit number. */
  public long serial() {
    return soa().getSerial();
  }

  /** True if {@code name} is at or below the origin. */
  public boolean inZone(Name name) {
    return name.subdomain(origin);
  }

  /** The RRset at {@code name} of {@code type}, or an empty list. */
  public List<Record> rrset(Name name, int type) {
    return rrsets.getOrDefault(name, Map.of()).getOrDefault(type, List.of());
  }

  /** All RRsets owned by {@code name}, by type; empty if the name owns nothing. */
  public Map<Integer, List<Record>> rrsetsAt(Name name) {
    return rrsets.getOrDefault(name, Map.of());
  }

  /** True if {@code name} owns at least one record ("name is in use", RFC 2136 §2.4.4). */
  public boolean nameInUse(Name name) {
    return rrsets.containsKey(name);
  }

  /** True if {@code name} owns records or has descendants that do (an empty non-terminal). */
  public boolean nameExists(Name name) {
    return existingNames.contains(name);
  }

  /** Number of records in the zone. */
  public int recordCount() {
    return recordCount;
  }

  /** Every record, the apex SOA first and the rest in canonical DNS order, for storage. */
  public List<Record> records() {
    List<Record> out = new ArrayList<>(recordCount);
    out.add(soa());
    List<Record> rest = new ArrayList<>(recordCount);
    for (Map<Integer, List<Record>> types : rrsets.values()) {
      for (List<Record> set : types.values()) {
        for (Record r : set) {
          if (r.getType() != Type.SOA) {
            rest.add(r);
          }
        }
      }
    }
    rest.sort(Comparator.naturalOrder());
    out.addAll(rest);
    return out;
  }

  /** A mutable copy to derive the next version from; this snapshot stays unchanged. */
  public Builder toBuilder() {
    return new Builder(origin, new HashMap<>(rrsets));
  }

  /**
   * Equal if both hold the same records with the same TTLs. (dnsjava's {@code Record.equals}
   * ignores TTLs, so this compares canonical wire forms, which include them.) Linear in zone size;
   * meant for tests and checks, not hot paths.
   */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ZoneSnapshot other)
        || !origin.equals(other.origin)
        || recordCount != other.recordCount
        || !rrsets.keySet().equals(other.rrsets.keySet())) {
      return false;
    }
    List<Record> mine = records();
    List<Record> theirs = other.records();
    for (int i = 0; i < mine.size(); i++) {
      if (!java.util.Arrays.equals(mine.get(i).toWireCanonical(), theirs.get(i).toWireCanonical())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(origin, recordCount, serial());
  }

  @Override
  public String toString() {
    return "ZoneSnapshot[" + origin + " serial " + serial() + ", " + recordCount + " records]";
  }

  /**
   * A mutable working copy used while applying one UPDATE. Only the outer map is copied; each
   * change replaces the affected owner's type map, so the source snapshot is never mutated.
   */
  public static final class Builder {
    private final Name origin;
    private final Map<Name, Map<Integer, List<Record>>> data;

    private Builder(Name origin, Map<Name, Map<Integer, List<Record>>> data) {
      this.origin = origin;
      this.data = data;
    }

    /** The RRset at {@code name} of {@code type}, or an empty list. */
    public List<Record> rrset(Name name, int type) {
      return data.getOrDefault(name, Map.of()).getOrDefault(type, List.of());
    }

    /** The types present at {@code name}. */
    public Set<Integer> typesAt(Name name) {
      return data.getOrDefault(name, Map.of()).keySet();
    }

    /** Replaces (or, with an empty list, removes) one RRset. */
    public void putRRset(Name name, int type, List<Record> records) {
      Map<Integer, List<Record>> types = new LinkedHashMap<>(data.getOrDefault(name, Map.of()));
      if (records.isEmpty()) {
        types.remove(type);
      } else {
        types.put(type, List.copyOf(records));
      }
      if (types.isEmpty()) {
        data.remove(name);
      } else {
        data.put(name, Collections.unmodifiableMap(types));
      }
    }

    /**
     * Adds {@code r} to its RRset, replacing a record with equal rdata, and gives the whole RRset
     * the new record's TTL (an RRset has one TTL, RFC 2181 §5.2). Returns true if anything changed.
     */
    public boolean addToRRset(Record r) {
      List<Record> old = rrset(r.getName(), r.getType());
      boolean changed = !old.contains(r) || old.stream().anyMatch(o -> o.getTTL() != r.getTTL());
      List<Record> next = new ArrayList<>(old.size() + 1);
      for (Record o : old) {
        if (!o.equals(r)) {
          next.add(o.getTTL() == r.getTTL() ? o : withTtl(o, r.getTTL()));
        }
      }
      next.add(r);
      putRRset(r.getName(), r.getType(), next);
      return changed;
    }

    /** Deletes the record with {@code r}'s rdata; returns true if it was there. */
    public boolean deleteRecord(Record r) {
      List<Record> old = rrset(r.getName(), r.getType());
      List<Record> next = new ArrayList<>(old);
      boolean removed = next.removeIf(r::equals);
      if (removed) {
        putRRset(r.getName(), r.getType(), next);
      }
      return removed;
    }

    /** The finished snapshot; checks every zone invariant again. */
    public ZoneSnapshot build() {
      return new ZoneSnapshot(origin, Map.copyOf(data));
    }
  }

  /** A copy of {@code r} as class IN with {@code ttl}; the rdata is kept in canonical form. */
  static Record withTtl(Record r, long ttl) {
    return Record.newRecord(r.getName(), r.getType(), DClass.IN, ttl, r.rdataToWireCanonical());
  }
}
