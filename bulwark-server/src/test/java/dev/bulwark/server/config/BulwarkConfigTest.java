package dev.bulwark.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.agents.Enactor;
import dev.bulwark.agents.HealthCheck;
import dev.bulwark.agents.HealthChecker;
import dev.bulwark.agents.Planner;
import dev.bulwark.agents.ServiceTopology;
import dev.bulwark.core.AzId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.ServiceId;
import dev.bulwark.core.Target;
import dev.bulwark.core.ledger.ServiceDefinition;
import dev.bulwark.core.ledger.ServicePolicy;
import dev.bulwark.dns.Rfc2136Options;
import dev.bulwark.ledger.PeerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulwarkConfigTest {
  @TempDir Path dir;

  @Test
  void minimalFileGetsEveryDocumentedDefault() throws Exception {
    BulwarkConfig c = ConfigFixtures.parse(ConfigFixtures.MINIMAL);

    assertThat(c.node().dataDir()).isEqualTo(ConfigFixtures.EXAMPLES.resolve(NodeConfig.DEFAULT_DATA_DIR));
    assertThat(c.ledger()).isEqualTo(PeerOptions.DEFAULT);
    assertThat(c.api().bind().getHostAddress()).isEqualTo(ApiConfig.DEFAULT_BIND);
    assertThat(c.api().port()).isEqualTo(ApiConfig.DEFAULT_PORT);
    assertThat(c.api().maxBodyBytes()).isEqualTo(ApiConfig.DEFAULT_MAX_BODY_BYTES);
    assertThat(c.planner()).isEqualTo(Planner.Options.DEFAULT);
    assertThat(c.enactor()).isEqualTo(Enactor.Options.DEFAULT);
    assertThat(c.logging()).isEqualTo(LoggingConfig.DEFAULT);
    ServiceConfig s = c.services().get(0);
    assertThat(s.ttlSeconds()).isEqualTo(ServiceTopology.DEFAULT_TTL_SECONDS);
    assertThat(s.policy()).isEqualTo(ServicePolicy.DEFAULT);
    assertThat(s.voters()).containsExactly(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c"));
    assertThat(s.healthCheck().check()).isEqualTo(HealthCheck.http(8080, HealthCheckConfig.DEFAULT_PATH));
    assertThat(s.healthCheck().options()).isEqualTo(HealthChecker.Options.DEFAULT);
    assertThat(s.endpoints().get(0).targets()).extracting(Target::weight).containsOnly(Target.DEFAULT_WEIGHT);
    Rfc2136Options dns = c.dnsClientOptions();
    assertThat(dns.port()).isEqualTo(Rfc2136Options.DEFAULT_PORT);
    assertThat(dns.timeoutMillis()).isEqualTo(Rfc2136Options.DEFAULT_TIMEOUT_MILLIS);
    assertThat(dns.key().name()).isEqualTo("bulwark-enactor");
    assertThat(c.embeddedDnsServer()).isEmpty();
  }

  @Test
  void effectiveConfigParsesBackToAnEqualConfig() throws Exception {
    BulwarkConfig original = ConfigFixtures.parse(ConfigFixtures.MINIMAL);

    BulwarkConfig again = ConfigFixtures.parse(original.effectiveConfig());

    assertThat(again).isEqualTo(original);
    assertThat(again.effectiveConfig()).isEqualTo(original.effectiveConfig());
  }

  @Test
  void effectiveConfigNeverShowsASecret() throws Exception {
    Files.writeString(dir.resolve("ops.token"), "ops-secret-abcdefghijkl\n");
    String yaml = ConfigFixtures.MINIMAL.replace("      tokenEnv: BULWARK_ADMIN_TOKEN\n",
        "      tokenEnv: BULWARK_ADMIN_TOKEN\n    - name: ops\n      role: operator\n      tokenFile: ops.token\n")
        .replace("keyFile: bind9/bulwark.key", "keyFile: " + ConfigFixtures.EXAMPLES.resolve("bind9/bulwark.key"));
    BulwarkConfig c = BulwarkConfig.parse(yaml, "node-a.yaml", dir, ConfigFixtures.ENV);

    String text = c.effectiveConfig();

    assertThat(c.apiTokens()).extracting(ApiTokenConfig::secret)
        .containsExactly("admin-secret-0123456789", "ops-secret-abcdefghijkl");
    assertThat(text).doesNotContain("admin-secret", "ops-secret", c.dns().key().secretBase64())
        .contains("# secret: <redacted>", "tokenFile: \"" + dir.resolve("ops.token") + "\"");
    assertThat(c.apiTokens().get(1)).hasToString(
        "ApiTokenConfig[name=ops, role=operator, secret=<redacted>, origin=file " + dir.resolve("ops.token") + "]");
  }

  @Test
  void mapsToTheDomainObjectsTheRuntimeWires() throws Exception {
    BulwarkConfig c = ConfigFixtures.parse(ConfigFixtures.MINIMAL.replace("      port: 8080\n",
        "      port: 8080\n    policy:\n      quorum: 3\n      maxRemovalPercent: 34\n"));

    ServiceId api = ServiceId.of("api");
    EndpointName name = EndpointName.of("api.bulwark.test");
    List<Target> targets = List.of(Target.of("10.0.0.1", 100, "az-a"), Target.of("10.0.0.2", 100, "az-b"));
    assertThat(c.cluster().name()).isEqualTo("test");
    assertThat(c.cluster().quorum()).isEqualTo(2);
    assertThat(c.topologies()).containsExactly(new ServiceTopology(api, new java.util.TreeMap<>(Map.of(name,
        targets)), 30));
    assertThat(c.serviceDefinitions()).containsExactly(ServiceDefinition.of(api, List.of(name),
        List.of(AzId.of("az-a"), AzId.of("az-b"), AzId.of("az-c")), ServicePolicy.DEFAULT.withQuorum(3)
            .withMaxRemovalPercent(34)));
    assertThat(c.serviceIds()).containsExactly(api);
    assertThat(c.healthChecks()).containsExactly(new ServiceHealthChecks(api, HealthChecker.Options.DEFAULT,
        Map.of(targets.get(0), HealthCheck.http(8080, "/health"), targets.get(1), HealthCheck.http(8080, "/health"))));
    assertThat(c.sharedHealthCheckerOptions()).contains(HealthChecker.Options.DEFAULT);
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void embeddedDnsServesOnItsBindAddressFromTheNodesDataDir() throws Exception {
    BulwarkConfig c = ConfigFixtures.parse(ConfigFixtures.MINIMAL.replace("  rfc2136:\n    server: 127.0.0.1\n",
        "  embedded:\n    port: 5300\n"));

    assertThat(c.dns()).isInstanceOf(DnsConfig.Embedded.class);
    assertThat(c.embeddedDnsServer()).get().satisfies(o -> {
      assertThat(o.port()).isEqualTo(5300);
      assertThat(o.dataDirectory()).isEqualTo(c.node().dataDir().resolve("dns"));
      assertThat(o.keys()).containsExactly(c.dns().key());
    });
    assertThat(c.dnsClientOptions().socketAddress().getPort()).isEqualTo(5300);
    assertThat(ConfigFixtures.parse(c.effectiveConfig())).isEqualTo(c);
  }

  @Test
  void tokenFileIsReadRelativeToTheConfigFileAndTrimmed() throws Exception {
    Path config = dir.resolve("node.yaml");
    Files.writeString(dir.resolve("admin.token"), "  file-secret-0123456789\n");
    Files.writeString(config, ConfigFixtures.MINIMAL.replace("tokenEnv: BULWARK_ADMIN_TOKEN", "tokenFile: admin.token")
        .replace("keyFile: bind9/bulwark.key", "keyFile: " + ConfigFixtures.EXAMPLES.resolve("bind9/bulwark.key")));

    BulwarkConfig c = BulwarkConfig.load(config, Map.of());

    assertThat(c.apiTokens().get(0).secret()).isEqualTo("file-secret-0123456789");
    assertThat(c.node().dataDir()).isEqualTo(dir.resolve("data"));
  }

  @Test
  void aTooShortSecretIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> BulwarkConfig.parse(ConfigFixtures.MINIMAL, "node-a.yaml", ConfigFixtures.EXAMPLES,
        Map.of("BULWARK_ADMIN_TOKEN", "hunter2")))
        .hasMessage("node-a.yaml:13:17: api.tokens[0].tokenEnv: the secret of token 'admin' must be 16-4096"
            + " characters, but has 7")
        .message().doesNotContain("hunter2");
  }

  @Test
  void aFileLargerThanOneMebibyteIsRefusedUnread() throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.write(big, new byte[BulwarkConfig.MAX_FILE_BYTES + 1]);

    assertThatThrownBy(() -> BulwarkConfig.load(big))
        .isInstanceOf(ConfigException.class)
        .hasMessage(big + ": the file has 1048577 bytes; expected at most 1048576 (1 MiB)");
  }

  @Test
  void aMissingFileIsAPlainError() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> BulwarkConfig.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": cannot read the file (NoSuchFileException: " + missing + ")");
  }

  @Test
  void aFileThatIsNotUtf8IsRefused() throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "node:\n  az: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> BulwarkConfig.load(latin1))
        .hasMessage(latin1 + ": the file is not valid UTF-8; expected a UTF-8 YAML file");
  }

  @Test
  void anEmptyFileNamesTheFirstMissingSection() {
    assertThatThrownBy(() -> ConfigFixtures.parse(""))
        .hasMessage("node-a.yaml:1:1: node: missing required field; expected a mapping with az and dataDir");
  }

  @Test
  void errorExposesItsParts() {
    ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
        () -> ConfigFixtures.parse(ConfigFixtures.MINIMAL.replace("port: 8080", "port: 0")));

    assertThat(e.source()).isEqualTo("node-a.yaml");
    assertThat(e.line()).contains(29);
    assertThat(e.column()).contains(13);
    assertThat(e.path()).isEqualTo("services[0].healthCheck.port");
    assertThat(e.problem()).isEqualTo("expected an integer in 1..65535, but was 0");
  }

  @Test
  void aOneAzClusterLoadsWithAWarning() throws Exception {
    BulwarkConfig c = ConfigFixtures.parse(ConfigFixtures.MINIMAL
        .replace("    az-b: 127.0.0.1:7202\n    az-c: 127.0.0.1:7203\n", "")
        .replace("az: az-b", "az: az-a")
        .replace("      port: 8080\n", "      port: 8080\n    policy:\n      quorum: 1\n"));

    assertThat(c.warnings()).containsExactly(
        "cluster.peers has 1 AZ: the ledger survives no AZ failure; use 3 or more (an odd number)");
  }
}
