package dev.bulwark.server.gameday;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.server.api.ApiFixture;
import dev.bulwark.server.api.ApiFixture.Reply;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Game days through the HTTP API: list the scenarios, start one, follow it to its verdict and report. */
class GameDayRoutesTest {
  @TempDir Path dir;

  @Test
  void anOperatorStartsAGameDayFollowsItToItsVerdictAndReadsTheReport() throws Exception {
    try (GameDayService service = new GameDayService(dir.resolve("reports"), Clock.systemUTC());
        ApiFixture f = new ApiFixture(dir, 64 * 1024,
            b -> b.gameDays(new ApiGameDays(Path.of("..", "scenarios"), service)))) {
      Reply scenarios = f.get("/api/v1/gamedays/scenarios", ApiFixture.VIEWER);
      assertThat(scenarios.status()).isEqualTo(200);
      assertThat(scenarios.json().findValuesAsText("name")).contains("dynamodb-2025-race", "mass-unhealthy");

      String body = "{\"scenario\":\"mass-unhealthy\",\"mode\":\"safe\",\"repetitions\":1}";
      assertThat(f.post("/api/v1/gamedays", ApiFixture.VIEWER, body).status()).isEqualTo(403);
      assertThat(f.post("/api/v1/gamedays", ApiFixture.OPERATOR, "{\"scenario\":\"nope\"}").status()).isEqualTo(404);
      assertThat(f.post("/api/v1/gamedays", ApiFixture.OPERATOR, "{\"scenario\":\"mass-unhealthy\",\"mode\":\"fast\"}")
          .status()).isEqualTo(422);
      Reply started = f.post("/api/v1/gamedays", ApiFixture.OPERATOR, body);
      assertThat(started.status()).as(started.raw().body()).isEqualTo(202);
      String id = started.json().get("id").asText();
      assertThat(f.post("/api/v1/gamedays", ApiFixture.OPERATOR, body).status()).as("one at a time").isEqualTo(409);

      JsonNode run = started.json();
      for (int i = 0; i < 1_200 && run.get("state").asText().equals("RUNNING"); i++) {
        Thread.sleep(100);
        run = f.get("/api/v1/gamedays/" + id, ApiFixture.VIEWER).json();
      }
      assertThat(run.get("state").asText()).as(run.toString()).isEqualTo("HELD");
      assertThat(run.get("exitCode").asInt()).isZero();
      assertThat(run.get("verdict").asText()).isNotBlank();
      assertThat(run.get("progress")).isNotEmpty();
      Reply report = f.get("/api/v1/gamedays/" + id + "/report", ApiFixture.VIEWER);
      assertThat(report.status()).isEqualTo(200);
      assertThat(report.contentType()).startsWith("text/html");
      assertThat(report.raw().body()).contains("<svg");
      assertThat(f.get("/api/v1/gamedays", ApiFixture.VIEWER).json().findValuesAsText("id")).contains(id);
      assertThat(f.get("/api/v1/gamedays/gd-999", ApiFixture.VIEWER).status()).isEqualTo(404);
    }
  }
}
