package dev.bulwark.core.internal;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/**
 * Reads what {@link BinaryWriter} wrote, treating its input as untrusted: every length is checked
 * against the bytes that remain and against a caller-given bound before anything is allocated,
 * and every failure is a {@link MalformedInputException} that says where and why.
 */
public final class BinaryReader {
  private final byte[] in;
  private int pos;

  public BinaryReader(byte[] in) {
    this.in = in;
  }

  /** Thrown when the input is truncated, oversized or not in the expected format. */
  public static final class MalformedInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedInputException(String message) {
      super(message);
    }
  }

  private void need(int n) {
    if (n < 0 || in.length - pos < n) {
      throw new MalformedInputException(
          "truncated input: needed " + n + " more bytes at offset " + pos + " of " + in.length);
    }
  }

  public int u8() {
    need(1);
    return in[pos++] & 0xff;
  }

  public boolean bool() {
    int v = u8();
    if (v > 1) {
      throw new MalformedInputException("expected a boolean (0 or 1) at offset " + (pos - 1) + ", got " + v);
    }
    return v == 1;
  }

  public int i32() {
    need(4);
    int v = ((in[pos] & 0xff) << 24) | ((in[pos + 1] & 0xff) << 16) | ((in[pos + 2] & 0xff) << 8) | (in[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public long i64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos + i] & 0xff);
    }
    pos += 8;
    return v;
  }

  /** Reads a count prefix and checks {@code 0 <= count <= max}. */
  public int count(int max, String what) {
    int n = i32();
    if (n < 0 || n > max) {
      throw new MalformedInputException(what + " count must be 0.." + max + ", but was " + n);
    }
    return n;
  }

  public byte[] bytes(int maxLength, String what) {
    int n = count(maxLength, what + " length");
    need(n);
    byte[] b = new byte[n];
    System.arraycopy(in, pos, b, 0, n);
    pos += n;
    return b;
  }

  public byte[] raw(int n) {
    need(n);
    byte[] b = new byte[n];
    System.arraycopy(in, pos, b, 0, n);
    pos += n;
    return b;
  }

  public String str(int maxLength, String what) {
    byte[] b = bytes(maxLength, what);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedInputException(what + " is not valid UTF-8");
    }
  }

  public int remaining() {
    return in.length - pos;
  }

  public int position() {
    return pos;
  }

  /** Fails unless every byte was consumed: trailing garbage is as suspect as missing bytes. */
  public void expectEnd(String what) {
    if (pos != in.length) {
      throw new MalformedInputException(
          what + " has " + (in.length - pos) + " unexpected trailing bytes at offset " + pos);
    }
  }
}
