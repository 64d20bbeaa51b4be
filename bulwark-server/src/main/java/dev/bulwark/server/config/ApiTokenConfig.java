package dev.bulwark.server.config;

import dev.bulwark.core.Check;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One API bearer token: who it identifies, what it may do, and its secret, read from a file or
 * an environment variable (never from the YAML itself). {@link #toString()} redacts the secret.
 *
 * @param name the identity the token stands for, recorded in the audit chain; 1-64 letters,
 *     digits, '.', '_', '@' or '-'
 * @param role what the holder may do
 * @param secret the token itself, {@value #MIN_SECRET_CHARS}-{@value #MAX_SECRET_CHARS} printable
 *     characters without spaces
 * @param origin where the secret was read from, e.g. {@code env BULWARK_ADMIN_TOKEN}
 */
public record ApiTokenConfig(String name, Role role, String secret, SecretOrigin origin) {
  /** Shortest secret accepted: a guessable token is worse than none. */
  public static final int MIN_SECRET_CHARS = 16;
  /** Longest secret accepted. */
  public static final int MAX_SECRET_CHARS = 4096;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]+");

  /** What a token's holder may do, each role including the ones before it. */
  public enum Role {
    /** Read state, plans and the audit chain. */
    VIEWER,
    /** Also pause, resume, pin and roll back. */
    OPERATOR,
    /** Also approve changes beyond the automated budget. */
    APPROVER,
    /** Everything, including promotion of a controller. */
    ADMIN;

    /** The spelling in configuration files, e.g. {@code operator}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Where a secret came from; safe to log.
   *
   * @param kind a file or an environment variable
   * @param location the file's absolute path or the variable's name
   */
  public record SecretOrigin(Kind kind, String location) {
    /** Secret sources. */
    public enum Kind {
      /** {@code tokenFile}: the file's content, surrounding whitespace trimmed. */
      FILE,
      /** {@code tokenEnv}: the variable's value, surrounding whitespace trimmed. */
      ENV
    }

    /** Validates that nothing is null or empty. */
    public SecretOrigin {
      Check.notNull(kind, "kind");
      Check.arg(location != null && !location.isEmpty(), "secret location must not be empty");
    }

    @Override
    public String toString() {
      return (kind == Kind.FILE ? "file " : "env ") + location;
    }
  }

  /** Validates the name and the shape of the secret (the message never contains the secret). */
  public ApiTokenConfig {
    Check.notNull(name, "token name");
    Check.arg(NAME.matcher(name).matches(),
        "token name must be 1-64 letters, digits, '.', '_', '@' or '-', but was '%s'", name);
    Check.notNull(role, "role");
    Check.notNull(origin, "origin");
    Check.notNull(secret, "secret");
    Check.arg(secret.length() >= MIN_SECRET_CHARS && secret.length() <= MAX_SECRET_CHARS,
        "the secret of token '%s' must be %d-%d characters, but has %d", name, MIN_SECRET_CHARS, MAX_SECRET_CHARS,
        secret.length());
    Check.arg(SECRET.matcher(secret).matches(),
        "the secret of token '%s' must be printable ASCII without spaces", name);
  }

  @Override
  public String toString() {
    return "ApiTokenConfig[name=" + name + ", role=" + role.configName() + ", secret=<redacted>, origin=" + origin
        + "]";
  }
}
