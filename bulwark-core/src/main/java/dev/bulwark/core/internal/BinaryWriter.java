package dev.bulwark.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The canonical binary encoding used for content hashes, commands, audit hashes and snapshots.
 *
 * <p>Big-endian fixed-width integers and length-prefixed UTF-8 strings. The encoding of a value is
 * a pure function of the value, which is what makes hashes and snapshots byte-identical on every
 * replica. Writes go to a plain growable array (no locking): this is on the hot path of every
 * command, plan hash and snapshot.
 */
public final class BinaryWriter {
  private byte[] buf;
  private int size;

  public BinaryWriter() {
    this(256);
  }

  public BinaryWriter(int initialCapacity) {
    this.buf = new byte[Math.max(16, initialCapacity)];
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed < 0) {
      throw new IllegalStateException("encoding exceeds 2 GiB");
    }
    if (needed > buf.length) {
      int grown = Math.max(needed, buf.length > (Integer.MAX_VALUE - 8) / 2 ? Integer.MAX_VALUE - 8 : buf.length * 2);
      buf = Arrays.copyOf(buf, grown);
    }
  }

  public BinaryWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  public BinaryWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  public BinaryWriter i32(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
    return this;
  }

  public BinaryWriter i64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (v >>> shift);
    }
    return this;
  }

  public BinaryWriter bytes(byte[] b) {
    i32(b.length);
    return raw(b);
  }

  public BinaryWriter raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
    return this;
  }

  public BinaryWriter str(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
