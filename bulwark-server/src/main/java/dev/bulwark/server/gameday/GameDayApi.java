package dev.bulwark.server.gameday;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.ReadOutcome;
import dev.bulwark.server.api.ApiContext;
import dev.bulwark.server.api.ApiServer;
import dev.bulwark.server.api.ApiToken;
import dev.bulwark.server.api.ClusterView;
import dev.bulwark.server.api.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The operators' HTTP API of a game day's embedded Bulwark, and the {@code api-health} probe's
 * check of it: an operator's read ({@code GET /api/v1/services}, which needs the ledger) must
 * answer 200 within a second. Listens on a free loopback port with one random viewer token.
 */
final class GameDayApi implements AutoCloseable {
  /** How long one check may take before it counts as a failure. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

  private final ApiServer server;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();

  private GameDayApi(ApiServer server, String token) {
    this.server = server;
    this.token = token;
  }

  static GameDayApi start(Ledger ledger, Function<EndpointName, ReadOutcome> dns, LongSupplier clockMillis) {
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    ApiServer s = ApiServer.start(ApiContext.builder(ledger, dns, ClusterView.fixed(List.of()),
        List.of(new ApiToken("gameday-probe", Role.VIEWER, token)), clockMillis).bind("127.0.0.1", 0)
        .ledgerTimeoutMillis(CHECK_TIMEOUT.toMillis()).build());
    return new GameDayApi(s, token);
  }

  /** What the probe asks, for the journal. */
  String description() {
    return "GET http://127.0.0.1:" + server.port() + "/api/v1/services";
  }

  /** Empty if the API answered the read; otherwise what went wrong. Never throws. */
  Optional<String> problem() {
    HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/services"))
        .timeout(CHECK_TIMEOUT.plusMillis(500)).header("Authorization", "Bearer " + token).GET().build();
    try {
      HttpResponse<String> reply = http.send(r, HttpResponse.BodyHandlers.ofString());
      return reply.statusCode() == 200 ? Optional.empty() : Optional.of("HTTP " + reply.statusCode());
    } catch (IOException e) {
      return Optional.of(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
