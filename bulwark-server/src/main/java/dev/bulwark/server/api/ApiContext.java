package dev.bulwark.server.api;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.Ledger;
import dev.bulwark.core.port.ReadOutcome;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything an {@link ApiServer} needs: the ledger, a way to read what DNS publishes, the cluster
 * view, the tokens, where to listen, limits and the clock. Built with {@link #builder}; every
 * option is validated when {@link Builder#build()} is called.
 */
public final class ApiContext {
  /** Default listen address: loopback only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** Default listen port. */
  public static final int DEFAULT_PORT = 8080;

  /** Default bound of a request body: 64 KiB. */
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

  /** Largest allowed bound of a request body: 1 MiB (no request needs more). */
  public static final int MAX_MAX_BODY_BYTES = 1024 * 1024;

  /** Default wait for one ledger read or command, and for a page of DNS reads: 10 s. */
  public static final long DEFAULT_LEDGER_TIMEOUT_MILLIS = 10_000;

  /** Bounds of the ledger timeout, in milliseconds. */
  public static final long MIN_LEDGER_TIMEOUT_MILLIS = 100;

  /** Upper bound of the ledger timeout, in milliseconds. */
  public static final long MAX_LEDGER_TIMEOUT_MILLIS = 120_000;

  final Ledger ledger;
  final Function<EndpointName, ReadOutcome> dns;
  final ClusterView cluster;
  final List<ApiToken> tokens;
  final LongSupplier clockMillis;
  final String host;
  final int port;
  final int maxBodyBytes;
  final long ledgerTimeoutMillis;
  final Optional<Supplier<String>> metrics;
  final Optional<Promoter> promoter;
  final Optional<GameDays> gameDays;

  private ApiContext(Builder b) {
    this.ledger = b.ledger;
    this.dns = b.dns;
    this.cluster = b.cluster;
    this.tokens = b.tokens;
    this.clockMillis = b.clockMillis;
    this.host = b.host;
    this.port = b.port;
    this.maxBodyBytes = b.maxBodyBytes;
    this.ledgerTimeoutMillis = b.ledgerTimeoutMillis;
    this.metrics = b.metrics;
    this.promoter = b.promoter;
    this.gameDays = b.gameDays;
  }

  /**
   * Starts a context. {@code dns} reads one endpoint over the wire ({@code dnsTarget::read} fits);
   * {@code clockMillis} stamps commands ({@code scheduler::nowMillis} fits).
   */
  public static Builder builder(Ledger ledger, Function<EndpointName, ReadOutcome> dns, ClusterView cluster,
      List<ApiToken> tokens, LongSupplier clockMillis) {
    return new Builder(ledger, dns, cluster, tokens, clockMillis);
  }

  /** The effective configuration, for the start-up log; never shows secrets. */
  @Override
  public String toString() {
    StringBuilder t = new StringBuilder();
    for (ApiToken k : tokens) {
      t.append(t.length() == 0 ? "" : ", ").append(k.name()).append('=').append(k.role().label());
    }
    return "host=" + host + " port=" + port + " maxBodyBytes=" + maxBodyBytes + " ledgerTimeoutMillis="
        + ledgerTimeoutMillis + " metrics=" + (metrics.isPresent() ? "/metrics" : "off") + " tokens=[" + t + "]";
  }

  /** Collects the options of an {@link ApiContext}. */
  public static final class Builder {
    private final Ledger ledger;
    private final Function<EndpointName, ReadOutcome> dns;
    private final ClusterView cluster;
    private final List<ApiToken> tokens;
    private final LongSupplier clockMillis;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private long ledgerTimeoutMillis = DEFAULT_LEDGER_TIMEOUT_MILLIS;
    private Optional<Supplier<String>> metrics = Optional.empty();
    private Optional<Promoter> promoter = Optional.empty();
    private Optional<GameDays> gameDays = Optional.empty();

    private Builder(Ledger ledger, Function<EndpointName, ReadOutcome> dns, ClusterView cluster, List<ApiToken> tokens,
        LongSupplier clockMillis) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      this.dns = Objects.requireNonNull(dns, "dns");
      this.cluster = Objects.requireNonNull(cluster, "cluster");
      this.tokens = List.copyOf(Objects.requireNonNull(tokens, "tokens"));
      this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    }

    /** Where to listen (default 127.0.0.1:8080); port 0 picks a free one, see {@link ApiServer#port()}. */
    public Builder bind(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /** Largest accepted request body in bytes (default {@value ApiContext#DEFAULT_MAX_BODY_BYTES}). */
    public Builder maxBodyBytes(int bytes) {
      this.maxBodyBytes = bytes;
      return this;
    }

    /** How long one ledger call may take before the API answers 503 (default 10,000 ms). */
    public Builder ledgerTimeoutMillis(long millis) {
      this.ledgerTimeoutMillis = millis;
      return this;
    }

    /** Serves {@code scrape} (Prometheus text format) at {@code /metrics}; off by default. */
    public Builder metrics(Supplier<String> scrape) {
      this.metrics = Optional.of(Objects.requireNonNull(scrape, "scrape"));
      return this;
    }

    /** Enables {@code POST /api/v1/authority/promote} through {@code promoter}; off (404) by default. */
    public Builder promoter(Promoter promoter) {
      this.promoter = Optional.of(Objects.requireNonNull(promoter, "promoter"));
      return this;
    }

    /** Enables the {@code /api/v1/gamedays} routes through {@code gameDays}; off (404) by default. */
    public Builder gameDays(GameDays gameDays) {
      this.gameDays = Optional.of(Objects.requireNonNull(gameDays, "gameDays"));
      return this;
    }

    /** Validates every option and returns the context. */
    public ApiContext build() {
      if (host.isBlank()) {
        throw new IllegalArgumentException("host must be an address or name to listen on, but was blank");
      }
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535 (0 = any free port), but was " + port);
      }
      if (maxBodyBytes < 1 || maxBodyBytes > MAX_MAX_BODY_BYTES) {
        throw new IllegalArgumentException("maxBodyBytes must be 1.." + MAX_MAX_BODY_BYTES + ", but was " + maxBodyBytes);
      }
      if (ledgerTimeoutMillis < MIN_LEDGER_TIMEOUT_MILLIS || ledgerTimeoutMillis > MAX_LEDGER_TIMEOUT_MILLIS) {
        throw new IllegalArgumentException("ledgerTimeoutMillis must be " + MIN_LEDGER_TIMEOUT_MILLIS + ".."
            + MAX_LEDGER_TIMEOUT_MILLIS + ", but was " + ledgerTimeoutMillis);
      }
      if (tokens.isEmpty()) {
        throw new IllegalArgumentException("at least one API token is needed, or no request could be authorized");
      }
      Set<String> names = new HashSet<>();
      Set<String> secrets = new HashSet<>();
      for (ApiToken t : tokens) {
        if (!names.add(t.name())) {
          throw new IllegalArgumentException("token names must be unique, but '" + t.name() + "' appears twice");
        }
        if (!secrets.add(t.secret())) {
          throw new IllegalArgumentException("token secrets must be unique, but '" + t.name()
              + "' shares its secret with another token");
        }
      }
      return new ApiContext(this);
    }
  }
}
