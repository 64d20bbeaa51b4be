package dev.bulwark.dns;

import dev.bulwark.core.Check;
import dev.bulwark.dns.internal.ZoneSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;

/**
 * The zone an {@link EmbeddedDnsServer} starts with when its data directory holds no saved zone:
 * read from an RFC 1035 zone file or built in code. It is validated eagerly (one SOA at the apex,
 * at least one apex NS, every record in the zone, no CNAME conflicts), so a broken zone fails at
 * start, not at the first query.
 */
public final class InitialZone {
  /** Default SOA and NS TTL of {@link #minimal}, in seconds. */
  public static final long DEFAULT_TTL_SECONDS = 60;

  private final Name origin;
  private final List<Record> records;

  private InitialZone(Name origin, List<Record> records) {
    ZoneSnapshot.of(origin, records); // Validates; throws naming the offending record.
    this.origin = origin;
    this.records = List.copyOf(records);
  }

  /** A zone from records built in code; they must include the apex SOA and NS. */
  public static InitialZone of(String origin, List<? extends Record> records) {
    Check.notNull(records, "zone records");
    return new InitialZone(absolute(origin), new ArrayList<>(records));
  }

  /**
   * A zone with only an SOA (serial 1) and one NS, {@code ns1.<origin>}, with an A record of
   * 127.0.0.1 for it: enough to start serving and accept updates.
   */
  public static InitialZone minimal(String origin) {
    Name o = absolute(origin);
    Name ns = Name.fromConstantString("ns1." + o);
    Name admin = Name.fromConstantString("hostmaster." + o);
    return new InitialZone(
        o,
        List.of(
            new SOARecord(o, DClass.IN, DEFAULT_TTL_SECONDS, ns, admin, 1, 3600, 600, 86_400, DEFAULT_TTL_SECONDS),
            new NSRecord(o, DClass.IN, DEFAULT_TTL_SECONDS, ns),
            new ARecord(ns, DClass.IN, DEFAULT_TTL_SECONDS, new byte[] {127, 0, 0, 1})));
  }

  /**
   * A zone read from an RFC 1035 master file with {@code $ORIGIN} defaulting to {@code origin}.
   * {@code $INCLUDE} is refused, so a zone file cannot pull in arbitrary files. Throws naming the
   * file (and line, where dnsjava reports it) on any error.
   */
  public static InitialZone fromFile(Path zoneFile, String origin) {
    Name o = absolute(origin);
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(zoneFile.toString(), o)) {
      master.disableIncludes(true);
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone file " + zoneFile + " is invalid: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read zone file " + zoneFile + ": " + e.getMessage(), e);
    }
    try {
      return new InitialZone(o, records);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("zone file " + zoneFile + ": " + e.getMessage(), e);
    }
  }

  /** The zone's apex, absolute. */
  public Name origin() {
    return origin;
  }

  /** The zone's records. */
  public List<Record> records() {
    return records;
  }

  static Name absolute(String origin) {
    Check.notNull(origin, "zone origin");
    try {
      return Name.fromString(origin.endsWith(".") ? origin : origin + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("zone origin must be a DNS name, but was '" + origin + "'", e);
    }
  }
}
