package dev.bulwark.server.cli;

import static dev.bulwark.server.api.ApiFixture.ALICE;
import static dev.bulwark.server.api.ApiFixture.OPERATOR;
import static dev.bulwark.server.api.ApiFixture.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.server.api.ApiFixture;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The client commands as a user runs them: registered under a root command the way {@code Main}
 * registers them, run with picocli against a real API server, checking output and exit codes.
 */
class ClientCommandsTest {
  @TempDir Path dir;
  ApiFixture f;

  @CommandLine.Command(name = "bulwark")
  static final class Root implements Runnable {
    @Override
    public void run() {}
  }

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void start() throws Exception {
    f = new ApiFixture(dir);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private Run run(String token, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--url=" + f.url(""));
    if (token != null) {
      all.add("--token=" + token);
    }
    return runRaw(all.toArray(String[]::new));
  }

  private static Run runRaw(String... args) {
    CommandLine cl = new CommandLine(new Root());
    ClientCommands.all().forEach(cl::addSubcommand);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void statusPrintsPeersLedgerAuthorityAndPauses() {
    Run r = run(VIEWER, "status");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("PEER", "az-a", "127.0.0.1:7101", "ledger: log index", "authority: controller:primary",
        "pauses: none");
    assertThat(r.out().lines().filter(l -> l.startsWith("az-"))).hasSize(3);
  }

  @Test
  void servicesPrintAnAlignedTable() {
    Run r = run(VIEWER, "services");
    assertThat(r.exit()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).startsWith("SERVICE   POINTER");
    assertThat(lines.get(1)).startsWith("dynamodb  v2/g2");
    assertThat(lines.get(2)).startsWith("s3        v0/g0");
    assertThat(lines.get(1).indexOf("g3")).isEqualTo(lines.get(0).indexOf("LATEST"));
  }

  @Test
  void jsonOutputPassesTheApisAnswerThrough() throws Exception {
    Run r = run(VIEWER, "services", "--output", "json");
    assertThat(r.exit()).isZero();
    assertThat(new ObjectMapper().readTree(r.out()).at("/services/0/id").asText()).isEqualTo("dynamodb");
  }

  @Test
  void plansListAndDiff() {
    Run list = run(VIEWER, "plans", "dynamodb", "--limit", "2");
    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains("g1", "RETIRED", "g2", "ACTIVE", "planner@az-a", "more: --from 3");
    Run diff = run(VIEWER, "plans", "dynamodb", "--diff", "2", "3");
    assertThat(diff.exit()).isZero();
    assertThat(diff.out()).contains("g2 -> g3 of dynamodb", "api.bulwark.test:", "  - 10.0.0.2 (w=100, az-c)",
        "  - 10.0.0.3 (w=100, az-a)");
    assertThat(run(VIEWER, "plans", "dynamodb", "--diff", "1", "1").out()).contains("no differences");
  }

  @Test
  void auditFiltersAndPages() {
    Run r = run(VIEWER, "audit", "--code", "POINTER_ADVANCED", "--service", "dynamodb");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().filter(l -> l.contains("AdvancePointer"))).hasSize(2);
    Run paged = run(VIEWER, "audit", "--limit", "2", "--from", "1");
    assertThat(paged.out()).contains("more: --from 3");
    assertThat(run(VIEWER, "audit", "--actor", "nobody").out().lines()).hasSize(1);
  }

  @Test
  void pauseAndResumeNeedAScopeAndAReason() {
    Run paused = run(OPERATOR, "pause", "--az", "az-b", "--reason", "AZ b flaps");
    assertThat(paused.exit()).isZero();
    assertThat(paused.out()).startsWith("PAUSED: Pause by api:otto");
    assertThat(run(VIEWER, "status").out()).contains("pauses: az az-b (AZ b flaps)");
    assertThat(run(OPERATOR, "resume", "--az", "az-b", "--reason", "ok").out()).startsWith("RESUMED");

    Run noScope = run(OPERATOR, "pause", "--reason", "x");
    assertThat(noScope.exit()).isEqualTo(2);
    assertThat(noScope.err()).contains("Missing required argument");
    Run twoScopes = run(OPERATOR, "pause", "--global", "--az", "az-a", "--reason", "x");
    assertThat(twoScopes.exit()).isEqualTo(2);
    Run noReason = run(OPERATOR, "pause", "--global");
    assertThat(noReason.exit()).isEqualTo(2);
    assertThat(noReason.err()).contains("--reason");
  }

  @Test
  void serverRefusalsExitOneWithTheProblem() {
    Run forbidden = run(VIEWER, "pin", "dynamodb", "--reason", "x");
    assertThat(forbidden.exit()).isEqualTo(1);
    assertThat(forbidden.err()).contains("error: 403", "needs role operator");
    Run unknown = run(VIEWER, "plans", "nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("error: 404", "'nope' is not registered");
    Run noToken = run(null, "services");
    assertThat(noToken.exit()).isEqualTo(1);
    assertThat(noToken.err()).contains("error: 401", "BULWARK_TOKEN");
    Run conflict = run(OPERATOR, "unpin", "dynamodb", "--reason", "x");
    assertThat(conflict.exit()).isEqualTo(1);
    assertThat(conflict.err()).contains("NOT_IN_EFFECT", "already unpinned");
  }

  @Test
  void pinUnpinAndRollbackThenTheDiscardedStepCannotBeApproved() {
    assertThat(run(OPERATOR, "pin", "dynamodb", "--reason", "incident").out()).startsWith("PINNED");
    assertThat(run(OPERATOR, "unpin", "dynamodb", "--reason", "over").out()).startsWith("UNPINNED");
    Run rollback = run(OPERATOR, "rollback", "dynamodb", "--to", "1", "--reason", "g2 is bad");
    assertThat(rollback.exit()).isZero();
    assertThat(rollback.out()).contains("ROLLED_BACK", "pointer v2/g2 -> v3/g4", "(content of g1)");
    // The rollback moved the pointer, which discarded the pending step.
    Run stale = run(ALICE, "approve", String.valueOf(f.pendingId), "--reason", "x");
    assertThat(stale.exit()).isEqualTo(1);
    assertThat(stale.err()).contains("404");
  }

  @Test
  void approveAndRejectAPendingStep() {
    Run approved = run(ALICE, "approve", String.valueOf(f.pendingId), "--reason", "capacity checked");
    assertThat(approved.exit()).isZero();
    assertThat(approved.out()).contains("POINTER_ADVANCED: Approve by api:alice; pointer v2/g2 -> v3/g3");
    Run again = run(ALICE, "reject", String.valueOf(f.pendingId), "--reason", "late");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("The ledger refused the command: UNKNOWN_PENDING");
  }

  @Test
  void approvalsListThePendingIds() {
    Run r = run(VIEWER, "approvals");
    assertThat(r.exit()).isZero();
    assertThat(r.out().lines().toList().get(1)).startsWith(f.pendingId + "   dynamodb  g3  v2          planner@az-a");
  }

  @Test
  void unreachableServerExitsThree() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Run r = runRaw("services", "--url", "http://127.0.0.1:" + port, "--token", VIEWER);
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("cannot reach the Bulwark API at http://127.0.0.1:" + port);
  }

  @Test
  void ledgerOutageExitsThree() {
    f.ledger.close();
    Run r = run(VIEWER, "services");
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err()).contains("503");
  }

  @Test
  void usageErrorsExitTwoAndHelpWorksForEveryCommand() {
    assertThat(runRaw("services", "--url", "ftp://x").exit()).isEqualTo(2);
    assertThat(runRaw("services", "--output", "yaml").exit()).isEqualTo(2);
    assertThat(runRaw("approve", "abc", "--reason", "x").exit()).isEqualTo(2);
    for (String cmd : List.of("status", "services", "plans", "approvals", "audit", "pause", "resume", "approve", "reject", "pin",
        "unpin", "rollback")) {
      Run help = runRaw(cmd, "--help");
      assertThat(help.exit()).as(cmd).isZero();
      assertThat(help.out()).as(cmd).contains("Usage: bulwark " + cmd, "--url", "--token", "--output", "Exit codes:");
    }
  }

  @Test
  void theTokenIsNeverEchoed() {
    Run r = run(OPERATOR, "pin", "nope", "--reason", "x");
    assertThat(r.out() + r.err()).doesNotContain(OPERATOR);
    Run help = runRaw("pin", "--help", "--token", OPERATOR);
    assertThat(help.out()).doesNotContain(OPERATOR);
  }
}
