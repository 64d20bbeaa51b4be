package dev.bulwark.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Three real Ratis peers on loopback in this JVM, one per AZ, each with its own directory. */
final class TestCluster implements AutoCloseable {
  static final AzId A = AzId.of("az-a");
  static final AzId B = AzId.of("az-b");
  static final AzId C = AzId.of("az-c");
  static final PeerOptions FAST = new PeerOptions(300, 600, 10_000, 5_000);

  final ClusterConfig config;
  final Path root;
  final PeerOptions options;
  final Map<AzId, LedgerPeer> peers = new TreeMap<>();
  final List<RatisLedger> clients = new ArrayList<>();

  TestCluster(Path root) {
    this(root, FAST);
  }

  TestCluster(Path root, PeerOptions options) {
    this(root, options, freshConfig());
  }

  /** A cluster on {@code config}'s ports and {@code root}'s directories: restarts an old one. */
  TestCluster(Path root, PeerOptions options, ClusterConfig config) {
    this.root = root;
    this.options = options;
    this.config = config;
  }

  private static ClusterConfig freshConfig() {
    SortedMap<AzId, InetSocketAddress> addrs = new TreeMap<>();
    for (AzId az : List.of(A, B, C)) {
      addrs.put(az, InetSocketAddress.createUnresolved("127.0.0.1", freePort()));
    }
    return new ClusterConfig("test", addrs);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestCluster startAll() throws IOException {
    for (AzId az : config.peers().keySet()) {
      start(az);
    }
    return this;
  }

  LedgerPeer start(AzId az) throws IOException {
    LedgerPeer p = new LedgerPeer(az, config, root.resolve(az.value()), options);
    p.start();
    peers.put(az, p);
    return p;
  }

  void stop(AzId az) {
    LedgerPeer p = peers.remove(az);
    if (p != null) {
      p.close();
    }
  }

  RatisLedger client(AzId local, RatisLedger.ClientOptions opts) {
    RatisLedger l = new RatisLedger(config, peers.get(local), opts);
    clients.add(l);
    return l;
  }

  RatisLedger client(AzId local) {
    return client(local, RatisLedger.ClientOptions.DEFAULT);
  }

  AzId awaitLeader() {
    AzId[] found = new AzId[1];
    await(Duration.ofSeconds(20), () -> {
      for (LedgerPeer p : peers.values()) {
        if (p.isLeader()) {
          found[0] = p.az();
          return true;
        }
      }
      return false;
    }, "a leader among " + peers.keySet());
    return found[0];
  }

  static void await(Duration max, BooleanSupplier cond, String what) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + max + " waiting for " + what);
      }
      try {
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  static Command.RegisterService register(String service, long time) {
    return new Command.RegisterService(ServiceDefinition.of(dev.bulwark.core.ServiceId.of(service),
        List.of(EndpointName.of(service + ".example")), List.of(A, B, C), ServicePolicy.DEFAULT),
        ActorId.of("operator:test"), time);
  }

  static Result submit(RatisLedger l, Command c) {
    try {
      return l.submit(c).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("submit of " + c.action() + " failed: " + e, e);
    }
  }

  static Result accepted(RatisLedger l, Command c) {
    Result r = submit(l, c);
    assertThat(r).as("result of %s", c).isInstanceOf(Result.Accepted.class);
    return r;
  }

  Optional<LedgerPeer> peer(AzId az) {
    return Optional.ofNullable(peers.get(az));
  }

  @Override
  public void close() {
    clients.forEach(RatisLedger::close);
    new ArrayList<>(peers.keySet()).forEach(this::stop);
  }
}
