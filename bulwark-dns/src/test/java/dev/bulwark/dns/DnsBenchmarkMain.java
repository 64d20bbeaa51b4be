package dev.bulwark.dns;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Generation;
import dev.bulwark.core.IpAddresses;
import dev.bulwark.core.Marker;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest;
import dev.bulwark.core.port.ReadOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load harness, not a test (STYLE.md §13): queries/s with Debian's {@code dnsperf} and CAS
 * updates/s through {@link Rfc2136Target}, against the embedded server and a real BIND9 on
 * loopback. Prints a Markdown table; docs/benchmarks-dns.md holds the results and the command.
 *
 * <p>Arguments: {@code [seconds per measurement, default 10] [CAS writer threads, default 4]}.
 */
public final class DnsBenchmarkMain {
  private static final int ENDPOINTS = 100;

  private DnsBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    Path work = Files.createTempDirectory("bulwark-dns-bench");
    List<String> rows = new ArrayList<>();
    try {
      try (ServerUnderTest embedded = new EmbeddedServerUnderTest(work.resolve("embedded"))) {
        rows.add(measure("embedded", embedded, work, seconds, writers));
      }
      Path bindDir = Files.createDirectories(work.resolve("bind"));
      try (ServerUnderTest bind = new Bind9ServerUnderTest(bindDir)) {
        rows.add(measure("BIND9 " + version(), bind, work, seconds, writers));
      }
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.println("| server | queries/s (dnsperf, UDP) | lost queries | CAS updates/s | CAS p50 ms | CAS p99 ms | CAS conflicts |");
    System.out.println("|---|---|---|---|---|---|---|");
    rows.forEach(System.out::println);
  }

  private static String measure(String label, ServerUnderTest server, Path work, int seconds, int writers)
      throws Exception {
    Rfc2136Target target = server.target();
    List<EndpointName> endpoints = new ArrayList<>();
    StringBuilder queries = new StringBuilder();
    for (int i = 0; i < ENDPOINTS; i++) {
      EndpointName e = EndpointName.of("bench" + i + "." + ServerUnderTest.ZONE);
      ApplyOutcome out = target.apply(new ApplyRequest(e, new ApplyRequest.Precondition.MarkerAbsent(),
          List.of(IpAddresses.parse("192.0.2." + (i % 250 + 1))), marker(1), 60));
      check(out instanceof ApplyOutcome.Applied, "seeding " + e + " failed: " + out);
      endpoints.add(e);
      queries.append(e).append(" A\n").append(e).append(" AAAA\n");
    }
    Path data = Files.writeString(work.resolve("queries-" + label.split(" ")[0] + ".txt"), queries);
    String perf = dnsperf(server, data, seconds);
    String qps = find(perf, "Queries per second:\\s+([0-9.]+)");
    String lost = find(perf, "Queries lost:\\s+(\\d+)");
    Cas cas = casLoad(target, endpoints.subList(0, writers), seconds);
    return String.format(Locale.ROOT, "| %s | %s | %s | %.0f | %.1f | %.1f | %d |",
        label, qps, lost, cas.perSecond, cas.p50Millis, cas.p99Millis, cas.conflicts);
  }

  private record Cas(double perSecond, double p50Millis, double p99Millis, long conflicts) {}

  /**
   * Each writer owns one endpoint and loops read → conditional apply, the Enactor's cycle. Every
   * apply is a real compare-and-swap; a conflict (none expected, one writer per endpoint) counts.
   */
  private static Cas casLoad(Rfc2136Target target, List<EndpointName> endpoints, int seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(endpoints.size());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<Future<long[]>> futures = new ArrayList<>();
    for (EndpointName e : endpoints) {
      futures.add(pool.submit(() -> {
        List<Long> latencies = new ArrayList<>();
        long conflicts = 0;
        long version = 1;
        while (System.nanoTime() < deadline) {
          ReadOutcome read = target.read(e);
          check(read instanceof ReadOutcome.Read, "read failed: " + read);
          String seen = ((ReadOutcome.Read) read).state().rawMarker().orElseThrow();
          version++;
          long t0 = System.nanoTime();
          ApplyOutcome out = target.apply(new ApplyRequest(e, new ApplyRequest.Precondition.MarkerEquals(seen),
              List.of(IpAddresses.parse("198.51.100." + (version % 250 + 1))), marker(version), 60));
          latencies.add(System.nanoTime() - t0);
          if (out instanceof ApplyOutcome.PreconditionFailed) {
            conflicts++;
          } else {
            check(out instanceof ApplyOutcome.Applied, "apply failed: " + out);
          }
        }
        long[] result = new long[latencies.size() + 1];
        result[0] = conflicts;
        for (int i = 0; i < latencies.size(); i++) {
          result[i + 1] = latencies.get(i);
        }
        return result;
      }));
    }
    List<Long> all = new ArrayList<>();
    long conflicts = 0;
    for (Future<long[]> f : futures) {
      long[] r = f.get();
      conflicts += r[0];
      for (int i = 1; i < r.length; i++) {
        all.add(r[i]);
      }
    }
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Cas(sorted.length / (double) seconds, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6,
        conflicts);
  }

  private static double percentile(long[] sorted, double p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static String dnsperf(ServerUnderTest server, Path data, int seconds) throws IOException, InterruptedException {
    List<String> cmd = List.of(ExternalTools.require("dnsperf").toString(), "-s",
        server.address().getAddress().getHostAddress(), "-p", String.valueOf(server.address().getPort()),
        "-d", data.toString(), "-l", String.valueOf(seconds), "-c", "4", "-q", "200");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    check(p.waitFor(seconds + 60L, TimeUnit.SECONDS) && p.exitValue() == 0, "dnsperf failed:\n" + out);
    return out;
  }

  private static String version() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(ExternalTools.require("named").toString(), "-v").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    String[] parts = out.split(" ");
    return parts.length > 1 ? parts[1] : out;
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    check(m.find(), "no '" + regex + "' in:\n" + text);
    return m.group(1);
  }

  private static Marker marker(long version) {
    return new Marker(version, Generation.of(version), FencingToken.of(version));
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
