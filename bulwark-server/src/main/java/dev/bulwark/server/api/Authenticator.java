package dev.bulwark.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@code Authorization: Bearer <token>} headers. Secrets are compared as SHA-256 digests
 * with {@link MessageDigest#isEqual}, against every token without stopping at a match, so the time
 * taken says nothing about which token or how much of it matched. Secrets are never logged.
 */
final class Authenticator {
  private final List<ApiToken> tokens;
  private final byte[][] digests;

  Authenticator(List<ApiToken> tokens) {
    this.tokens = List.copyOf(tokens);
    this.digests = new byte[tokens.size()][];
    for (int i = 0; i < tokens.size(); i++) {
      digests[i] = sha256(tokens.get(i).secret());
    }
  }

  /** The token the header carries, if it may act as {@code needed}; else a 401 or 403 problem. */
  ApiToken authorize(@Nullable String header, Role needed) {
    ApiToken token = authenticate(header);
    if (!token.role().covers(needed)) {
      throw new ApiProblem(403, "forbidden", "The token's role is too low",
          "this request needs role " + needed.label() + " or higher, but token '" + token.name() + "' has role "
              + token.role().label())
          .with("requiredRole", needed.label());
    }
    return token;
  }

  private ApiToken authenticate(@Nullable String header) {
    if (header == null || header.isBlank()) {
      throw unauthorized("send 'Authorization: Bearer <token>'; this request had no Authorization header", false);
    }
    String h = header.strip();
    if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      throw unauthorized("the Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'",
          true);
    }
    String secret = h.substring(7).strip();
    if (secret.isEmpty() || secret.length() > ApiToken.MAX_SECRET_CHARS) {
      throw unauthorized("the bearer token is not one this server accepts", true);
    }
    byte[] presented = sha256(secret);
    int found = -1;
    for (int i = 0; i < digests.length; i++) {
      boolean eq = MessageDigest.isEqual(presented, digests[i]);
      found = eq ? i : found;
    }
    if (found < 0) {
      throw unauthorized("the bearer token is not one this server accepts", true);
    }
    return tokens.get(found);
  }

  private static ApiProblem unauthorized(String detail, boolean invalidToken) {
    return new ApiProblem(401, "unauthorized", "Authentication is required", detail)
        .header("WWW-Authenticate", invalidToken ? "Bearer realm=\"bulwark\", error=\"invalid_token\""
            : "Bearer realm=\"bulwark\"");
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
