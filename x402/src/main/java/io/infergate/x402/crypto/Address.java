package io.infergate.x402.crypto;

import java.util.Arrays;

/**
 * A 20-byte EVM address. Prints with the EIP-55 mixed-case checksum; parses strictly: {@code 0x} plus 40 hex
 * digits, and when the digits are mixed-case they must carry a correct EIP-55 checksum (all-lower and
 * all-upper are accepted as "no checksum", as EIP-55 and viem's {@code isAddress} do).
 */
public final class Address implements Comparable<Address> {
  /** Length in bytes. */
  public static final int LENGTH = 20;
  /** The zero address ({@code address(0)}). */
  public static final Address ZERO = new Address(new byte[LENGTH]);

  /**
   * Addresses parsed lately, by their text. A paid call's header names the same few addresses on every call (payer,
   * authorizers, receiver, token), and a mixed-case one costs a keccak to check; the map answers them at once.
   * Bounded: cleared when it reaches {@value #PARSED_MAX} entries.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, Address> PARSED =
      new java.util.concurrent.ConcurrentHashMap<>();
  private static final int PARSED_MAX = 4096;

  private final byte[] bytes;
  private final int hash;
  private String checksummed;     // computed once; a racy first read computes the same immutable String twice

  private Address(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** The address held in {@code bytes} (exactly 20), copied. */
  public static Address of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("an address is 20 bytes, got " + bytes.length);
    }
    return new Address(bytes.clone());
  }

  /** The address of an uncompressed secp256k1 public key ({@code 0x04‖x‖y}, 65 bytes): last 20 bytes of keccak(x‖y). */
  public static Address fromPublicKey(byte[] uncompressed) {
    if (uncompressed.length != 65 || uncompressed[0] != 4) {
      throw new IllegalArgumentException("expected a 65-byte uncompressed public key starting with 0x04");
    }
    byte[] h = Keccak256.hash(uncompressed, 1, 64);
    return new Address(Arrays.copyOfRange(h, 12, 32));
  }

  /**
   * Parses {@code 0x} + 40 hex digits.
   *
   * @throws IllegalArgumentException saying what is wrong: prefix, length, digit, or a mixed-case checksum that
   *     does not match (with the correctly checksummed form, so a typo can be told from a wrong address)
   */
  public static Address parse(String text) {
    Address known = text == null ? null : PARSED.get(text);
    if (known != null) {
      return known;
    }
    Address a = parseUncached(text);
    if (PARSED.size() >= PARSED_MAX) {
      PARSED.clear();
    }
    PARSED.put(text, a);
    return a;
  }

  private static Address parseUncached(String text) {
    if (text == null || text.length() != 42 || text.charAt(0) != '0' || (text.charAt(1) != 'x' && text.charAt(1) != 'X')) {
      throw new IllegalArgumentException("an address is 0x followed by 40 hex digits, got " + Hex.abbreviate(text));
    }
    byte[] b = new byte[LENGTH];
    boolean lower = false;
    boolean upper = false;
    for (int i = 0; i < LENGTH; i++) {
      b[i] = (byte) (Hex.digit(text, 2 + 2 * i) << 4 | Hex.digit(text, 3 + 2 * i));
    }
    for (int i = 2; i < 42; i++) {
      char c = text.charAt(i);
      lower |= c >= 'a' && c <= 'f';
      upper |= c >= 'A' && c <= 'F';
    }
    Address a = new Address(b);
    if (lower && upper) {
      String expected = a.toChecksumString();
      if (!expected.substring(2).equals(text.substring(2))) {
        throw new IllegalArgumentException("address " + text + " has a wrong EIP-55 checksum (expected " + expected
            + "); check it for a typo, or send it all lower-case");
      }
    }
    return a;
  }

  /** A copy of the 20 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Writes the address as an ABI word: 12 zero bytes then the 20 address bytes, at {@code out[off, off+32)}. */
  public void writeWord(byte[] out, int off) {
    Arrays.fill(out, off, off + 12, (byte) 0);
    System.arraycopy(bytes, 0, out, off + 12, LENGTH);
  }

  /** True for {@code address(0)}. */
  public boolean isZero() {
    return equals(ZERO);
  }

  /** EIP-55 mixed-case checksummed form, e.g. {@code 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed}. */
  public String toChecksumString() {
    String s = checksummed;
    if (s == null) {
      s = checksum();
      checksummed = s;
    }
    return s;
  }

  private String checksum() {
    String lowerHex = Hex.encode(bytes).substring(2);
    byte[] h = Keccak256.hash(lowerHex.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    char[] out = new char[42];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 40; i++) {
      char c = lowerHex.charAt(i);
      int nibble = (h[i / 2] >> ((i & 1) == 0 ? 4 : 0)) & 0xf;
      out[2 + i] = c >= 'a' && nibble >= 8 ? Character.toUpperCase(c) : c;
    }
    return new String(out);
  }

  /** Lower-case hex form. */
  public String toLowerHex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Address other && hash == other.hash && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Address o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** The EIP-55 checksummed form. */
  @Override
  public String toString() {
    return toChecksumString();
  }
}
