package dev.bulwark.dns;

import dev.bulwark.core.Check;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.port.Scheduler;
import dev.bulwark.dns.internal.WireClient;
import dev.bulwark.dns.internal.WireClient.Exchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Queries one endpoint's A and AAAA records at a fixed interval, the way a DNS user would, and
 * records what it saw. Tests and game days use it to show invariant I1 (never empty) from the
 * outside: {@link #anyEmptyAnswer()} is true if the server ever answered with no address at all.
 *
 * <p>Time comes from the injected {@link Scheduler}, so the probe also runs in virtual time. One
 * probe round (A, then AAAA) finishes before the next is scheduled, so a slow server slows the
 * probe down rather than piling up queries.
 */
public final class ResolverProbe implements AutoCloseable {
  /** Default time between probe rounds. */
  public static final long DEFAULT_INTERVAL_MILLIS = 50;
  /** Timeout of each probe query; a probe must notice a silent server, not hang on it. */
  public static final int QUERY_TIMEOUT_MILLIS = 1_000;
  /** Samples kept in memory; older ones are dropped, but the counters keep counting. */
  public static final int MAX_SAMPLES_KEPT = 100_000;

  /**
   * What one probe round saw.
   *
   * @param atMillis the scheduler's time when the round started
   * @param rcode the answer's rcode name (e.g. {@code NOERROR}, {@code NXDOMAIN}) or the failure
   *     ({@code TIMEOUT}, {@code UNREACHABLE}, {@code BAD_ANSWER}); the A query's unless only the
   *     AAAA query failed
   * @param answers the A and AAAA addresses served
   */
  public record Sample(long atMillis, String rcode, List<InetAddress> answers) {
    public Sample {
      Check.notNull(rcode, "rcode");
      answers = List.copyOf(Check.notNull(answers, "answers"));
    }

    /** True if the server answered (NOERROR or NXDOMAIN) and served no address: an I1 breach. */
    public boolean isEmptyAnswer() {
      return answers.isEmpty() && (rcode.equals("NOERROR") || rcode.equals("NXDOMAIN"));
    }

    /** True if the server did not answer usefully. */
    public boolean isFailure() {
      return !rcode.equals("NOERROR") && !rcode.equals("NXDOMAIN");
    }
  }

  private final InetSocketAddress server;
  private final Name name;
  private final long intervalMillis;
  private final Scheduler scheduler;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private long rounds;
  private long emptyAnswers;
  private long failures;
  private volatile boolean closed;
  private volatile Scheduler.Cancellable next;

  private ResolverProbe(InetSocketAddress server, EndpointName endpoint, long intervalMillis, Scheduler scheduler) {
    this.server = Check.notNull(server, "server");
    this.name = InitialZone.absolute(Check.notNull(endpoint, "endpoint").value());
    this.scheduler = Check.notNull(scheduler, "scheduler");
    Check.arg(intervalMillis >= 1, "probe intervalMillis must be >= 1, but was %d", intervalMillis);
    this.intervalMillis = intervalMillis;
    this.next = () -> { };
  }

  /** Starts probing {@code endpoint} at {@code server} every {@code intervalMillis}, first round now. */
  public static ResolverProbe start(
      InetSocketAddress server, EndpointName endpoint, long intervalMillis, Scheduler scheduler) {
    ResolverProbe p = new ResolverProbe(server, endpoint, intervalMillis, scheduler);
    p.next = scheduler.schedule(Duration.ZERO, p::round);
    return p;
  }

  /** Starts probing every {@value #DEFAULT_INTERVAL_MILLIS} ms. */
  public static ResolverProbe start(InetSocketAddress server, EndpointName endpoint, Scheduler scheduler) {
    return start(server, endpoint, DEFAULT_INTERVAL_MILLIS, scheduler);
  }

  private void round() {
    if (closed) {
      return;
    }
    long at = scheduler.nowMillis();
    List<InetAddress> answers = new ArrayList<>();
    String a = ask(Type.A, answers);
    String aaaa = ask(Type.AAAA, answers);
    record(new Sample(at, isAnswer(a) && !isAnswer(aaaa) ? aaaa : a, answers));
    if (!closed) {
      next = scheduler.schedule(Duration.ofMillis(intervalMillis), this::round);
    }
  }

  private static boolean isAnswer(String rcode) {
    return rcode.equals("NOERROR") || rcode.equals("NXDOMAIN");
  }

  private String ask(int type, List<InetAddress> into) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    Exchange ex = WireClient.exchange(server, q, null, QUERY_TIMEOUT_MILLIS, false);
    if (ex instanceof Exchange.Answered a) {
      for (Record r : a.response().getSection(Section.ANSWER)) {
        if (r instanceof ARecord ar) {
          into.add(ar.getAddress());
        } else if (r instanceof AAAARecord aaaa) {
          into.add(aaaa.getAddress());
        }
      }
      return Rcode.string(a.response().getRcode());
    }
    if (ex instanceof Exchange.NoAnswer) {
      return "TIMEOUT";
    }
    return ex instanceof Exchange.Unreachable ? "UNREACHABLE" : "BAD_ANSWER";
  }

  private synchronized void record(Sample s) {
    rounds++;
    if (s.isEmptyAnswer()) {
      emptyAnswers++;
    }
    if (s.isFailure()) {
      failures++;
    }
    if (samples.size() == MAX_SAMPLES_KEPT) {
      samples.removeFirst();
    }
    samples.addLast(s);
  }

  /** The samples kept so far, oldest first (at most {@value #MAX_SAMPLES_KEPT}). */
  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Number of probe rounds completed. */
  public synchronized long rounds() {
    return rounds;
  }

  /** True if any round got an answer with no address at all: what invariant I1 forbids. */
  public synchronized boolean anyEmptyAnswer() {
    return emptyAnswers > 0;
  }

  /** Number of rounds whose answer held no address. */
  public synchronized long emptyAnswers() {
    return emptyAnswers;
  }

  /** Number of rounds where the server did not answer usefully (timeouts and the like). */
  public synchronized long failures() {
    return failures;
  }

  /** Stops probing; the samples stay readable. */
  @Override
  public void close() {
    closed = true;
    next.cancel();
  }
}
