package dev.bulwark.dns.internal;

import dev.bulwark.core.Check;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * RFC 2136 UPDATE semantics as a pure function: a zone snapshot and the three sections of an
 * UPDATE message in, the next snapshot or an rcode out.
 *
 * <p>Design note: this class does no I/O, reads no clock and keeps no state, so the server, unit
 * tests and a deterministic simulation all run the very same rules. Atomicity comes for free: all
 * checks (§3.1 zone, §3.2 prerequisites, §3.4.1 prescan) run before any change, the changes go to
 * a private {@link ZoneSnapshot.Builder}, and a rejection simply drops that builder.
 *
 * <p>Deliberate limits: only class IN zones; no update-policy beyond "a valid TSIG key may change
 * the whole zone" (which the caller enforces); RFC 2136 §3.4.2.2's WKS rule is not special-cased.
 */
public final class UpdateEvaluator {
  /**
   * Largest zone an update may produce, in records. Every accepted update rewrites the zone file,
   * so this also bounds the cost of one update.
   */
  public static final int MAX_ZONE_RECORDS = 100_000;

  private UpdateEvaluator() {}

  /** The result of evaluating one UPDATE. */
  public sealed interface Result {
    /**
     * The prerequisites held and the update was applied. {@code changed} is false when the update
     * was a no-op (RFC 2136 allows that); then {@code zone} is the input snapshot.
     */
    record Accepted(ZoneSnapshot zone, boolean changed) implements Result {}

    /** Nothing was changed; {@code rcode} goes back to the client, {@code reason} to the log. */
    record Rejected(int rcode, String reason) implements Result {}
  }

  /**
   * Evaluates an UPDATE against {@code zone}. Deterministic: equal inputs give equal outputs.
   *
   * @param zoneSection the message's zone section (RFC 2136 §2.3)
   * @param prerequisites the prerequisite section (§2.4)
   * @param updates the update section (§2.5)
   */
  public static Result evaluate(
      ZoneSnapshot zone, List<Record> zoneSection, List<Record> prerequisites, List<Record> updates) {
    // Each check returns null when it passes; the first rejection wins.
    Result rejected = checkZoneSection(zone, zoneSection);
    if (rejected == null) {
      rejected = checkPrerequisites(zone, prerequisites);
    }
    if (rejected == null) {
      rejected = prescan(zone, updates);
    }
    return rejected != null ? rejected : apply(zone, updates);
  }

  /** RFC 2136 §3.1.1: exactly one zone record, of type SOA, naming the zone we serve. */
  private static @Nullable Result checkZoneSection(ZoneSnapshot zone, List<Record> zoneSection) {
    if (zoneSection.size() != 1) {
      return reject(Rcode.FORMERR, "zone section must hold exactly one record, but held %d", zoneSection.size());
    }
    Record z = zoneSection.get(0);
    if (z.getType() != Type.SOA) {
      return reject(Rcode.FORMERR, "zone record must be of type SOA, but was %s", Type.string(z.getType()));
    }
    if (z.getDClass() != DClass.IN || !z.getName().equals(zone.origin())) {
      return reject(
          Rcode.NOTAUTH,
          "this server is authoritative for %s IN only, but the update names %s %s",
          zone.origin(),
          z.getName(),
          DClass.string(z.getDClass()));
    }
    return null;
  }

