package dev.bulwark.server.api;

import java.util.regex.Pattern;

/**
 * One bearer token the API accepts. The caller's identity in the audit chain is {@code
 * api:<name>}. {@link #toString()} never shows the secret.
 *
 * @param name 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit
 * @param role what the token may do
 * @param secret the bearer value: 16-512 printable ASCII characters without spaces
 */
public record ApiToken(String name, Role role, String secret) {
  /** Shortest accepted secret, in characters. */
  public static final int MIN_SECRET_CHARS = 16;

  /** Longest accepted secret, in characters (it travels in one HTTP header). */
  public static final int MAX_SECRET_CHARS = 512;

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern SECRET = Pattern.compile("[\\x21-\\x7e]+");

  public ApiToken {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("token name must be 1-64 lower-case letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit, but was '" + name + "'");
    }
    if (role == null) {
      throw new IllegalArgumentException("token '" + name + "' needs a role (viewer, operator, approver, admin)");
    }
    if (secret == null || secret.length() < MIN_SECRET_CHARS || secret.length() > MAX_SECRET_CHARS
        || !SECRET.matcher(secret).matches()) {
      throw new IllegalArgumentException("secret of token '" + name + "' must be " + MIN_SECRET_CHARS + "-"
          + MAX_SECRET_CHARS + " printable ASCII characters without spaces, but was "
          + (secret == null ? "missing" : secret.length() + " characters or has other characters"));
    }
  }

  /** The audit chain's actor for this token, {@code api:<name>}. */
  public String actor() {
    return "api:" + name;
  }

  @Override
  public String toString() {
    return "ApiToken[" + name + ", " + role.label() + ", secret=***]";
  }
}
