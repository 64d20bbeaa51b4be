package dev.bulwark.server.config;

import java.nio.file.Path;
import java.util.Map;

/** A small valid configuration for tests, and the environment and base directory it needs. */
final class ConfigFixtures {
  private ConfigFixtures() {}

  /** The repository's examples directory; the module's tests run with the module as working directory. */
  static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  /** Token secrets the fixtures' {@code tokenEnv} variables hold. */
  static final Map<String, String> ENV = Map.of(
      "BULWARK_ADMIN_TOKEN", "admin-secret-0123456789",
      "BULWARK_VIEWER_TOKEN", "viewer-secret-0123456789");

  /** A minimal valid node: line numbers matter to the error table, so edit with care. */
  static final String MINIMAL = """
      node:
        az: az-a
      cluster:
        name: test
        peers:
          az-a: 127.0.0.1:7201
          az-b: 127.0.0.1:7202
          az-c: 127.0.0.1:7203
      api:
        tokens:
          - name: admin
            role: admin
            tokenEnv: BULWARK_ADMIN_TOKEN
      dns:
        rfc2136:
          server: 127.0.0.1
          zone: bulwark.test
          keyFile: bind9/bulwark.key
      services:
        - id: api
          endpoints:
            - name: api.bulwark.test
              targets:
                - address: 10.0.0.1
                  az: az-a
                - address: 10.0.0.2
                  az: az-b
          healthCheck:
            port: 8080
      """;

  /** Parses {@code yaml} as {@code node-a.yaml} with relative paths resolved in {@link #EXAMPLES}. */
  static BulwarkConfig parse(String yaml) throws ConfigException {
    return BulwarkConfig.parse(yaml, "node-a.yaml", EXAMPLES, ENV);
  }
}
