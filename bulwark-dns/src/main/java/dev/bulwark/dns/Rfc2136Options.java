package dev.bulwark.dns;

import dev.bulwark.core.Check;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where and how {@link Rfc2136Target} reaches its authoritative server. Validated eagerly; nothing
 * is clamped.
 *
 * <p>The worst-case duration of one {@code read} or {@code apply} call is about {@code (retries +
 * 1) * timeoutMillis} per DNS exchange (a truncated UDP answer adds a TCP attempt) plus the
 * jittered backoff, at most {@code retryBackoffMillis * (2^retries - 1)} in total.
 *
 * @param server the authoritative server's address (primary, the one that accepts updates)
 * @param port its DNS port, 1..65535; default {@value #DEFAULT_PORT}
 * @param zone the zone to update, e.g. {@code example.test}; every endpoint must lie in it
 * @param key the TSIG key that signs every update (hmac-sha256 by default, or hmac-sha512)
 * @param timeoutMillis how long to wait for one answer, 1..{@value #MAX_TIMEOUT_MILLIS} ms;
 *     default {@value #DEFAULT_TIMEOUT_MILLIS}
 * @param retries extra attempts after a timeout, an unreachable server or SERVFAIL,
 *     0..{@value #MAX_RETRIES}; default {@value #DEFAULT_RETRIES}
 * @param retryBackoffMillis upper bound of the first retry's random delay, doubled per retry,
 *     0..{@value #MAX_RETRY_BACKOFF_MILLIS} ms; default {@value #DEFAULT_RETRY_BACKOFF_MILLIS}
 */
public record Rfc2136Options(
    InetAddress server, int port, String zone, TsigKey key, int timeoutMillis, int retries, int retryBackoffMillis) {
  /** The standard DNS port. */
  public static final int DEFAULT_PORT = 53;
  /** Default per-exchange timeout: generous for a LAN, short enough for an Enactor's cycle. */
  public static final int DEFAULT_TIMEOUT_MILLIS = 2_000;
  /** Largest per-exchange timeout accepted. */
  public static final int MAX_TIMEOUT_MILLIS = 60_000;
  /** Default number of retries. */
  public static final int DEFAULT_RETRIES = 2;
  /** Largest number of retries accepted. */
  public static final int MAX_RETRIES = 10;
  /** Default bound of the first retry's random delay. */
  public static final int DEFAULT_RETRY_BACKOFF_MILLIS = 100;
  /** Largest first-retry delay bound accepted. */
  public static final int MAX_RETRY_BACKOFF_MILLIS = 10_000;

  public Rfc2136Options {
    Check.notNull(server, "DNS server address");
    Check.notNull(key, "TSIG key");
    Check.arg(port >= 1 && port <= 65_535, "DNS port must be 1..65535, but was %d", port);
    zone = InitialZone.absolute(zone).toString(true);
    Check.arg(
        timeoutMillis >= 1 && timeoutMillis <= MAX_TIMEOUT_MILLIS,
        "timeoutMillis must be 1..%d, but was %d",
        MAX_TIMEOUT_MILLIS,
        timeoutMillis);
    Check.arg(retries >= 0 && retries <= MAX_RETRIES, "retries must be 0..%d, but was %d", MAX_RETRIES, retries);
    Check.arg(
        retryBackoffMillis >= 0 && retryBackoffMillis <= MAX_RETRY_BACKOFF_MILLIS,
        "retryBackoffMillis must be 0..%d, but was %d",
        MAX_RETRY_BACKOFF_MILLIS,
        retryBackoffMillis);
  }

  /** Options with the default timeout, retries and backoff. */
  public static Rfc2136Options of(InetAddress server, int port, String zone, TsigKey key) {
    return new Rfc2136Options(
        server, port, zone, key, DEFAULT_TIMEOUT_MILLIS, DEFAULT_RETRIES, DEFAULT_RETRY_BACKOFF_MILLIS);
  }

  /** A copy with another per-exchange timeout. */
  public Rfc2136Options withTimeoutMillis(int millis) {
    return new Rfc2136Options(server, port, zone, key, millis, retries, retryBackoffMillis);
  }

  /** A copy with another retry count. */
  public Rfc2136Options withRetries(int count) {
    return new Rfc2136Options(server, port, zone, key, timeoutMillis, count, retryBackoffMillis);
  }

  /** A copy with another TSIG key. */
  public Rfc2136Options withKey(TsigKey other) {
    return new Rfc2136Options(server, port, zone, other, timeoutMillis, retries, retryBackoffMillis);
  }

  /** The server's socket address. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(server, port);
  }
}
