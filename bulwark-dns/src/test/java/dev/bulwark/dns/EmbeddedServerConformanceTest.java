package dev.bulwark.dns;

import java.nio.file.Path;

/** The conformance suite against Bulwark's embedded server. */
class EmbeddedServerConformanceTest extends DnsConformanceSuite {
  @Override
  ServerUnderTest start(Path dir) {
    return new EmbeddedServerUnderTest(dir);
  }
}
