package dev.bulwark.ledger;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.ledger.Codec;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.LedgerState;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ResultCodec;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.Metrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Ledger} port over Ratis. Submissions are asynchronous and pipelined: many agents may
 * have commands in flight at once, and Ratis batches them into shared append and fsync rounds
 * instead of one round trip each.
 *
 * <p><b>Reads</b> are linearizable. With a co-located {@link LedgerPeer} (the normal case: every
 * node runs one), a read first obtains a read index from the leader (Raft ReadIndex), waits until
 * the local replica has applied it, then evaluates the query locally. Without a local peer, the
 * read fetches the leader's state (bounded by {@link LedgerStateMachine#MAX_SNAPSHOT_QUERY_BYTES})
 * and evaluates it here: correct, but meant for tools and tests, not hot paths.
 *
 * <p><b>Watching</b> needs a local peer: listeners hear every accepted command it applies, in log
 * order, on one dispatch thread (bounded queue of {@value #MAX_PENDING_NOTIFICATIONS}; if a
 * listener falls that far behind, notifications are dropped and logged, and the listener should
 * re-read state).
 *
 * <p><b>Failures</b> are bounded: each call gives up after {@link ClientOptions#timeoutMillis()}
 * and fails with a {@link LedgerUnavailableException} that names the unreachable peers, e.g. "no
 * quorum: 2 of 3 peers unreachable (az-b, az-c)". A timed-out submission may still commit later;
 * commands are compare-and-set or idempotent, so retrying is safe.
 */
public final class RatisLedger implements Ledger {
  private static final Logger LOG = LoggerFactory.getLogger(RatisLedger.class);

  /** Largest number of listener notifications queued before some are dropped. */
  public static final int MAX_PENDING_NOTIFICATIONS = 65_536;

  private final ClusterConfig cluster;
  private final ClientOptions options;
  private volatile @Nullable LedgerPeer localPeer;
  /** Relays of the current watchers, so they can follow a restarted local peer. */
  private final List<Listener> relays = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Replaced after a transport failure: Ratis closes an async client's window when retries run out. */
  private volatile RaftClient client;
  private final ExecutorService dispatch;
  /** Runs failure handling off Ratis' threads; idle threads end after a minute. */
  private final ExecutorService failures = new ThreadPoolExecutor(0, 4, 60, TimeUnit.SECONDS,
      new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, "ledger-client-failure");
        t.setDaemon(true);
        return t;
      });
  private volatile boolean closed;
  private volatile Metrics metrics = Metrics.NOOP;

  /**
   * Client options.
   *
   * @param timeoutMillis overall bound of one submit or read, retries included. Default {@value
   *     #DEFAULT_TIMEOUT_MILLIS}.
   * @param requestTimeoutMillis bound of one RPC attempt. Default {@value
   *     #DEFAULT_REQUEST_TIMEOUT_MILLIS}.
   */
  public record ClientOptions(long timeoutMillis, long requestTimeoutMillis) {
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 3_000;
    public static final ClientOptions DEFAULT = new ClientOptions(DEFAULT_TIMEOUT_MILLIS, DEFAULT_REQUEST_TIMEOUT_MILLIS);

    public ClientOptions {
      Check.arg(requestTimeoutMillis >= 100 && requestTimeoutMillis <= 600_000,
          "requestTimeoutMillis must be 100..600000, but was %d", requestTimeoutMillis);
      Check.arg(timeoutMillis >= requestTimeoutMillis && timeoutMillis <= 3_600_000,
          "timeoutMillis must be at least requestTimeoutMillis (%d) and at most 3600000, but was %d",
          requestTimeoutMillis, timeoutMillis);
    }
  }

  /** Thrown (inside the future) when the ledger can't be reached within the bound. */
  public static final class LedgerUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LedgerUnavailableException(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /** A client of {@code cluster}; {@code localPeer} enables local reads and watching. */
  public RatisLedger(ClusterConfig cluster, @Nullable LedgerPeer localPeer, ClientOptions options) {
    this.cluster = Check.notNull(cluster, "cluster");
    this.options = Check.notNull(options, "options");
    this.localPeer = localPeer;
    this.client = newClient();
    this.dispatch = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(MAX_PENDING_NOTIFICATIONS), r -> {
          Thread t = new Thread(r, "ledger-watch");
          t.setDaemon(true);
          return t;
        });
  }

  private RaftClient newClient() {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(options.requestTimeoutMillis(),
        TimeUnit.MILLISECONDS));
    long sleepMillis = 100;
    int attempts = (int) Math.max(1, options.timeoutMillis() / sleepMillis);
    return RaftClient.newBuilder()
        .setProperties(p)
        .setRaftGroup(cluster.raftGroup())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts,
            TimeDuration.valueOf(sleepMillis, TimeUnit.MILLISECONDS)))
        .build();
  }

  private static void closeQuietly(RaftClient c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.debug("closing a ledger client: {}", e.toString());
    }
  }

  /**
   * Swaps in a fresh client after a transport failure and closes the failed one. Runs on this
   * client's failure thread, never on a Ratis thread: closing a Ratis client from Ratis' reply path
   * once deadlocked against the lock that path holds.
   */
  private void replaceClient(RaftClient failed) {
    synchronized (this) {
      if (client != failed || closed) {
        return;
      }
      client = newClient();
    }
    closeQuietly(failed);
  }

  @Override
  public CompletableFuture<Result> submit(Command command) {
    Check.notNull(command, "command");
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("ledger client is closed"));
    }
    byte[] bytes;
    try {
      bytes = Codec.encode(command);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Message m = Message.valueOf(UnsafeByteOperations.unsafeWrap(bytes));
    long started = System.nanoTime();
    return call(c -> c.async().send(m), "submit " + command.action())
        .thenApply(reply -> {
          checkSuccess(reply);
          return ResultCodec.decode(reply.getMessage().getContent().toByteArray());
        })
        .whenComplete((r, err) -> reportCommit(command, started, r, err));
  }

  /**
   * Where this client reports each submission: {@code bulwark_ledger_commits_total} and {@code
   * bulwark_ledger_commit_latency_ms}, by command and outcome ({@code accepted}, {@code rejected},
   * {@code unavailable}, {@code error}). {@link Metrics#NOOP} unless set; may be set at any time.
   */
  public void setMetrics(Metrics m) {
    this.metrics = Check.notNull(m, "metrics");
  }

  /** Submit to outcome, measured on the monotonic clock (a duration, not a point in time). */
  private void reportCommit(Command command, long startedNanos, @Nullable Result r, @Nullable Throwable err) {
    String outcome;
    if (err == null) {
      outcome = r != null && r.isAccepted() ? "accepted" : "rejected";
    } else {
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      outcome = cause instanceof LedgerUnavailableException ? "unavailable" : "error";
    }
    Metrics m = metrics;
    m.record("bulwark_ledger_commit_latency_ms", (System.nanoTime() - startedNanos) / 1e6, "action", command.action(),
        "outcome", outcome);
    m.count("bulwark_ledger_commits_total", "action", command.action(), "outcome", outcome);
  }

  @Override
  public <T> CompletableFuture<T> read(LedgerQuery<T> query) {
    Check.notNull(query, "query");
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("ledger client is closed"));
    }
    LedgerPeer peer = localPeer;
    if (peer != null && peer.isRunning()) {
      // While the local peer is down (or stops mid-read) the read goes through the cluster instead:
      // slower, as it ships the state, but it must not wait out its timeout on a stopped replica.
      return readOnly(LedgerStateMachine.Queries.BARRIER, "read barrier")
          .thenCompose(content -> {
            long index = content.asReadOnlyByteBuffer().getLong();
            return peer.whenApplied(index).orTimeout(options.timeoutMillis(), TimeUnit.MILLISECONDS);
          })
          .thenApply(ignored -> peer.evaluate(query))
          .exceptionallyCompose(e -> rootCause(e) instanceof PeerStoppedException ? remoteRead(query)
              : CompletableFuture.failedFuture(e));
    }
    return remoteRead(query);
  }

  private static Throwable rootCause(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  /** A linearizable read evaluated here on the leader's whole state, for clients without a running peer. */
  private <T> CompletableFuture<T> remoteRead(LedgerQuery<T> query) {
    return readOnly(LedgerStateMachine.Queries.SNAPSHOT, "read")
        .thenApply(content -> {
          ByteBuffer b = content.asReadOnlyByteBuffer();
          b.getLong();
          byte[] snap = new byte[b.remaining()];
          b.get(snap);
          return query.evaluate(LedgerState.fromSnapshot(snap));
        });
  }

  /**
   * The state digest of one peer, e.g. {@code ledger@412 chain=intact sha256=9f2c...}: the last
   * log index it applied to the ledger, whether its audit chain verifies, and the SHA-256 of its
   * snapshot encoding. Equal digests mean byte-identical replicas.
   */
  public CompletableFuture<String> digestOf(AzId az) {
    Check.arg(cluster.peers().containsKey(az), "AZ %s is not a peer of %s", az, cluster.name());
    Message m = Message.valueOf(LedgerStateMachine.Queries.DIGEST);
    // A client of its own: mixing Ratis' unordered stale reads with ordered requests on one client
    // was seen to stall the ordered ones (3.3.0), and digests are rare diagnostics anyway.
    RaftClient c = newClient();
    return c.async().sendStaleRead(m, 0, ClusterConfig.peerId(az))
        .orTimeout(options.timeoutMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> closeQuietly(c))
        .thenApply(reply -> {
          checkSuccess(reply);
          ByteBuffer b = reply.getMessage().getContent().asReadOnlyByteBuffer();
          b.getLong();
          long lastLogIndex = b.getLong();
          boolean intact = b.get() == 1;
          byte[] hash = new byte[b.remaining()];
          b.get(hash);
          return "ledger@" + lastLogIndex + " chain=" + (intact ? "intact" : "BROKEN") + " sha256="
              + java.util.HexFormat.of().formatHex(hash);
        });
  }

  private CompletableFuture<ByteString> readOnly(String kind, String what) {
    Message m = Message.valueOf(kind);
    return call(c -> c.async().sendReadOnly(m), what).thenApply(reply -> {
      checkSuccess(reply);
      return reply.getMessage().getContent();
    });
  }

  private static void checkSuccess(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      Exception e = reply.getException();
      throw new CompletionException(e != null ? e : new IOException("ledger request failed: " + reply));
    }
  }

  /**
   * Runs one request on the current client under the overall timeout, and turns transport failures
   * into a diagnosis of the peers (replacing the client, whose window Ratis has closed).
   */
  private <T> CompletableFuture<T> call(java.util.function.Function<RaftClient, CompletableFuture<T>> op,
      String what) {
    RaftClient c = client;
    CompletableFuture<T> f;
    try {
      f = op.apply(c);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.orTimeout(options.timeoutMillis(), TimeUnit.MILLISECONDS).handle((v, err) -> {
      if (err == null) {
        return CompletableFuture.completedFuture(v);
      }
      Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
      if (isClientError(cause)) {
        return CompletableFuture.<T>failedFuture(cause);
      }
      // This may run on a Ratis thread holding Ratis' locks: swap the client and probe the peers
      // (which blocks for up to a few hundred ms) on a thread of our own.
      return CompletableFuture.<T>supplyAsync(() -> {
        replaceClient(c);
        throw new LedgerUnavailableException(diagnose(what, cause), cause);
      }, failures);
    }).thenCompose(x -> x);
  }

  private static boolean isClientError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      // startTransaction refused it: Ratis relays that as a StateMachineException.
      if (c instanceof Codec.MalformedCommandException
          || c instanceof org.apache.ratis.protocol.exceptions.StateMachineException) {
        return true;
      }
    }
    return false;
  }

  /** Names the unreachable peers by probing their ports (only on failure, so it costs nothing normally). */
  private String diagnose(String what, Throwable cause) {
    List<String> down = new ArrayList<>();
    for (Map.Entry<AzId, InetSocketAddress> e : cluster.peers().entrySet()) {
      if (!reachable(e.getValue())) {
        down.add(e.getKey().value());
      }
    }
    int n = cluster.peers().size();
    String timing = cause instanceof TimeoutException ? "timed out after " + options.timeoutMillis() + " ms"
        : "failed (" + cause + ")";
    if (n - down.size() < cluster.quorum()) {
      return String.format("no quorum: %d of %d peers unreachable (%s); %s %s. Start enough peers so that %d of %d"
          + " are up.", down.size(), n, String.join(", ", down), what, timing, cluster.quorum(), n);
    }
    return String.format("%s %s although %d of %d peers accept connections%s; the cluster may be electing a leader"
        + " or overloaded", what, timing, n - down.size(), n,
        down.isEmpty() ? "" : " (unreachable: " + String.join(", ", down) + ")");
  }

  private static boolean reachable(InetSocketAddress addr) {
    return acceptsConnections(addr, 300);
  }

  /**
   * Whether a peer's Raft port accepts a TCP connection within {@code timeoutMillis}: the cheap
   * reachability probe behind "no quorum: ... unreachable (az-b)" and the API's cluster view.
   */
  public static boolean acceptsConnections(InetSocketAddress addr, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(addr.getHostString(), addr.getPort()), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public Subscription watch(Listener listener) {
    Check.notNull(listener, "listener");
    LedgerPeer peer = localPeer;
    Check.state(peer != null, "watching needs a local ledger peer; this client has none");
    Listener relay = (index, outcome) -> {
      try {
        dispatch.execute(() -> listener.onAccepted(index, outcome));
      } catch (RejectedExecutionException e) {
        if (!closed) {
          LOG.error("ledger watch queue is full ({} notifications); dropped log index {}; the listener must re-read"
              + " the ledger", MAX_PENDING_NOTIFICATIONS, index);
        }
      }
    };
    relays.add(relay);
    peer.stateMachine().addListener(relay);
    return () -> {
      relays.remove(relay);
      LedgerPeer current = localPeer;
      if (current != null) {
        current.stateMachine().removeListener(relay);
      }
    };
  }

  /**
   * Points this client at a restarted local peer (a new {@link LedgerPeer} on the same directory):
   * reads and watchers continue on it. Watchers miss what was applied while no peer ran; they are
   * expected to re-read on their next round, as after any gap.
   */
  public synchronized void attach(LedgerPeer restarted) {
    Check.notNull(restarted, "restarted");
    Check.arg(restarted.cluster().equals(cluster), "peer %s belongs to another cluster", restarted.az());
    LedgerPeer old = localPeer;
    for (Listener r : relays) {
      if (old != null) {
        old.stateMachine().removeListener(r);
      }
      restarted.stateMachine().addListener(r);
    }
    localPeer = restarted;
  }

  /** The leader this client last talked to, if known. */
  public Optional<AzId> lastKnownLeader() {
    var id = client.getLeaderId();
    return id == null ? Optional.empty() : Optional.of(AzId.of(id.toString()));
  }

  /** The local peer, if any. */
  public Optional<LedgerPeer> localPeer() {
    return Optional.ofNullable(localPeer);
  }

  @Override
  public void close() {
    RaftClient last;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      last = client;
    }
    dispatch.shutdownNow();
    failures.shutdown();
    closeQuietly(last);
  }
}
