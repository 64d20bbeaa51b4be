package dev.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypesTest {

  @Test
  void endpointNamesAreCaseInsensitiveAndIgnoreTheTrailingDot() {
    assertThat(EndpointName.of("DynamoDB.US-East-1.Example.")).isEqualTo(EndpointName.of("dynamodb.us-east-1.example"));
    assertThat(EndpointName.of("api.example.com").markerName()).isEqualTo("_bulwark.api.example.com");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "localhost | at least two labels",
      "a..example | each label",
      "-a.example | must not start or end with '-'",
      "a-.example | must not start or end with '-'",
      "a_b.example | only letters, digits and '-'",
      "a b.example | only letters, digits and '-'",
  })
  void endpointNamesFollowRfc1035(String name, String expected) {
    assertThatThrownBy(() -> EndpointName.of(name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void endpointNamesRespectTheLengthLimits() {
    String label63 = "a".repeat(63);
    assertThat(EndpointName.of(label63 + ".example")).isNotNull();
    assertThatThrownBy(() -> EndpointName.of("a".repeat(64) + ".example")).hasMessageContaining("1-63 characters");
    String name253 = String.join(".", label63, label63, label63, "a".repeat(61));
    assertThat(name253).hasSize(253);
    assertThat(EndpointName.of(name253)).isNotNull();
    assertThatThrownBy(() -> EndpointName.of(name253 + "a")).hasMessageContaining("1-253 characters");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0", "10.0.0.256", "10.0.0.01", "example.com", "::1%eth0", "1.2.3.4 ", ""})
  void onlyIpLiteralsAreAcceptedAndNothingIsResolved(String text) {
    assertThatThrownBy(() -> IpAddresses.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void targetsValidateWeightAndOrderByAddress() {
    assertThatThrownBy(() -> Target.of("10.0.0.1", 0, "az-a")).hasMessageContaining("weight must be 1..255");
    Target v6 = Target.of("2001:db8::1", 10, "az-b");
    Target v4 = Target.of("10.0.0.9", 10, "az-a");
    assertThat(List.of(v6, v4).stream().sorted().toList()).containsExactly(v4, v6);
    assertThat(v6.isIpv6()).isTrue();
  }

  @Test
  void planHashDependsOnContentNotOnInputOrder() {
    ServiceId s = ServiceId.of("svc");
    EndpointName a = EndpointName.of("a.example");
    EndpointName b = EndpointName.of("b.example");
    Target t1 = Target.of("10.0.0.1", 100, "az-a");
    Target t2 = Target.of("10.0.0.2", 100, "az-b");
    Plan p1 = Plan.of(s, Map.of(a, List.of(t1, t2), b, List.of(t2)));
    Plan p2 = Plan.of(s, Map.of(b, List.of(t2), a, List.of(t2, t1)));
    Plan p3 = Plan.of(s, Map.of(a, List.of(t1, Target.of("10.0.0.2", 99, "az-b")), b, List.of(t2)));
    assertThat(p1.contentHash()).isEqualTo(p2.contentHash());
    assertThat(p1).isEqualTo(p2);
    assertThat(p3.contentHash()).isNotEqualTo(p1.contentHash());
  }

  @Test
  void planRejectsTheSameAddressTwiceInOneEndpoint() {
    Target t = Target.of("10.0.0.1", 100, "az-a");
    assertThatThrownBy(() -> Plan.of(ServiceId.of("svc"), Map.of(EndpointName.of("a.example"), List.of(t, t))))
        .hasMessageContaining("lists address 10.0.0.1 twice");
  }

  @Test
  void markerTextRoundTripsAndForeignTextIsNotAMarker() {
    Marker m = new Marker(7, Generation.of(12), FencingToken.of(345));
    assertThat(m.text()).isEqualTo("v=7 g=12 t=345");
    assertThat(Marker.parse(m.text())).contains(m);
    assertThat(Marker.parse("v=7 g=12")).isEmpty();
    assertThat(Marker.parse("v=0 g=0 t=0")).isEmpty();
    assertThat(Marker.parse("hello")).isEmpty();
  }

  @Test
  void pointerVersionZeroGoesOnlyWithNoGeneration() {
    assertThatThrownBy(() -> new Pointer(0, Generation.of(1))).hasMessageContaining("version 0");
    assertThat(Pointer.INITIAL.advanceTo(Generation.of(3))).isEqualTo(new Pointer(1, Generation.of(3)));
  }

  @Test
  void idsRejectWhatWouldConfuseLogsAndDns() {
    assertThatThrownBy(() -> ServiceId.of("DynamoDB")).hasMessageContaining("lower-case");
    assertThatThrownBy(() -> AzId.of("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ActorId.of("alice smith")).hasMessageContaining("without spaces");
  }
}
