package dev.bulwark.ledger;

import static dev.bulwark.ledger.TestCluster.A;
import static dev.bulwark.ledger.TestCluster.B;
import static dev.bulwark.ledger.TestCluster.C;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.AzId;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.AuditChain;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Result;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three ledger peers as separate JVMs: the process boundary is real, and so is {@code kill -9}. */
class MultiProcessLedgerTest {
  @TempDir Path dir;

  @Test
  void killingTheLeaderProcessLosesNoAcknowledgedWrite() throws Exception {
    SortedMap<AzId, InetSocketAddress> addrs = new TreeMap<>();
    for (AzId az : List.of(A, B, C)) {
      addrs.put(az, InetSocketAddress.createUnresolved("127.0.0.1", TestCluster.freePort()));
    }
    ClusterConfig cluster = new ClusterConfig("procs", addrs);
    Map<AzId, PeerProcess> procs = new TreeMap<>();
    try (RatisLedger ledger = new RatisLedger(cluster, null, new RatisLedger.ClientOptions(5_000, 1_000))) {
      for (AzId az : List.of(A, B, C)) {
        procs.put(az, PeerProcess.start(az, cluster, dir));
      }
      // Every peer must hold the log before the leader dies: Raft (Ratis) does not count the vote of
      // a peer whose log is still empty once anything has been committed, so killing the leader
      // while a late starter is catching up would (rightly) leave no electable majority.
      TestCluster.accepted(ledger, TestCluster.register("warmup", 0));
      awaitIdentical(ledger);
      Set<String> acknowledged = new TreeSet<>();
      int attempt = 0;
      AzId killed = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (acknowledged.size() < 60 && System.nanoTime() < deadline) {
        String name = "svc" + attempt++;
        try {
          Result r = ledger.submit(TestCluster.register(name, attempt)).get(20, TimeUnit.SECONDS);
          if (r.isAccepted()) {
            acknowledged.add(name);
          }
        } catch (Exception e) {
          // Not acknowledged: during the election a write may fail; it may or may not have committed.
        }
        if (acknowledged.size() == 20 && killed == null) {
          killed = ledger.lastKnownLeader().orElseThrow();
          procs.get(killed).kill9();
        }
      }
      assertThat(killed).as("a leader was killed").isNotNull();
      assertThat(acknowledged).hasSize(60);

      procs.put(killed, PeerProcess.start(killed, cluster, dir));
      assertThat(awaitIdentical(ledger)).contains("chain=intact");

      // A non-local read fetches and verifies the whole state (audit chain included).
      List<AuditEvent> events = new ArrayList<>();
      for (long from = 0; ; from += LedgerQuery.AuditRange.MAX_PAGE) {
        List<AuditEvent> page = ledger.read(new LedgerQuery.AuditRange(from, LedgerQuery.AuditRange.MAX_PAGE))
            .get(30, TimeUnit.SECONDS);
        events.addAll(page);
        if (page.size() < LedgerQuery.AuditRange.MAX_PAGE) {
          break;
        }
      }
      assertThat(AuditChain.verify(events).intact()).isTrue();
      Set<String> committed = events.stream().filter(AuditEvent::accepted).map(AuditEvent::subject)
          .collect(Collectors.toSet());
      assertThat(committed).containsAll(acknowledged);
      assertThat(Files.readString(procs.get(killed).log)).contains("ready " + killed);
    } finally {
      for (PeerProcess p : procs.values()) {
        p.close();
      }
    }
  }

  /** Waits until all three replicas report the same digest, and returns it. */
  private static String awaitIdentical(RatisLedger ledger) {
    String[] digests = new String[3];
    TestCluster.await(Duration.ofSeconds(60), () -> {
      int i = 0;
      for (AzId az : List.of(A, B, C)) {
        try {
          digests[i++] = ledger.digestOf(az).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          return false;
        }
      }
      return digests[0].equals(digests[1]) && digests[1].equals(digests[2]);
    }, "all three replicas to be byte-identical");
    return digests[0];
  }

  @Test
  void aJvmRunningPeersExitsByItselfOnceTheyAreClosed() throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", PeerProcess.classpath(),
        ThreePeersThenExit.class.getName(), dir.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
    boolean exited = p.waitFor(90, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly();
    }
    assertThat(exited).as("process exited without System.exit (log: %s)", Files.readString(dir.resolve("out.log")))
        .isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(Files.readString(dir.resolve("out.log"))).contains("committed and closed");
  }
}
