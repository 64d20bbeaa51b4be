package dev.bulwark.ledger;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * The ledger cluster: its name and one peer address per AZ. Every peer and client of a cluster must
 * use the same configuration; the Raft group id is derived from the name, so two clusters with
 * different names never talk to each other by accident.
 *
 * @param name cluster name, 1-64 characters of letters, digits, '.', '_' or '-'
 * @param peers one gRPC address per AZ; an odd number of 1 to 7 peers (3 tolerates one AZ down)
 */
public record ClusterConfig(String name, SortedMap<AzId, InetSocketAddress> peers) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public ClusterConfig {
    Check.notNull(name, "cluster name");
    Check.arg(NAME.matcher(name).matches(), "cluster name must be 1-64 letters, digits, '.', '_' or '-', but was '%s'",
        name);
    peers = Collections.unmodifiableSortedMap(new TreeMap<>(Check.notNull(peers, "peers")));
    Check.arg(peers.size() >= 1 && peers.size() <= 7 && peers.size() % 2 == 1,
        "a ledger cluster needs an odd number of 1-7 peers (one per AZ), but has %d: %s", peers.size(),
        peers.keySet());
    for (Map.Entry<AzId, InetSocketAddress> e : peers.entrySet()) {
      Check.arg(e.getValue().getPort() > 0, "peer %s needs a port, but its address is %s", e.getKey(), e.getValue());
    }
  }

  /**
   * Parses {@code az-a=127.0.0.1:7101,az-b=127.0.0.1:7102,...}, the form used on command lines.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static ClusterConfig parse(String name, String peerList) {
    Check.notNull(peerList, "peer list");
    SortedMap<AzId, InetSocketAddress> peers = new TreeMap<>();
    for (String entry : peerList.split(",")) {
      String e = entry.trim();
      int eq = e.indexOf('=');
      int colon = e.lastIndexOf(':');
      Check.arg(eq > 0 && colon > eq + 1 && colon < e.length() - 1,
          "peer '%s' must look like az-a=127.0.0.1:7101", e);
      AzId az = AzId.of(e.substring(0, eq));
      int port;
      try {
        port = Integer.parseInt(e.substring(colon + 1));
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException("peer '" + e + "' has a port that is not a number", ex);
      }
      Check.arg(port >= 1 && port <= 65_535, "peer '%s' port must be 1..65535", e);
      Check.arg(peers.put(az, InetSocketAddress.createUnresolved(e.substring(eq + 1, colon), port)) == null,
          "AZ %s is listed twice", az);
    }
    return new ClusterConfig(name, peers);
  }

  /** Majority size: how many peers must be up to commit. */
  public int quorum() {
    return peers.size() / 2 + 1;
  }

  RaftGroup raftGroup() {
    List<RaftPeer> list = new ArrayList<>();
    peers.forEach((az, addr) -> list.add(RaftPeer.newBuilder().setId(peerId(az))
        .setAddress(addr.getHostString() + ":" + addr.getPort()).build()));
    return RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("bulwark-ledger:" + name)
        .getBytes(StandardCharsets.UTF_8))), list);
  }

  static RaftPeerId peerId(AzId az) {
    return RaftPeerId.valueOf(az.value());
  }
}
