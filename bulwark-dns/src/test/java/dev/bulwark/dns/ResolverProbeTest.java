package dev.bulwark.dns;

import dev.bulwark.core.port.SystemScheduler;

import static dev.bulwark.dns.DnsConformanceSuite.freshEndpoint;
import static dev.bulwark.dns.DnsConformanceSuite.ip;
import static dev.bulwark.dns.DnsConformanceSuite.marker;
import static dev.bulwark.dns.DnsConformanceSuite.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.ApplyOutcome;
import dev.bulwark.core.port.ApplyRequest.Precondition;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe shows invariant I1 the way a DNS user sees it. */
class ResolverProbeTest {
  /** Only for waiting; nothing asserts how fast anything happens. */
  private static final long WAIT_MILLIS = 30_000;

  @Test
  void compareAndSwapUpdatesNeverShowAnEmptyAnswerButAnEmptyPublishDoes(@TempDir Path dir) {
    try (EmbeddedServerUnderTest server = new EmbeddedServerUnderTest(dir);
        SystemScheduler scheduler = new SystemScheduler("probe-test", 1)) {
      EndpointName e = freshEndpoint();
      Rfc2136Target target = server.target();
      assertThat(target.apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1", "2001:db8::1")))
          .isEqualTo(new ApplyOutcome.Applied());

      try (ResolverProbe probe = ResolverProbe.start(server.address(), e, 5, scheduler)) {
        awaitRounds(probe, 3);
        for (int v = 2; v <= 20; v++) {
          ApplyOutcome out = target.apply(request(e, new Precondition.MarkerEquals(marker(v - 1).text()), marker(v),
              "192.0.2." + v, "2001:db8::" + v));
          assertThat(out).isEqualTo(new ApplyOutcome.Applied());
        }
        awaitRounds(probe, probe.rounds() + 3);

        assertThat(probe.anyEmptyAnswer()).as("I1 held through 19 atomic replacements").isFalse();
        assertThat(probe.samples()).allSatisfy(s -> assertThat(s.rcode()).isEqualTo("NOERROR"));
        assertThat(probe.samples().get(probe.samples().size() - 1).answers())
            .containsExactly(ip("192.0.2.20"), ip("2001:db8::20"));

        target.apply(request(e, new Precondition.Unconditional(), marker(21)));
        await(probe::anyEmptyAnswer);
      }
    }
  }

  @Test
  void aSilentServerCountsAsFailuresNotAsEmptyAnswers() throws IOException {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        SystemScheduler scheduler = new SystemScheduler("probe-test", 1);
        ResolverProbe probe = ResolverProbe.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), freshEndpoint(), scheduler)) {
      awaitRounds(probe, 1);

      assertThat(probe.failures()).isGreaterThanOrEqualTo(1);
      assertThat(probe.anyEmptyAnswer()).isFalse();
      assertThat(probe.samples().get(0).rcode()).isEqualTo("TIMEOUT");
    }
  }

  @Test
  void itRunsOnTheInjectedSchedulersTimeSoASimulationCanDriveIt(@TempDir Path dir) {
    try (EmbeddedServerUnderTest server = new EmbeddedServerUnderTest(dir)) {
      EndpointName e = freshEndpoint();
      server.target().apply(request(e, new Precondition.MarkerAbsent(), marker(1), "192.0.2.1"));
      ManualScheduler virtual = new ManualScheduler();

      try (ResolverProbe probe = ResolverProbe.start(server.address(), e, 50, virtual)) {
        virtual.runDueTasks(); // t = 0
        virtual.advanceMillis(50);
        virtual.runDueTasks(); // t = 50
        virtual.advanceMillis(49);
        virtual.runDueTasks(); // t = 99: the next round is not due yet

        assertThat(probe.samples()).extracting(ResolverProbe.Sample::atMillis).containsExactly(1_000L, 1_050L);
        assertThat(probe.samples()).allSatisfy(s -> assertThat(s.answers()).containsExactly(ip("192.0.2.1")));
      }
    }
  }

  /** Virtual time: tasks run only when the test says so, in due order. */
  private static final class ManualScheduler implements dev.bulwark.core.port.Scheduler {
    private final java.util.List<long[]> due = new java.util.ArrayList<>();
    private final java.util.List<Runnable> tasks = new java.util.ArrayList<>();
    private long nowMillis = 1_000;

    @Override
    public long nowMillis() {
      return nowMillis;
    }

    @Override
    public long nanoTime() {
      return nowMillis * 1_000_000;
    }

    @Override
    public Cancellable schedule(java.time.Duration delay, Runnable task) {
      long[] at = {nowMillis + delay.toMillis()};
      due.add(at);
      tasks.add(task);
      return () -> at[0] = Long.MAX_VALUE;
    }

    void advanceMillis(long millis) {
      nowMillis += millis;
    }

    void runDueTasks() {
      for (int i = 0; i < tasks.size(); i++) {
        if (due.get(i)[0] <= nowMillis) {
          due.get(i)[0] = Long.MAX_VALUE; // Each task runs once.
          tasks.get(i).run();
        }
      }
    }
  }

  private static void awaitRounds(ResolverProbe probe, long rounds) {
    await(() -> probe.rounds() >= rounds);
  }

  private static void await(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %d ms", WAIT_MILLIS).isLessThan(deadline);
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }
  }
}
