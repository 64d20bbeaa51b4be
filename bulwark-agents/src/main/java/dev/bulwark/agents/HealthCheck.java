package dev.bulwark.agents;

import dev.bulwark.core.Check;

/**
 * How to probe a target, like an NLB target group's health check.
 *
 * @param kind HTTP (a GET that must answer 200-399) or TCP (a connect that must succeed)
 * @param port the port on the target's address, 1..65535
 * @param path the HTTP path, starting with '/'; ignored for TCP
 */
public record HealthCheck(Kind kind, int port, String path) {
  /** Check kinds. */
  public enum Kind {
    HTTP,
    TCP
  }

  public HealthCheck {
    Check.notNull(kind, "kind");
    Check.arg(port >= 1 && port <= 65_535, "health check port must be 1..65535, but was %d", port);
    Check.notNull(path, "path");
    Check.arg(kind == Kind.TCP || path.startsWith("/"), "HTTP health check path must start with '/', but was '%s'",
        path);
  }

  public static HealthCheck http(int port, String path) {
    return new HealthCheck(Kind.HTTP, port, path);
  }

  public static HealthCheck tcp(int port) {
    return new HealthCheck(Kind.TCP, port, "");
  }
}
