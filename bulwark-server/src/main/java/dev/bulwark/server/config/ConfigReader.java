package dev.bulwark.server.config;

import dev.bulwark.agents.Auditor;
import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.Janitor;
import dev.bulwark.agents.Planner;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.agents.Validator;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.IpAddresses;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.dns.InitialZone;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.dns.TsigKey;
import dev.bulwark.dns.TsigKeyFile;
import dev.bulwark.ledger.ClusterConfig;
import dev.bulwark.ledger.PeerOptions;
import dev.bulwark.server.config.Section.Context;
import dev.bulwark.server.config.YamlTree.Entry;
import dev.bulwark.server.config.YamlTree.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a parsed configuration tree into a {@link BulwarkConfig}, section by section in a fixed
 * order (node, cluster, ledger, api, dns, services, then the agents and logging), and stops at the
 * first error. Cluster-wide facts (the AZs, the DNS zone) are read before the sections that are
 * checked against them.
 */
final class ConfigReader {
  static final List<String> TOP_KEYS = List.of("node", "cluster", "ledger", "api", "dns", "services", "planner",
      "enactor", "validator", "auditor", "janitor", "logging");
  static final List<String> NODE_KEYS = List.of("az", "dataDir");
  static final List<String> CLUSTER_KEYS = List.of("name", "peers");
  static final List<String> LEDGER_KEYS = List.of("electionTimeoutMinMillis", "electionTimeoutMaxMillis",
      "snapshotThresholdEntries", "readTimeoutMillis");
  static final List<String> API_KEYS = List.of("bind", "port", "tokens", "maxBodyBytes");
  static final List<String> TOKEN_KEYS = List.of("name", "role", "tokenFile", "tokenEnv");
  static final List<String> DNS_KEYS = List.of("embedded", "rfc2136");
  static final List<String> EMBEDDED_KEYS = List.of("bind", "port", "zone", "keyFile", "keyName", "zoneFile");
  static final List<String> RFC2136_KEYS = List.of("server", "port", "zone", "keyFile", "keyName", "timeoutMillis",
      "retries", "retryBackoffMillis");
  static final List<String> SERVICE_KEYS = List.of("id", "ttlSeconds", "endpoints", "healthCheck", "policy",
      "voters");
  static final List<String> ENDPOINT_KEYS = List.of("name", "targets");
  static final List<String> TARGET_KEYS = List.of("address", "az", "weight");
  static final List<String> HEALTH_KEYS = List.of("type", "port", "path", "intervalMillis", "timeoutMillis",
      "healthyThreshold", "unhealthyThreshold");
  static final List<String> POLICY_KEYS = List.of("quorum", "maxRemovalPercent", "maxAdvancesPerWindow",
      "velocityWindowMillis", "quarantineTtlMillis");
  static final List<String> PLANNER_KEYS = List.of("intervalMillis", "failStaticPercent", "debounceMillis");
  static final List<String> ENACTOR_KEYS = List.of("resyncIntervalMillis", "bucketCapacity", "refillPerSecond",
      "minEndpointIntervalMillis");
  static final List<String> INTERVAL_KEYS = List.of("intervalMillis");
  static final List<String> JANITOR_KEYS = List.of("intervalMillis", "keepGenerations");
  static final List<String> LOGGING_KEYS = List.of("format", "level");

