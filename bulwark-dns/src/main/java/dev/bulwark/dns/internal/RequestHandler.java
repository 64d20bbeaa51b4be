package dev.bulwark.dns.internal;

import dev.bulwark.dns.TsigKey;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIGRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one request datagram or TCP message into at most one response: parsing, EDNS, TSIG,
 * dispatch to {@link QueryResponder} or {@link UpdateEvaluator}, durability, signing and size
 * limits. Thread-safe; the transports call it from many threads.
 *
 * <p>Design note: queries read the current {@link ZoneSnapshot} without locking. Updates are
 * serialized by one lock, and each accepted change is saved by the {@link ZoneStore} (fsynced)
 * before the snapshot is published and before the client hears NOERROR, so an acknowledged update
 * survives a crash and no reader ever sees a change that could still be lost.
 */
public final class RequestHandler {
  /**
   * Largest UDP response sent, in bytes, whatever the client's EDNS buffer says: 1232 avoids IP
   * fragmentation on common paths (DNS Flag Day 2020). Larger answers set TC and go over TCP.
   */
  public static final int MAX_UDP_PAYLOAD_BYTES = 1232;

  /** UDP response limit for clients without EDNS (RFC 1035 §4.2.1). */
  public static final int PLAIN_UDP_PAYLOAD_BYTES = 512;

  /** Largest DNS message over TCP (the 2-byte length prefix), in bytes. */
  public static final int MAX_TCP_MESSAGE_BYTES = 65_535;

  /** Header length; anything shorter is dropped because no response can even carry its id. */
  static final int HEADER_BYTES = 12;

  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  private final AtomicReference<ZoneSnapshot> zone;
  private final Map<Name, TsigKey> keys = new HashMap<>();
  private final ZoneStore store;
  private final Object updateLock = new Object();

  /** A handler serving {@code initial}, saving accepted updates to {@code store}. */
  public RequestHandler(ZoneSnapshot initial, List<TsigKey> keys, ZoneStore store) {
    this.zone = new AtomicReference<>(initial);
    this.store = store;
    for (TsigKey k : keys) {
      this.keys.put(k.dnsName(), k);
    }
  }

  /** The zone as it is served right now. */
  public ZoneSnapshot zone() {
    return zone.get();
  }

  /**
   * The response to {@code request[0..length)}, or empty if the packet must be dropped (too short
   * to carry a header, or itself a response).
   *
   * @param tcp whether it came over TCP, which lifts the UDP size limit
   */
  public Optional<byte[]> handle(byte[] request, int length, boolean tcp) {
    if (length < HEADER_BYTES) {
      return Optional.empty();
    }
    byte[] wire = Arrays.copyOf(request, length);
    Header header;
    try {
      header = new Header(wire);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    if (header.getFlag(Flags.QR)) {
      return Optional.empty(); // Never answer a response: that is how reflection loops start.
    }
    Message req;
    try {
      req = new Message(wire);
    } catch (IOException | RuntimeException e) {
      LOG.debug("FORMERR for unparseable request {}: {}", header.getID(), e.toString());
      return Optional.of(formErr(header));
    }
    try {
      return Optional.of(respond(req, wire, tcp));
    } catch (RuntimeException e) {
      // A bug or an input dnsjava cannot represent: answer SERVFAIL and keep serving.
      LOG.warn("SERVFAIL for request {}: {}", header.getID(), e.toString(), e);
      Message resp = skeleton(req);
      resp.getHeader().setRcode(Rcode.SERVFAIL);
      return Optional.of(resp.toWire(PLAIN_UDP_PAYLOAD_BYTES));
    }
  }

  private byte[] respond(Message req, byte[] wire, boolean tcp) {
    Message resp = skeleton(req);
    OPTRecord opt = req.getOPT();
    int limit = tcp ? MAX_TCP_MESSAGE_BYTES : PLAIN_UDP_PAYLOAD_BYTES;
    if (opt != null) {
      if (!tcp) {
        limit = Math.max(PLAIN_UDP_PAYLOAD_BYTES, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD_BYTES));
      }
      if (opt.getVersion() != 0) {
        // RFC 6891 §6.1.3: we speak EDNS version 0 only.
        resp.addRecord(new OPTRecord(MAX_UDP_PAYLOAD_BYTES, Rcode.BADVERS >>> 4, 0, 0), Section.ADDITIONAL);
        resp.getHeader().setRcode(Rcode.BADVERS & 0xF);
        return resp.toWire(limit);
      }
      resp.addRecord(new OPTRecord(MAX_UDP_PAYLOAD_BYTES, 0, 0, 0), Section.ADDITIONAL);
    }

    TsigKey key = null;
    TSIGRecord reqTsig = req.getTSIG();
    if (reqTsig != null) {
      key = keys.get(reqTsig.getName());
      int error;
      if (key == null || !reqTsig.getAlgorithm().equals(key.algorithmName())) {
        error = Rcode.BADKEY; // RFC 8945 §5.2.1: unknown key name, or known name with another algorithm.
      } else {
        error = key.signer().verify(req, wire, null);
      }
      if (error != Rcode.NOERROR) {
        LOG.info("NOTAUTH for request {} signed with key {}: TSIG error {}", req.getHeader().getID(),
            reqTsig.getName(), Rcode.TSIGstring(error));
        resp.getHeader().setRcode(Rcode.NOTAUTH);
        if (error == Rcode.BADTIME) {
          // RFC 8945 §5.2.3: a BADTIME answer is signed, carrying our time for the client.
          resp.setTSIG(key.signer(), Rcode.BADTIME, reqTsig);
        } else {
          // RFC 8945 §5.3.2: BADKEY and BADSIG answers carry an unsigned TSIG with the error.
          resp.addRecord(unsignedTsig(reqTsig, req.getHeader().getID(), error), Section.ADDITIONAL);
        }
        return resp.toWire(limit);
      }
    }

    switch (req.getHeader().getOpcode()) {
      case Opcode.QUERY -> query(req, resp);
      case Opcode.UPDATE -> update(req, resp, key);
      default -> resp.getHeader().setRcode(Rcode.NOTIMP);
    }
    if (key != null) {
      resp.setTSIG(key.signer(), Rcode.NOERROR, reqTsig);
    }
    // toWire(limit) drops whole RRsets that do not fit and sets TC, keeping room for OPT and TSIG.
    return resp.toWire(limit);
  }

