package dev.bulwark.core.port;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.IpAddresses;
import dev.bulwark.core.Marker;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * One endpoint's new record set, to be written as one atomic DNS update: replace the A and AAAA
 * RRsets with {@code addresses} and the marker with {@code newMarker}, on condition that
 * {@code precondition} holds at the server.
 *
 * @param ttlSeconds TTL of the written records, 0..{@value #MAX_TTL_SECONDS}
 */
public record ApplyRequest(
    EndpointName endpoint,
    Precondition precondition,
    List<InetAddress> addresses,
    Marker newMarker,
    int ttlSeconds) {
  /** Largest TTL accepted, one day: longer TTLs make repairs take too long to reach users. */
  public static final int MAX_TTL_SECONDS = 86_400;

  public ApplyRequest {
    Check.notNull(endpoint, "endpoint");
    Check.notNull(precondition, "precondition");
    Check.notNull(newMarker, "new marker");
    Check.arg(
        ttlSeconds >= 0 && ttlSeconds <= MAX_TTL_SECONDS,
        "TTL must be 0..%d seconds, but was %d",
        MAX_TTL_SECONDS,
        ttlSeconds);
    List<InetAddress> sorted = new ArrayList<>(Check.notNull(addresses, "addresses"));
    Check.arg(
        new HashSet<>(sorted).size() == sorted.size(), "addresses of %s contain duplicates", endpoint);
    sorted.sort(IpAddresses::compare);
    addresses = List.copyOf(sorted);
  }

  /** The condition the DNS server checks atomically with the update (RFC 2136 §2.4). */
  public sealed interface Precondition {
    /** The marker RRset must be exactly one TXT record with this text (§2.4.2, value-dependent). */
    record MarkerEquals(String rawMarker) implements Precondition {
      public MarkerEquals {
        Check.notNull(rawMarker, "raw marker");
      }
    }

    /** The marker RRset must not exist (§2.4.3): the endpoint's first write. */
    record MarkerAbsent() implements Precondition {}

    /**
     * No condition at all. Only the legacy mode, which reproduces the 2025 design for game days,
     * writes like this; it is what lets a stale writer win.
     */
    record Unconditional() implements Precondition {}
  }
}
