package dev.bulwark.server;

import dev.bulwark.core.AzId;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.LedgerPeer;
import dev.bulwark.ledger.RatisLedger;
import dev.bulwark.server.api.ClusterView;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The API's view of the ledger peers, from this process: peers running here report their own
 * applied index; the others are probed with a TCP connect to their Raft port and show the commit
 * index a local peer last heard from them. The leader is the one a local peer knows of.
 */
final class RatisClusterView implements ClusterView {
  /** How long a probe of a remote peer's port may take; three probes stay well under a second. */
  static final int PROBE_TIMEOUT_MILLIS = 250;

  private final ClusterConfig cluster;
  private final Supplier<Map<AzId, LedgerPeer>> localPeers;

  /** {@code localPeers} is asked on every call, so peers stopped and restarted here show up as they are. */
  RatisClusterView(ClusterConfig cluster, Supplier<Map<AzId, LedgerPeer>> localPeers) {
    this.cluster = cluster;
    this.localPeers = localPeers;
  }

  @Override
  public List<Peer> peers() {
    Map<AzId, LedgerPeer> local = localPeers.get();
    Optional<AzId> leader = local.values().stream().map(LedgerPeer::knownLeader).flatMap(Optional::stream)
        .findFirst();
    SortedMap<AzId, Long> heard = local.values().stream().map(LedgerPeer::commitIndexes).filter(m -> !m.isEmpty())
        .findFirst().orElse(new TreeMap<>());
    List<Peer> out = new ArrayList<>();
    for (Map.Entry<AzId, InetSocketAddress> e : cluster.peers().entrySet()) {
      AzId az = e.getKey();
      InetSocketAddress addr = e.getValue();
      LedgerPeer here = local.get(az);
      boolean reachable = here != null || RatisLedger.acceptsConnections(addr, PROBE_TIMEOUT_MILLIS);
      OptionalLong applied = here != null ? OptionalLong.of(here.appliedIndex())
          : heard.containsKey(az) ? OptionalLong.of(heard.get(az)) : OptionalLong.empty();
      out.add(new Peer(az, addr.getHostString() + ":" + addr.getPort(), reachable,
          leader.map(az::equals).orElse(false), applied));
    }
    return out;
  }
}
