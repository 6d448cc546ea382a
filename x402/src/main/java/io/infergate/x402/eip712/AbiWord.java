package io.infergate.x402.eip712;

import java.math.BigInteger;
import java.util.Arrays;

/** Writes unsigned integers as 32-byte big-endian ABI words, refusing values that do not fit their type. */
public final class AbiWord {
  private AbiWord() {}

  public static void writeUint(BigInteger value, int bits, String what, byte[] out, int off) {
    requireUint(value, bits, what);
    byte[] raw = value.toByteArray(); // big-endian two's complement, may carry a leading 0x00 sign byte
    int len = raw.length;
    int from = 0;
    if (len > 32) { // only a sign byte can make it 33 long, since the value fits 256 bits
      from = len - 32;
      len = 32;
    }
    Arrays.fill(out, off, off + 32 - len, (byte) 0);
    System.arraycopy(raw, from, out, off + 32 - len, len);
  }

  public static void writeUint(long value, int bits, String what, byte[] out, int off) {
    if (value < 0 || (bits < 63 && value >>> bits != 0)) {
      throw new IllegalArgumentException(what + " must fit uint" + bits + ", got " + value);
    }
    Arrays.fill(out, off, off + 24, (byte) 0);
    for (int i = 0; i < 8; i++) {
      out[off + 31 - i] = (byte) (value >>> (8 * i));
    }
  }

  public static void requireUint(BigInteger value, int bits, String what) {
    if (value.signum() < 0 || value.bitLength() > bits) {
      throw new IllegalArgumentException(what + " must fit uint" + bits + ", got " + value);
    }
  }
}
