package dev.bulwark.server;

import static dev.bulwark.server.TestSupport.dig;
import static dev.bulwark.server.TestSupport.freeTcpPort;
import static dev.bulwark.server.TestSupport.freeUdpAndTcpPort;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.bulwark.core.AzId;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.AuditEvent;
import dev.bulwark.core.ledger.AuthorityLease;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.RatisLedger;
import dev.bulwark.server.config.BulwarkConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed deployment as shipped in {@code examples/}: three {@code bulwark node} processes
 * and a real BIND9 {@code named} on loopback, with only the ports moved to free ones. One node is
 * killed with SIGKILL (the one whose controller holds the authority lease); DNS must stay correct
 * throughout and the ledger must keep committing, which a health change proves end to end.
 */
class NodeClusterTest {
  private static final List<String> API = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13");
  private static final List<String> DB = List.of("127.0.0.21", "127.0.0.22", "127.0.0.23");
  private static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  @TempDir Path dir;

  @Test
  void threeNodesAndBind9KeepDnsCorrectAndCommittingWhenTheControllersNodeIsKilled() throws Exception {
    boolean tools = TestSupport.haveTool("named") && TestSupport.haveTool("dig");
    assumeTrue(tools, "BIND9 (named) and dig are needed: apt-get install bind9 bind9-dnsutils");
    int dnsPort = freeUdpAndTcpPort();
    int httpPort = freeTcpPort();
    int tcpPort = freeTcpPort();
    Path examples = copyExamples(Map.of("5353", dnsPort, "18080", httpPort, "15432", tcpPort,
        "7201", freeTcpPort(), "7202", freeTcpPort(), "7203", freeTcpPort(),
        "8081", freeTcpPort(), "8082", freeTcpPort(), "8083", freeTcpPort()));
    Map<String, String> env = Map.of("BULWARK_ADMIN_TOKEN", ADMIN_TOKEN, "BULWARK_VIEWER_TOKEN",
        "test-viewer-token-0123456789");
    BulwarkConfig configA = BulwarkConfig.load(examples.resolve("node-az-a.yaml"), env);
    ClusterConfig cluster = configA.cluster();

    List<HttpServer> backends = new ArrayList<>();
    Map<String, NodeProcess> nodes = new TreeMap<>();
    try (NamedProcess named = NamedProcess.start(examples.resolve("bind9/named.conf"), dnsPort, "bulwark.test");
        RatisLedger ledger = new RatisLedger(cluster, null, new RatisLedger.ClientOptions(5_000, 1_000))) {
      API.forEach(ip -> backends.add(backend(ip, httpPort)));
      DB.forEach(ip -> backends.add(backend(ip, tcpPort)));
      for (String az : List.of("az-a", "az-b", "az-c")) {
        nodes.put(az, NodeProcess.start(az, examples.resolve("node-" + az + ".yaml"), "node-cluster", env));
      }
      await(CONVERGE, () -> digQuietly(dnsPort, "api.bulwark.test").equals(API)
          && digQuietly(dnsPort, "db.bulwark.test").equals(DB), "BIND9 to publish every healthy target",
          nodes.values());

      // Every node must hold the log before one dies (see MultiProcessLedgerTest).
      await(CONVERGE, () -> identicalDigests(ledger), "the three ledger replicas to be identical", nodes.values());
      AuthorityLease lease = ledger.read(new LedgerQuery.Authority()).get(30, TimeUnit.SECONDS).orElseThrow();
      String victim = lease.holder().value().replace("controller@", "");
      long versionBefore = ledger.read(new LedgerQuery.PointerOf(ServiceId.of("api"))).get(30, TimeUnit.SECONDS)
          .version();

      List<AuditEvent> acknowledged = auditChain(ledger);

      nodes.get(victim).kill9();
      // DNS stays correct with the controller's node gone: nothing is withdrawn or emptied.
      for (int i = 0; i < 10; i++) {
        assertThat(dig(dnsPort, "api.bulwark.test")).as("api right after the kill, sample %d", i).isEqualTo(API);
        Thread.sleep(200);
      }

      // The ledger keeps committing: a failed load balancer leaves DNS through a new plan, a new
      // controller's proposal, two votes and the remaining Enactors.
      String failing = API.get(1);
      stopBackend(backends, failing, httpPort);
      List<String> expected = API.stream().filter(ip -> !ip.equals(failing)).toList();
      await(CONVERGE, () -> digQuietly(dnsPort, "api.bulwark.test").equals(expected),
          "DNS to drop the failed load balancer " + failing + " after " + victim + " was killed", survivors(nodes, victim));
      assertThat(dig(dnsPort, "db.bulwark.test")).isEqualTo(DB);
      long versionAfter = ledger.read(new LedgerQuery.PointerOf(ServiceId.of("api"))).get(30, TimeUnit.SECONDS)
          .version();
      assertThat(versionAfter).isGreaterThan(versionBefore);
      AuthorityLease next = ledger.read(new LedgerQuery.Authority()).get(30, TimeUnit.SECONDS).orElseThrow();
      assertThat(next.holder().value()).isNotEqualTo(lease.holder().value());
      assertThat(next.epoch().value()).isGreaterThan(lease.epoch().value());
      // Nothing acknowledged before the kill is lost or changed, and the promotion is in the chain.
      List<AuditEvent> after = auditChain(ledger);
      assertThat(after.subList(0, acknowledged.size())).isEqualTo(acknowledged);
      assertThat(after).anyMatch(e -> e.code().equals("PROMOTED") && e.actor().equals(next.holder().value()));
      assertThat(ledger.read(new LedgerQuery.VerifyAudit()).get(30, TimeUnit.SECONDS).intact()).isTrue();

      // The CLI against a surviving node's API sees the cluster with the killed peer unreachable.
      String survivor = victim.equals("az-a") ? "az-b" : "az-a";
      int apiPort = BulwarkConfig.load(examples.resolve("node-" + survivor + ".yaml"), env).api().port();
      Run status = cli("status", "--url", "http://127.0.0.1:" + apiPort, "--token", ADMIN_TOKEN);
      assertThat(status.exit).as(status.out).isZero();
      assertThat(status.out).contains(victim, survivor);

      // The killed node comes back with its data and catches up.
      nodes.get(victim).restart();
      await(CONVERGE, () -> identicalDigests(ledger), victim + " to catch up after its restart", nodes.values());
      assertThat(named.logLines("update failed")).as("BIND9 refused no update outright").isEmpty();
    } finally {
      nodes.values().forEach(NodeProcess::close);
      backends.forEach(b -> b.stop(0));
    }
  }

