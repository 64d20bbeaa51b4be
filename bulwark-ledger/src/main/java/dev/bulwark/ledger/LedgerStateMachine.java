package dev.bulwark.ledger;

import dev.bulwark.core.ContentHash;
import dev.bulwark.core.ledger.Codec;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.LedgerState;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ResultCodec;
import dev.bulwark.core.port.Ledger;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.MD5FileUtil;
import org.apache.ratis.io.MD5Hash;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each committed log entry to {@link LedgerState#apply}, in log order; every decision stays
 * in the core. Commands are validated in {@link #startTransaction}, so a malformed or oversized
 * command is refused before it reaches the log. An entry that still fails to decode at apply time
 * means a corrupt log or a bug, and stops the replica rather than let replicas diverge.
 *
 * <p>Snapshots are the core's canonical encoding, written to a temporary file, fsynced, and moved
 * into place, with an MD5 beside them; on start the latest snapshot is loaded and re-verified by
 * {@link LedgerState#fromSnapshot} (audit chain and invariants) before use.
 */
final class LedgerStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerStateMachine.class);

  /** Largest snapshot a remote client may fetch through a read-only query, in bytes. */
  static final int MAX_SNAPSHOT_QUERY_BYTES = 64 * 1024 * 1024;

  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Object lock = new Object();
  private LedgerState state = new LedgerState();
  /** Index of the snapshot loaded at start (0 if none): lets tests and operators see it was used. */
  private volatile long loadedSnapshotIndex;
  /** Futures waiting for the applied index to reach a value (linearizable local reads). */
  private final TreeMap<Long, List<CompletableFuture<Void>>> appliedWaiters = new TreeMap<>();
  private @Nullable String stoppedReason;
  private final List<Ledger.Listener> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    reinitialize();
  }

  @Override
  public void reinitialize() throws IOException {
    SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
    if (snapshot == null) {
      return;
    }
    Path path = snapshot.getFile().getPath();
    MD5Hash md5 = snapshot.getFile().getFileDigest();
    if (md5 != null) {
      MD5FileUtil.verifySavedMD5(path.toFile(), md5);
    }
    LedgerState restored;
    try {
      restored = LedgerState.fromSnapshot(Files.readAllBytes(path));
    } catch (IllegalArgumentException e) {
      throw new IOException("ledger snapshot " + path + " failed verification: " + e.getMessage(), e);
    }
    TermIndex ti = snapshot.getTermIndex();
    synchronized (lock) {
      state = restored;
      updateLastAppliedTermIndex(ti);
      loadedSnapshotIndex = ti.getIndex();
    }
    LOG.info("loaded ledger snapshot {} (log index {}, {} audit events)", path.getFileName(), ti.getIndex(),
        restored.audit().size());
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public long takeSnapshot() throws IOException {
    byte[] bytes;
    TermIndex applied;
    synchronized (lock) {
      applied = getLastAppliedTermIndex();
      if (applied == null || applied.getIndex() < 0) {
        return -1;
      }
      bytes = state.toSnapshot();
    }
    File target = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
    Path tmp = target.toPath().resolveSibling(target.getName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
    storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), applied));
    LOG.info("took ledger snapshot at log index {} ({} bytes)", applied.getIndex(), bytes.length);
    return applied.getIndex();
  }

  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    TransactionContext trx = super.startTransaction(request);
    try {
      Codec.decode(request.getMessage().getContent().toByteArray());
    } catch (IllegalArgumentException e) {
      // Refused before it reaches the log: the client gets the message, the log stays clean.
      trx.setException(e);
    }
    return trx;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    TermIndex ti = TermIndex.valueOf(entry);
    byte[] data = entry.getStateMachineLogEntry().getLogData().toByteArray();
    Command command;
    try {
      command = Codec.decode(data);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("invariant broken: committed log entry " + ti + " is not a valid command ("
          + e.getMessage() + "); startTransaction admits only valid commands, so the log is corrupt", e);
    }
    Result result;
    synchronized (lock) {
      result = state.apply(ti.getIndex(), command);
      updateLastAppliedTermIndex(ti);
      completeWaiters(ti.getIndex());
    }
    if (result instanceof Result.Accepted a) {
      for (Ledger.Listener l : listeners) {
        try {
          l.onAccepted(a.logIndex(), a.outcome());
        } catch (RuntimeException e) {
          LOG.warn("ledger listener {} failed on log index {}", l, a.logIndex(), e);
        }
      }
    }
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(ResultCodec.encode(result))));
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    // Configuration and no-op entries advance the applied index without reaching applyTransaction.
    synchronized (lock) {
      super.notifyTermIndexUpdated(term, index);
      completeWaiters(index);
    }
  }

  private void completeWaiters(long appliedIndex) {
    Map<Long, List<CompletableFuture<Void>>> done = appliedWaiters.headMap(appliedIndex, true);
    List<CompletableFuture<Void>> ready = new ArrayList<>();
    done.values().forEach(ready::addAll);
    done.clear();
    ready.forEach(f -> f.complete(null));
  }

  /**
   * Fails every wait for an index with {@link PeerStoppedException}, now and from now on: a stopped
   * replica applies nothing more, and a reader waiting on it would otherwise wait for its timeout.
   */
  void stopWaiters(String reason) {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    synchronized (lock) {
      stoppedReason = reason;
      appliedWaiters.values().forEach(waiting::addAll);
      appliedWaiters.clear();
    }
    waiting.forEach(f -> f.completeExceptionally(new PeerStoppedException(reason)));
  }

  /** Completes once this replica has applied {@code index}; fails at once if it was stopped. */
  CompletableFuture<Void> whenApplied(long index) {
    synchronized (lock) {
      if (stoppedReason != null) {
        return CompletableFuture.failedFuture(new PeerStoppedException(stoppedReason));
      }
      TermIndex applied = getLastAppliedTermIndex();
      if (applied != null && applied.getIndex() >= index) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> f = new CompletableFuture<>();
      appliedWaiters.computeIfAbsent(index, k -> new ArrayList<>()).add(f);
      return f;
    }
  }

  /** Evaluates a query against this replica's state as it is now. */
  <T> T evaluate(LedgerQuery<T> query) {
    synchronized (lock) {
      return query.evaluate(state);
    }
  }

  /** Runs {@code reader} on this replica's state under the apply lock (for tests and tools). */
  <T> T withState(java.util.function.Function<LedgerState, T> reader) {
    synchronized (lock) {
      return reader.apply(state);
    }
  }

  long appliedIndex() {
    TermIndex ti = getLastAppliedTermIndex();
    return ti == null ? -1 : ti.getIndex();
  }

  long loadedSnapshotIndex() {
    return loadedSnapshotIndex;
  }

  void addListener(Ledger.Listener l) {
    listeners.add(l);
  }

  void removeListener(Ledger.Listener l) {
    listeners.remove(l);
  }

  /**
   * Read-only queries. The answer always starts with this replica's applied index, so a client in
   * another JVM can use it as a read barrier.
   */
  @Override
  public CompletableFuture<Message> query(Message request) {
    ByteString content = request.getContent();
    String kind = content.toStringUtf8();
    ByteBuffer out;
    synchronized (lock) {
      long applied = appliedIndex();
      switch (kind) {
        case Queries.BARRIER:
          out = ByteBuffer.allocate(8).putLong(applied);
          break;
        case Queries.DIGEST: {
          // toSnapshot re-checks every invariant; the chain is recomputed here too, so a digest
          // vouches for a replica that is both identical to the others and internally sound.
          byte[] snap = state.toSnapshot();
          byte[] hash = ContentHash.sha256(snap).bytes();
          boolean intact = state.audit().verify().intact();
          out = ByteBuffer.allocate(8 + 8 + 1 + hash.length).putLong(applied).putLong(state.lastLogIndex())
              .put((byte) (intact ? 1 : 0)).put(hash);
          break;
        }
        case Queries.SNAPSHOT: {
          byte[] snap = state.toSnapshot();
          if (snap.length > MAX_SNAPSHOT_QUERY_BYTES) {
            return CompletableFuture.failedFuture(new IllegalStateException("ledger state is " + snap.length
                + " bytes, more than the " + MAX_SNAPSHOT_QUERY_BYTES + " a remote read may fetch; read through a"
                + " local peer instead"));
          }
          out = ByteBuffer.allocate(8 + snap.length).putLong(applied).put(snap);
          break;
        }
        default:
          return CompletableFuture.failedFuture(new IllegalArgumentException("unknown ledger query '"
              + abbreviate(kind) + "'; expected one of " + Queries.ALL));
      }
    }
    out.flip();
    return CompletableFuture.completedFuture(Message.valueOf(UnsafeByteOperations.unsafeWrap(out)));
  }

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  @Override
  public String toString() {
    return "LedgerStateMachine" + (getId() == null ? "" : "[" + getId() + "]");
  }

  /** The read-only query names. */
  static final class Queries {
    static final String BARRIER = "barrier";
    static final String DIGEST = "digest";
    static final String SNAPSHOT = "snapshot";
    static final List<String> ALL = List.of(BARRIER, DIGEST, SNAPSHOT);

    private Queries() {}
  }
}
