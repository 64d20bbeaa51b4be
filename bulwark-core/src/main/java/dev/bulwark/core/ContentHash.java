package dev.bulwark.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A SHA-256 digest in lower-case hex: a plan's content hash, or a link of the audit chain. */
public record ContentHash(String hex) {
  private static final Pattern SYNTAX = Pattern.compile("[0-9a-f]{64}");

  /** The hash that precedes the first audit event (all zeros). */
  public static final ContentHash ZERO = new ContentHash("0".repeat(64));

  public ContentHash {
    Check.notNull(hex, "hash");
    Check.arg(SYNTAX.matcher(hex).matches(), "hash must be 64 lower-case hex digits, but was '%s'", hex);
  }

  /** SHA-256 of {@code bytes}. */
  public static ContentHash sha256(byte[] bytes) {
    return new ContentHash(HexFormat.of().formatHex(digest().digest(bytes)));
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  public byte[] bytes() {
    return HexFormat.of().parseHex(hex);
  }

  /** The first 12 hex digits, enough to tell plans apart in logs. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
