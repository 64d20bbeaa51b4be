package dev.bulwark.dns;

import java.nio.file.Path;

/**
 * The conformance suite against a real BIND9 named: skipped locally when named is missing, failed
 * in CI (CI=true), where .ci/run installs it.
 */
class Bind9ConformanceTest extends DnsConformanceSuite {
  @Override
  ServerUnderTest start(Path dir) {
    return new Bind9ServerUnderTest(dir);
  }
}
