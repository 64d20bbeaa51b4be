package dev.bulwark.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.core.ActorId;
import dev.bulwark.core.ledger.Command;
import dev.bulwark.server.api.ApiFixture.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the console needs from the API server: its files at {@code /}, who the caller is, and the overview. */
class ConsoleRoutesTest {
  @TempDir Path dir;

  @Test
  void theConsoleIsServedAtTheRootWithoutATokenAndWithAStrictContentPolicy() throws Exception {
    try (ApiFixture f = new ApiFixture(dir)) {
      Reply index = f.get("/", null);
      assertThat(index.status()).isEqualTo(200);
      assertThat(index.contentType()).startsWith("text/html");
      assertThat(index.raw().body()).contains("<script type=\"module\" src=\"js/main.js\"></script>")
          .doesNotContain("http://", "https://");
      assertThat(index.header("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'",
          "connect-src 'self'", "frame-ancestors 'none'");
      assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
      Reply script = f.get("/js/main.js", null);
      assertThat(script.status()).isEqualTo(200);
      assertThat(script.contentType()).contains("javascript");
      assertThat(f.get("/api/v1/overview", null).status()).as("the data still needs a token").isEqualTo(401);
      assertThat(f.get("/no/such/file.js", null).contentType()).startsWith("application/problem+json");
    }
  }

  @Test
  void whoamiNamesTheCallersTokenRoleAndAuditActor() throws Exception {
    try (ApiFixture f = new ApiFixture(dir)) {
      JsonNode me = f.get("/api/v1/whoami", ApiFixture.OPERATOR).json();
      assertThat(me.path("name").asText()).isEqualTo("otto");
      assertThat(me.path("role").asText()).isEqualTo("operator");
      assertThat(me.path("actor").asText()).isEqualTo("api:otto");
      assertThat(f.get("/api/v1/whoami", "wrong-secret-0123456789").status()).isEqualTo(401);
    }
  }

  @Test
  void theOverviewShowsPointerAgeDnsStatesPendingStepsAndOperatorPages() throws Exception {
    try (ApiFixture f = new ApiFixture(dir)) {
      f.submit(new Command.Observe(ApiFixture.S3, Optional.empty(), Command.Observation.FAIL_STATIC_PAGE,
          "5 of 6 targets look unhealthy; keeping last-known-good", ApiFixture.AZS.get(0), ActorId.of("planner@az-a"),
          f.clock.get()));
      Reply r = f.get("/api/v1/overview", ApiFixture.VIEWER);
      assertThat(r.status()).isEqualTo(200);
      JsonNode o = r.json();
      assertThat(o.path("cluster").path("peers")).hasSize(3);
      JsonNode ddb = o.path("services").get(0);
      assertThat(ddb.path("id").asText()).isEqualTo("dynamodb");
      assertThat(ddb.path("pointerSinceMillis").isIntegralNumber()).isTrue();
      assertThat(ddb.path("pointerSinceMillis").asLong()).isLessThanOrEqualTo(f.clock.get());
      List<String> states = new ArrayList<>();
      ddb.path("endpointStates").forEach(e -> states.add(e.path("name").asText() + "=" + e.path("state").asText()));
      assertThat(states).containsExactly(ApiFixture.API.value() + "=IN_SYNC", ApiFixture.STREAMS.value() + "=DIVERGED");
      assertThat(ddb.path("drift").asBoolean()).isTrue();
      JsonNode s3 = o.path("services").get(1);
      assertThat(s3.path("pointerSinceMillis").isNull()).as("s3's pointer never moved").isTrue();
      assertThat(s3.path("drift").asBoolean()).isFalse();
      assertThat(o.path("approvals")).hasSize(1);
      assertThat(o.path("approvals").get(0).path("id").asLong()).isEqualTo(f.pendingId);
      assertThat(o.path("pages")).hasSize(1);
      assertThat(o.path("pages").get(0).path("code").asText()).isEqualTo("FAIL_STATIC_PAGE");
      assertThat(o.path("pages").get(0).path("subject").asText()).contains("s3");
    }
  }
}
