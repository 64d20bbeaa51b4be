package dev.bulwark.ledger;

import dev.bulwark.core.ledger.Result;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Starts three peers and a client, commits one command, closes everything and returns from
 * {@code main} without {@code System.exit}: the JVM ends only if no thread was left behind.
 */
public final class ThreePeersThenExit {
  private ThreePeersThenExit() {}

  public static void main(String[] args) throws Exception {
    TestCluster cluster = new TestCluster(Path.of(args[0]).resolve("peers"));
    try (cluster) {
      cluster.startAll();
      cluster.awaitLeader();
      RatisLedger ledger = cluster.client(TestCluster.A);
      Result r = ledger.submit(TestCluster.register("exit-check", 1)).get(30, TimeUnit.SECONDS);
      if (!r.isAccepted()) {
        throw new IllegalStateException("not accepted: " + r);
      }
    }
    System.out.println("committed and closed");
  }
}
