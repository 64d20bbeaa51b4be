package dev.bulwark.server.api;

import static dev.bulwark.server.api.ApiFixture.ADMIN;
import static dev.bulwark.server.api.ApiFixture.ALICE;
import static dev.bulwark.server.api.ApiFixture.BOB;
import static dev.bulwark.server.api.ApiFixture.DDB;
import static dev.bulwark.server.api.ApiFixture.OPERATOR;
import static dev.bulwark.server.api.ApiFixture.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.core.Generation;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.core.ledger.LedgerQuery;
import dev.bulwark.core.ledger.Outcome;
import dev.bulwark.core.ledger.Result;
import dev.bulwark.server.api.ApiFixture.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Actions, roles, the two-person rule and every error status, over real HTTP. */
class ApiActionRoutesTest {
  @TempDir Path dir;
  ApiFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new ApiFixture(dir, 4_096);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  private JsonNode lastAuditEvent() throws Exception {
    long size = f.ledger.read(new LedgerQuery.OverviewOf()).get().auditEvents();
    return f.get("/api/v1/audit?from=" + (size - 1), VIEWER).json().at("/events/0");
  }

  @Test
  void promotionNeedsAnApproverAndAControllerInThisProcess() throws Exception {
    String body = "{\"reason\":\"drill\"}";
    assertThat(f.post("/api/v1/authority/promote", ApiFixture.OPERATOR, body).status()).isEqualTo(403);
    Reply r = f.post("/api/v1/authority/promote", ApiFixture.ALICE, body);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("detail").asText()).contains("no controller");
  }

  @Test
  void missingOrUnknownTokenIs401WithWwwAuthenticate() throws Exception {
    Reply none = f.get("/api/v1/services", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(none.contentType()).isEqualTo("application/problem+json");
    Reply wrong = f.get("/api/v1/services", "not-a-token-at-all-123");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.header("WWW-Authenticate")).contains("invalid_token");
    assertThat(wrong.raw().body()).doesNotContain("not-a-token-at-all-123");
    Reply basic = f.send(HttpRequest.newBuilder(URI.create(f.url("/api/v1/services")))
        .header("Authorization", "Basic dXNlcjpwYXNz").timeout(Duration.ofSeconds(10)).build());
    assertThat(basic.status()).isEqualTo(401);
  }

  @Test
  void tooLowARoleIs403NamingTheRoleNeeded() throws Exception {
    Reply viewerPauses = f.post("/api/v1/pause", VIEWER, "{\"scope\":\"global\",\"reason\":\"x\"}");
    assertThat(viewerPauses.status()).isEqualTo(403);
    assertThat(viewerPauses.json().get("requiredRole").asText()).isEqualTo("operator");
    assertThat(viewerPauses.json().get("detail").asText()).contains("needs role operator").contains("'vera'");
    Reply operatorApproves = f.post("/api/v1/approvals/" + f.pendingId + "/approve", OPERATOR,
        "{\"reason\":\"x\"}");
    assertThat(operatorApproves.status()).isEqualTo(403);
    assertThat(operatorApproves.json().get("requiredRole").asText()).isEqualTo("approver");
  }

  @Test
  void pauseAndResumeEachScopeAndRecordTheCallerInTheAuditChain() throws Exception {
    Reply p = f.post("/api/v1/pause", OPERATOR, "{\"scope\":\"az\",\"name\":\"az-b\",\"reason\":\"AZ b flaps\"}");
    assertThat(p.status()).isEqualTo(200);
    assertThat(p.json().get("code").asText()).isEqualTo("PAUSED");
    assertThat(p.json().get("actor").asText()).isEqualTo("api:otto");
    JsonNode e = lastAuditEvent();
    assertThat(e.get("actor").asText()).isEqualTo("api:otto");
    assertThat(e.get("subject").asText()).isEqualTo("az:az-b");
    assertThat(f.get("/api/v1/cluster", VIEWER).json().at("/pauses/0/name").asText()).isEqualTo("az-b");

    assertThat(f.post("/api/v1/pause", ADMIN, "{\"scope\":\"global\",\"reason\":\"freeze\"}").status()).isEqualTo(200);
    assertThat(f.post("/api/v1/pause", OPERATOR, "{\"scope\":\"service\",\"name\":\"dynamodb\",\"reason\":\"x\"}")
        .status()).isEqualTo(200);
    assertThat(f.get("/api/v1/services/dynamodb", VIEWER).json().get("paused").asBoolean()).isTrue();
    assertThat(f.post("/api/v1/resume", OPERATOR, "{\"scope\":\"global\",\"reason\":\"done\"}").json()
        .get("code").asText()).isEqualTo("RESUMED");
  }

  @Test
  void resumingWhatIsNotPausedIs409WithTheLedgersCode() throws Exception {
    Reply r = f.post("/api/v1/resume", OPERATOR, "{\"scope\":\"global\",\"reason\":\"x\"}");
    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().get("code").asText()).isEqualTo("NOT_IN_EFFECT");
    assertThat(r.json().get("type").asText()).isEqualTo("https://bulwark.dev/problems/ledger/not-in-effect");
    assertThat(r.json().get("eventId").asLong()).isPositive();
  }

  @Test
  void pauseOfAnUnknownServiceIs404() throws Exception {
    Reply r = f.post("/api/v1/pause", OPERATOR, "{\"scope\":\"service\",\"name\":\"nope\",\"reason\":\"x\"}");
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().get("code").asText()).isEqualTo("UNKNOWN_SERVICE");
  }

  @Test
  void validationErrorsAre422() throws Exception {
    String[][] cases = {
      {"/api/v1/pause", "{\"scope\":\"global\"}", "reason"},
      {"/api/v1/pause", "{\"scope\":\"global\",\"reason\":\"   \"}", "blank"},
      {"/api/v1/pause", "{\"scope\":\"region\",\"reason\":\"x\"}", "'global', 'az' or 'service'"},
      {"/api/v1/pause", "{\"scope\":\"az\",\"reason\":\"x\"}", "needs field 'name'"},
      {"/api/v1/pause", "{\"scope\":\"az\",\"name\":\"AZ B\",\"reason\":\"x\"}", "AZ id"},
      {"/api/v1/pause", "{\"reason\":\"x\"}", "'scope' is required"},
      {"/api/v1/pause", "{\"scope\":\"global\",\"reason\":\"x\",\"force\":true}", "unknown field 'force'"},
      {"/api/v1/pause", "{\"scope\":\"global\",\"reason\":42}", "must be a string"},
      {"/api/v1/services/dynamodb/rollback", "{\"reason\":\"x\",\"toGeneration\":-3}", "positive integer"},
      {"/api/v1/services/dynamodb/pin", "{\"reason\":\"" + "r".repeat(1_000) + "x".repeat(25) + "\"}",
          "at most 1024"},
    };
    for (String[] c : cases) {
      Reply r = f.post(c[0], ADMIN, c[1]);
      assertThat(r.status()).as(c[1]).isEqualTo(422);
      assertThat(r.json().get("detail").asText()).as(c[1]).contains(c[2]);
    }
  }

  @Test
  void malformedJsonIs400AndWrongContentTypeIs415AndTooLargeIs413() throws Exception {
    Reply bad = f.post("/api/v1/pause", OPERATOR, "{\"scope\": ");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("detail").asText()).contains("not valid JSON");
    assertThat(f.post("/api/v1/pause", OPERATOR, "[1,2]").status()).isEqualTo(400);
    assertThat(f.post("/api/v1/pause", OPERATOR, "{\"reason\":\"a\",\"reason\":\"b\"}").status()).isEqualTo(400);

    Reply text = f.send(HttpRequest.newBuilder(URI.create(f.url("/api/v1/pause"))).timeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + OPERATOR).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("pause please")).build());
    assertThat(text.status()).isEqualTo(415);
    assertThat(text.contentType()).isEqualTo("application/problem+json");

    Reply big = f.post("/api/v1/pause", OPERATOR, "{\"scope\":\"global\",\"reason\":\"" + "x".repeat(5_000) + "\"}");
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().get("detail").asText()).contains("4096 bytes");
  }

  @Test
  void pinHoldsTheServiceAndUnpinReleasesIt() throws Exception {
    Reply pin = f.post("/api/v1/services/dynamodb/pin", OPERATOR, "{\"reason\":\"incident 42\"}");
    assertThat(pin.status()).isEqualTo(200);
    assertThat(pin.json().get("code").asText()).isEqualTo("PINNED");
    assertThat(f.get("/api/v1/services/dynamodb", VIEWER).json().get("pinned").asBoolean()).isTrue();
    Reply again = f.post("/api/v1/services/dynamodb/pin", OPERATOR, "{\"reason\":\"twice\"}");
    assertThat(again.status()).isEqualTo(409);
    Reply rollback = f.post("/api/v1/services/dynamodb/rollback", OPERATOR, "{\"reason\":\"x\"}");
    assertThat(rollback.status()).isEqualTo(409);
    assertThat(rollback.json().get("code").asText()).isEqualTo("PINNED");
    assertThat(f.post("/api/v1/services/dynamodb/unpin", OPERATOR, "{\"reason\":\"over\"}").json().get("code")
        .asText()).isEqualTo("UNPINNED");
    assertThat(f.post("/api/v1/services/nope/pin", OPERATOR, "{\"reason\":\"x\"}").status()).isEqualTo(404);
  }

  @Test
  void rollbackWithoutAGenerationGoesToLastKnownGoodUnderANewVersion() throws Exception {
    Reply r = f.post("/api/v1/services/dynamodb/rollback", OPERATOR, "{\"reason\":\"g2 is bad\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("code").asText()).isEqualTo("ROLLED_BACK");
    assertThat(r.json().get("source").asLong()).isEqualTo(1);
    assertThat(r.json().at("/pointer/version").asLong()).isEqualTo(3);
    assertThat(r.json().at("/previous/version").asLong()).isEqualTo(2);
    assertThat(lastAuditEvent().get("actor").asText()).isEqualTo("api:otto");
  }

  @Test
  void rollbackToANamedGenerationAndItsRefusals() throws Exception {
    Reply same = f.post("/api/v1/services/dynamodb/rollback", OPERATOR, "{\"reason\":\"x\",\"toGeneration\":2}");
    assertThat(same.status()).isEqualTo(409);
    assertThat(same.json().get("code").asText()).isEqualTo("NOTHING_TO_ROLL_BACK");
    Reply unknown = f.post("/api/v1/services/dynamodb/rollback", OPERATOR, "{\"reason\":\"x\",\"toGeneration\":77}");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("code").asText()).isEqualTo("UNKNOWN_PLAN");
    Reply neverMoved = f.post("/api/v1/services/s3/rollback", OPERATOR, "{\"reason\":\"x\"}");
    assertThat(neverMoved.status()).isEqualTo(409);
    assertThat(neverMoved.json().get("code").asText()).isEqualTo("NOTHING_TO_ROLL_BACK");
    Reply ok = f.post("/api/v1/services/dynamodb/rollback", ALICE, "{\"reason\":\"x\",\"toGeneration\":1}");
    assertThat(ok.status()).isEqualTo(200);
  }

  @Test
  void approveReleasesThePendingStepAndASecondDecisionIs404() throws Exception {
    Reply r = f.post("/api/v1/approvals/" + f.pendingId + "/approve", ALICE, "{\"reason\":\"capacity is fine\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("code").asText()).isEqualTo("POINTER_ADVANCED");
    assertThat(r.json().at("/pointer/generation").asLong()).isEqualTo(3);
    assertThat(f.get("/api/v1/approvals", VIEWER).json().get("approvals")).isEmpty();
    Reply again = f.post("/api/v1/approvals/" + f.pendingId + "/approve", BOB, "{\"reason\":\"me too\"}");
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.json().get("code").asText()).isEqualTo("UNKNOWN_PENDING");
    assertThat(f.post("/api/v1/approvals/abc/approve", BOB, "{\"reason\":\"x\"}").status()).isEqualTo(404);
  }

  @Test
  void rejectDiscardsThePendingStep() throws Exception {
    Reply r = f.post("/api/v1/approvals/" + f.pendingId + "/reject", BOB, "{\"reason\":\"too much at once\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("code").asText()).isEqualTo("PENDING_REJECTED");
    assertThat(r.json().get("pendingId").asLong()).isEqualTo(f.pendingId);
    assertThat(f.get("/api/v1/services/dynamodb", VIEWER).json().at("/pointer/generation").asLong()).isEqualTo(2);
  }

  @Test
  void theRequesterCannotApproveItsOwnStepButASecondPersonCan() throws Exception {
    // alice asks for an over-budget step herself (as an operator tool would, under her identity).
    Generation g4 = f.proposeAndApprove(ApiFixture.plan(3));
    Result r = f.submit(new Command.AdvancePointer(DDB, 2, g4, f.token, dev.bulwark.core.ActorId.of("api:alice"),
        f.clock.get()));
    long pending = ((Outcome.ApprovalRequired) ((Result.Accepted) r).outcome()).pendingId();

    Reply self = f.post("/api/v1/approvals/" + pending + "/approve", ALICE, "{\"reason\":\"looks fine to me\"}");
    assertThat(self.status()).isEqualTo(403);
    assertThat(self.json().get("code").asText()).isEqualTo("SELF_APPROVAL");
    assertThat(self.json().get("detail").asText()).contains("two-person rule");
    assertThat(lastAuditEvent().get("code").asText()).isEqualTo("SELF_APPROVAL");

    Reply second = f.post("/api/v1/approvals/" + pending + "/approve", BOB, "{\"reason\":\"checked\"}");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().at("/pointer/generation").asLong()).isEqualTo(g4.value());
  }

  @Test
  void ledgerWithoutQuorumIs503WithRetryAfter() throws Exception {
    f.ledger.close();
    Reply read = f.get("/api/v1/services", VIEWER);
    assertThat(read.status()).isEqualTo(503);
    assertThat(read.header("Retry-After")).isEqualTo("2");
    Reply act = f.post("/api/v1/pause", OPERATOR, "{\"scope\":\"global\",\"reason\":\"x\"}");
    assertThat(act.status()).isEqualTo(503);
    assertThat(act.json().get("type").asText()).endsWith("/ledger-unavailable");
  }

  @Test
  void unexpectedFailureIs500WithAnErrorIdAndNoStackTrace() throws Exception {
    try (ApiServer broken = ApiServer.start(ApiContext.builder(f.ledger, e -> {
      throw new IllegalStateException("boom");
    }, () -> {
      throw new UnsupportedOperationException("kaput");
    }, java.util.List.of(new ApiToken("vera", Role.VIEWER, VIEWER)), f.clock::get).bind("127.0.0.1", 0)
        .metrics(() -> {
          throw new NullPointerException("scrape failed");
        }).build())) {
      Reply r = f.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.port() + "/metrics"))
          .header("Authorization", "Bearer " + VIEWER).timeout(Duration.ofSeconds(10)).build());
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.json().get("errorId").asText()).isNotBlank();
      assertThat(r.raw().body()).doesNotContain("NullPointerException").doesNotContain("at dev.bulwark");
      Reply cluster = f.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.port()
          + "/api/v1/cluster")).header("Authorization", "Bearer " + VIEWER).timeout(Duration.ofSeconds(10)).build());
      assertThat(cluster.status()).isEqualTo(200);
      assertThat(cluster.json().get("peersError").asText()).contains("kaput");
      Reply dns = f.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broken.port()
          + "/api/v1/services/dynamodb/endpoints")).header("Authorization", "Bearer " + VIEWER)
          .timeout(Duration.ofSeconds(10)).build());
      assertThat(dns.json().at("/endpoints/0/state").asText()).isEqualTo("UNREADABLE");
    }
  }
}
