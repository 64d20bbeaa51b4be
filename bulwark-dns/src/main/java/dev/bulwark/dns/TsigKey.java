package dev.bulwark.dns;

import dev.bulwark.core.Check;
import java.util.Base64;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key (RFC 8945): its name, HMAC algorithm and shared secret. Load keys from a BIND-style
 * key file with {@link TsigKeyFile}; the same file configures BIND9 and Bulwark.
 *
 * @param name the key name, e.g. {@code enactor-key}; compared case-insensitively, as DNS names
 * @param algorithm the HMAC algorithm
 * @param secretBase64 the shared secret, base64 as in a BIND key file; never logged
 */
public record TsigKey(String name, Algorithm algorithm, String secretBase64) {
  /** HMAC algorithms Bulwark accepts. Shorter hashes (MD5, SHA-1) are refused as too weak. */
  public enum Algorithm {
    /** hmac-sha256, the default (what {@code tsig-keygen} makes). */
    HMAC_SHA256("hmac-sha256", TSIG.HMAC_SHA256),
    /** hmac-sha512. */
    HMAC_SHA512("hmac-sha512", TSIG.HMAC_SHA512);

    private final String bindName;
    private final Name dnsName;

    Algorithm(String bindName, Name dnsName) {
      this.bindName = bindName;
      this.dnsName = dnsName;
    }

    /** The name used in BIND key files, e.g. {@code hmac-sha256}. */
    public String bindName() {
      return bindName;
    }

    /** Parses a BIND algorithm name, case-insensitively, or throws naming the accepted ones. */
    public static Algorithm fromBindName(String text) {
      String t = text.toLowerCase(Locale.ROOT);
      for (Algorithm a : values()) {
        if (a.bindName.equals(t)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          "TSIG algorithm must be hmac-sha256 or hmac-sha512, but was '" + text + "'");
    }

    Name dnsName() {
      return dnsName;
    }
  }

  /** Shortest secret accepted, in bytes: RFC 8945 §6 asks for at least half the hash length. */
  public static final int MIN_SECRET_BYTES = 16;

  public TsigKey {
    Check.notNull(name, "TSIG key name");
    Check.notNull(algorithm, "TSIG algorithm");
    Check.notNull(secretBase64, "TSIG secret");
    try {
      Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("TSIG key name must be a DNS name, but was '" + name + "'", e);
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(secretBase64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "secret of TSIG key '" + name + "' must be base64 (as tsig-keygen writes it), but is not", e);
    }
    Check.arg(
        secret.length >= MIN_SECRET_BYTES,
        "secret of TSIG key '%s' must be at least %d bytes, but was %d; make one with tsig-keygen",
        name,
        MIN_SECRET_BYTES,
        secret.length);
  }

  /** A key with the default algorithm, hmac-sha256. */
  public static TsigKey hmacSha256(String name, String secretBase64) {
    return new TsigKey(name, Algorithm.HMAC_SHA256, secretBase64);
  }

  /** The key name as an absolute DNS name. */
  public Name dnsName() {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalStateException("validated in the constructor", e);
    }
  }

  /** The algorithm as the DNS name carried in TSIG records, e.g. {@code hmac-sha256.}. */
  public Name algorithmName() {
    return algorithm.dnsName();
  }

  /** The dnsjava signer for this key; a new one per call, since dnsjava's is not documented thread-safe. */
  public TSIG signer() {
    return new TSIG(algorithm.dnsName(), dnsName(), Base64.getDecoder().decode(secretBase64));
  }

  /** This key in BIND key-file syntax, e.g. to write next to a named.conf. */
  public String toBindSyntax() {
    return "key \"" + name + "\" {\n\talgorithm " + algorithm.bindName() + ";\n\tsecret \""
        + secretBase64 + "\";\n};\n";
  }

  /** Leaves the secret out, so a key can be logged. */
  @Override
  public String toString() {
    return "TsigKey[" + name + ", " + algorithm.bindName() + ", secret redacted]";
  }
}
