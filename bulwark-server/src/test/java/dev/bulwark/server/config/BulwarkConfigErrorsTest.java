package dev.bulwark.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of broken files and the exact message each produces: file, line and column, field path,
 * what was wrong and what is expected. Each broken file is {@link ConfigFixtures#MINIMAL} with one
 * edit, so the line numbers refer to that text.
 */
class BulwarkConfigErrorsTest {
  private static final String KEY_FILE = ConfigFixtures.EXAMPLES.resolve("bind9") + "/";

  /** MINIMAL with {@code from} (which must occur exactly once) replaced by {@code to}. */
  private static String edit(String from, String to) {
    String base = ConfigFixtures.MINIMAL;
    int at = base.indexOf(from);
    assertThat(at).as("'%s' occurs in MINIMAL", from).isNotNegative();
    assertThat(base.indexOf(from, at + 1)).as("'%s' occurs once in MINIMAL", from).isNegative();
    return base.substring(0, at) + to + base.substring(at + from.length());
  }

  /** MINIMAL with {@code lines} appended (they belong to services[0] when indented by 4). */
  private static String append(String lines) {
    return ConfigFixtures.MINIMAL + lines;
  }

  static Stream<Arguments> brokenFiles() {
    return Stream.of(
        arguments("target address is not an IP literal", edit("address: 10.0.0.1", "address: 10.0.0.x"),
            "node-a.yaml:24:22: services[0].endpoints[0].targets[0].address: expected an IPv4 or IPv6 literal,"
                + " but was \"10.0.0.x\""),
        arguments("unknown key lists the allowed keys", append("    colour: red\n"),
            "node-a.yaml:30:5: services[0].colour: unknown key; allowed keys here: id, ttlSeconds, endpoints,"
                + " healthCheck, policy, voters"),
        arguments("unknown top-level section", append("metrics:\n  port: 9090\n"),
            "node-a.yaml:30:1: metrics: unknown key; allowed keys here: node, cluster, ledger, api, dns, services,"
                + " planner, enactor, validator, auditor, janitor, logging"),
        arguments("node AZ is not a cluster peer", edit("az: az-a\ncluster", "az: az-d\ncluster"),
            "node-a.yaml:2:7: node.az: expected one of the AZs in cluster.peers (az-a, az-b, az-c), but was"
                + " \"az-d\""),
        arguments("target AZ is not a cluster peer", edit("az: az-b\n    healthCheck", "az: az-q\n    healthCheck"),
            "node-a.yaml:27:17: services[0].endpoints[0].targets[1].az: expected one of the AZs in cluster.peers"
                + " (az-a, az-b, az-c), but was \"az-q\""),
        arguments("missing required section", edit("node:\n  az: az-a\n", ""),
            "node-a.yaml:1:1: node: missing required field; expected a mapping with az and dataDir"),
        arguments("missing required field", edit("  name: test\n", ""),
            "node-a.yaml:4:3: cluster.name: missing required field; expected a cluster name of 1-64 letters,"
                + " digits, '.', '_' or '-'"),
        arguments("a word where a port belongs", edit("port: 8080", "port: eighty"),
            "node-a.yaml:29:13: services[0].healthCheck.port: expected an integer in 1..65535, but was"
                + " \"eighty\""),
        arguments("a port out of range", edit("port: 8080", "port: 70000"),
            "node-a.yaml:29:13: services[0].healthCheck.port: expected an integer in 1..65535, but was 70000"),
        arguments("a list where a mapping belongs", edit("node:\n  az: az-a\n", "node: [az-a]\n"),
            "node-a.yaml:1:7: node: expected a mapping with keys az, dataDir, but was a list"),
        arguments("service id in upper case", edit("- id: api", "- id: API"),
            "node-a.yaml:20:9: services[0].id: expected a service id of 1-63 lower-case letters, digits or '-',"
                + " but was \"API\""),
        arguments("two services with one id", append("  - id: api\n    endpoints: []\n"),
            "node-a.yaml:30:9: services[1].id: expected an id of its own, but \"api\" is also the id of"
                + " services[0]"),
        arguments("two endpoints with one name", edit("    healthCheck:",
                "      - name: API.bulwark.test\n        targets:\n          - address: 10.0.0.3\n"
                    + "            az: az-c\n    healthCheck:"),
            "node-a.yaml:28:15: services[0].endpoints[1].name: expected a name of its own, but"
                + " \"api.bulwark.test\" is also services[0].endpoints[0].name"),
        arguments("one address twice in an endpoint", edit("address: 10.0.0.2", "address: 10.0.0.1"),
            "node-a.yaml:26:22: services[0].endpoints[0].targets[1].address: expected each address once per"
                + " endpoint, but 10.0.0.1 is also services[0].endpoints[0].targets[0]"),
        arguments("endpoint outside the zone", edit("zone: bulwark.test", "zone: other.test"),
            "node-a.yaml:22:15: services[0].endpoints[0].name: expected a name in the zone other.test"
                + " (dns.rfc2136.zone), but was \"api.bulwark.test\""),
        arguments("an empty list of targets", edit("targets:\n          - address: 10.0.0.1\n            az: az-a\n"
                + "          - address: 10.0.0.2\n            az: az-b\n", "targets: []\n"),
            "node-a.yaml:23:18: services[0].endpoints[0].targets: expected at least 1 targets (address, az,"
                + " weight), but the list is empty"),
        arguments("no services at all", edit(ConfigFixtures.MINIMAL.substring(ConfigFixtures.MINIMAL.indexOf(
                "services:")), "services: []\n"),
            "node-a.yaml:19:11: services: expected at least 1 services, but the list is empty"),
        arguments("an even number of ledger peers", edit("    az-c: 127.0.0.1:7203\n", ""),
            "node-a.yaml:6:5: cluster.peers: a ledger cluster needs an odd number of 1-7 peers (one per AZ), but"
                + " has 2: [az-a, az-b]"),
        arguments("a peer without a port", edit("az-a: 127.0.0.1:7201", "az-a: 127.0.0.1"),
            "node-a.yaml:6:11: cluster.peers.az-a: expected host:port (e.g. 10.0.0.1:7201 or [fd00::1]:7201) with"
                + " a port in 1..65535, but was \"127.0.0.1\""),
        arguments("two peers on one address", edit("az-c: 127.0.0.1:7203", "az-c: 127.0.0.1:7201"),
            "node-a.yaml:8:11: cluster.peers.az-c: expected an address of its own, but 127.0.0.1:7201 is also"
                + " the address of az-a"),
        arguments("token variable not set", edit("tokenEnv: BULWARK_ADMIN_TOKEN", "tokenEnv: NOT_SET_ANYWHERE"),
            "node-a.yaml:13:17: api.tokens[0].tokenEnv: environment variable NOT_SET_ANYWHERE is not set;"
                + " expected it to hold the token's secret"),
        arguments("token with both file and variable", edit("tokenEnv: BULWARK_ADMIN_TOKEN",
                "tokenEnv: BULWARK_ADMIN_TOKEN\n      tokenFile: admin.token"),
            "node-a.yaml:11:7: api.tokens[0]: expected exactly one of tokenFile and tokenEnv, but both are set"),
        arguments("token without a secret", edit("      tokenEnv: BULWARK_ADMIN_TOKEN\n", ""),
            "node-a.yaml:11:7: api.tokens[0]: missing the token's secret; expected tokenFile (a file holding it)"
                + " or tokenEnv (an environment variable holding it)"),
        arguments("token file that does not exist", edit("tokenEnv: BULWARK_ADMIN_TOKEN", "tokenFile: none.token"),
            "node-a.yaml:13:18: api.tokens[0].tokenFile: cannot read \"" + ConfigFixtures.EXAMPLES
                + "/none.token\": no such file; expected a file holding the token's secret"),
        arguments("unknown role", edit("role: admin", "role: root"),
            "node-a.yaml:12:13: api.tokens[0].role: expected one of viewer, operator, approver, admin, but was"
                + " \"root\""),
        arguments("two tokens with one name", edit("      tokenEnv: BULWARK_ADMIN_TOKEN\n",
                "      tokenEnv: BULWARK_ADMIN_TOKEN\n    - name: admin\n      role: viewer\n"
                    + "      tokenEnv: BULWARK_VIEWER_TOKEN\n"),
            "node-a.yaml:14:13: api.tokens[1].name: expected a name of its own, but \"admin\" is also the name of"
                + " api.tokens[0]"),
        arguments("both DNS servers", edit("  rfc2136:", "  embedded:\n    zone: bulwark.test\n  rfc2136:"),
            "node-a.yaml:15:3: dns: expected exactly one of embedded and rfc2136, but both are set"),
        arguments("key file that does not exist", edit("keyFile: bind9/bulwark.key", "keyFile: bind9/missing.key"),
            "node-a.yaml:18:14: dns.rfc2136.keyFile: cannot read \"" + KEY_FILE + "missing.key\"; expected a"
                + " readable BIND key file (tsig-keygen output)"),
        arguments("key name not in the key file", edit("keyFile: bind9/bulwark.key",
                "keyFile: bind9/bulwark.key\n    keyName: other"),
            "node-a.yaml:19:14: dns.rfc2136.keyName: expected one of the keys in " + KEY_FILE + "bulwark.key"
                + " (bulwark-enactor), but was \"other\""),
        arguments("quorum larger than the voters allow", append("    voters: [az-a]\n"),
            "node-a.yaml:20:5: services[0].policy.quorum: expected a strict majority of the 1 voting AZs (az-a), so"
                + " that two disjoint groups can never both approve, but was 2 (the default)"),
        arguments("a policy value out of the domain's range", append("    policy:\n      maxRemovalPercent: 101\n"),
            "node-a.yaml:31:26: services[0].policy.maxRemovalPercent: expected 0..100, but was 101"),
        arguments("health check timeout not below its interval", append("      intervalMillis: 100\n"),
            "node-a.yaml:29:7: services[0].healthCheck.timeoutMillis: expected 10..intervalMillis-1 (99), but was"
                + " 500"),
        arguments("a path on a tcp health check", append("      type: tcp\n      path: /health\n"),
            "node-a.yaml:31:13: services[0].healthCheck.path: expected no path for type tcp (path applies to type"
                + " http only)"),
        arguments("planner option out of range", append("planner:\n  failStaticPercent: 0\n"),
            "node-a.yaml:31:22: planner.failStaticPercent: expected 1..100, but was 0"),
        arguments("unknown log level", append("logging:\n  level: verbose\n"),
            "node-a.yaml:31:10: logging.level: expected one of trace, debug, info, warn, error, but was"
                + " \"verbose\""),
        arguments("a key written twice", edit("  name: test\n", "  name: test\n  name: again\n"),
            "node-a.yaml:5:3: cluster.name: expected each key at most once, but \"name\" appears again (first at"
                + " line 4)"),
        arguments("malformed YAML", edit("node:\n  az: az-a\n", "node:\n  az: [az-a\n"),
            "node-a.yaml:3:8: malformed YAML: expected ',' or ']', but got : (while parsing a flow sequence that"
                + " starts at line 2, column 7)"),
        arguments("a tab for indentation", edit("node:\n  az: az-a\n", "node:\n\taz: az-a\n"),
            "node-a.yaml:2:1: malformed YAML: found character '\\t(TAB)' that cannot start any token. (Do not use"
                + " \\t(TAB) for indentation) (while scanning for the next token)"),
        arguments("a YAML alias", edit("name: test", "name: *anchor"),
            "node-a.yaml:4:9: cluster.name: expected a value, but found the YAML alias *anchor; aliases are not"
                + " supported, write the value out"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenFiles")
  void brokenFileIsRefusedWithAPreciseMessage(String what, String yaml, String expected) {
    assertThatThrownBy(() -> ConfigFixtures.parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(expected);
  }
}
