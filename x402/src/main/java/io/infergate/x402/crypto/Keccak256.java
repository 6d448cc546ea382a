package io.infergate.x402.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Keccak-256 (the pre-standard SHA-3 the EVM uses). One digest object per thread is reused, so a hash costs
 * no allocation besides its 32-byte result (none with {@link #hash(byte[], int, int, byte[], int)}).
 */
public final class Keccak256 {
  /** Digest length in bytes. */
  public static final int LENGTH = 32;

  private static final ThreadLocal<KeccakDigest> DIGEST = ThreadLocal.withInitial(() -> new KeccakDigest(256));

  private Keccak256() {}

  /** Keccak-256 of {@code input}. */
  public static byte[] hash(byte[] input) {
    return hash(input, 0, input.length);
  }

  /** Keccak-256 of {@code input[off, off+len)}. */
  public static byte[] hash(byte[] input, int off, int len) {
    byte[] out = new byte[LENGTH];
    hash(input, off, len, out, 0);
    return out;
  }

  /** Keccak-256 of {@code input[off, off+len)} written to {@code out[outOff, outOff+32)}. */
  public static void hash(byte[] input, int off, int len, byte[] out, int outOff) {
    KeccakDigest digest = DIGEST.get();
    digest.update(input, off, len);
    digest.doFinal(out, outOff); // doFinal also resets the digest for the next use on this thread
  }

  /** Keccak-256 of the UTF-8 bytes of {@code text} (type strings, event signatures). */
  public static byte[] hash(String text) {
    return hash(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
