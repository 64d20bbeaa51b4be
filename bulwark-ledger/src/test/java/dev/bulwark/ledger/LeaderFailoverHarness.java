package dev.bulwark.ledger;

import dev.bulwark.core.AzId;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.LedgerQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How long ledger calls stall when the leader dies and comes back: three peers on loopback, four
 * threads alternating reads and submits through two clients (one beside a follower, one beside
 * the leader), the leader stopped after 1 s and restarted 3 s later. Prints every call slower than
 * 300 ms and the longest. A harness, not a test; the argument is the client's request timeout.
 *
 * <pre>
 * java -cp "bulwark-ledger/target/test-classes:bulwark-ledger/target/classes:$(cat bulwark-ledger/target/cp.txt)" \
 *     dev.bulwark.ledger.LeaderFailoverHarness 3000 1000
 * </pre>
 */
public final class LeaderFailoverHarness {
  private LeaderFailoverHarness() {}

  public static void main(String[] args) throws Exception {
    for (String a : args.length == 0 ? new String[] {"1000"} : args) {
      long requestTimeoutMillis = Long.parseLong(a);
      System.out.printf(Locale.ROOT, "request timeout %d ms: longest stall %d ms%n", requestTimeoutMillis,
          run(new RatisLedger.ClientOptions(10_000, requestTimeoutMillis)));
    }
    System.exit(0);
  }

  private static long run(RatisLedger.ClientOptions options) throws Exception {
    Path dir = Files.createTempDirectory("bulwark-failover");
    AtomicLong longest = new AtomicLong();
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      AzId leader = cluster.awaitLeader();
      AzId follower = List.of(TestCluster.A, TestCluster.B, TestCluster.C).stream().filter(a -> !a.equals(leader))
          .findFirst().orElseThrow();
      List<RatisLedger> clients = List.of(cluster.client(follower, options), cluster.client(leader, options));
      TestCluster.accepted(clients.get(0), TestCluster.register("svc", 1));
      AtomicBoolean running = new AtomicBoolean(true);
      long start = System.nanoTime();
      Thread[] threads = new Thread[4];
      for (int k = 0; k < threads.length; k++) {
        RatisLedger l = clients.get(k % 2);
        String name = "t" + k + (k % 2 == 0 ? " (beside a follower)" : " (beside the leader)");
        threads[k] = new Thread(() -> {
          for (int i = 0; running.get(); i++) {
            long s = System.nanoTime();
            String what = i % 2 == 0 ? "read" : "submit";
            String outcome = "ok";
            try {
              if (i % 2 == 0) {
                l.read(new LedgerQuery.PointerOf(ServiceId.of("svc"))).get(30, TimeUnit.SECONDS);
              } else {
                l.submit(TestCluster.register("x" + name.charAt(1) + "-" + i, 10 + i)).get(30, TimeUnit.SECONDS);
              }
            } catch (Exception e) {
              outcome = "failed: " + e.getMessage();
            }
            long ms = (System.nanoTime() - s) / 1_000_000;
            longest.accumulateAndGet(ms, Math::max);
            if (ms > 300) {
              System.out.printf(Locale.ROOT, "  %s %s took %d ms, started %d ms into the run, %s%n", name, what, ms,
                  (s - start) / 1_000_000, outcome);
            }
          }
        });
        threads[k].start();
      }
      Thread.sleep(1_000);
      System.out.printf(Locale.ROOT, "  stopping the leader %s at %d ms%n", leader, (System.nanoTime() - start) / 1_000_000);
      cluster.stop(leader);
      Thread.sleep(3_000);
      System.out.printf(Locale.ROOT, "  restarting %s at %d ms%n", leader, (System.nanoTime() - start) / 1_000_000);
      clients.get(1).attach(cluster.start(leader));
      Thread.sleep(12_000);
      running.set(false);
      for (Thread t : threads) {
        t.join();
      }
    }
    return longest.get();
  }
}
