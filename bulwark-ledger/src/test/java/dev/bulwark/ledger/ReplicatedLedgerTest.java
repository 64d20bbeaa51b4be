package dev.bulwark.ledger;

import static dev.bulwark.ledger.TestCluster.A;
import static dev.bulwark.ledger.TestCluster.B;
import static dev.bulwark.ledger.TestCluster.C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Plan;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.RejectCode;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.port.InMemoryMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatedLedgerTest {
  @TempDir Path dir;

  private static String digest(RatisLedger l, AzId az) throws Exception {
    return l.digestOf(az).get(30, TimeUnit.SECONDS);
  }

  @Test
  void writesSurviveTheLeadersLossAndTheRestartedPeerCatchesUp() throws Exception {
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      AzId leader = cluster.awaitLeader();
      AzId other = leader.equals(A) ? B : A;
      RatisLedger ledger = cluster.client(other);
      for (int i = 0; i < 5; i++) {
        TestCluster.accepted(ledger, TestCluster.register("svc" + i, 1_000 + i));
      }

      long committed = cluster.peer(leader).orElseThrow().appliedIndex();
      TestCluster.await(Duration.ofSeconds(10), () -> cluster.peer(leader).orElseThrow().commitIndexes().values()
          .stream().filter(i -> i >= committed).count() == 3, "the leader to see every peer's commit index");

      cluster.stop(leader);
      AzId next = cluster.awaitLeader();
      assertThat(next).isNotEqualTo(leader);
      for (int i = 5; i < 10; i++) {
        TestCluster.accepted(ledger, TestCluster.register("svc" + i, 1_000 + i));
      }

      cluster.start(leader);
      String expected = digest(ledger, other);
      TestCluster.await(Duration.ofSeconds(30), () -> {
        try {
          return digest(ledger, leader).equals(expected);
        } catch (Exception e) {
          return false;
        }
      }, "restarted " + leader + " to catch up");
      assertThat(ledger.read(new LedgerQuery.AuditRange(0, 100)).get()).hasSize(10);
      for (AzId az : List.of(A, B, C)) {
        assertThat(digest(ledger, az)).isEqualTo(expected);
      }
    }
  }

  @Test
  void aClientWhoseLocalPeerIsDownReadsThroughTheClusterAndLocallyAgainAfterTheRestart() throws Exception {
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      cluster.awaitLeader();
      // A client timeout far above the wait below: a read stuck on the stopped replica would fail it.
      RatisLedger ledger = cluster.client(A, new RatisLedger.ClientOptions(120_000, 3_000));
      TestCluster.accepted(ledger, TestCluster.register("svc", 1_000));
      cluster.stop(A);
      TestCluster.accepted(ledger, TestCluster.register("while-down", 1_001));
      assertThat(ledger.read(new LedgerQuery.ServiceOf(ServiceId.of("while-down"))).get(30, TimeUnit.SECONDS))
          .as("read while the local peer is down").isPresent();

      ledger.attach(cluster.start(A));
      TestCluster.accepted(ledger, TestCluster.register("after", 1_002));
      assertThat(ledger.read(new LedgerQuery.ServiceOf(ServiceId.of("after"))).get(30, TimeUnit.SECONDS))
          .as("read after the restart").isPresent();
    }
  }

  @Test
  void oneAzDownStillCommitsTwoDownFailsFastWithNoQuorumAndRecovers() throws Exception {
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      cluster.awaitLeader();
      RatisLedger ledger = cluster.client(A, new RatisLedger.ClientOptions(3_000, 1_000));
      TestCluster.accepted(ledger, TestCluster.register("one", 1));

      cluster.stop(C);
      cluster.awaitLeader();
      TestCluster.accepted(ledger, TestCluster.register("two", 2));

      cluster.stop(B);
      long start = System.nanoTime();
      assertThatThrownBy(() -> ledger.submit(TestCluster.register("three", 3)).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(RatisLedger.LedgerUnavailableException.class)
          .hasMessageContaining("no quorum: 2 of 3 peers unreachable (az-b, az-c)");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));

      cluster.start(B);
      cluster.awaitLeader();
      Result r = TestCluster.submit(ledger, TestCluster.register("three", 3));
      assertThat(r.isAccepted()).isTrue();
      assertThat(ledger.read(new LedgerQuery.AuditRange(0, 100)).get()).extracting(e -> e.subject())
          .contains("one", "two", "three");
    }
  }

  @Test
  void fullClusterRestartRestoresTheSameStateFromSnapshots() throws Exception {
    String before;
    PeerOptions snapshotOften = TestCluster.FAST.withSnapshotThresholdEntries(10);
    TestCluster first = new TestCluster(dir, snapshotOften);
    try (first) {
      first.startAll();
      first.awaitLeader();
      RatisLedger ledger = first.client(A);
      for (int i = 0; i < 30; i++) {
        TestCluster.accepted(ledger, TestCluster.register("svc" + i, i));
      }
      // Not A's digest at one instant: a submit the client retried after a leader change can be
      // applied twice (Ratis' retry cache is per server), a moment after its first answer. Wait
      // until the three replicas agree and stay put.
      before = awaitSettled(ledger);
    }
    // Same directories and ports: a real restart of every AZ.
    try (TestCluster restarted = new TestCluster(dir, snapshotOften, first.config)) {
      restarted.startAll();
      restarted.awaitLeader();
      RatisLedger ledger = restarted.client(B);
      for (AzId az : List.of(A, B, C)) {
        awaitDigest(ledger, az, before, " to restore");
        assertThat(restarted.peers.get(az).loadedSnapshotIndex()).as("snapshot used by %s", az).isPositive();
      }
      TestCluster.accepted(ledger, TestCluster.register("after-restart", 99));
      assertThat(ledger.read(new LedgerQuery.AuditRange(0, 1_000)).get()).hasSize(31);
      boolean intact = restarted.peers.get(B).readLocal(s -> s.audit().verify().intact());
      assertThat(intact).isTrue();
    }
  }

  /** The digest all three replicas agree on once it stops changing (half a second without a change). */
  private static String awaitSettled(RatisLedger l) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String seen = "";
    while (System.nanoTime() < deadline) {
      String a = digestQuietly(l, A);
      if (a.equals(digestQuietly(l, B)) && a.equals(digestQuietly(l, C))) {
        if (a.equals(seen)) {
          return a;
        }
        seen = a;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the replicas did not settle on one digest within 30 s; last agreed " + seen);
  }

  /** Waits for {@code az}'s digest to equal {@code expected}; a timeout names the last one seen. */
  private static void awaitDigest(RatisLedger l, AzId az, String expected, String what) {
    String[] last = {""};
    try {
      TestCluster.await(Duration.ofSeconds(30), () -> (last[0] = digestQuietly(l, az)).equals(expected), az + what);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": expected " + expected + ", last seen " + last[0], e);
    }
  }

  private static String digestQuietly(RatisLedger l, AzId az) {
    try {
      return digest(l, az);
    } catch (Exception e) {
      return "unavailable: " + e;
    }
  }

  @Test
  void fencingTokenIsTheGrantsLogIndexAndAnOlderEpochIsRejectedAfterALeaderChange() throws Exception {
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      AzId leader = cluster.awaitLeader();
      AzId other = leader.equals(A) ? B : A;
      RatisLedger ledger = cluster.client(other);
      TestCluster.accepted(ledger, TestCluster.register("dynamodb", 1));
      Result grant = TestCluster.accepted(ledger, new Command.AcquireAuthority(60_000, false,
          ActorId.of("controller:primary"), 2));
      FencingToken oldToken = ((Outcome.AuthorityGranted) ((Result.Accepted) grant).outcome()).token();
      assertThat(oldToken.logIndex()).isEqualTo(grant.logIndex());

      cluster.stop(leader);
      cluster.awaitLeader();
      Result takeover = TestCluster.accepted(ledger, new Command.AcquireAuthority(60_000, true,
          ActorId.of("controller:shadow"), 3));
      FencingToken newToken = ((Outcome.AuthorityGranted) ((Result.Accepted) takeover).outcome()).token();
      assertThat(newToken.logIndex()).isEqualTo(takeover.logIndex()).isGreaterThan(oldToken.logIndex());

      Plan plan = Plan.of(ServiceId.of("dynamodb"), Map.of(EndpointName.of("dynamodb.example"),
          List.of(Target.of("10.0.0.1", 100, "az-a"))));
      Result stale = TestCluster.submit(ledger, new Command.ProposePlan(plan, oldToken,
          ActorId.of("planner@az-a"), 4));
      assertThat(stale).isInstanceOf(Result.Rejected.class);
      assertThat(((Result.Rejected) stale).code()).isEqualTo(RejectCode.STALE_TOKEN);
      TestCluster.accepted(ledger, new Command.ProposePlan(plan, newToken, ActorId.of("planner@az-a"), 5));
    }
  }

  @Test
  void everySubmissionIsCountedWithItsLatencyAsAcceptedRejectedOrUnavailable() throws Exception {
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      cluster.awaitLeader();
      RatisLedger ledger = cluster.client(A, new RatisLedger.ClientOptions(3_000, 1_000));
      InMemoryMetrics metrics = new InMemoryMetrics();
      ledger.setMetrics(metrics);
      TestCluster.accepted(ledger, TestCluster.register("dynamodb", 1));
      Plan plan = Plan.of(ServiceId.of("dynamodb"), Map.of(EndpointName.of("dynamodb.example"),
          List.of(Target.of("10.0.0.1", 100, "az-a"))));
      Result noAuthority = TestCluster.submit(ledger, new Command.ProposePlan(plan, FencingToken.of(1),
          ActorId.of("planner@az-a"), 2));
      assertThat(noAuthority).isInstanceOf(Result.Rejected.class);

      cluster.stop(B);
      cluster.stop(C);
      assertThatThrownBy(() -> ledger.submit(TestCluster.register("two", 3)).get(30, TimeUnit.SECONDS))
          .cause().isInstanceOf(RatisLedger.LedgerUnavailableException.class);

      assertThat(metrics.counter("bulwark_ledger_commits_total", "action", "RegisterService", "outcome", "accepted"))
          .isEqualTo(1);
      assertThat(metrics.counter("bulwark_ledger_commits_total", "action", "ProposePlan", "outcome", "rejected"))
          .isEqualTo(1);
      assertThat(metrics.counter("bulwark_ledger_commits_total", "action", "RegisterService", "outcome",
          "unavailable")).isEqualTo(1);
      assertThat(metrics.observations("bulwark_ledger_commit_latency_ms", "action", "RegisterService", "outcome",
          "accepted")).isEqualTo(1);
    }
  }

  @Test
  void malformedCommandIsRefusedBeforeTheLogAndTheClusterKeepsServing() throws Exception {
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      cluster.awaitLeader();
      RatisLedger ledger = cluster.client(A);
      long before = cluster.peers.get(A).appliedIndex();
      org.apache.ratis.client.RaftClient raw = org.apache.ratis.client.RaftClient.newBuilder()
          .setProperties(new org.apache.ratis.conf.RaftProperties())
          .setRaftGroup(cluster.config.raftGroup()).build();
      try (raw) {
        assertThatThrownBy(() -> raw.io().send(org.apache.ratis.protocol.Message.valueOf("rm -rf /")))
            .hasMessageContaining("not a Bulwark command");
      }
      TestCluster.accepted(ledger, TestCluster.register("after", 1));
      assertThat(ledger.read(new LedgerQuery.AuditRange(0, 10)).get()).singleElement()
          .satisfies(e -> assertThat(e.subject()).isEqualTo("after"));
      assertThat(cluster.peers.get(A).appliedIndex()).isGreaterThan(before);
    }
  }

  @Test
  void watchersHearAcceptedCommandsInLogOrder() throws Exception {
    try (TestCluster cluster = new TestCluster(dir).startAll()) {
      cluster.awaitLeader();
      RatisLedger ledger = cluster.client(C);
      List<Long> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (var sub = ledger.watch((index, outcome) -> heard.add(index))) {
        for (int i = 0; i < 5; i++) {
          TestCluster.accepted(ledger, TestCluster.register("svc" + i, i));
        }
        TestCluster.await(Duration.ofSeconds(10), () -> heard.size() == 5, "5 notifications");
        assertThat(sub).isNotNull();
      }
      assertThat(heard).isSorted().doesNotHaveDuplicates();
    }
  }
}
