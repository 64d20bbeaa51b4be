package dev.bulwark.server.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API, {@code /api/v1}, on Javalin (Jetty). Every route is registered through one
 * wrapper that authenticates the bearer token and checks the route's {@link Role} before the
 * handler runs, and every error leaves through one mapper as RFC 9457 {@code
 * application/problem+json}; an unexpected exception becomes a 500 whose {@code errorId} is
 * logged with the stack trace, which never reaches the client. The same server serves the web
 * console's static files at {@code /} (see {@code docs/console.md}); they need no token, the data
 * they fetch does.
 *
 * <pre>
 *   request ─► route wrapper: 401/403 ─► handler ─► body checks: 415/413/400/422
 *                                          └─► ledger read/submit: 404/409/403/503 ─► JSON 200
 * </pre>
 */
public final class ApiServer implements AutoCloseable {
  /** Threads reading DNS for {@code GET .../endpoints}; bounds the load one request puts on DNS. */
  static final int DNS_READ_THREADS = 8;

  /** DNS reads waiting for a thread; beyond it a read reports itself as refused. */
  static final int DNS_READ_QUEUE = 1_024;

  /** Where the console's files are on the classpath; they are served at {@code /}. */
  static final String CONSOLE_DIRECTORY = "/console";

  /**
   * Headers on every console file. The policy allows only this origin's scripts, styles and
   * fetches, so an injected string can't run code or send a token elsewhere; the console keeps its
   * token in {@code sessionStorage} and sends it as a bearer header, never as a cookie.
   */
  static final Map<String, String> CONSOLE_HEADERS = Map.of(
      "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer",
      "Cache-Control", "no-cache");

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final Javalin app;
  private final ThreadPoolExecutor dnsPool;
  private final List<RegisteredRoute> routes;

  private ApiServer(Javalin app, ThreadPoolExecutor dnsPool, List<RegisteredRoute> routes) {
    this.app = app;
    this.dnsPool = dnsPool;
    this.routes = routes;
  }

  /**
   * Binds and starts serving. Throws {@link IllegalStateException} naming the address if it can't
   * bind (for example, the port is in use).
   */
  public static ApiServer start(ApiContext context) {
    ObjectMapper mapper = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor dnsPool = new ThreadPoolExecutor(DNS_READ_THREADS, DNS_READ_THREADS, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(DNS_READ_QUEUE), r -> {
          Thread t = new Thread(r, "bulwark-api-dns-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    dnsPool.allowCoreThreadTimeOut(true);
    Routes handlers = new Routes(context, mapper, dnsPool);
    Authenticator auth = new Authenticator(context.tokens);
    List<RegisteredRoute> routes = new ArrayList<>();
    byte[] openApi = openApiDocument();
    Javalin app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.startup.showOldJavalinVersionWarning = false;
      cfg.jetty.host = context.host;
      cfg.jetty.port = context.port;
      cfg.http.maxRequestSize = context.maxBodyBytes;
      cfg.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
      handlers.register((method, path, role, handler) -> {
        routes.add(new RegisteredRoute(method.name(), path, role == null ? "none" : role.label()));
        cfg.routes.addHttpHandler(method, path, ctx -> {
          Optional<ApiToken> caller = role == null ? Optional.empty()
              : Optional.of(auth.authorize(ctx.header("Authorization"), role));
          Object result = handler.handle(ctx, new Routes.Caller(caller));
          if (result instanceof Routes.Raw raw) {
            ctx.contentType(raw.contentType()).result(raw.bytes());
          } else {
            ctx.contentType("application/json").result(mapper.writeValueAsBytes(result));
          }
        });
      }, openApi);
      console(cfg);
      errors(cfg, mapper);
    });
    try {
      app.start();
    } catch (RuntimeException e) {
      dnsPool.shutdownNow();
      throw new IllegalStateException("could not start the API on " + context.host + ":" + context.port + ": "
          + e.getMessage(), e);
    }
    LOG.info("API listening on http://{}:{} ({})", context.host, app.port(), context);
    return new ApiServer(app, dnsPool, List.copyOf(routes));
  }

  /**
   * Serves the console's static files from the jar at {@code /} without authentication: they hold
   * no data, and every API call they make carries the user's bearer token.
   */
  private static void console(JavalinConfig cfg) {
    cfg.staticFiles.add(sf -> {
      sf.hostedPath = "/";
      sf.directory = CONSOLE_DIRECTORY;
      sf.location = Location.CLASSPATH;
      sf.headers = CONSOLE_HEADERS;
    });
  }

  private static void errors(JavalinConfig cfg, ObjectMapper mapper) {
    cfg.routes.exception(ApiProblem.class, (e, ctx) -> write(ctx, mapper, e));
    cfg.routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, mapper, fromJavalin(e, ctx)));
    cfg.routes.exception(Exception.class, (e, ctx) -> {
      String errorId = UUID.randomUUID().toString();
      LOG.error("internal error {} on {} {}", errorId, ctx.method(), ctx.path(), e);
      write(ctx, mapper, new ApiProblem(500, "internal", "Internal server error",
          "an unexpected error happened; the server logged it with errorId " + errorId).with("errorId", errorId));
    });
  }

  private static ApiProblem fromJavalin(HttpResponseException e, Context ctx) {
    return switch (e.getStatus()) {
      case 404, 405 -> ApiProblem.notFound("no route " + ctx.method() + " " + RequestBody.abbreviate(ctx.path())
          + "; GET /api/v1/openapi.json lists every route");
      case 413 -> new ApiProblem(413, "body-too-large", "The request body is too large", e.getMessage());
      default -> new ApiProblem(e.getStatus(), "http-" + e.getStatus(), "HTTP " + e.getStatus(),
          String.valueOf(e.getMessage()));
    };
  }

  private static void write(Context ctx, ObjectMapper mapper, ApiProblem p) {
    Map<String, @Nullable Object> body = p.body(ctx.path());
    p.headers.forEach(ctx::header);
    try {
      ctx.status(p.status).contentType("application/problem+json").result(mapper.writeValueAsBytes(body));
    } catch (IOException e) {
      ctx.status(500).contentType("application/problem+json").result("{\"title\":\"Internal server error\"}");
    }
  }

  private static byte[] openApiDocument() {
    try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the classpath (a broken build)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port the API listens on (the bound one when the context asked for port 0). */
  public int port() {
    return app.port();
  }

  /** One registered route and the lowest role that may call it ({@code none}: no authentication). */
  record RegisteredRoute(String method, String path, String role) {}

  /** Every registered route, e.g. {@code GET /api/v1/services/{id}} for viewers. */
  List<RegisteredRoute> routes() {
    return routes;
  }

  /** Stops serving and ends every thread the server started. */
  @Override
  public void close() {
    app.stop();
    dnsPool.shutdownNow();
    try {
      dnsPool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
