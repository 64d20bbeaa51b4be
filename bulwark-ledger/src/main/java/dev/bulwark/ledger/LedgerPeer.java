package dev.bulwark.ledger;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.LedgerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AZ's ledger peer: a Ratis server whose state machine applies commands to the core's {@link
 * LedgerState}. Each peer has its own storage directory and restarts from it (log + snapshot).
 *
 * <p>Lifecycle: {@code new} (nothing running) → {@link #start()} (serving) → {@link #close()}
 * (every thread stopped; a JVM whose peers are closed exits normally). A closed peer can't be
 * restarted; create a new one on the same directory.
 */
public final class LedgerPeer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerPeer.class);

  private final AzId az;
  private final ClusterConfig cluster;
  private final Path dataDir;
  private final LedgerStateMachine stateMachine = new LedgerStateMachine();
  private final RaftServer server;
  private volatile boolean started;
  private volatile boolean closed;

  /**
   * Builds (but does not start) the peer of {@code az}.
   *
   * @param dataDir this peer's own directory (created if missing); never shared between peers
   */
  public LedgerPeer(AzId az, ClusterConfig cluster, Path dataDir, PeerOptions options) {
    this.az = Check.notNull(az, "az");
    this.cluster = Check.notNull(cluster, "cluster");
    this.dataDir = Check.notNull(dataDir, "dataDir");
    Check.notNull(options, "options");
    InetSocketAddress addr = cluster.peers().get(az);
    Check.arg(addr != null, "AZ %s is not a peer of cluster %s (peers: %s)", az, cluster.name(),
        cluster.peers().keySet());
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("can't create the ledger data directory " + dataDir + ": " + e.getMessage(), e);
    }
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(dataDir.toFile()));
    GrpcConfigKeys.Server.setPort(p, addr.getPort());
    GrpcConfigKeys.Server.setHost(p, addr.getHostString());
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(options.electionTimeoutMinMillis()));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(options.electionTimeoutMaxMillis()));
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setTimeout(p, ms(options.readTimeoutMillis()));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, options.snapshotThresholdEntries());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    // Ratis' default appender back-off grows to 5 s after a few failures, so a peer that starts a
    // little after the leader could wait seconds for its first entries; until it has them, its
    // vote does not count in an election. Retry a late or restarted follower more promptly.
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10, 100ms,100, 1s,100000");
    // Durability: an entry counts as persisted only after FileChannel.force. These are Ratis'
    // defaults; set explicitly so that no configuration elsewhere can weaken them.
    RaftServerConfigKeys.Log.setUseMemory(p, false);
    RaftServerConfigKeys.Log.setUnsafeFlushEnabled(p, false);
    RaftGroup group = cluster.raftGroup();
    try {
      this.server = RaftServer.newBuilder()
          .setServerId(ClusterConfig.peerId(az))
          .setGroup(group)
          .setProperties(p)
          .setStateMachine(stateMachine)
          .setOption(RaftStorage.StartupOption.RECOVER)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("can't build ledger peer " + az + " on " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private static TimeDuration ms(long millis) {
    return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts serving. Fails with a clear message if the port is taken or the directory unusable.
   *
   * @throws IOException if Ratis can't start
   */
  public synchronized void start() throws IOException {
    Check.state(!started && !closed, "ledger peer %s was already started or closed", az);
    try {
      server.start();
    } catch (IOException e) {
      closeQuietly();
      InetSocketAddress addr = cluster.peers().get(az);
      throw new IOException("ledger peer " + az + " could not start on " + addr.getHostString() + ":" + addr.getPort()
          + " with data in " + dataDir + ": "
          + rootMessage(e) + " (is another process using the port or the directory?)", e);
    }
    started = true;
    InetSocketAddress addr = cluster.peers().get(az);
    LOG.info("ledger peer {} serving on {}:{} (data: {})", az, addr.getHostString(), addr.getPort(), dataDir);
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }

  public AzId az() {
    return az;
  }

  public ClusterConfig cluster() {
    return cluster;
  }

  /** True between a successful {@link #start()} and {@link #close()}. */
  public synchronized boolean isRunning() {
    return started && !closed;
  }

  /** True while this peer believes it is the Raft leader. */
  public boolean isLeader() {
    try {
      return started && !closed && server.getDivision(cluster.raftGroup().getGroupId()).getInfo().isLeader();
    } catch (IOException e) {
      return false;
    }
  }

  /** The AZ of the leader this peer knows of, if any. */
  public Optional<AzId> knownLeader() {
    try {
      RaftPeerId id = server.getDivision(cluster.raftGroup().getGroupId()).getInfo().getLeaderId();
      return id == null ? Optional.empty() : Optional.of(AzId.of(id.toString()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * The commit index of every peer as this peer last heard it (Raft's commit infos). On the leader
   * this is fresh for every follower; elsewhere it may lag. Empty if this peer is not running.
   */
  public SortedMap<AzId, Long> commitIndexes() {
    SortedMap<AzId, Long> out = new TreeMap<>();
    try {
      server.getDivision(cluster.raftGroup().getGroupId()).getCommitInfos()
          .forEach(ci -> out.put(AzId.of(ci.getServer().getId().toStringUtf8()), ci.getCommitIndex()));
    } catch (IOException | RuntimeException e) {
      // Not started, closed, or closing: report nothing rather than fail a status page.
    }
    return out;
  }

  /** The last log index this replica applied (-1 before the first). */
  public long appliedIndex() {
    return stateMachine.appliedIndex();
  }

  /** The log index of the snapshot loaded at start, or 0 if it started from the log alone. */
  public long loadedSnapshotIndex() {
    return stateMachine.loadedSnapshotIndex();
  }

  /** Takes a snapshot now (normally automatic every {@link PeerOptions#snapshotThresholdEntries}). */
  public long takeSnapshot() throws IOException {
    return stateMachine.takeSnapshot();
  }

  /** Reads this replica's state as it is now, under the apply lock; not linearizable on its own. */
  public <T> T readLocal(Function<LedgerState, T> reader) {
    return stateMachine.withState(reader);
  }

  /** Evaluates a query against this replica now; see {@link RatisLedger#read} for linearizable. */
  public <T> T evaluate(LedgerQuery<T> query) {
    return stateMachine.evaluate(query);
  }

  LedgerStateMachine stateMachine() {
    return stateMachine;
  }

  CompletableFuture<Void> whenApplied(long index) {
    return stateMachine.whenApplied(index);
  }

  /** Stops the Ratis server and every thread it started. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly();
    stateMachine.stopWaiters("ledger peer " + az + " is stopped");
    LOG.info("ledger peer {} closed", az);
  }

  private void closeQuietly() {
    try {
      server.close();
    } catch (IOException | RuntimeException e) {
      LOG.warn("closing ledger peer {}: {}", az, e.toString());
    }
  }
}
