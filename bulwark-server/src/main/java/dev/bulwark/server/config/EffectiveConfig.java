package dev.bulwark.server.config;

import dev.bulwark.agents.HealthCheck;
import dev.bulwark.core.Target;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link BulwarkConfig} as YAML in the input schema, every default filled in. Secrets
 * never appear: only where they were read from, and a {@code # ... <redacted>} comment. A small
 * writer of its own (block style, every string double-quoted) rather than Jackson's, because it
 * must write comments and its output must parse back to an equal configuration.
 */
final class EffectiveConfig {
  /** The marker that stands in for a secret. */
  static final String REDACTED = "<redacted>";

  /** A comment line in a mapping. */
  private record Comment(String text) {}

  private EffectiveConfig() {}

  static String render(BulwarkConfig c) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("node", map("az", c.node().az().value(), "dataDir", c.node().dataDir().toString()));
    Map<String, Object> peers = new LinkedHashMap<>();
    c.cluster().peers().forEach((az, addr) -> peers.put(az.value(), hostPort(addr)));
    root.put("cluster", map("name", c.cluster().name(), "peers", peers));
    root.put("ledger", map("electionTimeoutMinMillis", c.ledger().electionTimeoutMinMillis(),
        "electionTimeoutMaxMillis", c.ledger().electionTimeoutMaxMillis(),
        "snapshotThresholdEntries", c.ledger().snapshotThresholdEntries(),
        "readTimeoutMillis", c.ledger().readTimeoutMillis()));
    List<Object> tokens = new ArrayList<>();
    for (ApiTokenConfig t : c.api().tokens()) {
      boolean file = t.origin().kind() == ApiTokenConfig.SecretOrigin.Kind.FILE;
      tokens.add(map("name", t.name(), "role", t.role().configName(), file ? "tokenFile" : "tokenEnv",
          t.origin().location(), "#", new Comment("secret: " + REDACTED)));
    }
    root.put("api", map("bind", c.api().bind().getHostAddress(), "port", c.api().port(), "maxBodyBytes",
        c.api().maxBodyBytes(), "tokens", tokens));
    root.put("dns", dns(c.dns()));
    List<Object> services = new ArrayList<>();
    c.services().forEach(s -> services.add(service(s)));
    root.put("services", services);
    root.put("planner", map("intervalMillis", c.planner().intervalMillis(), "failStaticPercent",
        c.planner().failStaticPercent(), "debounceMillis", c.planner().debounceMillis()));
    root.put("enactor", map("resyncIntervalMillis", c.enactor().resyncIntervalMillis(), "bucketCapacity",
        c.enactor().bucketCapacity(), "refillPerSecond", c.enactor().refillPerSecond(), "minEndpointIntervalMillis",
        c.enactor().minEndpointIntervalMillis()));
    root.put("validator", map("intervalMillis", c.validatorIntervalMillis()));
    root.put("auditor", map("intervalMillis", c.auditorIntervalMillis()));
    root.put("janitor", map("intervalMillis", c.janitor().intervalMillis(), "keepGenerations",
        c.janitor().keepGenerations()));
    root.put("logging", map("format", Section.configName(c.logging().format()), "level",
        Section.configName(c.logging().level())));
    StringBuilder sb = new StringBuilder();
    writeMap(sb, root, 0);
    return sb.toString();
  }

  private static Map<String, Object> dns(DnsConfig dns) {
    Comment secret = new Comment("key " + dns.key().name() + " (" + dns.key().algorithm().bindName() + "), secret: "
        + REDACTED);
    if (dns instanceof DnsConfig.Embedded e) {
      Map<String, Object> m = map("bind", e.bind().getHostAddress(), "port", e.port(), "zone", e.zone(), "keyFile",
          e.keyFile().toString(), "keyName", e.key().name());
      e.zoneFile().ifPresent(f -> m.put("zoneFile", f.toString()));
      m.put("#", secret);
      return map("embedded", m);
    }
    DnsConfig.Rfc2136 r = (DnsConfig.Rfc2136) dns;
    return map("rfc2136", map("server", r.server().getHostAddress(), "port", r.port(), "zone", r.zone(), "keyFile",
        r.keyFile().toString(), "keyName", r.key().name(), "timeoutMillis", r.timeoutMillis(), "retries", r.retries(),
        "retryBackoffMillis", r.retryBackoffMillis(), "#", secret));
  }

  private static Map<String, Object> service(ServiceConfig s) {
    List<Object> endpoints = new ArrayList<>();
    for (EndpointConfig e : s.endpoints()) {
      List<Object> targets = new ArrayList<>();
      for (Target t : e.targets()) {
        targets.add(map("address", t.addressText(), "az", t.az().value(), "weight", t.weight()));
      }
      endpoints.add(map("name", e.name().value(), "targets", targets));
    }
    HealthCheck check = s.healthCheck().check();
    Map<String, Object> health = map("type", Section.configName(check.kind()), "port", check.port());
    if (check.kind() == HealthCheck.Kind.HTTP) {
      health.put("path", check.path());
    }
    health.put("intervalMillis", s.healthCheck().options().intervalMillis());
    health.put("timeoutMillis", s.healthCheck().options().timeoutMillis());
    health.put("healthyThreshold", s.healthCheck().options().healthyThreshold());
    health.put("unhealthyThreshold", s.healthCheck().options().unhealthyThreshold());
    List<Object> voters = new ArrayList<>();
    s.voters().forEach(v -> voters.add(v.value()));
    return map("id", s.id().value(), "ttlSeconds", s.ttlSeconds(), "voters", voters, "endpoints", endpoints,
        "healthCheck", health, "policy", map("quorum", s.policy().quorum(), "maxRemovalPercent",
            s.policy().maxRemovalPercent(), "maxAdvancesPerWindow", s.policy().maxAdvancesPerWindow(),
            "velocityWindowMillis", s.policy().velocityWindowMillis(), "quarantineTtlMillis",
            s.policy().quarantineTtlMillis()));
  }

  private static String hostPort(InetSocketAddress a) {
    String host = a.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** A mapping from alternating keys and values. */
  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static void writeMap(StringBuilder sb, Map<?, ?> m, int indent) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String pad = " ".repeat(indent);
      Object v = e.getValue();
      if (v instanceof Comment comment) {
        sb.append(pad).append("# ").append(comment.text()).append('\n');
      } else if (v instanceof Map<?, ?> child && !child.isEmpty()) {
        sb.append(pad).append(e.getKey()).append(":\n");
        writeMap(sb, child, indent + 2);
      } else if (v instanceof List<?> list && !list.isEmpty()) {
        sb.append(pad).append(e.getKey()).append(":\n");
        writeList(sb, list, indent + 2);
      } else {
        sb.append(pad).append(e.getKey()).append(": ").append(scalar(v)).append('\n');
      }
    }
  }

  private static void writeList(StringBuilder sb, List<?> list, int indent) {
    String pad = " ".repeat(indent);
    for (Object item : list) {
      if (item instanceof Map<?, ?> m && !m.isEmpty()) {
        int start = sb.length();
        writeMap(sb, m, indent + 2);
        sb.replace(start + indent, start + indent + 2, "- "); // The first key goes on the dash's line.
      } else {
        sb.append(pad).append("- ").append(scalar(item)).append('\n');
      }
    }
  }

  private static String scalar(Object v) {
    if (v instanceof Map<?, ?>) {
      return "{}";
    }
    if (v instanceof List<?>) {
      return "[]";
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return ConfigText.quote(String.valueOf(v));
  }
}
