package io.infergate.host.ipfs.cid;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Unsigned LEB128 varints as the multiformats spec restricts them: at most 9 bytes (63 bits) and minimally
 * encoded, so that one number has exactly one encoding (CIDs are compared by their bytes).
 */
public final class Varint {
  /** The multiformats limit: 9 bytes carry 63 bits. */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** Number of bytes {@code value} takes encoded. */
  public static int size(long value) {
    requireNonNegative(value);
    int n = 1;
    while ((value >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  public static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    write(value, out, 0);
    return out;
  }

  /** Writes {@code value} at {@code offset}; returns the offset after it. */
  public static int write(long value, byte[] out, int offset) {
    requireNonNegative(value);
    while ((value & ~0x7FL) != 0) {
      out[offset++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[offset++] = (byte) value;
    return offset;
  }

  public static void write(long value, OutputStream out) throws IOException {
    byte[] buf = new byte[MAX_BYTES];
    int n = write(value, buf, 0);
    out.write(buf, 0, n);
  }

  /**
   * Decodes the varint at {@code offset}.
   *
   * @return the value in the low 63 bits and the encoded length in the top byte; use {@link #value(long)}
   *     and {@link #length(long)}. One long avoids an allocation per varint on the block hot path.
   */
  public static long decode(byte[] in, int offset, int end) {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= end) {
        throw new InvalidCidException("truncated varint: input ended inside a varint at byte " + (offset + i));
      }
      int b = in[offset + i] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new InvalidCidException("varint is not minimally encoded (trailing zero byte at " + (offset + i) + ")");
        }
        if (value < 0) {
          throw new InvalidCidException("varint exceeds 63 bits");
        }
        return pack(value, i + 1);
      }
    }
    throw new InvalidCidException("varint longer than " + MAX_BYTES + " bytes");
  }

  public static long value(long decoded) {
    return decoded & 0x00FF_FFFF_FFFF_FFFFL;
  }

  public static int length(long decoded) {
    return (int) (decoded >>> 56);
  }

  private static long pack(long value, int length) {
    // 9 bytes carry 63 bits, but values past 2^56 would collide with the length byte: refuse them; no
    // length, size or code in this library comes near 2^56.
    if ((value >>> 56) != 0) {
      throw new InvalidCidException("varint value " + Long.toUnsignedString(value) + " is too large (limit 2^56)");
    }
    return value | ((long) length << 56);
  }

  /**
   * Reads one varint from a stream.
   *
   * @return the value, or -1 if the stream ended cleanly before its first byte
   * @throws EOFException if the stream ends inside the varint
   */
  public static long read(InputStream in) throws IOException {
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      int b = in.read();
      if (b < 0) {
        if (i == 0) {
          return -1;
        }
        throw new EOFException("stream ended inside a varint");
      }
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new InvalidCidException("varint is not minimally encoded");
        }
        return Varint.value(pack(value, i + 1));
      }
    }
    throw new InvalidCidException("varint longer than " + MAX_BYTES + " bytes");
  }

  private static void requireNonNegative(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varints are unsigned; got " + value);
    }
  }
}
