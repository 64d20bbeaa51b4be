package dev.bulwark.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.core.ledger.CommandGenerators.Script;
import dev.bulwark.core.ledger.IntentResolver.Entry;
import dev.bulwark.core.ledger.IntentResolver.Run;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Property tests of the two binary encodings that cross a trust boundary: commands (from clients,
 * into the Raft log) and ledger snapshots (from disk or another peer). Every valid command must
 * survive a round trip unchanged; anything else must be refused with the one documented exception
 * type, never with another exception, an error or a corrupted ledger.
 */
class CodecPropertiesTest {
  private static final int TRIES = 1_000;

  /** The first bytes of every encoded command: magic 0xB1, format 1. */
  private static final byte[] COMMAND_HEADER = {(byte) 0xB1, 1};

  /** The first bytes of every snapshot: "BWLS", format 1. */
  private static final byte[] SNAPSHOT_HEADER = {'B', 'W', 'L', 'S', 0, 0, 0, 1};

  /** One way of damaging an encoding. */
  enum Damage {
    TRUNCATE,
    FLIP_BITS,
    INSERT_BYTE,
    DROP_BYTE
  }

  /** A damage and the random numbers that place it. */
  record Corruption(Damage damage, List<Integer> positions, int value) {
    byte[] applyTo(byte[] valid) {
      int n = valid.length;
      switch (damage) {
        case TRUNCATE:
          return Arrays.copyOf(valid, Math.floorMod(positions.get(0), n));
        case FLIP_BITS: {
          byte[] out = valid.clone();
          for (int p : positions) {
            int bit = Math.floorMod(p, n * 8);
            out[bit / 8] ^= (byte) (1 << (bit % 8));
          }
          return out;
        }
        case INSERT_BYTE: {
          int at = Math.floorMod(positions.get(0), n + 1);
          byte[] out = new byte[n + 1];
          System.arraycopy(valid, 0, out, 0, at);
          out[at] = (byte) value;
          System.arraycopy(valid, at, out, at + 1, n - at);
          return out;
        }
        case DROP_BYTE: {
          int at = Math.floorMod(positions.get(0), n);
          byte[] out = new byte[n - 1];
          System.arraycopy(valid, 0, out, 0, at);
          System.arraycopy(valid, at + 1, out, at, n - at - 1);
          return out;
        }
        default:
          throw new IllegalStateException("unknown damage " + damage);
      }
    }

    /** The largest offset of the original bytes this damage touches. */
    int lastOffset(int length) {
      if (damage == Damage.FLIP_BITS) {
        int max = 0;
        for (int p : positions) {
          max = Math.max(max, Math.floorMod(p, length * 8) / 8);
        }
        return max;
      }
      return damage == Damage.TRUNCATE ? Math.floorMod(positions.get(0), length)
          : Math.floorMod(positions.get(0), length + (damage == Damage.INSERT_BYTE ? 1 : 0));
    }
  }

  @Provide
  Arbitrary<Command> commands() {
    return CommandGenerators.anyCommand();
  }

  @Provide
  Arbitrary<Script> scripts() {
    return CommandGenerators.scripts(200);
  }

  @Provide
  Arbitrary<Script> shortScripts() {
    return CommandGenerators.scripts(60);
  }

  @Provide
  Arbitrary<Corruption> corruptions() {
    return Combinators.combine(
            Arbitraries.of(Damage.class),
            Arbitraries.integers().greaterOrEqual(0).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.integers().between(0, 255))
        .as(Corruption::new);
  }