  /** Largest token file read, in bytes. */
  static final int MAX_TOKEN_FILE_BYTES = 64 * 1024;

  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})");
  private static final String IP = "an IPv4 or IPv6 literal";

  private final Context ctx;
  /** Read first; every AZ mentioned later must be one of its peers. */
  private ClusterConfig cluster;
  private String zone = "";
  private String zonePath = "";
  /** Each endpoint's first appearance, by name: endpoints belong to exactly one service. */
  private final Map<EndpointName, String> endpointOwners = new HashMap<>();

  private ConfigReader(Context ctx) {
    this.ctx = ctx;
  }

  static BulwarkConfig read(Context ctx, Node root) throws ConfigException {
    return new ConfigReader(ctx).top(Section.open(ctx, "", root, TOP_KEYS));
  }

  private BulwarkConfig top(Section top) throws ConfigException {
    Section nodeSection = top.requiredSection("node", NODE_KEYS, "a mapping with az and dataDir");
    cluster = cluster(top.requiredSection("cluster", CLUSTER_KEYS, "a mapping with name and peers"));
    NodeConfig node = node(nodeSection);
    Section l = top.section("ledger", LEDGER_KEYS);
    PeerOptions ledger = l.build(() -> new PeerOptions(
        l.anyLong("electionTimeoutMinMillis", PeerOptions.DEFAULT_ELECTION_TIMEOUT_MIN_MILLIS),
        l.anyLong("electionTimeoutMaxMillis", PeerOptions.DEFAULT_ELECTION_TIMEOUT_MAX_MILLIS),
        l.anyLong("snapshotThresholdEntries", PeerOptions.DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES),
        l.anyLong("readTimeoutMillis", PeerOptions.DEFAULT_READ_TIMEOUT_MILLIS)));
    ApiConfig api = api(top.requiredSection("api", API_KEYS, "a mapping with at least tokens"));
    DnsConfig dns = dns(top.requiredSection("dns", DNS_KEYS, "a mapping with either embedded or rfc2136"));
    List<ServiceConfig> services = new ArrayList<>();
    List<Node> items = top.list("services", 1, BulwarkConfig.MAX_SERVICES, "services");
    Map<ServiceId, Integer> ids = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      services.add(service(Section.open(ctx, "services[" + i + "]", items.get(i), SERVICE_KEYS), i, ids));
    }
    Section p = top.section("planner", PLANNER_KEYS);
    Planner.Options planner = p.build(() -> new Planner.Options(
        p.anyLong("intervalMillis", Planner.Options.DEFAULT_INTERVAL_MILLIS),
        p.anyInt("failStaticPercent", Planner.Options.DEFAULT_FAIL_STATIC_PERCENT),
        p.anyLong("debounceMillis", Planner.Options.DEFAULT_DEBOUNCE_MILLIS)));
    Section e = top.section("enactor", ENACTOR_KEYS);
    double refill = e.decimal("refillPerSecond", Enactor.Options.DEFAULT_REFILL_PER_SECOND, Double.MIN_VALUE,
        Double.MAX_VALUE);
    Enactor.Options enactor = e.build(() -> new Enactor.Options(
        e.anyLong("resyncIntervalMillis", Enactor.Options.DEFAULT_RESYNC_INTERVAL_MILLIS),
        e.anyInt("bucketCapacity", Enactor.Options.DEFAULT_BUCKET_CAPACITY),
        refill,
        e.anyLong("minEndpointIntervalMillis", Enactor.Options.DEFAULT_MIN_ENDPOINT_INTERVAL_MILLIS)));
    long validator = top.section("validator", INTERVAL_KEYS).integer("intervalMillis",
        Validator.DEFAULT_INTERVAL_MILLIS, BulwarkConfig.MIN_AGENT_INTERVAL_MILLIS,
        BulwarkConfig.MAX_AGENT_INTERVAL_MILLIS);
    long auditor = top.section("auditor", INTERVAL_KEYS).integer("intervalMillis",
        Auditor.DEFAULT_INTERVAL_MILLIS, BulwarkConfig.MIN_AGENT_INTERVAL_MILLIS,
        BulwarkConfig.MAX_AGENT_INTERVAL_MILLIS);
    Section j = top.section("janitor", JANITOR_KEYS);
    Janitor.Options janitor = j.build(() -> new Janitor.Options(
        j.anyLong("intervalMillis", Janitor.Options.DEFAULT_INTERVAL_MILLIS),
        j.anyInt("keepGenerations", Janitor.Options.DEFAULT_KEEP_GENERATIONS)));
    Section lg = top.section("logging", LOGGING_KEYS);
    LoggingConfig logging = new LoggingConfig(
        lg.choice("format", LoggingConfig.DEFAULT.format(), LoggingConfig.Format.class),
        lg.choice("level", LoggingConfig.DEFAULT.level(), LoggingConfig.Level.class));
    return top.build(() -> new BulwarkConfig(node, cluster, ledger, api, dns, services, planner, enactor, validator,
        auditor, janitor, logging));
  }

  private NodeConfig node(Section s) throws ConfigException {
    String raw = s.string("az", "this node's AZ, one of cluster.peers");
    AzId az = clusterAz(raw).orElseThrow(() -> s.errorAt("az", notClusterAz(raw)));
    Path dataDir = path(s, "dataDir", NodeConfig.DEFAULT_DATA_DIR);
    return new NodeConfig(az, dataDir);
  }

  private Path path(Section s, String key, String dflt) throws ConfigException {
    return s.parsed(key, ctx.baseDir().resolve(dflt).normalize(), "a file system path",
        p -> ctx.baseDir().resolve(Path.of(p)).normalize());
  }

  private ClusterConfig cluster(Section s) throws ConfigException {
    String name = s.string("name", "a cluster name of 1-64 letters, digits, '.', '_' or '-'");
    Map<String, Entry> entries = s.entries("peers", "a mapping of AZ id to host:port, e.g. az-a: 10.0.0.1:7201");
    SortedMap<AzId, InetSocketAddress> peers = new TreeMap<>();
    Map<String, AzId> byAddress = new HashMap<>();
    for (Entry e : entries.values()) {
      String path = s.pathOf("peers") + "." + e.key();
      AzId az;
      try {
        az = AzId.of(e.key());
      } catch (IllegalArgumentException ex) {
        throw Section.error(ctx, e.keyLocation(), path,
            "expected an AZ id of 1-32 lower-case letters, digits or '-' as the key, but was \""
                + ConfigText.abbreviate(e.key()) + "\"");
      }
      String raw = Section.text(ctx, e.value(), path, "host:port");
      InetSocketAddress addr = hostPort(raw);
      if (addr == null) {
        throw Section.error(ctx, e.value().location(), path, "expected host:port (e.g. 10.0.0.1:7201 or"
            + " [fd00::1]:7201) with a port in 1..65535, but was \"" + ConfigText.abbreviate(raw) + "\"");
      }
      AzId other = byAddress.putIfAbsent(addr.getHostString() + ":" + addr.getPort(), az);
      if (other != null) {
        throw Section.error(ctx, e.value().location(), path, "expected an address of its own, but "
            + ConfigText.abbreviate(raw) + " is also the address of " + other);
      }
      peers.put(az, addr);
    }
    try {
      return new ClusterConfig(name, peers);
    } catch (IllegalArgumentException ex) {
      throw s.errorAt(String.valueOf(ex.getMessage()).startsWith("cluster name") ? "name" : "peers", ex.getMessage());
    }
  }

  /** Splits {@code host:port} or {@code [v6]:port}; null if malformed. */
  private static InetSocketAddress hostPort(String raw) {
    int colon = raw.lastIndexOf(':');
    if (colon <= 0 || colon == raw.length() - 1) {
      return null;
    }
    String host = raw.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
      try {
        host = IpAddresses.parse(host).getHostAddress();
      } catch (IllegalArgumentException e) {
        return null;
      }
    } else if (!HOST.matcher(host).matches()) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(raw.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    return port >= 1 && port <= 65_535 ? InetSocketAddress.createUnresolved(host, port) : null;
  }

  private ApiConfig api(Section s) throws ConfigException {
    InetAddress bind = s.parsed("bind", IpAddresses.parse(ApiConfig.DEFAULT_BIND), IP, IpAddresses::parse);
    int port = s.intValue("port", ApiConfig.DEFAULT_PORT, 1, 65_535);
    List<Node> items = s.list("tokens", 1, ApiConfig.MAX_TOKENS, "tokens (name, role, tokenFile or tokenEnv)");
    List<ApiTokenConfig> tokens = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    Map<String, String> secrets = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String path = s.pathOf("tokens") + "[" + i + "]";
      Section t = Section.open(ctx, path, items.get(i), TOKEN_KEYS);
      ApiTokenConfig token = token(t);
      String first = names.putIfAbsent(token.name(), path);
      if (first != null) {
        throw t.errorAt("name", "expected a name of its own, but \"" + token.name() + "\" is also the name of " + first);
      }
      first = secrets.putIfAbsent(token.secret(), token.name());
      if (first != null) {
        throw t.errorAt(t.has("tokenFile") ? "tokenFile" : "tokenEnv", "expected a secret of its own, but it holds the"
            + " same secret as token \"" + first + "\"");
      }
      tokens.add(token);
    }
    int maxBody = s.intValue("maxBodyBytes", ApiConfig.DEFAULT_MAX_BODY_BYTES, ApiConfig.MIN_MAX_BODY_BYTES,
        ApiConfig.MAX_MAX_BODY_BYTES);
    return new ApiConfig(bind, port, tokens, maxBody);
  }

  private ApiTokenConfig token(Section t) throws ConfigException {
    String name = t.string("name", "the identity of the token's holder, e.g. alice or ci-deploy");
    ApiTokenConfig.Role role = requiredChoice(t, "role", ApiTokenConfig.Role.class);
    boolean file = t.has("tokenFile");
    if (file == t.has("tokenEnv")) {
      throw t.error(file ? "expected exactly one of tokenFile and tokenEnv, but both are set"
          : "missing the token's secret; expected tokenFile (a file holding it) or tokenEnv (an environment"
              + " variable holding it)");
    }
    String key = file ? "tokenFile" : "tokenEnv";
    ApiTokenConfig.SecretOrigin origin;
    String secret;
    if (file) {
      Path p = path(t, key, ".");
      origin = new ApiTokenConfig.SecretOrigin(ApiTokenConfig.SecretOrigin.Kind.FILE, p.toString());
      secret = readSecretFile(t, key, p);
    } else {
      String var = t.string(key, "the name of an environment variable");
      origin = new ApiTokenConfig.SecretOrigin(ApiTokenConfig.SecretOrigin.Kind.ENV, var);
      String v = ctx.env().get(var);
      if (v == null) {
        throw t.errorAt(key, "environment variable " + var + " is not set; expected it to hold the token's secret");
      }
      secret = v.strip();
    }
    try {
      return new ApiTokenConfig(name, role, secret, origin);
    } catch (IllegalArgumentException e) {
      throw String.valueOf(e.getMessage()).startsWith("token name")
          ? t.errorAt("name", "expected 1-64 letters, digits, '.', '_', '@' or '-', but was \""
              + ConfigText.abbreviate(name) + "\"")
          : t.errorAt(key, e.getMessage());
    }
  }

  private static String readSecretFile(Section t, String key, Path p) throws ConfigException {
    try {
      if (!Files.isRegularFile(p)) {
        throw t.errorAt(key, "cannot read \"" + p + "\": no such file; expected a file holding the token's secret");
      }
      long size = Files.size(p);
      if (size > MAX_TOKEN_FILE_BYTES) {
        throw t.errorAt(key, "\"" + p + "\" has " + size + " bytes; expected a token file of at most "
            + MAX_TOKEN_FILE_BYTES);
      }
      return Files.readString(p, StandardCharsets.UTF_8).strip();
    } catch (IOException | UncheckedIOException e) {
      throw t.errorAt(key, "cannot read \"" + p + "\": " + e.getClass().getSimpleName() + "; expected a readable"
          + " file holding the token's secret");
    }
  }

  private static <E extends Enum<E>> E requiredChoice(Section s, String key, Class<E> type) throws ConfigException {
    if (!s.has(key)) {
      List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(Section::configName).toList();
      s.string(key, "one of " + ConfigText.list(names)); // Throws "missing required field".
    }
    return s.choice(key, type.getEnumConstants()[0], type);
  }

  private DnsConfig dns(Section s) throws ConfigException {
    boolean embedded = s.has("embedded");
    if (embedded == s.has("rfc2136")) {
      throw s.error(embedded ? "expected exactly one of embedded and rfc2136, but both are set"
          : "expected exactly one of embedded (this node serves the zone) and rfc2136 (an external server)");
    }
    if (embedded) {
      Section d = s.section("embedded", EMBEDDED_KEYS);
      InetAddress bind = d.parsed("bind", IpAddresses.parse(DnsConfig.Embedded.DEFAULT_BIND), IP, IpAddresses::parse);
      int port = d.intValue("port", Rfc2136Options.DEFAULT_PORT, 1, 65_535);
      zone(d);
      Path keyFile = path(d, "keyFile", ".");
      requireString(d, "keyFile");
      List<TsigKey> keys = keys(d, keyFile);
      TsigKey key = chooseKey(d, keyFile, keys);
      Optional<Path> zoneFile = Optional.empty();
      if (d.has("zoneFile")) {
        Path zf = path(d, "zoneFile", ".");
        try {
          InitialZone.fromFile(zf, zone);
        } catch (IllegalArgumentException | UncheckedIOException e) {
          throw d.errorAt("zoneFile", "expected a readable RFC 1035 zone file for " + zone + ", but: "
              + e.getMessage());
        }
        zoneFile = Optional.of(zf);
      }
      Optional<Path> zf = zoneFile;
      return d.build(() -> new DnsConfig.Embedded(bind, port, zone, keyFile, keys, key, zf));
    }
    Section d = s.section("rfc2136", RFC2136_KEYS);
    InetAddress server = d.parsed("server", IP + " (the primary server's address)", IpAddresses::parse);
    int port = d.intValue("port", Rfc2136Options.DEFAULT_PORT, 1, 65_535);
    zone(d);
    requireString(d, "keyFile");
    Path keyFile = path(d, "keyFile", ".");
    TsigKey key = chooseKey(d, keyFile, keys(d, keyFile));
    int timeout = d.anyInt("timeoutMillis", Rfc2136Options.DEFAULT_TIMEOUT_MILLIS);
    int retries = d.anyInt("retries", Rfc2136Options.DEFAULT_RETRIES);
    int backoff = d.anyInt("retryBackoffMillis", Rfc2136Options.DEFAULT_RETRY_BACKOFF_MILLIS);
    return d.build(() -> new DnsConfig.Rfc2136(server, port, zone, keyFile, key, timeout, retries, backoff));
  }

  private static void requireString(Section d, String key) throws ConfigException {
    d.string(key, "the path of a BIND key file (tsig-keygen output)");
  }

  private void zone(Section d) throws ConfigException {
    zone = d.parsed("zone", "a DNS zone name such as example.test", DnsConfig::canonicalZone);
    zonePath = d.pathOf("zone");
  }

  private static List<TsigKey> keys(Section d, Path keyFile) throws ConfigException {
    if (!Files.isReadable(keyFile) || !Files.isRegularFile(keyFile)) {
      throw d.errorAt("keyFile", "cannot read \"" + keyFile + "\"; expected a readable BIND key file (tsig-keygen"
          + " output)");
    }
    try {
      return TsigKeyFile.load(keyFile);
    } catch (IllegalArgumentException e) {
      throw d.errorAt("keyFile", "expected a BIND key file (tsig-keygen output), but: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw d.errorAt("keyFile", e.getMessage());
    }
  }

  private static TsigKey chooseKey(Section d, Path keyFile, List<TsigKey> keys) throws ConfigException {
    List<String> names = keys.stream().map(TsigKey::name).toList();
    Optional<String> wanted = d.optionalString("keyName", "the name of a key in keyFile");
    if (wanted.isPresent()) {
      for (TsigKey k : keys) {
        if (k.name().equals(wanted.get()) || k.name().equals(wanted.get() + ".")
            || (k.name() + ".").equals(wanted.get())) {
          return k;
        }
      }
      throw d.errorAt("keyName", "expected one of the keys in " + keyFile + " (" + ConfigText.list(names)
          + "), but was \"" + ConfigText.abbreviate(wanted.get()) + "\"");
    }
    if (keys.size() != 1) {
      throw d.errorAt("keyFile", keyFile + " holds " + keys.size() + " keys (" + ConfigText.list(names)
          + "); expected keyName to choose one");
    }
    return keys.get(0);
  }

  private ServiceConfig service(Section s, int index, Map<ServiceId, Integer> ids) throws ConfigException {
    ServiceId id = s.parsed("id", "a service id of 1-63 lower-case letters, digits or '-'", ServiceId::of);
    Integer first = ids.putIfAbsent(id, index);
    if (first != null) {
      throw s.errorAt("id", "expected an id of its own, but \"" + id + "\" is also the id of services[" + first + "]");
    }
    int ttl = s.intValue("ttlSeconds", ServiceTopology.DEFAULT_TTL_SECONDS, 0, ApplyRequest.MAX_TTL_SECONDS);
    List<Node> items = s.list("endpoints", 1, ServiceConfig.MAX_ENDPOINTS, "endpoints (name, targets)");
    List<EndpointConfig> endpoints = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      Section e = Section.open(ctx, s.pathOf("endpoints") + "[" + i + "]", items.get(i), ENDPOINT_KEYS);
      endpoints.add(endpoint(e));
    }
    HealthCheckConfig health = healthCheck(s.requiredSection("healthCheck", HEALTH_KEYS,
        "a mapping with at least port (type defaults to http)"));
    TreeSet<AzId> voters = voters(s);
    Section p = s.section("policy", POLICY_KEYS);
    ServicePolicy policy = p.build(() -> new ServicePolicy(
        p.anyInt("quorum", ServicePolicy.DEFAULT_QUORUM),
        p.anyInt("maxRemovalPercent", ServicePolicy.DEFAULT_MAX_REMOVAL_PERCENT),
        p.anyInt("maxAdvancesPerWindow", ServicePolicy.DEFAULT_MAX_ADVANCES_PER_WINDOW),
        p.anyLong("velocityWindowMillis", ServicePolicy.DEFAULT_VELOCITY_WINDOW_MILLIS),
        p.anyLong("quarantineTtlMillis", ServicePolicy.DEFAULT_QUARANTINE_TTL_MILLIS)));
    if (policy.quorum() > voters.size() || policy.quorum() * 2 <= voters.size()) {
      throw p.errorAt("quorum", "expected a strict majority of the " + voters.size() + " voting AZs ("
          + ConfigText.list(voters) + "), so that two disjoint groups can never both approve, but was "
          + policy.quorum() + (p.has("quorum") ? "" : " (the default)"));
    }
    return s.build(() -> new ServiceConfig(id, ttl, endpoints, health, policy, voters));
  }

  private TreeSet<AzId> voters(Section s) throws ConfigException {
    if (!s.has("voters")) {
      return new TreeSet<>(cluster.peers().keySet());
    }
    TreeSet<AzId> voters = new TreeSet<>();
    List<Node> items = s.list("voters", 1, cluster.peers().size(), "AZ ids from cluster.peers");
    for (int i = 0; i < items.size(); i++) {
      String path = s.pathOf("voters") + "[" + i + "]";
      Node n = items.get(i);
      String raw = Section.text(ctx, n, path, "an AZ id from cluster.peers");
      AzId az = clusterAz(raw).orElseThrow(() -> Section.error(ctx, n.location(), path, notClusterAz(raw)));
      if (!voters.add(az)) {
        throw Section.error(ctx, n.location(), path, "expected each AZ once, but \"" + az + "\" appears twice");
      }
    }
    return voters;
  }

  /** The AZ named {@code raw}, if it is one of the cluster's. */
  private Optional<AzId> clusterAz(String raw) {
    try {
      return Optional.of(AzId.of(raw)).filter(cluster.peers()::containsKey);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private String notClusterAz(String raw) {
    return "expected one of the AZs in cluster.peers (" + ConfigText.list(cluster.peers().keySet()) + "), but was \""
        + ConfigText.abbreviate(raw) + "\"";
  }

  private EndpointConfig endpoint(Section e) throws ConfigException {
    EndpointName name = e.parsed("name", "a DNS name of two or more labels of letters, digits and '-', e.g."
        + " api.example.test", EndpointName::of);
    if (!name.isInZone(zone)) {
      throw e.errorAt("name", "expected a name in the zone " + zone + " (" + zonePath + "), but was \"" + name
          + "\"");
    }
    String owner = endpointOwners.putIfAbsent(name, e.pathOf("name"));
    if (owner != null) {
      throw e.errorAt("name", "expected a name of its own, but \"" + name + "\" is also " + owner);
    }
    List<Node> items = e.list("targets", 1, EndpointConfig.MAX_TARGETS, "targets (address, az, weight)");
    List<Target> targets = new ArrayList<>();
    Map<InetAddress, String> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      Section t = Section.open(ctx, e.pathOf("targets") + "[" + i + "]", items.get(i), TARGET_KEYS);
      InetAddress address = t.parsed("address", IP, IpAddresses::parse);
      String other = seen.putIfAbsent(address, t.path);
      if (other != null) {
        throw t.errorAt("address", "expected each address once per endpoint, but " + address.getHostAddress()
            + " is also " + other);
      }
      String raw = t.string("az", "the AZ the target lives in, one of cluster.peers");
      AzId az = clusterAz(raw).orElseThrow(() -> t.errorAt("az", notClusterAz(raw)));
      int weight = t.intValue("weight", Target.DEFAULT_WEIGHT, Target.MIN_WEIGHT, Target.MAX_WEIGHT);
      targets.add(new Target(address, weight, az));
    }
    return e.build(() -> new EndpointConfig(name, targets));
  }

  private HealthCheckConfig healthCheck(Section h) throws ConfigException {
    HealthCheck.Kind kind = h.choice("type", HealthCheck.Kind.HTTP, HealthCheck.Kind.class);
    int port = (int) h.integer("port", 1, 65_535);
    HealthCheck check;
    if (kind == HealthCheck.Kind.TCP) {
      if (h.has("path")) {
        throw h.errorAt("path", "expected no path for type tcp (path applies to type http only)");
      }
      check = HealthCheck.tcp(port);
    } else {
      String path = h.string("path", HealthCheckConfig.DEFAULT_PATH, "an HTTP path starting with '/'");
      check = h.build(() -> HealthCheck.http(port, path));
    }
    HealthChecker.Options options = h.build(() -> new HealthChecker.Options(
        h.anyLong("intervalMillis", HealthChecker.Options.DEFAULT_INTERVAL_MILLIS),
        h.anyInt("timeoutMillis", HealthChecker.Options.DEFAULT_TIMEOUT_MILLIS),
        h.anyInt("healthyThreshold", HealthChecker.Options.DEFAULT_HEALTHY_THRESHOLD),
        h.anyInt("unhealthyThreshold", HealthChecker.Options.DEFAULT_UNHEALTHY_THRESHOLD)));
    return new HealthCheckConfig(check, options);
  }
}
