package dev.bulwark.server.config;

import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.Janitor;
import dev.bulwark.agents.Planner;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.dns.EmbeddedDnsServer;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.PeerOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration of one {@code bulwark node}: one AZ of a distributed deployment, with its
 * ledger peer, agents, health checks, DNS server and HTTP API. Load it with {@link #load(Path)};
 * the mapping methods ({@link #topologies()}, {@link #serviceDefinitions()}, {@link
 * #healthChecks()}, {@link #dnsClientOptions()}, ...) give the domain objects the runtime wires.
 *
 * <p>Loading stops at the <em>first</em> error, reading the sections in a fixed order (node,
 * cluster, ledger, api, dns, services, planner, enactor, validator, auditor, janitor, logging),
 * and throws a {@link ConfigException} whose message names file, line, column and field path:
 * <pre>node-az-a.yaml:14:9: services[0].endpoints[1].targets[0].address: expected an IPv4 or IPv6
 * literal, but was "10.0.0.x"</pre>
 * Relative paths ({@code dataDir}, {@code tokenFile}, {@code keyFile}, {@code zoneFile}) resolve
 * against the config file's directory. Every default and limit is listed in {@code
 * docs/configuration.md} and taken from the domain classes' {@code DEFAULT_*} constants.
 *
 * @param node this node's AZ and data directory
 * @param cluster the ledger cluster (one peer per AZ)
 * @param ledger tuning of this node's ledger peer
 * @param api the HTTP API
 * @param dns the authoritative DNS server
 * @param services the services, in file order, with distinct ids and endpoint names
 * @param planner the Planner's options
 * @param enactor the Enactor's options
 * @param validatorIntervalMillis time between Validator rounds, {@value #MIN_AGENT_INTERVAL_MILLIS}..{@value
 *     #MAX_AGENT_INTERVAL_MILLIS}. Default {@value dev.bulwark.agents.Validator#DEFAULT_INTERVAL_MILLIS}.
 * @param auditorIntervalMillis time between Auditor rounds, same range. Default {@value
 *     dev.bulwark.agents.Auditor#DEFAULT_INTERVAL_MILLIS}.
 * @param janitor the Janitor's options
 * @param logging log format and level
 */
public record BulwarkConfig(
    NodeConfig node,
    ClusterConfig cluster,
    PeerOptions ledger,
    ApiConfig api,
    DnsConfig dns,
    List<ServiceConfig> services,
    Planner.Options planner,
    Enactor.Options enactor,
    long validatorIntervalMillis,
    long auditorIntervalMillis,
    Janitor.Options janitor,
    LoggingConfig logging) {
  /** Largest configuration file read: 1 MiB. */
  public static final int MAX_FILE_BYTES = 1 << 20;
  /** Most services one configuration may define. */
  public static final int MAX_SERVICES = 1_000;
  /** Shortest Validator or Auditor interval accepted. */
  public static final long MIN_AGENT_INTERVAL_MILLIS = 10;
  /** Longest Validator or Auditor interval accepted: 10 minutes. */
  public static final long MAX_AGENT_INTERVAL_MILLIS = 600_000;

  /** Validates nulls and the cross-section rules (AZs of the cluster, endpoints in the zone, unique names). */
  public BulwarkConfig {
    Check.notNull(node, "node");
    Check.notNull(cluster, "cluster");
    Check.notNull(ledger, "ledger");
    Check.notNull(api, "api");
    Check.notNull(dns, "dns");
    services = List.copyOf(Check.notNull(services, "services"));
    Check.notNull(planner, "planner");
    Check.notNull(enactor, "enactor");
    Check.notNull(janitor, "janitor");
    Check.notNull(logging, "logging");
    Check.arg(cluster.peers().containsKey(node.az()), "node AZ %s must be one of the cluster's peers %s", node.az(),
        cluster.peers().keySet());
    Check.arg(!services.isEmpty() && services.size() <= MAX_SERVICES, "services must hold 1..%d services, but holds %d",
        MAX_SERVICES, services.size());
    Set<ServiceId> ids = new HashSet<>();
    Set<EndpointName> endpoints = new HashSet<>();
    for (ServiceConfig s : services) {
      Check.arg(ids.add(s.id()), "service %s is defined twice", s.id());
      Check.arg(cluster.peers().keySet().containsAll(s.voters()), "voters of service %s must be AZs of the cluster %s,"
          + " but are %s", s.id(), cluster.peers().keySet(), s.voters());
      for (EndpointConfig e : s.endpoints()) {
        Check.arg(endpoints.add(e.name()), "endpoint %s belongs to more than one service", e.name());
        Check.arg(e.name().isInZone(dns.zone()), "endpoint %s must lie in the DNS zone %s", e.name(), dns.zone());
        e.targets().forEach(t -> Check.arg(cluster.peers().containsKey(t.az()),
            "target %s of %s must be in an AZ of the cluster %s", t, e.name(), cluster.peers().keySet()));
      }
    }
    checkInterval("validatorIntervalMillis", validatorIntervalMillis);
    checkInterval("auditorIntervalMillis", auditorIntervalMillis);
  }

  private static void checkInterval(String name, long millis) {
    Check.arg(millis >= MIN_AGENT_INTERVAL_MILLIS && millis <= MAX_AGENT_INTERVAL_MILLIS, "%s must be %d..%d, but was %d",
        name, MIN_AGENT_INTERVAL_MILLIS, MAX_AGENT_INTERVAL_MILLIS, millis);
  }

  /**
   * Reads, parses and validates a configuration file; {@code tokenEnv} reads this process's
   * environment.
   *
   * @throws ConfigException naming file, line, column and field of the first error
   */
  public static BulwarkConfig load(Path file) throws ConfigException {
    return load(file, System.getenv());
  }

  /** {@link #load(Path)} with the environment given, for tests and tools. */
  public static BulwarkConfig load(Path file, Map<String, String> env) throws ConfigException {
    String source = file.toString();
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw ConfigException.ofFile(source, "the file has " + size + " bytes; expected at most " + MAX_FILE_BYTES
            + " (1 MiB)", null);
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw ConfigException.ofFile(source, "cannot read the file (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")", e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw ConfigException.ofFile(source, "the file has " + bytes.length + " bytes; expected at most "
          + MAX_FILE_BYTES + " (1 MiB)", null);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ConfigException.ofFile(source, "the file is not valid UTF-8; expected a UTF-8 YAML file", e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(text, source, dir == null ? Path.of("").toAbsolutePath() : dir, env);
  }

  /**
   * Parses configuration text; relative paths resolve against the working directory and {@code
   * tokenEnv} reads this process's environment.
   *
   * @param sourceName names the text in error messages, e.g. {@code node-a.yaml}
   * @throws ConfigException naming source, line, column and field of the first error
   */
  public static BulwarkConfig parse(String yaml, String sourceName) throws ConfigException {
    return parse(yaml, sourceName, Path.of("").toAbsolutePath(), System.getenv());
  }

  /**
   * Parses configuration text with an explicit base directory for relative paths and an explicit
   * environment for {@code tokenEnv}.
   *
   * @throws ConfigException naming source, line, column and field of the first error
   */
  public static BulwarkConfig parse(String yaml, String sourceName, Path baseDir, Map<String, String> env)
      throws ConfigException {
    if (yaml.length() > MAX_FILE_BYTES) {
      throw ConfigException.ofFile(sourceName, "the text has " + yaml.length() + " characters; expected at most "
          + MAX_FILE_BYTES + " (1 MiB)", null);
    }
    Section.Context ctx = new Section.Context(sourceName, baseDir.toAbsolutePath().normalize(), Map.copyOf(env));
    return ConfigReader.read(ctx, YamlTree.parse(yaml, sourceName));
  }

  /** Every service's topology, in file order: what the Planner, Validator, Enactor and Auditor are given. */
  public List<ServiceTopology> topologies() {
    return services.stream().map(ServiceConfig::topology).toList();
  }

  /** Every service's definition (endpoints, voters, policy), in file order: what is registered with the ledger. */
  public List<ServiceDefinition> serviceDefinitions() {
    return services.stream().map(ServiceConfig::definition).toList();
  }

  /** The service ids, in file order: what the Janitor is given. */
  public List<ServiceId> serviceIds() {
    return services.stream().map(ServiceConfig::id).toList();
  }

  /**
   * The health checks of every service, each with its own timing; one {@link HealthChecker} per
   * entry covers them all. A target listed by several services is checked once per service.
   */
  public List<ServiceHealthChecks> healthChecks() {
    return services.stream().map(ServiceConfig::healthChecks).toList();
  }

  /**
   * The timing all services share, if they do: then one {@link HealthChecker} with these options
   * and {@link #healthChecks()}' merged checks serves the node.
   */
  public Optional<HealthChecker.Options> sharedHealthCheckerOptions() {
    List<HealthChecker.Options> all = services.stream().map(s -> s.healthCheck().options()).distinct().toList();
    return all.size() == 1 ? Optional.of(all.get(0)) : Optional.empty();
  }

  /** How this node's Enactor and Auditor reach the authoritative server ({@code Rfc2136Target}). */
  public Rfc2136Options dnsClientOptions() {
    return dns.clientOptions();
  }

  /** The embedded DNS server's options (zone kept under {@code <dataDir>/dns}), if {@code dns.embedded} is set. */
  public Optional<EmbeddedDnsServer.Options> embeddedDnsServer() {
    return dns instanceof DnsConfig.Embedded e ? Optional.of(e.serverOptions(node.dataDir())) : Optional.empty();
  }

  /** The API tokens; their {@code toString} redacts the secret. */
  public List<ApiTokenConfig> apiTokens() {
    return api.tokens();
  }

  /** This node's AZ. */
  public AzId az() {
    return node.az();
  }

  /**
   * Advice that does not stop the node, to log at start: for example a cluster of one AZ, which
   * survives no failure.
   */
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    int peers = cluster.peers().size();
    if (peers < 3) {
      out.add("cluster.peers has " + peers + " AZ" + (peers == 1 ? "" : "s") + ": the ledger survives no AZ failure;"
          + " use 3 or more (an odd number)");
    }
    if (!api.bind().isLoopbackAddress()) {
      out.add("api.bind is " + api.bind().getHostAddress() + ": the API is reachable from the network; put it behind"
          + " TLS");
    }
    return out;
  }

  /**
   * This configuration as YAML with every default filled in and every secret redacted: to log at
   * start. Parsing it again gives an equal configuration.
   */
  public String effectiveConfig() {
    return EffectiveConfig.render(this);
  }
}