  /** Bytes that get past the header check: a valid header, a tag, then anything. */
  @Provide
  Arbitrary<byte[]> headedNoise() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 20), Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
        .as((tag, tail) -> {
          byte[] out = new byte[3 + tail.length];
          System.arraycopy(COMMAND_HEADER, 0, out, 0, 2);
          out[2] = (byte) (int) tag;
          System.arraycopy(tail, 0, out, 3, tail.length);
          return out;
        });
  }

  /** Decodes, and fails the property on anything but a command or a MalformedCommandException. */
  private static void decodesOrIsRefusedAsMalformed(byte[] bytes) {
    Throwable thrown = catchThrowable(() -> Codec.decode(bytes));
    Statistics.label("decoded").collect(thrown == null ? "to a command" : "refused");
    if (thrown != null) {
      assertThat(thrown).as("decoding %d bytes", bytes.length).isInstanceOf(Codec.MalformedCommandException.class);
    }
  }

  // ---- commands --------------------------------------------------------------------------------

  @Property(tries = TRIES)
  void everyCommandSurvivesEncodingAndDecodingUnchanged(@ForAll("commands") Command command) {
    byte[] bytes = Codec.encode(command);
    Command decoded = Codec.decode(bytes);
    assertThat(decoded).isEqualTo(command);
    assertThat(Codec.encode(decoded)).isEqualTo(bytes);
  }

  @Property(tries = TRIES)
  void everyCommandOfAGeneratedRunSurvivesEncodingAndDecodingUnchanged(@ForAll("scripts") Script script) {
    for (Entry e : IntentResolver.run(script).log()) {
      assertThat(Codec.decode(Codec.encode(e.command()))).isEqualTo(e.command());
    }
  }

  @Property(tries = TRIES)
  void randomBytesAreRefusedOnlyAsMalformedCommands(@ForAll @Size(max = 300) byte[] noise) {
    decodesOrIsRefusedAsMalformed(noise);
  }

  @Property(tries = TRIES)
  void bytesWithAValidHeaderAreRefusedOnlyAsMalformedCommands(@ForAll("headedNoise") byte[] noise) {
    decodesOrIsRefusedAsMalformed(noise);
  }

  @Property(tries = TRIES)
  void aDamagedCommandIsRefusedAsMalformedOrDecodesToAValidCommand(
      @ForAll("commands") Command command, @ForAll("corruptions") Corruption corruption) {
    byte[] valid = Codec.encode(command);
    byte[] damaged = corruption.applyTo(valid);
    if (corruption.damage() == Damage.TRUNCATE) {
      assertThatThrownBy(() -> Codec.decode(damaged)).as("a command cut to %d of %d bytes", damaged.length,
          valid.length).isInstanceOf(Codec.MalformedCommandException.class);
    } else {
      decodesOrIsRefusedAsMalformed(damaged);
    }
  }

  @Example
  void anOversizedCommandIsRefusedBeforeItIsRead() {
    byte[] huge = new byte[Codec.MAX_COMMAND_BYTES + 1];
    System.arraycopy(COMMAND_HEADER, 0, huge, 0, 2);
    assertThatThrownBy(() -> Codec.decode(huge)).isInstanceOf(Codec.MalformedCommandException.class)
        .hasMessageContaining("at most " + Codec.MAX_COMMAND_BYTES);
  }

  // ---- snapshots -------------------------------------------------------------------------------

  /** Where the audit chain starts in a snapshot of {@code ledger}: it is the snapshot's tail. */
  private static int auditRegionStart(LedgerState ledger, byte[] snapshot) {
    long size = 8; // the event count
    for (AuditEvent e : ledger.audit().range(0, Integer.MAX_VALUE)) {
      size += 4 * 8 + 1 + 4 + 8L * e.parents().size() + 2 * 32;
      for (String s : List.of(e.actor(), e.action(), e.subject(), e.code(), e.detail())) {
        size += 4 + s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return Math.toIntExact(snapshot.length - size);
  }

  @Property(tries = TRIES)
  void aDamagedSnapshotIsRefusedWithIllegalArgumentExceptionOrRestoresAnIntactLedger(
      @ForAll("shortScripts") Script script, @ForAll @Size(min = 1, max = 8) List<@From("corruptions") Corruption> damages) {
    Run run = IntentResolver.run(script);
    byte[] valid = run.ledger().toSnapshot();
    int auditStart = auditRegionStart(run.ledger(), valid);
    assertThat(auditStart).isPositive();

    for (Corruption corruption : damages) {
      byte[] damaged = corruption.applyTo(valid);
      if (java.util.Arrays.equals(damaged, valid)) {
        continue; // Two flips of the same bit cancel out: nothing was damaged.
      }
      Throwable thrown = catchThrowable(() -> LedgerState.fromSnapshot(damaged));
      Statistics.label(corruption.damage().name()).collect(thrown == null ? "restored" : "refused");
      if (thrown != null) {
        assertThat(thrown).as("restoring a snapshot with %s", corruption).isInstanceOf(IllegalArgumentException.class);
        continue;
      }
      assertThat(corruption.damage()).as("a truncated snapshot was accepted").isNotEqualTo(Damage.TRUNCATE);
      // Flips can cancel in pairs: judge by the last byte that really differs.
      int lastChanged = corruption.damage() == Damage.FLIP_BITS ? lastDifference(valid, damaged)
          : corruption.lastOffset(valid.length);
      assertThat(lastChanged)
          .as("%s inside the audit chain (which starts at byte %d of %d) was accepted", corruption, auditStart,
              valid.length)
          .isLessThan(auditStart);
      LedgerState restored = LedgerState.fromSnapshot(damaged);
      assertThat(restored.audit().verify().intact()).isTrue();
      restored.checkInvariants();
    }
  }

  private static int lastDifference(byte[] a, byte[] b) {
    for (int i = Math.min(a.length, b.length) - 1; i >= 0; i--) {
      if (a[i] != b[i]) {
        return i;
      }
    }
    return -1;
  }

  @Property(tries = TRIES)
  void randomBytesAreRefusedAsASnapshotWithIllegalArgumentException(
      @ForAll boolean withHeader, @ForAll @Size(max = 400) byte[] noise) {
    byte[] bytes = noise;
    if (withHeader) {
      bytes = Arrays.copyOf(SNAPSHOT_HEADER, SNAPSHOT_HEADER.length + noise.length);
      System.arraycopy(noise, 0, bytes, SNAPSHOT_HEADER.length, noise.length);
    }
    byte[] input = bytes;
    assertThatThrownBy(() -> LedgerState.fromSnapshot(input)).isInstanceOf(IllegalArgumentException.class);
  }
}
