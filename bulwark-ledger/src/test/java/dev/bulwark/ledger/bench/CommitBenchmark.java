package dev.bulwark.ledger.bench;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.LedgerPeer;
import dev.bulwark.ledger.PeerOptions;
import dev.bulwark.ledger.RatisLedger;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Commit latency and throughput of the replicated ledger: three Ratis peers on loopback (fsync on,
 * one JVM), N concurrent submitters each running the control plane's write cycle on its own
 * service: ProposePlan, two Votes, AdvancePointer (a compare-and-set). A harness, not a test.
 *
 * <pre>
 * ./mvnw -q -pl bulwark-ledger -am test-compile -DskipTests
 * ./mvnw -q -pl bulwark-ledger dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp "bulwark-ledger/target/test-classes:bulwark-ledger/target/classes:$(cat bulwark-ledger/target/cp.txt)" \
 *     dev.bulwark.ledger.bench.CommitBenchmark [seconds-per-level] [levels...]
 * </pre>
 */
public final class CommitBenchmark {
  private CommitBenchmark() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    int[] levels = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
        : new int[] {1, 16, 64};
    Path dir = Files.createTempDirectory("bulwark-commit-bench");
    SortedMap<AzId, InetSocketAddress> addrs = new TreeMap<>();
    for (String az : List.of("az-a", "az-b", "az-c")) {
      try (ServerSocket s = new ServerSocket(0)) {
        addrs.put(AzId.of(az), InetSocketAddress.createUnresolved("127.0.0.1", s.getLocalPort()));
      }
    }
    ClusterConfig cluster = new ClusterConfig("bench", addrs);
    List<LedgerPeer> peers = new ArrayList<>();
    for (AzId az : addrs.keySet()) {
      LedgerPeer p = new LedgerPeer(az, cluster, dir.resolve(az.value()), PeerOptions.DEFAULT);
      p.start();
      peers.add(p);
    }
    System.out.printf(Locale.ROOT, "# 3 Ratis peers on loopback, fsync on; %d s per level; data in %s%n", seconds, dir);
    System.out.println("| submitters | commands | commands/s | p50 ms | p99 ms | max ms |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    try (RatisLedger ledger = new RatisLedger(cluster, peers.get(0), RatisLedger.ClientOptions.DEFAULT)) {
      waitForLeader(ledger);
      FencingToken token = acquire(ledger);
      int run = 0;
      for (int n : levels) {
        measure(ledger, token, n, 3, "warmup" + run);
        Stats s = measure(ledger, token, n, seconds, "run" + run++);
        System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.2f | %.2f | %.2f |%n", n, s.count, s.count / (double) seconds,
            s.pct(50), s.pct(99), s.pct(100));
      }
    } finally {
      peers.forEach(LedgerPeer::close);
    }
  }

  private static void waitForLeader(RatisLedger ledger) throws Exception {
    for (int i = 0; i < 100; i++) {
      try {
        ledger.submit(new Command.RegisterService(def("warm"), ActorId.of("bench"), now())).get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("no leader");
  }

  private static FencingToken acquire(RatisLedger ledger) throws Exception {
    Result r = ledger.submit(new Command.AcquireAuthority(600_000, true, ActorId.of("bench"), now()))
        .get(10, TimeUnit.SECONDS);
    return ((Outcome.AuthorityGranted) ((Result.Accepted) r).outcome()).token();
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static ServiceDefinition def(String name) {
    return ServiceDefinition.of(ServiceId.of(name), List.of(EndpointName.of(name + ".bench.example")),
        List.of(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c")),
        ServicePolicy.DEFAULT.withVelocity(ServicePolicy.MAX_ADVANCES_PER_WINDOW_LIMIT, 1));
  }

  private static Stats measure(RatisLedger ledger, FencingToken token, int submitters, int seconds, String tag)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(submitters);
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int i = 0; i < submitters; i++) {
      String name = tag + "-s" + i;
      futures.add(pool.submit(() -> cycle(ledger, token, name, end)));
    }
    Stats stats = new Stats();
    for (Future<long[]> f : futures) {
      stats.add(f.get());
    }
    pool.shutdown();
    return stats;
  }

  /** One submitter: its own service, the write cycle in a loop; returns each command's latency. */
  private static long[] cycle(RatisLedger ledger, FencingToken token, String name, long endNanos) throws Exception {
    ActorId actor = ActorId.of("bench-" + name);
    ServiceId service = ServiceId.of(name);
    long[] lat = new long[1 << 16];
    int n = 0;
    ledger.submit(new Command.RegisterService(def(name), actor, now())).get();
    long version = 0;
    for (int i = 0; System.nanoTime() < endNanos && n + 4 < lat.length; i++) {
      Plan plan = Plan.of(service, Map.of(EndpointName.of(name + ".bench.example"),
          List.of(Target.of("10.0.0.1", 100, "az-a"), Target.of("10.0.1." + (1 + i % 200), 100, "az-b"))));
      long t0 = System.nanoTime();
      Result r = ledger.submit(new Command.ProposePlan(plan, token, actor, now())).get();
      long t1 = System.nanoTime();
      Generation g = ((Outcome.PlanProposed) ((Result.Accepted) r).outcome()).generation();
      ledger.submit(new Command.Vote(service, g, AzId.of("az-a"), true, "", actor, now())).get();
      long t2 = System.nanoTime();
      ledger.submit(new Command.Vote(service, g, AzId.of("az-b"), true, "", actor, now())).get();
      long t3 = System.nanoTime();
      Result adv = ledger.submit(new Command.AdvancePointer(service, version, g, token, actor, now())).get();
      long t4 = System.nanoTime();
      if (!(adv instanceof Result.Accepted a) || !(a.outcome() instanceof Outcome.PointerAdvanced)) {
        throw new IllegalStateException("advance not accepted: " + adv);
      }
      version++;
      lat[n++] = t1 - t0;
      lat[n++] = t2 - t1;
      lat[n++] = t3 - t2;
      lat[n++] = t4 - t3;
    }
    return Arrays.copyOf(lat, n);
  }

  private static final class Stats {
    private long[] all = new long[0];
    long count;

    void add(long[] l) {
      long[] merged = Arrays.copyOf(all, all.length + l.length);
      System.arraycopy(l, 0, merged, all.length, l.length);
      all = merged;
      count += l.length;
    }

    double pct(int p) {
      if (all.length == 0) {
        return Double.NaN;
      }
      long[] s = all.clone();
      Arrays.sort(s);
      int i = (int) Math.min(s.length - 1, Math.ceil(p / 100.0 * s.length) - 1);
      return s[Math.max(0, i)] / 1e6;
    }
  }
}
