package dev.bulwark.server;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.RatisLedger;
import dev.bulwark.server.api.ApiToken;
import dev.bulwark.server.api.Role;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code bulwark up} ({@link EmbeddedControlPlane}) on free loopback ports, opened up for
 * tests in other packages: its console URL, a token per role, the demo load balancers, what DNS
 * publishes, and a ledger client for changing a service's policy the way configuration would.
 */
public final class ConsoleTestPlane implements AutoCloseable {
  /** The demo services' endpoints. */
  public static final String DYNAMODB_ENDPOINT = "dynamodb.us-east-1." + DemoTopology.ZONE;

  /** The s3 demo endpoint. */
  public static final String S3_ENDPOINT = "s3.us-east-1." + DemoTopology.ZONE;

  private final EmbeddedControlPlane plane;
  private final RatisLedger client;

  private ConsoleTestPlane(EmbeddedControlPlane plane, RatisLedger client) {
    this.plane = plane;
    this.client = client;
  }

  /** Starts {@code bulwark up} with its data in {@code dataDir} and waits until every load balancer is in DNS. */
  public static ConsoleTestPlane start(Path dataDir) throws Exception {
    int ledgerPort = consecutiveFreePorts(3);
    UpOptions options = new UpOptions(dataDir, TestSupport.freeUdpAndTcpPort(), ledgerPort,
        TestSupport.freeTcpPort(), TestSupport.freeTcpPort());
    EmbeddedControlPlane plane = EmbeddedControlPlane.start(options);
    SortedMap<AzId, InetSocketAddress> peers = new TreeMap<>();
    for (int i = 0; i < DemoTopology.AZS.size(); i++) {
      peers.put(AzId.of(DemoTopology.AZS.get(i)), InetSocketAddress.createUnresolved("127.0.0.1", ledgerPort + i));
    }
    ConsoleTestPlane p = new ConsoleTestPlane(plane, new RatisLedger(new ClusterConfig("bulwark-up", peers), null,
        RatisLedger.ClientOptions.DEFAULT));
    try {
      TestSupport.await(Duration.ofSeconds(90), () -> p.published(DYNAMODB_ENDPOINT).size() == 6
          && p.published(S3_ENDPOINT).size() == 6, "all twelve demo load balancers in DNS");
    } catch (InterruptedException | AssertionError e) {
      p.close();
      throw e;
    }
    return p;
  }

  /** Where the console and the API answer, e.g. {@code http://127.0.0.1:43121}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + plane.apiPort();
  }

  /** The secret of the token with {@code role}. */
  public String token(Role role) {
    return plane.tokens().stream().filter(t -> t.role() == role).map(ApiToken::secret).findFirst()
        .orElseThrow(() -> new AssertionError("bulwark up made no " + role.label() + " token"));
  }

  /** Stops the demo load balancer on {@code ip}; its health checks start failing. */
  public void stopBackend(String ip) {
    plane.stopBackend(ip);
  }

  /** Starts the demo load balancer on {@code ip} again. */
  public void startBackend(String ip) throws IOException {
    plane.startBackend(ip);
  }

  /** The addresses DNS publishes for {@code endpoint} now, read over the wire. */
  public List<String> published(String endpoint) {
    return plane.published(EndpointName.of(endpoint));
  }

  /** Sets the share of targets one automated step may remove, as configuration would, through the ledger. */
  public void setMaxRemovalPercent(String service, int percent) throws Exception {
    Result r = client.submit(new Command.UpdatePolicy(ServiceId.of(service),
        ServicePolicy.DEFAULT.withMaxRemovalPercent(percent), ActorId.of("config:test"), System.currentTimeMillis()))
        .get(15, TimeUnit.SECONDS);
    if (!r.isAccepted()) {
      throw new AssertionError("the ledger refused the policy update: " + r);
    }
  }

  @Override
  public void close() {
    client.close();
    plane.close();
  }

  private static int consecutiveFreePorts(int n) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = TestSupport.freeTcpPort();
      if (base + n > 65_535) {
        continue;
      }
      boolean all = true;
      for (int i = 1; i < n && all; i++) {
        try (ServerSocket s = new ServerSocket(base + i, 0, InetAddress.getLoopbackAddress())) {
          all = s.isBound();
        } catch (IOException e) {
          all = false;
        }
      }
      if (all) {
        return base;
      }
    }
    throw new IOException("found no " + n + " consecutive free ports on 127.0.0.1");
  }
}
