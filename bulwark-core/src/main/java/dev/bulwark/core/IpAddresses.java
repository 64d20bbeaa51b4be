package dev.bulwark.core;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Parses IP address literals without ever touching DNS.
 *
 * <p>{@link InetAddress#getByName} resolves anything that is not a literal, which would make a
 * typo in a plan trigger a network lookup; this class accepts only literals.
 */
public final class IpAddresses {
  private IpAddresses() {}

  /** Parses an IPv4 dotted quad or an IPv6 literal (without zone id), or throws. */
  public static InetAddress parse(String text) {
    Check.notNull(text, "IP address");
    Check.arg(
        !text.isEmpty() && text.length() <= 45,
        "IP address must be an IPv4 or IPv6 literal, but was '%s'",
        text);
    byte[] bytes = text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("IP address has wrong length: " + text, e);
    }
  }

  private static byte[] parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    Check.arg(parts.length == 4, "IPv4 address must have four dot-separated parts, but was '%s'", text);
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      Check.arg(
          !p.isEmpty() && p.length() <= 3 && p.chars().allMatch(c -> c >= '0' && c <= '9'),
          "IPv4 address parts must be 0-255, but '%s' has '%s'",
          text,
          p);
      Check.arg(p.length() == 1 || p.charAt(0) != '0', "IPv4 address '%s' has a leading zero", text);
      int v = Integer.parseInt(p);
      Check.arg(v <= 255, "IPv4 address parts must be 0-255, but '%s' has %d", text, v);
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte[] parseV6(String text) {
    Check.arg(
        text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0),
        "IPv6 address must be a literal of hex digits and ':' (no zone id), but was '%s'",
        text);
    try {
      // A string of only hex digits, ':' and '.' is always parsed as a literal, never resolved.
      InetAddress a = InetAddress.getByName(text);
      byte[] b = a.getAddress();
      if (a instanceof Inet6Address) {
        return b;
      }
      // An IPv4-mapped literal (::ffff:a.b.c.d) comes back as IPv4; keep the family the user wrote.
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(b, 0, mapped, 12, 4);
      return mapped;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("IPv6 address is not a valid literal: '" + text + "'", e);
    }
  }

  /** The address with exactly these 4 or 16 bytes, without host name or scope. */
  public static InetAddress fromBytes(byte[] bytes) {
    Check.arg(bytes.length == 4 || bytes.length == 16, "an IP address has 4 or 16 bytes, not %d", bytes.length);
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("IP address has wrong length: " + bytes.length, e);
    }
  }

  /** Orders addresses IPv4 first, then by unsigned bytes; the canonical order in plans. */
  public static int compare(InetAddress a, InetAddress b) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return Integer.compare(x.length, y.length);
    }
    return Arrays.compareUnsigned(x, y);
  }
}
