package dev.bulwark.core;

import java.util.Locale;

/**
 * A DNS name that Bulwark publishes A/AAAA records for, e.g. {@code dynamodb.us-east-1.example}.
 *
 * <p>Validated by RFC 1035 §2.3.1/§2.3.4 rules (with RFC 1123's leading digits): labels of 1-63
 * letters, digits and hyphens that neither start nor end with a hyphen, at least two labels, and at
 * most 253 characters in presentation form (255 octets on the wire). Stored lower-case and without
 * the trailing dot, so equal names compare equal.
 */
public record EndpointName(String value) implements Comparable<EndpointName> {
  /** Longest name in presentation form without the trailing dot (RFC 1035: 255 wire octets). */
  public static final int MAX_LENGTH = 253;

  /** Longest label (RFC 1035 §2.3.4). */
  public static final int MAX_LABEL_LENGTH = 63;

  public EndpointName {
    Check.notNull(value, "endpoint name");
    String name = value.endsWith(".") ? value.substring(0, value.length() - 1) : value;
    Check.arg(
        !name.isEmpty() && name.length() <= MAX_LENGTH,
        "endpoint name must be 1-%d characters, but '%s' has %d",
        MAX_LENGTH,
        abbreviate(value),
        name.length());
    String[] labels = name.split("\\.", -1);
    Check.arg(
        labels.length >= 2,
        "endpoint name must have at least two labels (e.g. 'api.example.com'), but was '%s'",
        value);
    for (String label : labels) {
      checkLabel(label, value);
    }
    value = name.toLowerCase(Locale.ROOT);
  }

  private static void checkLabel(String label, String name) {
    Check.arg(
        !label.isEmpty() && label.length() <= MAX_LABEL_LENGTH,
        "each label of an endpoint name must be 1-%d characters, but '%s' has a label of %d",
        MAX_LABEL_LENGTH,
        abbreviate(name),
        label.length());
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        throw new IllegalArgumentException("endpoint name labels may hold only letters, digits and '-', but '"
            + abbreviate(name) + "' has '" + printable(c) + "'");
      }
    }
    Check.arg(
        label.charAt(0) != '-' && label.charAt(label.length() - 1) != '-',
        "endpoint name labels must not start or end with '-', but '%s' has label '%s'",
        abbreviate(name),
        label);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static String printable(char c) {
    return c >= 0x21 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\u%04x", (int) c);
  }

  public static EndpointName of(String value) {
    return new EndpointName(value);
  }

  /** The name of this endpoint's marker TXT record, {@code _bulwark.<endpoint>}. */
  public String markerName() {
    return "_bulwark." + value;
  }

  /** True if this name equals {@code zone} or lies below it. */
  public boolean isInZone(String zone) {
    String z = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
    z = z.toLowerCase(Locale.ROOT);
    return value.equals(z) || value.endsWith("." + z);
  }

  @Override
  public int compareTo(EndpointName o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
