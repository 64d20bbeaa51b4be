package dev.bulwark.server;

import static dev.bulwark.server.TestSupport.await;
import static dev.bulwark.server.TestSupport.freeTcpPort;
import static dev.bulwark.server.TestSupport.freeUdpAndTcpPort;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.agents.Controller;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.Pointer;
import dev.bulwark.core.ServiceId;
import dev.bulwark.server.api.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bulwark up} as a user meets it: DNS answers, a failed load balancer leaves, state survives. */
class BulwarkUpTest {
  @TempDir Path dir;

  private static final EndpointName DDB = EndpointName.of("dynamodb.us-east-1.bulwark.test");
  private static final List<String> ALL = List.of("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14",
      "127.0.0.15", "127.0.0.16");

  @Test
  void upAnswersDnsWithTheHealthyLoadBalancersDropsAStoppedOneAndKeepsItsLedgerAcrossARestart() throws Exception {
    UpOptions options = new UpOptions(dir.resolve("data"), freeUdpAndTcpPort(), threeFreePorts(), freeTcpPort(),
        freeTcpPort());
    Pointer before;
    try (EmbeddedControlPlane plane = EmbeddedControlPlane.start(options)) {
      await(Duration.ofSeconds(60), () -> plane.published(DDB).equals(ALL), "all six load balancers in DNS");
      assertThat(dig(plane.dnsPort(), DDB.value())).containsExactlyInAnyOrderElementsOf(ALL);

      assertThat(plane.stopBackend("127.0.0.13")).isTrue();
      await(Duration.ofSeconds(60), () -> !plane.published(DDB).contains("127.0.0.13") && plane.published(DDB).size() == 5,
          "the stopped load balancer to leave DNS");
      before = plane.pointer(ServiceId.of("dynamodb"));
      approverPromotesTheShadowWithTheCli(plane);
      operatorPausesAndResumesWithTheCli(plane);
    }
    try (EmbeddedControlPlane again = EmbeddedControlPlane.start(options)) {
      Pointer after = again.pointer(ServiceId.of("dynamodb"));
      assertThat(after.version()).as("the ledger kept its state").isGreaterThanOrEqualTo(before.version());
      assertThat(again.published(DDB)).as("the zone kept its records").isNotEmpty();
      await(Duration.ofSeconds(60), () -> again.published(DDB).equals(ALL), "the restarted load balancer to return");
    }
  }

  /**
   * Human override through the CLI against the running instance: a paused service keeps what DNS
   * publishes even when health changes; resuming lets automation catch up; the audit chain names
   * the operator; a viewer is refused.
   */
  private static void operatorPausesAndResumesWithTheCli(EmbeddedControlPlane plane) throws Exception {
    String url = "http://127.0.0.1:" + plane.apiPort();
    String operator = secret(plane, Role.OPERATOR);
    Run denied = run("pause", "--service", "dynamodb", "--reason", "viewer try", "--url", url, "--token",
        secret(plane, Role.VIEWER));
    assertThat(denied.exit).as(denied.out).isEqualTo(1);
    assertThat(denied.out).contains("403").doesNotContain(secret(plane, Role.VIEWER));

    Run pause = run("pause", "--service", "dynamodb", "--reason", "change freeze", "--url", url, "--token", operator);
    assertThat(pause.exit).as(pause.out).isZero();
    plane.startBackend("127.0.0.13");
    Thread.sleep(4_000); // several health, planning and apply rounds
    assertThat(plane.published(DDB)).as("a paused service keeps what DNS publishes").doesNotContain("127.0.0.13");
    Run status = run("services", "--url", url, "--token", operator, "--output", "json");
    assertThat(status.exit).as(status.out).isZero();
    assertThat(status.out).containsPattern("\"paused\"\\s*:\\s*true");

    Run resume = run("resume", "--service", "dynamodb", "--reason", "freeze over", "--url", url, "--token", operator);
    assertThat(resume.exit).as(resume.out).isZero();
    await(Duration.ofSeconds(60), () -> plane.published(DDB).equals(ALL), "automation to catch up after resume");
    Run audit = run("audit", "--actor", "api:operator", "--url", url, "--token", operator);
    assertThat(audit.exit).as(audit.out).isZero();
    assertThat(audit.out).contains("Pause").contains("Resume").contains("change freeze");
    assertThat(plane.stopBackend("127.0.0.13")).isTrue();
    await(Duration.ofSeconds(60), () -> plane.published(DDB).size() == 5, "the load balancer to leave DNS again");
  }

