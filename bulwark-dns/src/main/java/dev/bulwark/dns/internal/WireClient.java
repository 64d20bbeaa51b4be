package dev.bulwark.dns.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/**
 * Sends one DNS message and waits for its answer: UDP first, TCP when the answer is truncated
 * (or when asked), TSIG-signed when a signer is given. Every result is an {@link Exchange} value;
 * nothing the network or the server does is thrown.
 *
 * <p>Design note: written on plain sockets instead of dnsjava's resolver so that every failure
 * mode is distinguishable (ICMP port unreachable versus silence versus a forged answer) and so no
 * background selector thread outlives a call.
 */
public final class WireClient {
  /** Largest message sent or accepted, in bytes (the TCP length prefix limit). */
  public static final int MAX_MESSAGE_BYTES = 65_535;

  private WireClient() {}

  /** What came back from one exchange. */
  public sealed interface Exchange {
    /** A well-formed answer to our query, its TSIG verified when we signed. */
    record Answered(Message response) implements Exchange {}

    /** Nothing came back within the timeout. */
    record NoAnswer(String detail) implements Exchange {}

    /** The server could not be reached (connection refused, ICMP unreachable, no route). */
    record Unreachable(String detail) implements Exchange {}

    /** Something came back but it is not a trustworthy answer (garbled, or a bad signature). */
    record BadAnswer(String detail) implements Exchange {}
  }

  /**
   * Sends {@code query} to {@code server} and returns the outcome within about {@code
   * timeoutMillis} per transport used.
   *
   * @param signer signs the query and verifies the answer; null for an unsigned exchange
   * @param forceTcp skip UDP, e.g. for updates too large for a datagram
   */
  public static Exchange exchange(
      InetSocketAddress server, Message query, @Nullable TSIG signer, int timeoutMillis, boolean forceTcp) {
    byte[] wire;
    TSIGRecord sent = null;
    try {
      if (signer != null) {
        query.setTSIG(signer);
      }
      wire = query.toWire(MAX_MESSAGE_BYTES); // Only the sized toWire signs (dnsjava).
      if (signer != null) {
        sent = new Message(wire).getTSIG();
      }
    } catch (IOException | RuntimeException e) {
      return new Exchange.BadAnswer("cannot encode the query: " + e);
    }
    boolean useTcp = forceTcp || wire.length > RequestHandler.PLAIN_UDP_PAYLOAD_BYTES;
    Attempt result = useTcp ? tcp(server, wire, timeoutMillis) : udp(server, wire, timeoutMillis);
    if (!useTcp && result instanceof Raw raw && raw.truncated()) {
      result = tcp(server, wire, timeoutMillis); // The answer did not fit a datagram.
    }
    if (result instanceof Fail fail) {
      return fail.exchange();
    }
    return check(((Raw) result).bytes(), query.getHeader().getID(), signer, sent);
  }

  private static Exchange check(byte[] bytes, int id, @Nullable TSIG signer, @Nullable TSIGRecord sent) {
    Message resp;
    try {
      resp = new Message(bytes);
    } catch (IOException | RuntimeException e) {
      return new Exchange.BadAnswer("unparseable response: " + e.getMessage());
    }
    if (resp.getHeader().getID() != id || !resp.getHeader().getFlag(Flags.QR)) {
      return new Exchange.BadAnswer("response id or QR flag does not match the query");
    }
    if (signer != null && sent != null) {
      // Only a verified answer may report success. An unsigned or unverifiable error answer is
      // still taken at its word: forging one can only make us fail (as dropping packets could),
      // never make us believe a write happened. Servers answer BADKEY/BADSIG errors unsigned.
      boolean success = resp.getRcode() == Rcode.NOERROR;
      if (resp.getTSIG() == null) {
        if (success) {
          return new Exchange.BadAnswer(
              "the server answered a signed request with an unsigned NOERROR; it may not be the"
                  + " server the key belongs to, or the answer was forged");
        }
      } else {
        int verified = signer.verify(resp, bytes, sent);
        if (verified != Rcode.NOERROR && success) {
          return new Exchange.BadAnswer(
              "the response's TSIG did not verify (" + Rcode.TSIGstring(verified) + "); check the key and clocks");
        }
      }
    }
    return new Exchange.Answered(resp);
  }

  /** One transport attempt: raw response bytes, or a failure already in final form. */
  private sealed interface Attempt {}

  private record Raw(byte[] bytes, boolean truncated) implements Attempt {}

  private record Fail(Exchange exchange) implements Attempt {}

  private static Attempt udp(InetSocketAddress server, byte[] wire, int timeoutMillis) {
    try (DatagramSocket s = new DatagramSocket()) {
      // Connecting makes the kernel report ICMP port unreachable as PortUnreachableException.
      s.connect(server);
      s.setSoTimeout(timeoutMillis);
      s.send(new DatagramPacket(wire, wire.length));
      byte[] buf = new byte[MAX_MESSAGE_BYTES];
      int id = ((wire[0] & 0xff) << 8) | (wire[1] & 0xff);
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        if (p.getLength() >= 12 && (((buf[0] & 0xff) << 8) | (buf[1] & 0xff)) == id) {
          boolean tc = (buf[2] & 0x02) != 0;
          return new Raw(Arrays.copyOf(buf, p.getLength()), tc);
        }
        // A stray or late datagram for an earlier query: keep waiting for ours until the deadline.
        int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
        if (left <= 0) {
          throw new SocketTimeoutException("only unrelated datagrams arrived");
        }
        s.setSoTimeout(left);
      }
    } catch (PortUnreachableException | NoRouteToHostException e) {
      return new Fail(new Exchange.Unreachable("UDP to " + server + ": " + e.getMessage()));
    } catch (SocketTimeoutException e) {
      return new Fail(new Exchange.NoAnswer("no UDP answer from " + server + " within " + timeoutMillis + " ms"));
    } catch (IOException e) {
      return new Fail(new Exchange.Unreachable("UDP to " + server + " failed: " + e));
    }
  }

  private static Attempt tcp(InetSocketAddress server, byte[] wire, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(server, timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(wire.length);
      out.write(wire);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int len = in.readUnsignedShort();
      byte[] resp = new byte[len];
      in.readFully(resp);
      return new Raw(resp, false);
    } catch (ConnectException | NoRouteToHostException e) {
      return new Fail(new Exchange.Unreachable("TCP to " + server + ": " + e.getMessage()));
    } catch (SocketTimeoutException e) {
      return new Fail(new Exchange.NoAnswer("no TCP answer from " + server + " within " + timeoutMillis + " ms"));
    } catch (IOException e) {
      return new Fail(new Exchange.NoAnswer("TCP exchange with " + server + " ended early: " + e));
    }
  }
}