  private void query(Message req, Message resp) {
    if (req.getHeader().getCount(Section.QUESTION) != 1) {
      resp.getHeader().setRcode(Rcode.FORMERR);
      return;
    }
    QueryResponder.answer(zone.get(), resp);
  }

  private void update(Message req, Message resp, @Nullable TsigKey key) {
    if (key == null) {
      // Like BIND with an update-policy: an unsigned update is not an authentication failure, it
      // is simply not allowed.
      LOG.info("REFUSED unsigned update {}", req.getHeader().getID());
      resp.getHeader().setRcode(Rcode.REFUSED);
      return;
    }
    synchronized (updateLock) {
      ZoneSnapshot current = zone.get();
      UpdateEvaluator.Result result =
          UpdateEvaluator.evaluate(
              current,
              req.getSection(Section.ZONE),
              req.getSection(Section.PREREQ),
              req.getSection(Section.UPDATE));
      if (result instanceof UpdateEvaluator.Result.Rejected rejected) {
        LOG.info("update {} by {} rejected with {}: {}", req.getHeader().getID(), key.name(),
            Rcode.string(rejected.rcode()), rejected.reason());
        resp.getHeader().setRcode(rejected.rcode());
        return;
      }
      UpdateEvaluator.Result.Accepted accepted = (UpdateEvaluator.Result.Accepted) result;
      if (accepted.changed()) {
        try {
          store.save(accepted.zone());
        } catch (IOException e) {
          // Not durable means not accepted: the client must not believe a change that a crash
          // could undo, and the in-memory zone stays as it was.
          LOG.error("SERVFAIL for update {}: cannot save zone: {}", req.getHeader().getID(), e.toString(), e);
          resp.getHeader().setRcode(Rcode.SERVFAIL);
          return;
        }
        zone.set(accepted.zone());
        LOG.debug("update {} by {} applied, serial now {}", req.getHeader().getID(), key.name(), accepted.zone().serial());
      }
    }
  }

  /** The response header and question (zone section) echoed from the request. */
  private static Message skeleton(Message req) {
    Message resp = new Message(req.getHeader().getID());
    Header h = resp.getHeader();
    h.setFlag(Flags.QR);
    h.setOpcode(req.getHeader().getOpcode());
    if (req.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    List<Record> question = req.getSection(Section.QUESTION);
    if (question.size() == 1) {
      resp.addRecord(question.get(0), Section.QUESTION);
    }
    return resp;
  }

  private static byte[] formErr(Header reqHeader) {
    Message resp = new Message(reqHeader.getID());
    resp.getHeader().setFlag(Flags.QR);
    resp.getHeader().setOpcode(reqHeader.getOpcode());
    resp.getHeader().setRcode(Rcode.FORMERR);
    return resp.toWire();
  }

  private static TSIGRecord unsignedTsig(TSIGRecord req, int id, int error) {
    return new TSIGRecord(req.getName(), DClass.ANY, 0, req.getAlgorithm(), req.getTimeSigned(),
        Duration.ofSeconds(300), new byte[0], id, error, new byte[0]);
  }
}
