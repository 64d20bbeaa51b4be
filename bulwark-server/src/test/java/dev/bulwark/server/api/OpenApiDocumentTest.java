package dev.bulwark.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.server.api.ApiFixture.Reply;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The served OpenAPI document lists every registered route with its role and its problem responses. */
class OpenApiDocumentTest {
  @TempDir Path dir;

  @Test
  void everyRegisteredRouteIsDocumentedWithItsRoleAndProblems() throws Exception {
    try (ApiFixture f = new ApiFixture(dir)) {
      Reply r = f.get("/api/v1/openapi.json", null);
      assertThat(r.status()).isEqualTo(200);
      JsonNode doc = r.json();
      assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
      assertThat(f.server.routes()).hasSizeGreaterThan(15);
      for (ApiServer.RegisteredRoute route : f.server.routes()) {
        JsonNode op = doc.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
        assertThat(op.isObject()).as("%s %s is documented", route.method(), route.path()).isTrue();
        assertThat(op.path("x-required-role").asText()).as("role of %s %s", route.method(), route.path())
            .isEqualTo(route.role());
        boolean success = op.path("responses").has("200") || op.path("responses").has("202");
        assertThat(success).as("%s %s documents its success", route.method(), route.path()).isTrue();
        assertThat(op.path("responses").has("500")).isTrue();
        if (!route.role().equals("none")) {
          assertThat(op.path("responses").has("401")).isTrue();
          assertThat(op.path("responses").has("403")).isTrue();
          assertThat(op.path("responses").has("503")).isTrue();
        }
        if (route.method().equals("POST")) {
          assertThat(op.path("requestBody").isObject()).isTrue();
          assertThat(op.path("responses").has("422")).isTrue();
          assertThat(op.path("responses").has("409")).isTrue();
        }
      }
      int documented = 0;
      for (JsonNode path : doc.get("paths")) {
        documented += path.size();
      }
      assertThat(documented).as("no documented route is missing from the server").isEqualTo(f.server.routes().size());
    }
  }
}