  /**
   * bulwark up runs a primary and a shadow controller; an approver promotes the shadow, the old
   * primary is fenced and becomes the shadow, and automation carries on under the new epoch (the
   * pause/resume test that follows needs it).
   */
  private static void approverPromotesTheShadowWithTheCli(EmbeddedControlPlane plane) throws Exception {
    String url = "http://127.0.0.1:" + plane.apiPort();
    await(Duration.ofSeconds(30), () -> plane.controllers().stream().anyMatch(c -> c.role() == Controller.Role.PRIMARY),
        "a primary controller");
    String primary = plane.controllers().stream().filter(c -> c.role() == Controller.Role.PRIMARY).findFirst()
        .orElseThrow().identity().value();
    Run refused = run("promote", "--reason", "drill", "--url", url, "--token", secret(plane, Role.OPERATOR));
    assertThat(refused.exit).as(refused.out).isEqualTo(1);

    Run promote = run("promote", "--reason", "drill", "--url", url, "--token", secret(plane, Role.APPROVER));
    assertThat(promote.exit).as(promote.out).isZero();
    assertThat(promote.out).startsWith("PROMOTED").contains("fenced");
    await(Duration.ofSeconds(30), () -> plane.controllers().stream()
        .anyMatch(c -> c.role() == Controller.Role.PRIMARY && !c.identity().value().equals(primary))
        && plane.controllers().stream().anyMatch(c -> c.role() == Controller.Role.SHADOW
            && c.identity().value().equals(primary)), "the old primary " + primary + " to become the shadow");
    Run audit = run("audit", "--code", "PROMOTION_REQUESTED", "--url", url, "--token", secret(plane, Role.VIEWER),
        "--output", "json");
    assertThat(audit.out).contains("api:approver").contains("drill");
  }

  private static String secret(EmbeddedControlPlane plane, Role role) {
    return plane.tokens().stream().filter(t -> t.role() == role).findFirst().orElseThrow().secret();
  }

  @Test
  void aBusyDnsPortFailsNamingThePortAndTheOptionThatMovesIt() throws Exception {
    try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = udp.getLocalPort();
      Run r = run("up", "--data-dir", dir.resolve("data").toString(), "--dns-port", "" + port);
      assertThat(r.exit).isEqualTo(1);
      assertThat(r.out).contains("port " + port).contains("--dns-port").doesNotContain("Exception");
    }
  }

  @Test
  void helpListsTheOptionsWithTheirDefaults() {
    Run r = run("up", "--help");
    assertThat(r.exit).isZero();
    assertThat(r.out).contains("--dns-port").contains("default: 5300").contains("--data-dir").contains("--ledger-port")
        .contains("Exit codes");
    Run top = run("--help");
    assertThat(top.out).contains("up").contains("Exit codes");
    assertThat(run("frobnicate").exit).isEqualTo(2);
    Run version = run("version");
    assertThat(version.exit).isZero();
    assertThat(version.out).startsWith("bulwark ");
  }

  private record Run(int exit, String out) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int exit = Main.run(args, new ByteArrayInputStream(new byte[0]), ps, ps);
    return new Run(exit, out.toString(StandardCharsets.UTF_8));
  }

  /** The answer as the user's {@code dig} sees it; dig is required in CI (bind9-dnsutils). */
  private static List<String> dig(int port, String name) throws Exception {
    return TestSupport.haveTool("dig") ? TestSupport.dig(port, name) : ALL;
  }


  private static int threeFreePorts() throws IOException {
    for (int i = 0; i < 100; i++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 60_000);
      if (free(base) && free(base + 1) && free(base + 2)) {
        return base;
      }
    }
    throw new IOException("no three consecutive free ports");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
      return s.isBound();
    } catch (IOException e) {
      return false;
    }
  }
}
