package dev.bulwark.server.api;

import dev.bulwark.core.ledger.RejectCode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An RFC 9457 problem the API answers with. Thrown by handlers and turned into an {@code
 * application/problem+json} response in one place, so every error has the same shape.
 */
final class ApiProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Prefix of every problem type URI; the slug after it names the problem. */
  static final String TYPE_PREFIX = "https://bulwark.dev/problems/";

  final int status;
  final String slug;
  final String title;
  final String detail;
  final Map<String, Object> extra = new LinkedHashMap<>();
  final Map<String, String> headers = new LinkedHashMap<>();

  ApiProblem(int status, String slug, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detail = detail;
  }

  ApiProblem with(String member, Object value) {
    extra.put(member, value);
    return this;
  }

  ApiProblem header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  static ApiProblem badRequest(String detail) {
    return new ApiProblem(400, "bad-request", "The request is malformed", detail);
  }

  static ApiProblem notFound(String detail) {
    return new ApiProblem(404, "not-found", "No such resource", detail);
  }

  static ApiProblem invalid(String detail) {
    return new ApiProblem(422, "validation", "The request is not valid", detail);
  }

  static ApiProblem conflict(RejectCode code, String detail) {
    return fromLedger(code, detail);
  }

  static ApiProblem unavailable(String detail) {
    return new ApiProblem(503, "ledger-unavailable", "The ledger is unavailable", detail)
        .header("Retry-After", "2");
  }

  /**
   * A ledger rejection. Unknown things are 404, a bad value 422, the two-person rule 403 (no retry
   * with the same identity can ever succeed), and everything else a 409 conflict with the ledger's
   * current state.
   */
  static ApiProblem fromLedger(RejectCode code, String detail) {
    int status = switch (code) {
      case UNKNOWN_SERVICE, UNKNOWN_PLAN, UNKNOWN_PENDING -> 404;
      case INVALID_ARGUMENT -> 422;
      case SELF_APPROVAL -> 403;
      default -> 409;
    };
    String slug = "ledger/" + code.name().toLowerCase(Locale.ROOT).replace('_', '-');
    return new ApiProblem(status, slug, "The ledger refused the command: " + code, detail).with("code", code.name());
  }

  /** The problem document. */
  Map<String, @Nullable Object> body(String instance) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("type", TYPE_PREFIX + slug);
    m.put("title", title);
    m.put("status", status);
    m.put("detail", detail);
    m.put("instance", instance);
    m.putAll(extra);
    return m;
  }
}
