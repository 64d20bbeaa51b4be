package dev.bulwark.server.api;

import dev.bulwark.core.AzId;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What the API shows about the ledger's replicas. The server implements it over its Ratis peers;
 * {@link #fixed} serves tests and single-process setups. Calls must return quickly.
 */
@FunctionalInterface
public interface ClusterView {
  /** Every ledger peer, one per AZ, as this process sees them now. */
  List<Peer> peers();

  /**
   * One ledger peer.
   *
   * @param address where it listens, e.g. {@code 127.0.0.1:7101}
   * @param reachable whether this process can talk to it now
   * @param leader whether it is the Raft leader, as far as this process knows
   * @param appliedIndex the last log index it applied, if known
   */
  record Peer(AzId az, String address, boolean reachable, boolean leader, OptionalLong appliedIndex) {
    public Peer {
      Objects.requireNonNull(az, "az");
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(appliedIndex, "appliedIndex");
    }
  }

  /** A view that always shows {@code peers}. */
  static ClusterView fixed(List<Peer> peers) {
    List<Peer> copy = List.copyOf(peers);
    return () -> copy;
  }
}
