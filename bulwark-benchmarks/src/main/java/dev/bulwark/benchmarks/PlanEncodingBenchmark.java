package dev.bulwark.benchmarks;

import dev.bulwark.core.ActorId;
import dev.bulwark.core.EndpointName;
import dev.bulwark.core.FencingToken;
import dev.bulwark.core.Plan;
import dev.bulwark.core.Target;
import dev.bulwark.core.internal.BinaryWriter;
import dev.bulwark.core.ledger.Codec;
import dev.bulwark.core.ledger.Command;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a ProposePlan costs before it reaches {@code apply}: every replica decodes the command from
 * the log, and decoding builds the {@link Plan}, which encodes it canonically and hashes it.
 *
 * <p>{@link #canonicalEncoding} and {@link #sha256} split {@link #planOf} into its parts, and
 * {@link #canonicalEncodingByteBuffer} writes the very same bytes (a test checks that) into a
 * plain {@link ByteBuffer}: the gap between the two encodings is what {@link BinaryWriter}'s
 * one-byte-at-a-time writes to a synchronized {@code ByteArrayOutputStream} cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlanEncodingBenchmark {
  @Param("1000")
  int endpoints;

  private Plan plan;
  private byte[] canonical;
  private byte[] proposeCommand;
  private MessageDigest sha256;

  @Setup
  public void buildPlan() throws NoSuchAlgorithmException {
    plan = PlanRing.create(endpoints, ApplyMixBenchmark.CHANGED_PER_PLAN).plan(1);
    canonical = canonicalEncoding();
    proposeCommand = Codec.encode(
        new Command.ProposePlan(plan, FencingToken.of(2), ActorId.of("planner-1"), LedgerFixture.START_MILLIS));
    sha256 = MessageDigest.getInstance("SHA-256");
  }

  /** {@code Plan.of}: copy, sort, check, encode and hash a 1,000-endpoint plan. */
  @Benchmark
  public Plan planOf() {
    return Plan.of(plan.service(), plan.endpoints());
  }

  /** {@code Codec.decode} of a ProposePlan: what each replica does per proposal in the log. */
  @Benchmark
  public Command decodeProposePlan() {
    return Codec.decode(proposeCommand);
  }

  /** The canonical encoding alone, as {@code Plan.of} writes it (through {@link BinaryWriter}). */
  @Benchmark
  public byte[] canonicalEncoding() {
    BinaryWriter w = new BinaryWriter(64 + 32 * plan.endpoints().size());
    plan.writeTo(w);
    return w.toByteArray();
  }

  /** SHA-256 alone, over the canonical bytes. */
  @Benchmark
  public byte[] sha256() {
    return sha256.digest(canonical);
  }

  /** The same bytes as {@link #canonicalEncoding}, written into a plain ByteBuffer of exact size. */
  @Benchmark
  public byte[] canonicalEncodingByteBuffer() {
    return encodeWithByteBuffer(plan);
  }

  /** {@link Plan#writeTo}'s format, re-implemented on a ByteBuffer as a baseline. */
  static byte[] encodeWithByteBuffer(Plan p) {
    byte[] service = p.service().value().getBytes(StandardCharsets.UTF_8);
    int size = 8 + service.length;
    for (Map.Entry<EndpointName, List<Target>> e : p.endpoints().entrySet()) {
      size += 8 + e.getKey().value().length(); // endpoint names are ASCII
      for (Target t : e.getValue()) {
        size += 4 + t.address().getAddress().length + 4 + 4 + t.az().value().length(); // AZ ids are ASCII
      }
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(service.length).put(service).putInt(p.endpoints().size());
    for (Map.Entry<EndpointName, List<Target>> e : p.endpoints().entrySet()) {
      putString(b, e.getKey().value());
      b.putInt(e.getValue().size());
      for (Target t : e.getValue()) {
        byte[] address = t.address().getAddress();
        b.putInt(address.length).put(address).putInt(t.weight());
        putString(b, t.az().value());
      }
    }
    return b.array();
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putInt(bytes.length).put(bytes);
  }
}
