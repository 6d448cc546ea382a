package io.infergate.x402.crypto;

import java.util.Arrays;

/** An immutable 32-byte value: a {@code bytes32} (channel id, salt, nonce, digest). Prints as lower-case hex. */
public final class Bytes32 {
  /** Length in bytes. */
  public static final int LENGTH = 32;
  /** All zero bytes. */
  public static final Bytes32 ZERO = new Bytes32(new byte[LENGTH]);

  private final byte[] bytes;
  private final int hash;

  private Bytes32(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The value held in {@code bytes} (exactly 32), copied. */
  public static Bytes32 of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a bytes32 is 32 bytes, got " + bytes.length);
    }
    return new Bytes32(bytes.clone());
  }

  /** Takes ownership of {@code bytes} without copying; for freshly computed hashes only. */
  static Bytes32 wrap(byte[] bytes) {
    return new Bytes32(bytes);
  }

  /** Keccak-256 of {@code input} as a {@code Bytes32}. */
  public static Bytes32 keccak(byte[] input) {
    return new Bytes32(Keccak256.hash(input));
  }

  /**
   * Parses {@code 0x} + 64 hex digits (either case).
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static Bytes32 parse(String hex) {
    return new Bytes32(Hex.decode(hex, LENGTH, "bytes32"));
  }

  /** A copy of the bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Copies the 32 bytes to {@code out[off, off+32)}. */
  public void writeTo(byte[] out, int off) {
    System.arraycopy(bytes, 0, out, off, LENGTH);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Lower-case {@code 0x} hex. */
  @Override
  public String toString() {
    return Hex.encode(bytes);
  }
}
