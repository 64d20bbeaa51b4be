package dev.bulwark.server.api;

import static dev.bulwark.server.api.ApiFixture.VIEWER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.server.api.ApiFixture.Reply;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read routes, through a real HTTP client against a real server, ledger and DNS server. */
class ApiReadRoutesTest {
  @TempDir Path dir;
  ApiFixture f;

  @BeforeEach
  void start() throws Exception {
    f = new ApiFixture(dir);
  }

  @AfterEach
  void stop() {
    f.close();
  }

  @Test
  void healthzAnswersWithoutAToken() throws Exception {
    Reply r = f.get("/healthz", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("ok");
  }

  @Test
  void aRequestJettyCannotParseStillGetsAProblemNotAnHtmlPage() throws Exception {
    // java.net.http refuses to send a malformed URI, so this goes over a raw socket.
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), f.server.port())) {
      s.getOutputStream().write("GET /api/v1/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(reply).startsWith("HTTP/1.1 400").contains("Content-Type: application/problem+json")
          .contains("\"status\":400").doesNotContain("<html");
    }
  }

  @Test
  void clusterShowsPeersLeaderReachabilityAuthorityAndLedger() throws Exception {
    Reply r = f.get("/api/v1/cluster", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("application/json");
    JsonNode j = r.json();
    assertThat(j.get("peers")).hasSize(3);
    assertThat(j.get("leader").asText()).isEqualTo("az-a");
    assertThat(j.at("/azs/az-c/reachable").asBoolean()).isFalse();
    assertThat(j.at("/peers/2/appliedIndex").isNull()).isTrue();
    assertThat(j.at("/authority/holder").asText()).isEqualTo("controller:primary");
    assertThat(j.at("/authority/token").asLong()).isEqualTo(f.token.logIndex());
    assertThat(j.at("/ledger/available").asBoolean()).isTrue();
    assertThat(j.at("/ledger/services").asInt()).isEqualTo(2);
    assertThat(j.at("/ledger/pendingApprovals").asInt()).isEqualTo(1);
  }

  @Test
  void clusterStillShowsThePeersWhenTheLedgerIsUnavailable() throws Exception {
    f.ledger.close();
    Reply r = f.get("/api/v1/cluster", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("peers")).hasSize(3);
    assertThat(r.json().at("/ledger/available").asBoolean()).isFalse();
    assertThat(r.json().at("/ledger/error").asText()).contains("closed");
  }

  @Test
  void servicesListsEveryServiceWithPointerAndControls() throws Exception {
    Reply r = f.get("/api/v1/services", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    JsonNode s = r.json().get("services");
    assertThat(s).hasSize(2);
    assertThat(s.get(0).get("id").asText()).isEqualTo("dynamodb");
    assertThat(s.get(0).at("/pointer/version").asLong()).isEqualTo(2);
    assertThat(s.get(0).at("/pointer/generation").asLong()).isEqualTo(2);
    assertThat(s.get(0).get("latestGeneration").asLong()).isEqualTo(3);
    assertThat(s.get(0).get("lastKnownGood").asLong()).isEqualTo(1);
    assertThat(s.get(0).get("paused").asBoolean()).isFalse();
    assertThat(s.get(1).get("id").asText()).isEqualTo("s3");
    assertThat(s.get(1).get("lastKnownGood").isNull()).isTrue();
  }

  @Test
  void oneServiceShowsDefinitionPointerControlsAndEndpoints() throws Exception {
    Reply r = f.get("/api/v1/services/dynamodb", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    JsonNode j = r.json();
    assertThat(j.get("voters")).hasSize(3);
    assertThat(j.at("/policy/quorum").asInt()).isEqualTo(2);
    assertThat(j.get("pinned").asBoolean()).isFalse();
    assertThat(j.get("endpoints")).hasSize(2);
    assertThat(j.at("/endpoints/0/name").asText()).isEqualTo("api.bulwark.test");
    assertThat(j.at("/endpoints/0/applied/version").asLong()).isEqualTo(2);
    assertThat(j.at("/endpoints/1/applied").isNull()).isTrue();
  }

  @Test
  void unknownServiceIs404Problem() throws Exception {
    for (String path : List.of("/api/v1/services/nope", "/api/v1/services/nope/plans",
        "/api/v1/services/nope/endpoints", "/api/v1/services/Not_A_Service", "/api/v1/services/nope/plans/1")) {
      Reply r = f.get(path, VIEWER);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.contentType()).isEqualTo("application/problem+json");
      assertThat(r.json().get("instance").asText()).isEqualTo(path);
      assertThat(r.json().get("status").asInt()).isEqualTo(404);
    }
  }

  @Test
  void endpointsCompareTheLedgerWithWhatDnsPublishesOverTheWire() throws Exception {
    Reply r = f.get("/api/v1/services/dynamodb/endpoints", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    JsonNode api = r.json().at("/endpoints/0");
    assertThat(api.get("name").asText()).isEqualTo("api.bulwark.test");
    assertThat(api.at("/dns/addresses").toString()).isEqualTo("[\"10.0.0.1\",\"10.0.0.2\",\"10.0.0.3\"]");
    assertThat(api.at("/dns/marker").asText()).isEqualTo("v=2 g=2 t=" + f.token.logIndex());
    assertThat(api.get("drift").asBoolean()).isFalse();
    assertThat(api.get("state").asText()).isEqualTo("IN_SYNC");
    JsonNode streams = r.json().at("/endpoints/1");
    assertThat(streams.at("/dns/addresses").toString()).isEqualTo("[\"10.9.9.9\"]");
    assertThat(streams.at("/ledger/targets")).hasSize(2);
    assertThat(streams.get("drift").asBoolean()).isTrue();
    assertThat(streams.get("state").asText()).isEqualTo("DIVERGED");
  }

  @Test
  void endpointsPageWithACursor() throws Exception {
    Reply first = f.get("/api/v1/services/dynamodb/endpoints?limit=1", VIEWER);
    assertThat(first.json().get("endpoints")).hasSize(1);
    assertThat(first.json().get("next").asText()).isEqualTo("streams.bulwark.test");
    Reply second = f.get("/api/v1/services/dynamodb/endpoints?limit=1&from=streams.bulwark.test", VIEWER);
    assertThat(second.json().at("/endpoints/0/name").asText()).isEqualTo("streams.bulwark.test");
    assertThat(second.json().get("next").isNull()).isTrue();
  }

  @Test
  void endpointsSayUnreadableWhenDnsDoesNotAnswer() throws Exception {
    f.dns.close();
    Reply r = f.get("/api/v1/services/dynamodb/endpoints?limit=1", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/endpoints/0/state").asText()).isEqualTo("UNREADABLE");
    assertThat(r.json().at("/endpoints/0/drift").isNull()).isTrue();
    assertThat(r.json().at("/endpoints/0/dns/error").asText()).isNotBlank();
  }

  @Test
  void serviceWithoutPlansHasNoDrift() throws Exception {
    Reply r = f.get("/api/v1/services/s3/endpoints", VIEWER);
    assertThat(r.json().at("/endpoints/0/state").asText()).isEqualTo("NO_PLAN");
    assertThat(r.json().at("/endpoints/0/drift").asBoolean()).isFalse();
  }

  @Test
  void plansPageOldestFirstWithANextCursor() throws Exception {
    Reply r = f.get("/api/v1/services/dynamodb/plans?limit=2", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("plans")).hasSize(2);
    assertThat(r.json().at("/plans/0/generation").asLong()).isEqualTo(1);
    assertThat(r.json().at("/plans/0/state").asText()).isEqualTo("RETIRED");
    assertThat(r.json().at("/plans/1/state").asText()).isEqualTo("ACTIVE");
    assertThat(r.json().get("next").asLong()).isEqualTo(3);
    Reply rest = f.get("/api/v1/services/dynamodb/plans?from=3", VIEWER);
    assertThat(rest.json().get("plans")).hasSize(1);
    assertThat(rest.json().at("/plans/0/state").asText()).isEqualTo("APPROVED");
    assertThat(rest.json().at("/plans/0/votes")).hasSize(2);
    assertThat(rest.json().get("next").isNull()).isTrue();
  }

  @Test
  void pageBoundsAreEnforcedNotClamped() throws Exception {
    for (String path : List.of("/api/v1/services/dynamodb/plans?limit=1001", "/api/v1/services/dynamodb/plans?limit=0",
        "/api/v1/services/dynamodb/plans?from=abc", "/api/v1/audit?limit=5000", "/api/v1/audit?from=-1",
        "/api/v1/services/dynamodb/endpoints?limit=201")) {
      Reply r = f.get(path, VIEWER);
      assertThat(r.status()).as(path).isEqualTo(400);
      assertThat(r.json().get("detail").asText()).as(path).contains("must be");
    }
  }

  @Test
  void onePlanShowsItsTargetsPerEndpoint() throws Exception {
    Reply r = f.get("/api/v1/services/dynamodb/plans/1", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().at("/endpoints/api.bulwark.test")).hasSize(4);
    assertThat(r.json().at("/endpoints/api.bulwark.test/0/address").asText()).isEqualTo("10.0.0.1");
    assertThat(r.json().get("proposedBy").asText()).isEqualTo("planner@az-a");
    assertThat(f.get("/api/v1/services/dynamodb/plans/99", VIEWER).status()).isEqualTo(404);
    assertThat(f.get("/api/v1/services/dynamodb/plans/zero", VIEWER).status()).isEqualTo(404);
    assertThat(f.get("/api/v1/services/dynamodb/plans/0", VIEWER).status()).isEqualTo(404);
  }

  @Test
  void diffListsAddedRemovedAndUnchangedEndpointsAreLeftOut() throws Exception {
    Reply r = f.get("/api/v1/services/dynamodb/plans/1/diff/3", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    JsonNode eps = r.json().get("endpoints");
    assertThat(eps).hasSize(1);
    assertThat(eps.at("/0/endpoint").asText()).isEqualTo("api.bulwark.test");
    List<String> removed = new ArrayList<>();
    eps.at("/0/removed").forEach(t -> removed.add(t.get("address").asText()));
    assertThat(removed).containsExactly("10.0.0.2", "10.0.0.3", "10.0.0.4");
    assertThat(eps.at("/0/added")).isEmpty();
    Reply back = f.get("/api/v1/services/dynamodb/plans/3/diff/1", VIEWER);
    assertThat(back.json().at("/endpoints/0/added")).hasSize(3);
    assertThat(f.get("/api/v1/services/dynamodb/plans/1/diff/42", VIEWER).status()).isEqualTo(404);
  }

  @Test
  void approvalsListThePendingOverBudgetStep() throws Exception {
    Reply r = f.get("/api/v1/approvals", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("approvals")).hasSize(1);
    JsonNode p = r.json().at("/approvals/0");
    assertThat(p.get("id").asLong()).isEqualTo(f.pendingId);
    assertThat(p.get("service").asText()).isEqualTo("dynamodb");
    assertThat(p.get("generation").asLong()).isEqualTo(3);
    assertThat(p.get("requestedBy").asText()).isEqualTo("planner@az-a");
  }

  @Test
  void auditPagesWithACursorAndFilters() throws Exception {
    Reply first = f.get("/api/v1/audit?limit=3", VIEWER);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().get("events")).hasSize(3);
    assertThat(first.json().at("/events/0/id").asLong()).isZero();
    long next = first.json().get("next").asLong();
    assertThat(next).isEqualTo(3);
    Reply second = f.get("/api/v1/audit?limit=3&from=" + next, VIEWER);
    assertThat(second.json().at("/events/0/id").asLong()).isEqualTo(3);

    Reply byActor = f.get("/api/v1/audit?actor=planner@az-a&limit=1000", VIEWER);
    assertThat(byActor.json().get("events")).isNotEmpty()
        .allSatisfy(e -> assertThat(e.get("actor").asText()).isEqualTo("planner@az-a"));
    assertThat(byActor.json().get("next").isNull()).isTrue();

    Reply byCode = f.get("/api/v1/audit?code=pointer_advanced&service=dynamodb", VIEWER);
    assertThat(byCode.json().get("events")).hasSize(2)
        .allSatisfy(e -> assertThat(e.get("action").asText()).isEqualTo("AdvancePointer"));

    Reply none = f.get("/api/v1/audit?service=s3&code=POINTER_ADVANCED", VIEWER);
    assertThat(none.json().get("events")).isEmpty();
  }

  @Test
  void auditVerifyReportsTheChainIntact() throws Exception {
    Reply r = f.get("/api/v1/audit/verify", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("intact").asBoolean()).isTrue();
    assertThat(r.json().get("eventsChecked").asLong()).isGreaterThan(10);
    assertThat(r.json().get("firstBadEventId").isNull()).isTrue();
  }

  @Test
  void metricsServeThePrometheusScrapeToViewers() throws Exception {
    Reply r = f.get("/metrics", VIEWER);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain");
    assertThat(r.raw().body()).isEqualTo("bulwark_up 1\n");
    assertThat(f.get("/metrics", null).status()).isEqualTo(401);
  }

  @Test
  void unknownRouteIs404Problem() throws Exception {
    Reply r = f.get("/api/v1/nothing-here", VIEWER);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.contentType()).isEqualTo("application/problem+json");
    assertThat(r.json().get("type").asText()).isEqualTo("https://bulwark.dev/problems/not-found");
    assertThat(r.json().get("detail").asText()).contains("openapi.json");
    assertThat(f.post("/api/v1/services", VIEWER, "{}").status()).isEqualTo(404);
  }
}
