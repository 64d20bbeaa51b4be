package dev.bulwark.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A SHA-256 digest in lower-case hex: a plan's content hash, or a link of the audit chain. */
public record ContentHash(String hex) {
  /** The hash that precedes the first audit event (all zeros). */
  public static final ContentHash ZERO = new ContentHash("0".repeat(64));

  public ContentHash {
    Check.notNull(hex, "hash");
    if (!isLowerHex64(hex)) {
      throw new IllegalArgumentException("hash must be 64 lower-case hex digits, but was '" + hex + "'");
    }
  }

  private static boolean isLowerHex64(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
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
