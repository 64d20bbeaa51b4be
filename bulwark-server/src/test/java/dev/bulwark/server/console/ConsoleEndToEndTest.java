package dev.bulwark.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.server.ConsoleTestPlane;
import dev.bulwark.server.api.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The console in headless chromium against a real {@code bulwark up}: three ledger peers, the
 * embedded DNS server, demo load balancers and agents. One instance and one browser serve every
 * test; each test puts back what it changed. What the console shows is checked against the API
 * and against DNS, read over the wire.
 */
class ConsoleEndToEndTest {
  @RegisterExtension static final ConsoleBrowser BROWSER = new ConsoleBrowser();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dataDir;
  private static ConsoleTestPlane plane;

  @BeforeAll
  static void startBulwarkUp() throws Exception {
    plane = ConsoleTestPlane.start(dataDir.resolve("data"));
  }

  @AfterAll
  static void stopBulwarkUp() {
    if (plane != null) {
      plane.close();
    }
  }

  @Test
  void theOverviewShowsTheThreeAzsWithOneLeaderAndEveryEndpoint() {
    BROWSER.signIn(plane.baseUrl(), plane.token(Role.ADMIN), "admin");
    BROWSER.show(plane.baseUrl(), "overview");
    BROWSER.until(d -> d.findElements(By.cssSelector("#peers tbody tr")).size() == 3);
    List<String> azs = BROWSER.texts("#peers tbody tr th");
    assertThat(azs).containsExactly("az-a", "az-b", "az-c");
    BROWSER.until(d -> BROWSER.texts("#peers tbody tr").stream().filter(r -> r.contains("leader")).count() == 1);
    assertThat(BROWSER.texts("#peers tbody tr")).allSatisfy(r -> assertThat(r).contains("reachable"));
    String services = BROWSER.until(d -> d.findElement(By.id("services"))).getText();
    assertThat(services).contains("dynamodb", "s3", ConsoleTestPlane.DYNAMODB_ENDPOINT,
        ConsoleTestPlane.S3_ENDPOINT);
    BROWSER.until(d -> d.findElement(By.id("services")).getText().contains("IN_SYNC"));
  }

  @Test
  void anOperatorPausesAServiceFromTheConsoleAndTheApiReportsItPaused() throws Exception {
    String operator = plane.token(Role.OPERATOR);
    try {
      BROWSER.signIn(plane.baseUrl(), operator, "operator");
      BROWSER.show(plane.baseUrl(), "actions");
      WebElement pause = BROWSER.until(d -> d.findElement(By.cssSelector("[data-key='pause-service:dynamodb']")));
      assertThat(pause.isEnabled()).isTrue();
      pause.click();
      confirm("incident drill: hold dynamodb automation");
      BROWSER.until(d -> d.findElement(By.id("action-result")).getText().contains("done"));
      assertThat(BROWSER.driver().findElement(By.id("action-result")).getText()).contains("Pause");

      JsonNode service = get("/api/v1/services/dynamodb", operator);
      assertThat(service.path("paused").asBoolean()).as("the API reports the service paused").isTrue();
      BROWSER.until(d -> d.findElement(By.cssSelector("[data-key='resume-service:dynamodb']")));
      JsonNode audit = get("/api/v1/audit?service=dynamodb&actor=api:operator", operator);
      assertThat(audit.path("events").toString()).contains("incident drill: hold dynamodb automation");
    } finally {
      post("/api/v1/resume", operator, "{\"scope\":\"service\",\"name\":\"dynamodb\",\"reason\":\"test done\"}");
    }
  }

  @Test
  void theEndpointPageFollowsDnsWhenALoadBalancerStops() throws Exception {
    String stopped = "127.0.0.13";
    String css = "section[data-endpoint='" + ConsoleTestPlane.DYNAMODB_ENDPOINT + "'] ul.dns-addresses li";
    try {
      BROWSER.signIn(plane.baseUrl(), plane.token(Role.VIEWER), "viewer");
      BROWSER.show(plane.baseUrl(), "endpoint/dynamodb");
      BROWSER.until(d -> BROWSER.texts(css).size() == 6 && BROWSER.texts(css).contains(stopped));

      plane.stopBackend(stopped);
      BROWSER.until(d -> BROWSER.texts(css).size() == 5 && !BROWSER.texts(css).contains(stopped));
      assertThat(plane.published(ConsoleTestPlane.DYNAMODB_ENDPOINT)).as("DNS over the wire agrees")
          .hasSize(5).doesNotContain(stopped);
      String section = "section[data-endpoint='" + ConsoleTestPlane.DYNAMODB_ENDPOINT + "']";
      BROWSER.until(d -> d.findElement(By.cssSelector(section + " h2")).getText().contains("IN_SYNC"));
      WebElement chart = BROWSER.driver().findElement(By.cssSelector(section + " figure.chart"));
      assertThat(chart.getText()).contains("DNS now 5");
      assertThat(chart.findElements(By.cssSelector("polyline.dns-line"))).hasSize(1);
      assertThat(BROWSER.driver().findElement(By.cssSelector(section + " table.compare")).getText())
          .doesNotContain(stopped);
    } finally {
      plane.startBackend(stopped);
    }
  }