  /** Copies examples/ to the temporary directory, moving every fixed port to a free one. */
  private Path copyExamples(Map<String, Integer> ports) throws IOException {
    Path source = Path.of("..", "examples").toAbsolutePath().normalize();
    Path target = dir.resolve("examples");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path f : files.filter(p -> !p.toString().contains("/data/") && !p.toString().contains("/run/")).toList()) {
        Path to = target.resolve(source.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
          continue;
        }
        String text = Files.readString(f, StandardCharsets.UTF_8);
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
          text = text.replaceAll("\\b" + e.getKey() + "\\b", Integer.toString(e.getValue()));
        }
        Files.writeString(to, text, StandardCharsets.UTF_8);
      }
    }
    Files.createDirectories(target.resolve("bind9/run"));
    // named.conf names its files relative to the directory named starts in: the copy's parent.
    Path conf = target.resolve("bind9/named.conf");
    Files.writeString(conf, Files.readString(conf).replace("\"examples/", "\"" + target + "/"));
    return target;
  }

  private static HttpServer backend(String ip, int port) {
    try {
      return DemoBackend.start(ip, port);
    } catch (IOException e) {
      throw new UncheckedIOException("backend " + ip + ":" + port, e);
    }
  }

  private static void stopBackend(List<HttpServer> backends, String ip, int port) {
    HttpServer s = backends.stream().filter(b -> b.getAddress().getHostString().equals(ip)
        && b.getAddress().getPort() == port).findFirst().orElseThrow();
    s.stop(0);
    backends.remove(s);
  }

  private static List<String> digQuietly(int port, String name) {
    try {
      return dig(port, name);
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private static boolean identicalDigests(RatisLedger ledger) {
    try {
      Optional<String> first = Optional.empty();
      for (String az : List.of("az-a", "az-b", "az-c")) {
        String d = ledger.digestOf(AzId.of(az)).get(10, TimeUnit.SECONDS);
        String state = d.substring(d.indexOf(' ') + 1);
        if (first.isPresent() && !first.get().equals(state)) {
          return false;
        }
        first = Optional.of(state);
      }
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  /** Waits like {@link TestSupport#await}, and on failure shows the end of every node's log. */
  private static void await(Duration max, BooleanSupplier cond, String what,
      Collection<NodeProcess> nodes) throws InterruptedException {
    try {
      TestSupport.await(max, () -> cond.getAsBoolean() || nodes.stream().anyMatch(n -> !n.isAlive()), what);
      Optional<NodeProcess> dead = nodes.stream().filter(n -> !n.isAlive()).findFirst();
      if (dead.isPresent()) {
        throw new AssertionError("node " + dead.get().az + " exited while waiting for " + what);
      }
    } catch (AssertionError e) {
      Map<String, String> tails = new LinkedHashMap<>();
      for (NodeProcess n : nodes) {
        String log = n.logText();
        tails.put(n.az, log.substring(Math.max(0, log.length() - 4_000)));
      }
      throw new AssertionError(e.getMessage() + "\nnode logs (tails): " + tails, e);
    }
  }

  private static List<AuditEvent> auditChain(RatisLedger ledger) throws Exception {
    List<AuditEvent> all = new ArrayList<>();
    while (true) {
      List<AuditEvent> page = ledger.read(new LedgerQuery.AuditRange(all.size(), LedgerQuery.AuditRange.MAX_PAGE))
          .get(30, TimeUnit.SECONDS);
      all.addAll(page);
      if (page.size() < LedgerQuery.AuditRange.MAX_PAGE) {
        return all;
      }
    }
  }

  private static List<NodeProcess> survivors(Map<String, NodeProcess> nodes, String killed) {
    return nodes.values().stream().filter(n -> !n.az.equals(killed)).toList();
  }

  private record Run(int exit, String out) {}

  private static Run cli(String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    int exit = Main.run(args, new ByteArrayInputStream(new byte[0]), ps, ps);
    return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
  }
}
