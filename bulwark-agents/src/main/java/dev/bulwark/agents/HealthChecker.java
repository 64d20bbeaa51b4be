package dev.bulwark.agents;

import dev.bulwark.core.AzId;
import dev.bulwark.core.Check;
import dev.bulwark.core.Target;
import dev.bulwark.core.port.HealthSource;
import dev.bulwark.core.port.Scheduler;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One AZ's health checks of every target, from that AZ's own vantage (a fault containment zone).
 * A target turns unhealthy after {@code unhealthyThreshold} consecutive failed checks and healthy
 * again after {@code healthyThreshold} consecutive successes, like an NLB target group; until its
 * first verdict a target counts as healthy (as new Route 53 health checks do), so a restart does
 * not empty DNS.
 */
public final class HealthChecker extends LoopAgent implements HealthSource {
  /**
   * Check options.
   *
   * @param intervalMillis time between check rounds. Default {@value #DEFAULT_INTERVAL_MILLIS}.
   * @param timeoutMillis bound of one check. Default {@value #DEFAULT_TIMEOUT_MILLIS}.
   * @param healthyThreshold consecutive successes to turn healthy. Default {@value
   *     #DEFAULT_HEALTHY_THRESHOLD}.
   * @param unhealthyThreshold consecutive failures to turn unhealthy. Default {@value
   *     #DEFAULT_UNHEALTHY_THRESHOLD}.
   */
  public record Options(long intervalMillis, int timeoutMillis, int healthyThreshold, int unhealthyThreshold) {
    public static final long DEFAULT_INTERVAL_MILLIS = 1_000;
    public static final int DEFAULT_TIMEOUT_MILLIS = 500;
    public static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    public static final int DEFAULT_UNHEALTHY_THRESHOLD = 2;
    public static final Options DEFAULT = new Options(DEFAULT_INTERVAL_MILLIS, DEFAULT_TIMEOUT_MILLIS,
        DEFAULT_HEALTHY_THRESHOLD, DEFAULT_UNHEALTHY_THRESHOLD);

    public Options {
      Check.arg(intervalMillis >= 50 && intervalMillis <= 300_000, "intervalMillis must be 50..300000, but was %d",
          intervalMillis);
      Check.arg(timeoutMillis >= 10 && timeoutMillis < intervalMillis,
          "timeoutMillis must be 10..intervalMillis-1 (%d), but was %d", intervalMillis - 1, timeoutMillis);
      Check.arg(healthyThreshold >= 1 && healthyThreshold <= 10, "healthyThreshold must be 1..10, but was %d",
          healthyThreshold);
      Check.arg(unhealthyThreshold >= 1 && unhealthyThreshold <= 10, "unhealthyThreshold must be 1..10, but was %d",
          unhealthyThreshold);
    }
  }

  /** Most targets one AZ checks, which bounds the threads and memory of a round. */
  public static final int MAX_TARGETS = 10_000;

  private final AzId az;
  private final Map<Target, HealthCheck> checks;
  private final Options options;
  private final Map<Target, State> states = new ConcurrentHashMap<>();
  private final ExecutorService probes;

  private static final class State {
    boolean healthy = true;
    long sinceMillis;
    int streak;
  }

  public HealthChecker(AzId az, Map<Target, HealthCheck> checks, Scheduler scheduler, Options options) {
    super("health@" + az, scheduler, Duration.ofMillis(options.intervalMillis()));
    this.az = Check.notNull(az, "az");
    this.checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    Check.arg(checks.size() <= MAX_TARGETS, "at most %d targets per AZ, but %d were given", MAX_TARGETS,
        checks.size());
    this.options = options;
    long now = scheduler.nowMillis();
    for (Target t : checks.keySet()) {
      State s = new State();
      s.sinceMillis = now;
      states.put(t, s);
    }
    AtomicInteger n = new AtomicInteger();
    this.probes = Executors.newFixedThreadPool(Math.max(1, Math.min(16, checks.size())), r -> {
      Thread t = new Thread(r, "health-" + az + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public AzId az() {
    return az;
  }

  @Override
  public Map<Target, Health> snapshot() {
    Map<Target, Health> out = new LinkedHashMap<>();
    for (Target t : checks.keySet()) {
      State s = states.get(t);
      synchronized (s) {
        out.put(t, new Health(s.healthy, s.sinceMillis));
      }
    }
    return out;
  }

  @Override
  protected void runRound() throws Exception {
    List<Target> targets = new ArrayList<>(checks.keySet());
    List<Future<Boolean>> results = new ArrayList<>();
    for (Target t : targets) {
      results.add(probes.submit(() -> probe(t, checks.get(t))));
    }
    long now = scheduler.nowMillis();
    for (int i = 0; i < targets.size(); i++) {
      boolean ok;
      try {
        ok = results.get(i).get(options.timeoutMillis() * 2L, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        ok = false;
      }
      record(targets.get(i), ok, now);
    }
  }

  private void record(Target t, boolean ok, long now) {
    State s = states.get(t);
    synchronized (s) {
      if (ok == s.healthy) {
        s.streak = 0;
        return;
      }
      s.streak++;
      int needed = ok ? options.healthyThreshold() : options.unhealthyThreshold();
      if (s.streak >= needed) {
        s.healthy = ok;
        s.sinceMillis = now;
        s.streak = 0;
      }
    }
  }

  private boolean probe(Target t, HealthCheck check) {
    InetSocketAddress addr = new InetSocketAddress(t.address(), check.port());
    if (check.kind() == HealthCheck.Kind.TCP) {
      try (Socket s = new Socket()) {
        s.connect(addr, options.timeoutMillis());
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    HttpURLConnection c = null;
    try {
      String host = t.isIpv6() ? "[" + t.addressText() + "]" : t.addressText();
      c = (HttpURLConnection) URI.create("http://" + host + ":" + check.port() + check.path()).toURL()
          .openConnection(java.net.Proxy.NO_PROXY);
      c.setConnectTimeout(options.timeoutMillis());
      c.setReadTimeout(options.timeoutMillis());
      c.setInstanceFollowRedirects(false);
      int code = c.getResponseCode();
      return code >= 200 && code < 400;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  @Override
  public void close() {
    super.close();
    probes.shutdownNow();
  }
}