  /** RFC 2136 §3.2.5, in the RFC's order; the first failing prerequisite decides the rcode. */
  private static @Nullable Result checkPrerequisites(ZoneSnapshot zone, List<Record> prerequisites) {
    Map<RRsetKey, Set<Record>> valueDependent = new LinkedHashMap<>();
    for (Record rr : prerequisites) {
      if (rr.getTTL() != 0) {
        return reject(Rcode.FORMERR, "prerequisite %s must have TTL 0", rr);
      }
      if (!zone.inZone(rr.getName())) {
        return reject(Rcode.NOTZONE, "prerequisite name %s is outside zone %s", rr.getName(), zone.origin());
      }
      int type = rr.getType();
      int rdlength = rr.rdataToWireCanonical().length;
      if (rr.getDClass() == DClass.ANY) {
        if (rdlength != 0) {
          return reject(Rcode.FORMERR, "prerequisite of class ANY must have no rdata: %s", rr);
        }
        if (type == Type.ANY) {
          if (!zone.nameInUse(rr.getName())) {
            return reject(Rcode.NXDOMAIN, "prerequisite 'name is in use' failed: %s owns no records", rr.getName());
          }
        } else if (zone.rrset(rr.getName(), type).isEmpty()) {
          return reject(
              Rcode.NXRRSET, "prerequisite 'RRset exists' failed: no %s at %s", Type.string(type), rr.getName());
        }
      } else if (rr.getDClass() == DClass.NONE) {
        if (rdlength != 0) {
          return reject(Rcode.FORMERR, "prerequisite of class NONE must have no rdata: %s", rr);
        }
        if (type == Type.ANY) {
          if (zone.nameInUse(rr.getName())) {
            return reject(Rcode.YXDOMAIN, "prerequisite 'name is not in use' failed: %s owns records", rr.getName());
          }
        } else if (!zone.rrset(rr.getName(), type).isEmpty()) {
          return reject(
              Rcode.YXRRSET,
              "prerequisite 'RRset does not exist' failed: %s at %s exists",
              Type.string(type),
              rr.getName());
        }
      } else if (rr.getDClass() == DClass.IN) {
        if (!Type.isRR(type)) {
          return reject(Rcode.FORMERR, "value-dependent prerequisite must have a data type, but was %s", rr);
        }
        valueDependent
            .computeIfAbsent(new RRsetKey(rr.getName(), type), k -> new HashSet<>())
            .add(rr);
      } else {
        return reject(Rcode.FORMERR, "prerequisite class must be ANY, NONE or IN, but was %s", rr);
      }
    }
    for (Map.Entry<RRsetKey, Set<Record>> e : valueDependent.entrySet()) {
      RRsetKey key = e.getKey();
      // Record equality ignores TTL and compares rdata in canonical form, as §2.4.2 requires.
      if (!new HashSet<>(zone.rrset(key.name(), key.type())).equals(e.getValue())) {
        return reject(
            Rcode.NXRRSET,
            "prerequisite 'RRset exists (value dependent)' failed: %s %s differs from the zone",
            key.name(),
            Type.string(key.type()));
      }
    }
    return null;
  }

  /** RFC 2136 §3.4.1.3: reject a malformed update section before changing anything. */
  private static @Nullable Result prescan(ZoneSnapshot zone, List<Record> updates) {
    for (Record rr : updates) {
      if (!zone.inZone(rr.getName())) {
        return reject(Rcode.NOTZONE, "update name %s is outside zone %s", rr.getName(), zone.origin());
      }
      int type = rr.getType();
      int rdlength = rr.rdataToWireCanonical().length;
      if (rr.getDClass() == DClass.IN) {
        if (!Type.isRR(type)) {
          return reject(Rcode.FORMERR, "cannot add a record of meta type %s", Type.string(type));
        }
      } else if (rr.getDClass() == DClass.ANY) {
        if (rr.getTTL() != 0 || rdlength != 0 || (type != Type.ANY && !Type.isRR(type))) {
          return reject(Rcode.FORMERR, "delete-RRset update must have TTL 0, no rdata and a data type: %s", rr);
        }
      } else if (rr.getDClass() == DClass.NONE) {
        if (rr.getTTL() != 0 || !Type.isRR(type)) {
          return reject(Rcode.FORMERR, "delete-RR update must have TTL 0 and a data type: %s", rr);
        }
      } else {
        return reject(Rcode.FORMERR, "update class must be IN, ANY or NONE, but was %s", rr);
      }
    }
    return null;
  }

