package dev.bulwark.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/metrics.md, the Grafana dashboard and the code from drifting apart: every name the
 * dashboard queries is documented, every documented name is emitted and has the documented type,
 * and every name the code emits is documented.
 */
class MetricsDocumentationTest {
  private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..")
      .normalize();
  private static final Pattern ROW = Pattern.compile(
      "^\\| `([a-z][a-z0-9_]*)` \\| (counter|gauge|histogram|summary) \\| ([^|]*) \\|");
  private static final Pattern PROMQL_NAME = Pattern.compile("\\b((?:bulwark|jvm|process|system)_[a-z0-9_]+)");
  private static final Pattern EMITTED = Pattern.compile("\\.(count|record|gauge)\\(\\s*\"(bulwark_[a-z0-9_]+)\"");
  private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

  /** Documented name to documented type, in table order. */
  private static Map<String, String> documented() {
    Map<String, String> out = new TreeMap<>();
    for (String line : read(ROOT.resolve("docs/metrics.md")).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        out.put(m.group(1), m.group(2));
      }
    }
    return out;
  }

  private static Map<String, List<String>> documentedLabels() {
    Map<String, List<String>> out = new TreeMap<>();
    for (String line : read(ROOT.resolve("docs/metrics.md")).split("\n")) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        List<String> labels = new ArrayList<>();
        Matcher l = Pattern.compile("`([a-z_]+)`").matcher(m.group(3));
        while (l.find()) {
          labels.add(l.group(1));
        }
        out.put(m.group(1), labels);
      }
    }
    return out;
  }

  @Test
  void docsListTheMetricsThePlaybookAsksFor() {
    assertThat(documented()).containsKeys("bulwark_plan_generation_latency_seconds",
        "bulwark_clock_divergence_seconds", "bulwark_dns_updates_total", "bulwark_enactor_bucket_tokens",
        "bulwark_quorum_delay_seconds", "bulwark_vote_delay_seconds", "bulwark_ledger_commit_latency_seconds",
        "bulwark_ledger_commits_total", "jvm_memory_used_bytes");
  }

  @Test
  void everyMetricTheDashboardQueriesIsDocumented() throws IOException {
    Map<String, String> docs = documented();
    JsonNode dash = new ObjectMapper().readTree(read(ROOT.resolve("examples/grafana/bulwark-dashboard.json")));
    assertThat(dash.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : dash.path("panels")) {
      assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${DS_PROMETHEUS}");
      for (JsonNode target : panel.path("targets")) {
        Matcher m = PROMQL_NAME.matcher(target.path("expr").asText());
        while (m.find()) {
          used.add(m.group(1));
        }
      }
    }
    assertThat(used).isNotEmpty();
    for (String name : used) {
      assertThat(family(name, docs)).as("%s, used by the dashboard, in docs/metrics.md", name).isNotNull();
    }
  }

  @Test
  void everyDocumentedBulwarkMetricIsEmittedByTheCode() {
    String sources = mainSources();
    documented().forEach((name, type) -> {
      if (!name.startsWith("bulwark_")) {
        return;
      }
      String portName = type.equals("histogram") ? name.replaceFirst("_seconds$", "_ms") : name;
      assertThat(sources).as("%s (%s) emitted as \"%s\" under bulwark-*/src/main", name, type, portName)
          .contains("\"" + portName + "\"");
    });
  }

  @Test
  void everyMetricTheCodeEmitsIsDocumented() {
    Map<String, String> docs = documented();
    Matcher m = EMITTED.matcher(mainSources());
    int found = 0;
    while (m.find()) {
      found++;
      String name = m.group(2);
      String exposed = m.group(1).equals("record") && name.endsWith(MicrometerMetrics.MILLIS_SUFFIX)
          ? MicrometerMetrics.exposedTimingName(name) : name;
      assertThat(docs).as("%s, emitted by the code, in docs/metrics.md", exposed).containsKey(exposed);
    }
    assertThat(found).isGreaterThan(10);
  }

  @Test
  void prometheusShowsEachDocumentedMetricWithItsTypeAndLabels() {
    Map<String, List<String>> labels = documentedLabels();
    try (PrometheusEndpoint endpoint = PrometheusEndpoint.create()) {
      documented().forEach((name, type) -> {
        if (!name.startsWith("bulwark_")) {
          return;
        }
        List<String> tags = new ArrayList<>();
        labels.get(name).forEach(l -> {
          tags.add(l);
          tags.add("x");
        });
        String[] t = tags.toArray(String[]::new);
        switch (type) {
          case "counter" -> endpoint.metrics().count(name, t);
          case "histogram" -> endpoint.metrics().record(name.replaceFirst("_seconds$", "_ms"), 1, t);
          case "gauge" -> endpoint.metrics().gauge(name, 1, t);
          default -> throw new AssertionError("no Bulwark metric is a " + type + ": " + name);
        }
      });
      String text = endpoint.scrape().get();
      documented().forEach((name, type) -> {
        assertThat(text).as("the type of %s", name).contains("# TYPE " + name + " " + type + "\n");
        if (name.startsWith("bulwark_")) {
          String sample = type.equals("histogram") ? name + "_count" : name;
          String labelSet = String.join(",", labels.get(name).stream().map(l -> l + "=\"x\"").toList());
          assertThat(text).as("the labels of %s", name)
              .contains(sample + (labelSet.isEmpty() ? " " : "{" + labelSet + "} "));
        }
      });
    }
  }

  /** The documented family a PromQL name belongs to (itself, or a histogram's series), or null. */
  private static @Nullable String family(String name, Map<String, String> docs) {
    if (docs.containsKey(name)) {
      return name;
    }
    for (String suffix : HISTOGRAM_SUFFIXES) {
      String base = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : null;
      if (base != null && "histogram".equals(docs.get(base))) {
        return base;
      }
    }
    return null;
  }

  private static String mainSources() {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> modules = Files.list(ROOT)) {
      for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("bulwark-")).toList()) {
        Path main = module.resolve("src/main/java");
        if (!Files.isDirectory(main)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(main)) {
          files.filter(f -> f.toString().endsWith(".java")).forEach(f -> all.append(read(f)).append('\n'));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all.toString();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
