package dev.bulwark.core;

import java.net.InetAddress;

/**
 * One load balancer an endpoint may point at: its IP address, its relative weight and the AZ it
 * lives in. Targets order by address, which is the canonical order inside a plan.
 *
 * @param address an IPv4 or IPv6 address (published as an A or AAAA record)
 * @param weight relative weight, {@value #MIN_WEIGHT}..{@value #MAX_WEIGHT} (as Route 53 weights)
 * @param az the AZ whose health checks speak for this target
 */
public record Target(InetAddress address, int weight, AzId az) implements Comparable<Target> {
  public static final int MIN_WEIGHT = 1;
  public static final int MAX_WEIGHT = 255;
  public static final int DEFAULT_WEIGHT = 100;

  public Target {
    Check.notNull(address, "target address");
    Check.notNull(az, "target AZ");
    Check.arg(
        weight >= MIN_WEIGHT && weight <= MAX_WEIGHT,
        "target weight must be %d..%d, but was %d",
        MIN_WEIGHT,
        MAX_WEIGHT,
        weight);
    // Re-create from bytes: drops any host name or IPv6 scope the caller's InetAddress carried, so
    // equality and encoding depend on the address alone.
    address = IpAddresses.fromBytes(address.getAddress());
  }

  /** A target from an address literal, e.g. {@code Target.of("10.0.0.1", 100, "az-a")}. */
  public static Target of(String address, int weight, String az) {
    return new Target(IpAddresses.parse(address), weight, AzId.of(az));
  }

  /** The address in presentation form, e.g. {@code 10.0.0.1}. */
  public String addressText() {
    return address.getHostAddress();
  }

  /** True for an IPv6 address (an AAAA record). */
  public boolean isIpv6() {
    return address.getAddress().length == 16;
  }

  @Override
  public int compareTo(Target o) {
    return IpAddresses.compare(address, o.address);
  }

  @Override
  public String toString() {
    return addressText() + "(w=" + weight + "," + az + ")";
  }
}
