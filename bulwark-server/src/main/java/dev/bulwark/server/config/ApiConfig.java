package dev.bulwark.server.config;

import dev.bulwark.core.Check;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code api} section: where the HTTP API listens, who may call it, and how large a request
 * may be.
 *
 * @param bind the address to listen on, an IP literal. Default {@value #DEFAULT_BIND}.
 * @param port the TCP port, 1..65535. Default {@value #DEFAULT_PORT}.
 * @param tokens the bearer tokens accepted, 1..{@value #MAX_TOKENS}, unique by name and by secret
 * @param maxBodyBytes largest request body accepted, {@value #MIN_MAX_BODY_BYTES}..{@value
 *     #MAX_MAX_BODY_BYTES} bytes. Default {@value #DEFAULT_MAX_BODY_BYTES}.
 */
public record ApiConfig(InetAddress bind, int port, List<ApiTokenConfig> tokens, int maxBodyBytes) {
  /** Default listen address: loopback only, so a fresh node is not exposed by accident. */
  public static final String DEFAULT_BIND = "127.0.0.1";
  /** Default port. */
  public static final int DEFAULT_PORT = 8080;
  /** Default bound of a request body: plans and commands are small. */
  public static final int DEFAULT_MAX_BODY_BYTES = 65_536;
  /** Smallest {@code maxBodyBytes} accepted. */
  public static final int MIN_MAX_BODY_BYTES = 1_024;
  /** Largest {@code maxBodyBytes} accepted: 16 MiB. */
  public static final int MAX_MAX_BODY_BYTES = 16 << 20;
  /** Most tokens accepted. */
  public static final int MAX_TOKENS = 1_000;

  /** Validates ranges and that token names and secrets are unique. */
  public ApiConfig {
    Check.notNull(bind, "bind address");
    Check.arg(port >= 1 && port <= 65_535, "port must be 1..65535, but was %d", port);
    tokens = List.copyOf(Check.notNull(tokens, "tokens"));
    Check.arg(!tokens.isEmpty() && tokens.size() <= MAX_TOKENS, "tokens must hold 1..%d tokens, but holds %d",
        MAX_TOKENS, tokens.size());
    Set<String> names = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (ApiTokenConfig t : tokens) {
      Check.arg(names.add(t.name()), "tokens must have unique names, but '%s' appears twice", t.name());
      Check.arg(secrets.add(t.secret()), "tokens must have unique secrets, but '%s' reuses another token's", t.name());
    }
    Check.arg(maxBodyBytes >= MIN_MAX_BODY_BYTES && maxBodyBytes <= MAX_MAX_BODY_BYTES,
        "maxBodyBytes must be %d..%d, but was %d", MIN_MAX_BODY_BYTES, MAX_MAX_BODY_BYTES, maxBodyBytes);
  }
}
