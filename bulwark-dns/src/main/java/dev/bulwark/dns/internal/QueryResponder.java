package dev.bulwark.dns.internal;

import java.util.List;
import java.util.Map;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers a standard QUERY from one zone snapshot, as a pure function.
 *
 * <p>Authoritative answers set AA. A missing name gives NXDOMAIN and an existing name without the
 * asked type (including an empty non-terminal) gives NODATA; both carry the SOA in the authority
 * section with the negative-caching TTL of RFC 2308 §5. CNAMEs are followed inside the zone.
 *
 * <p>Deliberate limits, documented in docs/dns.md: no wildcards, no delegations below the apex
 * (NS records there are served as ordinary data), no zone transfers (REFUSED), no recursion.
 */
public final class QueryResponder {
  /** Longest CNAME chain followed inside the zone, so a CNAME loop cannot spin. */
  public static final int MAX_CNAME_HOPS = 8;

  private QueryResponder() {}

  /**
   * Fills {@code response} (which already carries the header and question) with the answer to its
   * question. The caller has checked that there is exactly one question.
   */
  public static void answer(ZoneSnapshot zone, Message response) {
    Record question = response.getQuestion();
    Name qname = question.getName();
    int qtype = question.getType();
    int qclass = question.getDClass();
    if (qclass != DClass.IN && qclass != DClass.ANY) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return;
    }
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      response.getHeader().setRcode(Rcode.REFUSED); // Zone transfers are not offered.
      return;
    }
    if (!zone.inZone(qname)) {
      response.getHeader().setRcode(Rcode.REFUSED); // Not authoritative and no recursion.
      return;
    }
    response.getHeader().setFlag(Flags.AA);
    Name name = qname;
    for (int hop = 0; hop <= MAX_CNAME_HOPS; hop++) {
      Map<Integer, List<Record>> rrsets = zone.rrsetsAt(name);
      if (qtype == Type.ANY && !rrsets.isEmpty()) {
        rrsets.values().forEach(set -> set.forEach(r -> response.addRecord(r, Section.ANSWER)));
        return;
      }
      List<Record> exact = rrsets.getOrDefault(qtype, List.of());
      if (!exact.isEmpty()) {
        exact.forEach(r -> response.addRecord(r, Section.ANSWER));
        return;
      }
      List<Record> cname = rrsets.getOrDefault(Type.CNAME, List.of());
      if (!cname.isEmpty()) {
        response.addRecord(cname.get(0), Section.ANSWER);
        Name target = ((CNAMERecord) cname.get(0)).getTarget();
        if (!zone.inZone(target)) {
          return; // The resolver follows targets outside our zone itself.
        }
        name = target;
        continue;
      }
      if (!zone.nameExists(name)) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      addNegativeSoa(zone, response);
      return;
    }
    // The chain is longer than MAX_CNAME_HOPS: answer what we have, as BIND does for long chains.
  }

  /** RFC 2308 §3 and §5: the SOA goes in authority with TTL min(SOA TTL, SOA minimum). */
  private static void addNegativeSoa(ZoneSnapshot zone, Message response) {
    SOARecord soa = zone.soa();
    long ttl = Math.min(soa.getTTL(), soa.getMinimum());
    response.addRecord(
        new SOARecord(
            soa.getName(), DClass.IN, ttl, soa.getHost(), soa.getAdmin(), soa.getSerial(),
            soa.getRefresh(), soa.getRetry(), soa.getExpire(), soa.getMinimum()),
        Section.AUTHORITY);
  }
}