  @Test
  void anApproverApprovesAPendingOverBudgetStep() throws Exception {
    String approver = plane.token(Role.APPROVER);
    String stopped = "127.0.0.21";
    try {
      // One of six is 17%; with a 10% budget the Planner's step waits for a person (I6).
      plane.setMaxRemovalPercent("s3", 10);
      plane.stopBackend(stopped);
      long pending = awaitPendingApproval("s3", approver);
      assertThat(plane.published(ConsoleTestPlane.S3_ENDPOINT)).as("nothing moves before the approval")
          .contains(stopped);

      BROWSER.signIn(plane.baseUrl(), approver, "approver");
      BROWSER.show(plane.baseUrl(), "actions");
      WebElement approve = BROWSER.until(d -> d.findElement(By.cssSelector("[data-key='approve:" + pending + "']")));
      assertThat(approve.isEnabled()).isTrue();
      approve.click();
      confirm("capacity checked: 127.0.0.21 is down for maintenance");
      BROWSER.until(d -> d.findElement(By.id("action-result")).getText().contains("POINTER_ADVANCED"));

      assertThat(get("/api/v1/approvals", approver).path("approvals").toString())
          .doesNotContain("\"id\":" + pending + ",");
      BROWSER.until(d -> !plane.published(ConsoleTestPlane.S3_ENDPOINT).contains(stopped));
    } finally {
      plane.setMaxRemovalPercent("s3", 50);
      plane.startBackend(stopped);
      for (JsonNode a : get("/api/v1/approvals", approver).path("approvals")) {
        post("/api/v1/approvals/" + a.path("id").asLong() + "/reject", approver, "{\"reason\":\"test cleanup\"}");
      }
    }
  }

  @Test
  void anApproverPromotesTheShadowControllerAndTheApiReportsTheNewPrimary() throws Exception {
    String approver = plane.token(Role.APPROVER);
    String before = awaitHolder(approver);
    BROWSER.signIn(plane.baseUrl(), approver, "approver");
    BROWSER.show(plane.baseUrl(), "actions");
    BROWSER.until(d -> d.findElement(By.id("authority-note")).getText().contains(before));
    WebElement promote = BROWSER.until(d -> d.findElement(By.cssSelector("[data-key='promote']")));
    assertThat(promote.isEnabled()).isTrue();
    promote.click();
    confirm("drill: promote the shadow from the console");
    BROWSER.until(d -> d.findElement(By.id("action-result")).getText().contains("PROMOTED"));
    String after = awaitHolder(approver);
    assertThat(after).as("the API reports the shadow as the new holder").isNotEqualTo(before);
    BROWSER.until(d -> d.findElement(By.id("authority-note")).getText().contains(after));
  }

  /** The authority holder the API reports, once there is one. */
  private static String awaitHolder(String token) throws Exception {
    for (int i = 0; i < 300; i++) {
      JsonNode holder = get("/api/v1/cluster", token).path("authority").path("holder");
      if (holder.isTextual()) {
        return holder.asText();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no controller took the authority lease within 30 s");
  }

  @Test
  void aViewerSeesEveryActionDisabled() throws Exception {
    BROWSER.signIn(plane.baseUrl(), plane.token(Role.VIEWER), "viewer");
    BROWSER.show(plane.baseUrl(), "actions");
    BROWSER.until(d -> d.findElements(By.cssSelector("#service-actions button[data-action]")).size() >= 6);
    WebDriver d = BROWSER.driver();
    List<WebElement> buttons = d.findElements(By.cssSelector("button[data-action]"));
    assertThat(buttons).hasSizeGreaterThanOrEqualTo(10).allSatisfy(b -> {
      assertThat(b.isEnabled()).as("%s is disabled", b.getText()).isFalse();
      assertThat(b.getAttribute("title")).startsWith("Needs role");
    });
    buttons.get(0).click();
    assertThat(d.findElement(By.id("confirm-dialog")).isDisplayed()).as("no confirmation opens").isFalse();
    assertThat(d.findElement(By.id("role-note")).getText()).contains("viewer");
  }

  /** Types a reason into the open confirmation dialog and confirms. */
  private static void confirm(String reason) {
    WebElement dialog = BROWSER.until(d -> {
      WebElement e = d.findElement(By.id("confirm-dialog"));
      return e.isDisplayed() ? e : null;
    });
    dialog.findElement(By.id("confirm-reason")).sendKeys(reason);
    dialog.findElement(By.id("confirm-ok")).click();
    BROWSER.until(d -> !d.findElement(By.id("confirm-dialog")).isDisplayed());
  }

  private static long awaitPendingApproval(String service, String token) {
    return BROWSER.until(d -> {
      try {
        for (JsonNode a : get("/api/v1/approvals", token).path("approvals")) {
          if (a.path("service").asText().equals(service)) {
            return a.path("id").asLong();
          }
        }
        return null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  private static JsonNode get(String path, String token) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(plane.baseUrl() + path)).GET(), token);
  }

  private static JsonNode post(String path, String token, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(plane.baseUrl() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), token);
  }

  private static JsonNode send(HttpRequest.Builder b, String token) throws IOException, InterruptedException {
    HttpResponse<String> r = HTTP.send(b.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(20))
        .build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }
}
