package dev.bulwark.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpTimeoutException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every client command does: send one request, then print the answer as text or JSON, or
 * the problem the server answered with, and map the outcome to an exit code.
 */
abstract class ClientCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;
  static final int UNREACHABLE = 3;

  @Mixin Connection connection = new Connection();

  @Spec CommandLine.Model.@Nullable CommandSpec spec;

  /** Output formats. */
  enum Output {
    TEXT,
    JSON
  }

  /** Options every client command takes. */
  static final class Connection {
    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:BULWARK_URL:-http://127.0.0.1:8080}",
        description = "The Bulwark API (default: $BULWARK_URL, else http://127.0.0.1:8080).")
    String url = "http://127.0.0.1:8080";

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BULWARK_TOKEN}",
        description = "Bearer token (default: $BULWARK_TOKEN). Prefer the environment variable: other users can see"
            + " command lines.")
    @Nullable String token;

    @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text", converter = OutputConverter.class,
        description = "text (default: aligned tables) or json (the API's answer as is).")
    Output output = Output.TEXT;
  }

  /** Accepts {@code text} and {@code json} in any case. */
  static final class OutputConverter implements CommandLine.ITypeConverter<Output> {
    @Override
    public Output convert(String value) {
      try {
        return Output.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("must be 'text' or 'json', but was '" + value + "'");
      }
    }
  }

  /** Sends this command's request. */
  abstract ApiClient.Response send(ApiClient client) throws IOException, InterruptedException;

  /** Prints a successful answer as text. */
  abstract void render(JsonNode body, PrintWriter out);

  @Override
  public Integer call() {
    CommandLine cl = spec().commandLine();
    PrintWriter out = cl.getOut();
    PrintWriter err = cl.getErr();
    ApiClient client;
    try {
      client = new ApiClient(connection.url, connection.token);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    }
    ApiClient.Response r;
    try {
      r = send(client);
    } catch (HttpTimeoutException e) {
      err.println("error: " + connection.url + " did not answer in time (" + e.getMessage() + ")");
      return UNREACHABLE;
    } catch (IOException e) {
      err.println("error: cannot reach the Bulwark API at " + connection.url + ": " + describe(e)
          + " (is it running? set --url or BULWARK_URL)");
      return UNREACHABLE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return UNREACHABLE;
    }
    if (r.status() >= 400) {
      printProblem(r, err);
      return r.status() >= 500 ? UNREACHABLE : REFUSED;
    }
    JsonNode json = r.json();
    if (connection.output == Output.JSON || json == null) {
      out.println(r.body().strip());
    } else {
      render(json, out);
    }
    out.flush();
    return OK;
  }

  /** The name this command was registered under, e.g. {@code approve}. */
  String commandName() {
    return spec().name();
  }

  private CommandLine.Model.CommandSpec spec() {
    if (spec == null) {
      throw new IllegalStateException("picocli injects the spec before call()");
    }
    return spec;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  private void printProblem(ApiClient.Response r, PrintWriter err) {
    JsonNode p = r.json();
    if (p != null && p.hasNonNull("title")) {
      String title = p.get("title").asText();
      String code = p.hasNonNull("code") && !title.contains(p.get("code").asText()) ? " [" + p.get("code").asText()
          + "]" : "";
      err.println("error: " + r.status() + " " + title + code);
      if (p.hasNonNull("detail")) {
        err.println("  " + p.get("detail").asText());
      }
      if (p.hasNonNull("errorId")) {
        err.println("  errorId: " + p.get("errorId").asText());
      }
    } else {
      String body = r.body().strip();
      err.println("error: HTTP " + r.status() + (body.isEmpty() ? "" : ": "
          + (body.length() > 200 ? body.substring(0, 200) + "..." : body)));
    }
    if (r.status() == 401) {
      err.println("  set BULWARK_TOKEN (or --token) to an API token");
    }
    err.flush();
  }

  // ---- shared text helpers ---------------------------------------------------------------------

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "-" : v.asText();
  }

  static String pointer(JsonNode p) {
    return "v" + p.path("version").asLong() + "/g" + p.path("generation").asLong();
  }

  static String time(JsonNode millis) {
    return millis == null || millis.isNull() ? "-" : Instant.ofEpochMilli(millis.asLong()).toString();
  }

  static String yesNo(JsonNode b) {
    return b != null && b.asBoolean() ? "yes" : "no";
  }

  /** The one-line account of an accepted action. */
  static void renderAction(JsonNode a, PrintWriter out) {
    StringBuilder b = new StringBuilder(a.path("code").asText()).append(": ").append(a.path("action").asText())
        .append(" by ").append(a.path("actor").asText());
    if (a.has("pointer")) {
      b.append("; pointer ").append(pointer(a.get("previous"))).append(" -> ").append(pointer(a.get("pointer")));
    }
    if (a.has("source")) {
      b.append(" (content of g").append(a.get("source").asLong()).append(')');
    }
    out.println(b.append(" (audit event ").append(a.path("eventId").asLong()).append(')'));
  }
}
