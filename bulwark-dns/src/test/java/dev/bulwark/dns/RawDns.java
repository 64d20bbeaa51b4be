package dev.bulwark.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Optional;

/** Sends bytes exactly as given, without any DNS library in between, for wire-level tests. */
final class RawDns {
  private RawDns() {}

  /** One datagram out; the answer datagram, or empty if none came within {@code timeoutMillis}. */
  static Optional<byte[]> udp(InetSocketAddress server, byte[] payload, int timeoutMillis) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(timeoutMillis);
      s.send(new DatagramPacket(payload, payload.length, server));
      byte[] buf = new byte[65_535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return Optional.of(Arrays.copyOf(buf, p.getLength()));
    } catch (SocketTimeoutException e) {
      return Optional.empty();
    }
  }

  /**
   * Writes {@code bytes} raw to a TCP connection (no length prefix is added) and reads one
   * length-prefixed answer; empty if the server closed or stayed silent.
   */
  static Optional<byte[]> tcpRaw(InetSocketAddress server, byte[] bytes, int timeoutMillis) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(server, timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.write(bytes);
      out.flush();
      s.shutdownOutput(); // Tells the server no more bytes come, so a short message ends at once.
      DataInputStream in = new DataInputStream(s.getInputStream());
      int len = in.readUnsignedShort();
      byte[] resp = new byte[len];
      in.readFully(resp);
      return Optional.of(resp);
    } catch (SocketTimeoutException | java.io.EOFException e) {
      return Optional.empty();
    }
  }
}
