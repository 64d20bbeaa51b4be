package dev.bulwark.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A small blocking client of the Bulwark API. Connects within {@value #CONNECT_TIMEOUT_SECONDS} s
 * and waits at most {@value #REQUEST_TIMEOUT_SECONDS} s for an answer; the token only ever goes
 * into the Authorization header.
 */
final class ApiClient {
  static final int CONNECT_TIMEOUT_SECONDS = 5;
  static final int REQUEST_TIMEOUT_SECONDS = 30;

  /** Largest response body kept, so a misbehaving server can't exhaust memory: 16 MiB. */
  static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

  static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI base;
  private final @Nullable String token;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(CONNECT_TIMEOUT_SECONDS)).build();

  /** A client of the API at {@code url}; throws IllegalArgumentException for a URL that is not http(s). */
  ApiClient(String url, @Nullable String token) {
    URI u;
    try {
      u = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--url must be an http(s) URL like http://127.0.0.1:8080, but was '" + url
          + "'");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new IllegalArgumentException("--url must be an http(s) URL like http://127.0.0.1:8080, but was '" + url
          + "'");
    }
    this.base = u;
    this.token = token == null || token.isBlank() ? null : token.strip();
  }

  /** The answer: status and body (parsed as JSON when it is JSON). */
  record Response(int status, String body, @Nullable JsonNode json) {}

  Response get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET());
  }

  Response post(String path, Map<String, ?> body) throws IOException, InterruptedException {
    byte[] json = MAPPER.writeValueAsBytes(body);
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(Duration.ofSeconds(REQUEST_TIMEOUT_SECONDS)).header("Accept", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Response send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    byte[] bytes = r.body();
    if (bytes.length > MAX_RESPONSE_BYTES) {
      throw new IOException("the response is larger than " + MAX_RESPONSE_BYTES + " bytes");
    }
    String body = new String(bytes, StandardCharsets.UTF_8);
    JsonNode json;
    try {
      json = body.isBlank() ? null : MAPPER.readTree(body);
    } catch (IOException e) {
      json = null;
    }
    return new Response(r.statusCode(), body, json);
  }

  /** One path segment, percent-encoded. */
  static String seg(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
