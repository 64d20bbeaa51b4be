package dev.bulwark.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.AzId;
import dev.bulwark.dns.TsigKeyFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The files under {@code examples/} (read from the repository root) load as documented. */
class ExampleConfigsTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"az-a", "az-b", "az-c"})
  void exampleNodeLoads(String az) throws Exception {
    Path file = ConfigFixtures.EXAMPLES.resolve("node-" + az + ".yaml");

    BulwarkConfig c = BulwarkConfig.load(file, ConfigFixtures.ENV);

    assertThat(c.az()).isEqualTo(AzId.of(az));
    assertThat(c.cluster().peers()).hasSize(3);
    assertThat(c.api().port()).isEqualTo(8081 + az.charAt(3) - 'a');
    assertThat(c.dnsClientOptions().port()).isEqualTo(5353);
    assertThat(c.dnsClientOptions().zone()).isEqualTo("bulwark.test");
    assertThat(c.node().dataDir()).isEqualTo(ConfigFixtures.EXAMPLES.resolve("data").resolve(az));
    assertThat(c.services()).extracting(s -> s.id().value()).containsExactly("api", "db");
    assertThat(c.warnings()).isEmpty();
    assertThat(BulwarkConfig.parse(c.effectiveConfig(), "effective", ConfigFixtures.EXAMPLES, ConfigFixtures.ENV))
        .isEqualTo(c);
  }

  @Test
  void exampleNodesAgreeOnEverythingButTheirOwnAzPortAndDataDir() throws Exception {
    List<BulwarkConfig> nodes = List.of(load("az-a"), load("az-b"), load("az-c"));

    for (BulwarkConfig c : nodes) {
      assertThat(c.cluster()).isEqualTo(nodes.get(0).cluster());
      assertThat(c.services()).isEqualTo(nodes.get(0).services());
      assertThat(c.dns()).isEqualTo(nodes.get(0).dns());
    }
  }

  @Test
  void exampleBindKeyIsMarkedExampleOnlyAndParses() throws Exception {
    Path key = ConfigFixtures.EXAMPLES.resolve("bind9/bulwark.key");

    assertThat(Files.readString(key)).contains("EXAMPLE ONLY");
    assertThat(TsigKeyFile.load(key)).singleElement().satisfies(k -> {
      assertThat(k.name()).isEqualTo("bulwark-enactor");
      assertThat(k.algorithm().bindName()).isEqualTo("hmac-sha256");
    });
  }

  private static BulwarkConfig load(String az) throws ConfigException {
    return BulwarkConfig.load(ConfigFixtures.EXAMPLES.resolve("node-" + az + ".yaml"), ConfigFixtures.ENV);
  }
}
