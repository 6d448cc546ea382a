package io.infergate.x402.crypto;

/** Strict {@code 0x}-prefixed hexadecimal, the way EVM values travel in JSON. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Lower-case hex with {@code 0x} prefix. */
  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  /** Lower-case hex of {@code bytes[off, off+len)} with {@code 0x} prefix. */
  public static String encode(byte[] bytes, int off, int len) {
    char[] out = new char[2 + 2 * len];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < len; i++) {
      int b = bytes[off + i] & 0xff;
      out[2 + 2 * i] = DIGITS[b >>> 4];
      out[3 + 2 * i] = DIGITS[b & 0xf];
    }
    return new String(out);
  }

  /**
   * Decodes {@code 0x}-prefixed hex (either case, even length).
   *
   * @throws IllegalArgumentException naming what is wrong, for a missing prefix, odd length or a non-hex digit
   */
  public static byte[] decode(String hex) {
    if (hex == null || !hex.startsWith("0x") && !hex.startsWith("0X")) {
      throw new IllegalArgumentException("expected 0x-prefixed hex, got " + abbreviate(hex));
    }
    int digits = hex.length() - 2;
    if ((digits & 1) != 0) {
      throw new IllegalArgumentException("hex has an odd number of digits (" + digits + "): " + abbreviate(hex));
    }
    byte[] out = new byte[digits / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = digit(hex, 2 + 2 * i);
      int lo = digit(hex, 3 + 2 * i);
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  /** Decodes hex that must hold exactly {@code length} bytes; {@code what} names the value in the message. */
  public static byte[] decode(String hex, int length, String what) {
    byte[] out;
    try {
      out = decode(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage());
    }
    if (out.length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes (" + (2 * length)
          + " hex digits after 0x), got " + out.length + " bytes");
    }
    return out;
  }

  static int digit(String s, int i) {
    char c = s.charAt(i);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw new IllegalArgumentException("not a hex digit '" + c + "' at position " + i + " in " + abbreviate(s));
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 80 ? '"' + s + '"' : '"' + s.substring(0, 77) + "...\" (" + s.length() + " chars)";
  }
}
