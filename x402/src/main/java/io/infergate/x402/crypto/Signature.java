package io.infergate.x402.crypto;

import java.util.Arrays;

/**
 * A 65-byte ECDSA signature {@code r‖s‖v} as EVM wallets serialize it, validated on construction: {@code 0 < r
 * < n}, {@code 0 < s ≤ n/2} (low s, EIP-2), {@code v ∈ {27, 28}}. A high-s signature is malleable (its twin with
 * {@code n - s} is equally valid) and OpenZeppelin's {@code ECDSA} rejects it on chain, so it is rejected here
 * before it could be accepted off chain and then fail a claim.
 */
public final class Signature {
  /** Length in bytes. */
  public static final int LENGTH = 65;

  /** The secp256k1 group order n, big-endian. */
  static final byte[] N = Hex.decode("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
  /** n / 2, the largest low s. */
  static final byte[] HALF_N = Hex.decode("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

  private final byte[] bytes;

  private Signature(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The signature held in {@code bytes}, copied and validated.
   *
   * @throws InvalidSignatureException saying which rule failed
   */
  public static Signature of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new InvalidSignatureException("a signature is 65 bytes (r‖s‖v), got " + bytes.length
          + (bytes.length == 64 ? " (EIP-2098 compact signatures are not accepted)" : ""));
    }
    byte[] copy = bytes.clone();
    validate(copy);
    return new Signature(copy);
  }

  /**
   * Parses {@code 0x} + 130 hex digits.
   *
   * @throws InvalidSignatureException for bad hex, length or any rule of {@link #of(byte[])}
   */
  public static Signature parse(String hex) {
    byte[] b;
    try {
      b = Hex.decode(hex);
    } catch (IllegalArgumentException e) {
      throw new InvalidSignatureException("signature: " + e.getMessage());
    }
    if (b.length != LENGTH) {
      throw new InvalidSignatureException("a signature is 65 bytes (130 hex digits after 0x), got " + b.length
          + " bytes" + (b.length == 64 ? " (EIP-2098 compact signatures are not accepted)" : ""));
    }
    validate(b);
    return new Signature(b);
  }

  /** Built by the signer, which guarantees the rules; no copy. */
  static Signature trusted(byte[] bytes) {
    return new Signature(bytes);
  }

  private static void validate(byte[] b) {
    if (isZero(b, 0) || Arrays.compareUnsigned(b, 0, 32, N, 0, 32) >= 0) {
      throw new InvalidSignatureException("signature r must be in [1, n-1]");
    }
    if (isZero(b, 32)) {
      throw new InvalidSignatureException("signature s must not be zero");
    }
    if (Arrays.compareUnsigned(b, 32, 64, HALF_N, 0, 32) > 0) {
      throw new InvalidSignatureException("signature has a high s (s > n/2); EVM contracts reject it: "
          + "sign with a library that normalises to low s (EIP-2), or replace s by n - s and flip v");
    }
    int v = b[64] & 0xff;
    if (v != 27 && v != 28) {
      throw new InvalidSignatureException("signature v must be 27 or 28, got " + v
          + (v <= 1 ? " (add 27 to a 0/1 recovery id)" : ""));
    }
  }

  private static boolean isZero(byte[] b, int off) {
    for (int i = off; i < off + 32; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** The recovery id {@code v - 27}, 0 or 1. */
  public int recoveryId() {
    return (bytes[64] & 0xff) - 27;
  }

  /** {@code v}, 27 or 28. */
  public int v() {
    return bytes[64] & 0xff;
  }

  /** A copy of the 65 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** The 64-byte compact form {@code r‖s}. */
  byte[] compact() {
    return Arrays.copyOf(bytes, 64);
  }

  /** Lower-case {@code 0x} hex of the 65 bytes, as wallets print it. */
  public String toHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Signature other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
