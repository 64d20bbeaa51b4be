package dev.bulwark.core.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The canonical binary encoding used for content hashes, commands, audit hashes and snapshots.
 *
 * <p>Big-endian fixed-width integers and length-prefixed UTF-8 strings. The encoding of a value is
 * a pure function of the value, which is what makes hashes and snapshots byte-identical on every
 * replica.
 */
public final class BinaryWriter {
  private final ByteArrayOutputStream out;

  public BinaryWriter() {
    this(256);
  }

  public BinaryWriter(int initialCapacity) {
    this.out = new ByteArrayOutputStream(initialCapacity);
  }

  public BinaryWriter u8(int v) {
    out.write(v & 0xff);
    return this;
  }

  public BinaryWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  public BinaryWriter i32(int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public BinaryWriter i64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
    return this;
  }

  public BinaryWriter bytes(byte[] b) {
    i32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  public BinaryWriter raw(byte[] b) {
    out.write(b, 0, b.length);
    return this;
  }

  public BinaryWriter str(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public int size() {
    return out.size();
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
