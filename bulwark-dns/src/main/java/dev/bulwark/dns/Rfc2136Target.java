package dev.bulwark.dns;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.DnsFailure;
import dev.bulwark.core.port.DnsTarget;
import dev.bulwark.core.port.PublishedState;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.dns.internal.WireClient;
import dev.bulwark.dns.internal.WireClient.Exchange;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The production {@link DnsTarget}: publishes an endpoint with one TSIG-signed RFC 2136 UPDATE to
 * an authoritative server (the embedded one, BIND9, or any RFC 2136 server) and reads it back over
 * the wire.
 *
 * <p>Each {@link #apply} is a compare-and-swap at the DNS server (ARCHITECTURE.md §5): the UPDATE
 * carries the {@link ApplyRequest.Precondition} as a prerequisite and replaces the A, AAAA and
 * marker TXT RRsets in the same message, which the server applies all or nothing. A stale writer
 * gets NXRRSET or YXRRSET and changes nothing.
 *
 * <p>Outcome mapping: NOERROR → {@code Applied}; NXRRSET/YXRRSET → {@code PreconditionFailed} with
 * the state re-read; NOTAUTH (any TSIG error) → NOT_AUTHORIZED; REFUSED → REFUSED; NOTZONE →
 * NOT_IN_ZONE; no answer → TIMEOUT; connection refused or ICMP unreachable → UNREACHABLE; SERVFAIL,
 * any other rcode, or an untrustworthy answer → SERVER_FAILURE. Timeouts, unreachable servers and
 * SERVFAIL are retried up to {@link Rfc2136Options#retries()} times with jittered exponential
 * backoff.
 *
 * <p>Retrying an update whose first attempt was applied but whose answer was lost yields
 * NXRRSET (the marker already moved); the caller then sees {@code PreconditionFailed} whose
 * current state carries its own new marker, and can tell that it won. Thread-safe.
 */
public final class Rfc2136Target implements DnsTarget {
  private static final Logger LOG = LoggerFactory.getLogger(Rfc2136Target.class);
  /** Longest TXT character-string (RFC 1035 §3.3: 255 octets, one per char for ASCII markers). */
  private static final int MAX_TXT_STRING_CHARS = 255;

  private final Rfc2136Options options;
  private final Name zone;
  private final Jitter jitter;

  /** A target with random retry jitter. */
  public Rfc2136Target(Rfc2136Options options) {
    this(options, Jitter.uniform());
  }

  /** A target with the given retry jitter, e.g. a fixed one in tests. */
  public Rfc2136Target(Rfc2136Options options, Jitter jitter) {
    this.options = Check.notNull(options, "options");
    this.jitter = Check.notNull(jitter, "jitter");
    this.zone = InitialZone.absolute(options.zone());
    LOG.info("RFC 2136 target {} zone {} key {}: timeout {} ms, {} retries, backoff bound {} ms",
        options.socketAddress(), options.zone(), options.key(), options.timeoutMillis(), options.retries(),
        options.retryBackoffMillis());
  }

  /** The options this target was made with. */
  public Rfc2136Options options() {
    return options;
  }

  @Override
  public ReadOutcome read(EndpointName endpoint) {
    Optional<DnsFailure> outside = checkInZone(endpoint);
    if (outside.isPresent()) {
      return new ReadOutcome.Failed(outside.get());
    }
    Name name = name(endpoint.value());
    List<InetAddress> addresses = new ArrayList<>();
    for (int type : new int[] {Type.A, Type.AAAA}) {
      Answer a = query(name, type);
      if (a.failure != null) {
        return new ReadOutcome.Failed(a.failure);
      }
      for (Record r : a.records) {
        addresses.add(r instanceof ARecord ar ? ar.getAddress() : ((AAAARecord) r).getAddress());
      }
    }
    Answer txt = query(name(endpoint.markerName()), Type.TXT);
    if (txt.failure != null) {
      return new ReadOutcome.Failed(txt.failure);
    }
    // A marker RRset of several TXT records is not a Bulwark marker; report the smallest, and a
    // compare-and-swap against it fails (the RRset differs), which is the safe result.
    Optional<String> marker =
        txt.records.stream().sorted().findFirst().map(r -> markerText((TXTRecord) r));
    return new ReadOutcome.Read(new PublishedState(endpoint, addresses, marker));
  }

  @Override
  public ApplyOutcome apply(ApplyRequest request) {
    Optional<DnsFailure> outside = checkInZone(request.endpoint());
    if (outside.isPresent()) {
      return new ApplyOutcome.Failed(outside.get());
    }
    Update update = new Update(zone);
    Name name = name(request.endpoint().value());
    Name markerName = name(request.endpoint().markerName());
    ApplyRequest.Precondition pre = request.precondition();
    if (pre instanceof ApplyRequest.Precondition.MarkerEquals eq) {
      // §2.4.2 value-dependent "RRset exists": the marker RRset must be exactly this one record.
      update.present(txt(markerName, 0, eq.rawMarker()));
    } else if (pre instanceof ApplyRequest.Precondition.MarkerAbsent) {
      update.absent(markerName, Type.TXT); // §2.4.3 "RRset does not exist".
    }
    // Unconditional: no prerequisite at all, the legacy mode's write.
    update.delete(name, Type.A);
    update.delete(name, Type.AAAA);
    for (InetAddress a : request.addresses()) {
      update.add(a instanceof Inet4Address
          ? new ARecord(name, DClass.IN, request.ttlSeconds(), a)
          : new AAAARecord(name, DClass.IN, request.ttlSeconds(), a));
    }
    update.delete(markerName, Type.TXT);
    update.add(txt(markerName, request.ttlSeconds(), request.newMarker().text()));

    Exchanged ex = send(update, options.key().signer());
    if (ex.failure != null) {
      return new ApplyOutcome.Failed(ex.failure);
    }
    Message resp = ex.response;
    int rcode = resp.getRcode();
    if (rcode == Rcode.NOERROR) {
      return new ApplyOutcome.Applied();
    }
    if (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET) {
      ReadOutcome current = read(request.endpoint());
      if (current instanceof ReadOutcome.Read r) {
        return new ApplyOutcome.PreconditionFailed(Rcode.string(rcode), r.state());
      }
      DnsFailure f = ((ReadOutcome.Failed) current).failure();
      return new ApplyOutcome.Failed(new DnsFailure(f.kind(),
          "the precondition failed (" + Rcode.string(rcode) + ", nothing changed) and re-reading "
              + request.endpoint() + " then failed: " + f.detail()));
    }
    return new ApplyOutcome.Failed(failureOf(resp, "UPDATE of " + request.endpoint()));
  }

  /** Maps a non-NOERROR answer to a failure; the detail names the rcode and any TSIG error. */
  private DnsFailure failureOf(Message resp, String what) {
    int rcode = resp.getRcode();
    TSIGRecord tsig = resp.getTSIG();
    String tsigError = tsig != null && tsig.getError() != Rcode.NOERROR
        ? " (TSIG error " + Rcode.TSIGstring(tsig.getError()) + ")" : "";
    String seen = what + " answered " + Rcode.string(rcode) + tsigError + " by " + options.socketAddress();
    if (rcode == Rcode.NOTAUTH) {
      return new DnsFailure(DnsFailure.Kind.NOT_AUTHORIZED, seen
          + "; check that key '" + options.key().name() + "' and its secret match the server's, that the"
          + " clocks agree within 5 minutes, and that the server is primary for " + options.zone());
    }
    if (rcode == Rcode.REFUSED) {
      return new DnsFailure(DnsFailure.Kind.REFUSED, seen
          + "; the server's policy does not allow this (an unsigned update, or the key lacks an"
          + " update-policy grant for the name)");
    }
    if (rcode == Rcode.NOTZONE) {
      return new DnsFailure(DnsFailure.Kind.NOT_IN_ZONE, seen + "; the name is outside zone " + options.zone());
    }
    return new DnsFailure(DnsFailure.Kind.SERVER_FAILURE, seen);
  }

  private Optional<DnsFailure> checkInZone(EndpointName endpoint) {
    if (endpoint.isInZone(options.zone())) {
      return Optional.empty();
    }
    return Optional.of(new DnsFailure(DnsFailure.Kind.NOT_IN_ZONE,
        "endpoint " + endpoint + " is not in zone " + options.zone()
            + "; configure a target for its zone or rename the endpoint"));
  }

  /** Records of {@code type} in the answer, or the failure; NXDOMAIN and NODATA are empty. */
  private Answer query(Name name, int type) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    Exchanged ex = send(q, null);
    if (ex.failure != null) {
      return new Answer(List.of(), ex.failure);
    }
    int rcode = ex.response.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return new Answer(List.of(), failureOf(ex.response, "query " + name + " " + Type.string(type)));
    }
    List<Record> records = new ArrayList<>();
    for (Record r : ex.response.getSection(Section.ANSWER)) {
      // Follow the answer's CNAME chain for addresses; the marker itself must be at its own name.
      if (r.getType() == type && (type != Type.TXT || r.getName().equals(name))) {
        records.add(r);
      }
    }
    return new Answer(records, null);
  }

  /** One exchange with bounded, jittered retries of transient failures. */
  private Exchanged send(Message message, @Nullable TSIG signer) {
    DnsFailure last = null;
    for (int attempt = 0; attempt <= options.retries(); attempt++) {
      if (attempt > 0 && !sleepBeforeRetry(attempt)) {
        break;
      }
      Message copy = message.clone(); // Signing mutates the message; each attempt signs afresh.
      Exchange ex = WireClient.exchange(options.socketAddress(), copy, signer, options.timeoutMillis(), false);
      if (ex instanceof Exchange.Answered a) {
        if (a.response().getRcode() != Rcode.SERVFAIL) {
          return new Exchanged(a.response(), null);
        }
        last = failureOf(a.response(), "request");
      } else if (ex instanceof Exchange.NoAnswer n) {
        last = new DnsFailure(DnsFailure.Kind.TIMEOUT, n.detail());
      } else if (ex instanceof Exchange.Unreachable u) {
        last = new DnsFailure(DnsFailure.Kind.UNREACHABLE,
            u.detail() + "; is the DNS server running on " + options.socketAddress() + "?");
      } else {
        // Not retried: a garbled or forged answer will not improve by asking again.
        return new Exchanged(null,
            new DnsFailure(DnsFailure.Kind.SERVER_FAILURE, ((Exchange.BadAnswer) ex).detail()));
      }
      LOG.debug("attempt {} of {} failed: {}", attempt + 1, options.retries() + 1, last);
    }
    Check.state(last != null, "no attempt was made");
    String detail = last.detail() + " (after " + (options.retries() + 1) + " attempts)";
    return new Exchanged(null, new DnsFailure(last.kind(), detail));
  }

  /** Sleeps the jittered backoff; false if interrupted (the interrupt flag is kept). */
  private boolean sleepBeforeRetry(int attempt) {
    long bound = (long) options.retryBackoffMillis() << (attempt - 1);
    long delay = jitter.delayMillis(bound);
    Check.state(delay >= 0 && delay <= bound, "jitter gave %d ms, outside 0..%d", delay, bound);
    try {
      Thread.sleep(delay);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static TXTRecord txt(Name name, long ttl, String text) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < text.length() || chunks.isEmpty(); i += MAX_TXT_STRING_CHARS) {
      chunks.add(text.substring(i, Math.min(text.length(), i + MAX_TXT_STRING_CHARS)));
    }
    return new TXTRecord(name, DClass.IN, ttl, chunks);
  }

  /** The TXT data exactly as served: its character-strings concatenated, byte for byte. */
  private static String markerText(TXTRecord r) {
    StringBuilder sb = new StringBuilder();
    for (Object s : r.getStringsAsByteArrays()) {
      sb.append(new String((byte[]) s, StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private static Name name(String text) {
    return InitialZone.absolute(text);
  }

  private record Answer(List<Record> records, @Nullable DnsFailure failure) {}

  private record Exchanged(@Nullable Message response, @Nullable DnsFailure failure) {}
}
