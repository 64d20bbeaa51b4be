package dev.bulwark.core.port;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.IpAddresses;
import dev.bulwark.core.Marker;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What DNS publishes for one endpoint right now, as read over the wire: its A and AAAA addresses
 * (in canonical order) and its marker, if any.
 *
 * @param rawMarker the marker TXT text exactly as served (empty if there is none), kept verbatim
 *     because a compare-and-swap must repeat exactly what was read, even a value Bulwark cannot
 *     parse
 */
public record PublishedState(
    EndpointName endpoint, List<InetAddress> addresses, Optional<String> rawMarker) {

  public PublishedState {
    Check.notNull(endpoint, "endpoint");
    Check.notNull(rawMarker, "raw marker");
    List<InetAddress> sorted = new ArrayList<>(Check.notNull(addresses, "addresses"));
    sorted.sort(IpAddresses::compare);
    addresses = List.copyOf(sorted);
  }

  /** The parsed marker; empty if there is none or it is not a Bulwark marker. */
  public Optional<Marker> marker() {
    return rawMarker.flatMap(Marker::parse);
  }

  /** True if the endpoint publishes no address at all: what invariant I1 forbids. */
  public boolean isEmpty() {
    return addresses.isEmpty();
  }
}