  /** RFC 2136 §3.4.2, including the special rules for SOA, NS and CNAME. */
  private static Result apply(ZoneSnapshot zone, List<Record> updates) {
    ZoneSnapshot.Builder b = zone.toBuilder();
    Name apex = zone.origin();
    boolean changed = false;
    boolean serialSet = false;
    for (Record rr : updates) {
      Name name = rr.getName();
      int type = rr.getType();
      if (rr.getDClass() == DClass.IN) {
        if (type == Type.SOA) {
          List<Record> current = b.rrset(name, Type.SOA);
          long serial = ((SOARecord) rr).getSerial();
          // §3.4.2.2: an SOA replaces the zone SOA only with a higher serial. It must also be
          // higher than the serial before this update: serial arithmetic is not transitive, and
          // two SOAs in one update could otherwise wrap the serial below where it started.
          if (current.isEmpty()
              || !serialGreater(serial, ((SOARecord) current.get(0)).getSerial())
              || !serialGreater(serial, zone.serial())) {
            continue;
          }
          b.putRRset(name, Type.SOA, List.of(rr));
          changed = true;
          serialSet = true;
          continue;
        }
        Set<Integer> present = b.typesAt(name);
        boolean cnameConflict =
            type == Type.CNAME
                ? present.stream().anyMatch(t -> t != Type.CNAME)
                : present.contains(Type.CNAME);
        if (cnameConflict) {
          continue; // §3.4.2.2: CNAME and other data never share a name; the update RR is ignored.
        }
        if (type == Type.CNAME && !b.rrset(name, Type.CNAME).isEmpty()) {
          b.putRRset(name, Type.CNAME, List.of());
          changed = true;
        }
        changed |= b.addToRRset(rr);
      } else if (rr.getDClass() == DClass.ANY) {
        if (type == Type.ANY) {
          for (Integer t : List.copyOf(b.typesAt(name))) {
            if (!(name.equals(apex) && (t == Type.SOA || t == Type.NS))) {
              b.putRRset(name, t, List.of());
              changed = true;
            }
          }
        } else if (!(name.equals(apex) && (type == Type.SOA || type == Type.NS))) {
          changed |= !b.rrset(name, type).isEmpty();
          b.putRRset(name, type, List.of());
        }
      } else {
        Record asIn = ZoneSnapshot.withTtl(rr, 0);
        if (type == Type.SOA) {
          continue; // §3.4.2.4: the SOA is never deleted.
        }
        if (type == Type.NS && name.equals(apex) && b.rrset(name, Type.NS).equals(List.of(asIn))) {
          continue; // §3.4.2.4: the last apex NS stays.
        }
        changed |= b.deleteRecord(asIn);
      }
    }
    if (!changed) {
      return new Result.Accepted(zone, false);
    }
    if (!serialSet) {
      SOARecord soa = (SOARecord) b.rrset(apex, Type.SOA).get(0);
      b.putRRset(apex, Type.SOA, List.of(withSerial(soa, nextSerial(soa.getSerial()))));
    }
    ZoneSnapshot next = b.build();
    if (next.recordCount() > MAX_ZONE_RECORDS) {
      return reject(
          Rcode.REFUSED,
          "update would grow zone %s to %d records, above the limit of %d",
          apex,
          next.recordCount(),
          MAX_ZONE_RECORDS);
    }
    Check.state(serialGreater(next.serial(), zone.serial()), "serial did not grow after a change in %s", apex);
    return new Result.Accepted(next, true);
  }

  /** RFC 1982 serial number arithmetic: true if {@code a} is greater than {@code b}. */
  static boolean serialGreater(long a, long b) {
    long diff = (a - b) & 0xFFFF_FFFFL;
    return diff != 0 && diff < 0x8000_0000L;
  }

  /** The next serial, wrapping within 32 bits. */
  static long nextSerial(long serial) {
    return (serial + 1) & 0xFFFF_FFFFL;
  }

  private static SOARecord withSerial(SOARecord s, long serial) {
    return new SOARecord(
        s.getName(), DClass.IN, s.getTTL(), s.getHost(), s.getAdmin(), serial, s.getRefresh(),
        s.getRetry(), s.getExpire(), s.getMinimum());
  }

  private static Result reject(int rcode, String format, Object... args) {
    return new Result.Rejected(rcode, String.format(java.util.Locale.ROOT, format, args));
  }

  private record RRsetKey(Name name, int type) {}
}
