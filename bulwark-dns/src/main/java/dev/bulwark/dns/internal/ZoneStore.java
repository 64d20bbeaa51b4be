package dev.bulwark.dns.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Keeps the zone durable: after every accepted UPDATE, and before the server answers, the whole
 * zone is written to a temporary file, fsynced, atomically renamed over {@value #FILE_NAME}, and
 * the directory is fsynced, so a crash at any point leaves either the old or the new zone, never a
 * mix.
 *
 * <p>Design note: a full rewrite costs O(zone size) per update. Bulwark's zones hold a few records
 * per endpoint and see a few updates per second, so this is cheap and far simpler to get right
 * than a journal with compaction; {@link UpdateEvaluator#MAX_ZONE_RECORDS} bounds the cost.
 *
 * <p>Format: magic {@code BWZ1}, the origin and each record in uncompressed wire form (each with a
 * 4-byte length), then a CRC32C of everything before it. Wire form keeps TXT data byte-exact, which
 * the marker compare-and-swap depends on.
 */
public final class ZoneStore {
  /** The zone file's name inside the data directory. */
  public static final String FILE_NAME = "zone.bwz";

  private static final int MAGIC = 0x42575A31; // "BWZ1"

  private final Path dir;
  private final Path file;

  /** A store in {@code dir}, which is created if missing. */
  public ZoneStore(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.file = dir.resolve(FILE_NAME);
  }

  /** The zone last saved here, or empty if none was. Throws if the file is damaged. */
  public Optional<ZoneSnapshot> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (bytes.length < 12 || in.getInt() != MAGIC) {
      throw new IOException(file + " is not a Bulwark zone file (bad magic); move it away or restore it from backup");
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
    if ((int) crc.getValue() != stored) {
      throw new IOException(file + " is damaged (checksum mismatch); restore it from backup, the server will not guess");
    }
    try {
      Name origin = new Name(take(in));
      int count = in.getInt();
      List<Record> records = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        records.add(Record.fromWire(take(in), Section.ANSWER));
      }
      return Optional.of(ZoneSnapshot.of(origin, records));
    } catch (RuntimeException e) {
      throw new IOException(file + " has a valid checksum but invalid content: " + e.getMessage(), e);
    }
  }

  /** Durably replaces the stored zone with {@code zone}; returns only once it is on disk. */
  public void save(ZoneSnapshot zone) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(64 + zone.recordCount() * 64);
    try (DataOutputStream out = new DataOutputStream(buf)) {
      out.writeInt(MAGIC);
      put(out, zone.origin().toWire());
      List<Record> records = zone.records();
      out.writeInt(records.size());
      for (Record r : records) {
        put(out, r.toWire(Section.ANSWER));
      }
    }
    CRC32C crc = new CRC32C();
    byte[] body = buf.toByteArray();
    crc.update(body);
    ByteBuffer all = ByteBuffer.allocate(body.length + 4).put(body).putInt((int) crc.getValue());
    all.flip();
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      while (all.hasRemaining()) {
        ch.write(all);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // The rename itself is only durable once the directory entry is flushed.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  private static void put(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] take(ByteBuffer in) {
    int len = in.getInt();
    if (len < 0 || len > in.remaining()) {
      throw new IllegalArgumentException("record length " + len + " exceeds the file");
    }
    byte[] b = new byte[len];
    in.get(b);
    return b;
  }
}
