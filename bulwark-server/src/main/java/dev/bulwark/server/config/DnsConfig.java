package dev.bulwark.server.config;

import dev.bulwark.core.Check;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.InitialZone;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.dns.TsigKey;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code dns} section: the authoritative server the Enactors update and the Auditor reads,
 * either an external one reached over RFC 2136 ({@link Rfc2136}) or the embedded one that this
 * node runs itself ({@link Embedded}). Exactly one of the two is configured.
 */
public sealed interface DnsConfig permits DnsConfig.Embedded, DnsConfig.Rfc2136 {
  /** A DNS zone name: labels of letters, digits and '-', at most 253 characters. */
  Pattern ZONE = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  /** The zone every endpoint lies in, lower case, without the trailing dot, e.g. {@code bulwark.test}. */
  String zone();

  /** The BIND key file the TSIG key was read from, absolute. */
  Path keyFile();

  /** The TSIG key that signs every update. */
  TsigKey key();

  /** How {@code Rfc2136Target} reaches the server (for the embedded server: its own address). */
  Rfc2136Options clientOptions();

  /** The zone in canonical form; throws {@link IllegalArgumentException} if it is not a DNS name. */
  static String canonicalZone(String zone) {
    String z = zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
    z = z.toLowerCase(Locale.ROOT);
    Check.arg(ZONE.matcher(z).matches(), "zone must be a DNS name such as example.test, but was '%s'", zone);
    return z;
  }

  /**
   * The embedded authoritative server, run by this node; meant for a single host or a test bed,
   * since each node that configures it runs its own.
   *
   * @param bind the address to serve on, an IP literal. Default {@value #DEFAULT_BIND}.
   * @param port the UDP and TCP port, 1..65535. Default {@value Rfc2136Options#DEFAULT_PORT}.
   * @param zone the zone it is authoritative for
   * @param keyFile the BIND key file holding every key it accepts updates from
   * @param keys the keys of {@code keyFile}
   * @param key the key this node's Enactor signs with (chosen by {@code keyName}, or the only one)
   * @param zoneFile an RFC 1035 zone file to start from when the data directory holds no zone;
   *     absent: a minimal zone (SOA, one NS)
   */
  record Embedded(InetAddress bind, int port, String zone, Path keyFile, List<TsigKey> keys, TsigKey key,
      Optional<Path> zoneFile) implements DnsConfig {
    /** Default bind address: loopback. */
    public static final String DEFAULT_BIND = "127.0.0.1";

    /** Validates the zone, the port and that {@code key} is one of {@code keys}. */
    public Embedded {
      Check.notNull(bind, "bind");
      Check.arg(port >= 1 && port <= 65_535, "port must be 1..65535, but was %d", port);
      zone = canonicalZone(Check.notNull(zone, "zone"));
      Check.notNull(keyFile, "keyFile");
      keys = List.copyOf(Check.notNull(keys, "keys"));
      Check.arg(keys.contains(Check.notNull(key, "key")), "key %s must be one of the keys of %s", key.name(), keyFile);
      Check.notNull(zoneFile, "zoneFile");
    }

    /** The server's options; its zone lives in {@code <dataDir>/dns}. */
    public EmbeddedDnsServer.Options serverOptions(Path dataDir) {
      InitialZone initial = zoneFile.map(f -> InitialZone.fromFile(f, zone)).orElseGet(() -> InitialZone.minimal(zone));
      return new EmbeddedDnsServer.Options(bind, port, dataDir.resolve("dns"), keys, initial);
    }

    @Override
    public Rfc2136Options clientOptions() {
      InetAddress server = bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind;
      return Rfc2136Options.of(server, port, zone, key);
    }
  }

  /**
   * An external authoritative server (BIND9, Knot, PowerDNS) that accepts RFC 2136 updates signed
   * with TSIG.
   *
   * @param server the primary server's address, an IP literal
   * @param port its DNS port. Default {@value Rfc2136Options#DEFAULT_PORT}.
   * @param zone the zone to update
   * @param keyFile the BIND key file ({@code tsig-keygen} output)
   * @param key the key chosen from it (by {@code keyName}, or the only one)
   * @param timeoutMillis wait for one answer. Default {@value Rfc2136Options#DEFAULT_TIMEOUT_MILLIS}.
   * @param retries extra attempts. Default {@value Rfc2136Options#DEFAULT_RETRIES}.
   * @param retryBackoffMillis bound of the first retry's delay. Default {@value
   *     Rfc2136Options#DEFAULT_RETRY_BACKOFF_MILLIS}.
   */
  record Rfc2136(InetAddress server, int port, String zone, Path keyFile, TsigKey key, int timeoutMillis, int retries,
      int retryBackoffMillis) implements DnsConfig {
    /** Validates every field with {@link Rfc2136Options}' own rules. */
    public Rfc2136 {
      zone = canonicalZone(Check.notNull(zone, "zone"));
      Check.notNull(keyFile, "keyFile");
      new Rfc2136Options(server, port, zone, key, timeoutMillis, retries, retryBackoffMillis);
    }

    @Override
    public Rfc2136Options clientOptions() {
      return new Rfc2136Options(server, port, zone, key, timeoutMillis, retries, retryBackoffMillis);
    }
  }
}
