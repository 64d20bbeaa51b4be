package dev.bulwark.dns;

import java.security.SecureRandom;
import java.util.Base64;

/** Fresh TSIG keys for tests, so no secret is ever checked in. */
final class TestKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestKeys() {}

  static TsigKey random(String name, TsigKey.Algorithm algorithm) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return new TsigKey(name, algorithm, Base64.getEncoder().encodeToString(secret));
  }

  static TsigKey random(String name) {
    return random(name, TsigKey.Algorithm.HMAC_SHA256);
  }
}
