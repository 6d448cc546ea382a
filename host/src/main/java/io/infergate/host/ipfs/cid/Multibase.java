package io.infergate.host.ipfs.cid;

import java.util.Arrays;

/**
 * The two text encodings CIDs use here: base58btc (CIDv0, and multibase prefix {@code z}) and RFC 4648
 * base32, lower case, no padding (multibase prefix {@code b}, the CIDv1 default). Other multibase prefixes
 * are rejected by name.
 */
public final class Multibase {
  private static final char[] B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final char[] B32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final int[] B58_INDEX = index(B58);
  private static final int[] B32_INDEX = index(B32);

  private Multibase() {}

  public static String encodeBase58btc(byte[] in) {
    int zeros = 0;
    while (zeros < in.length && in[zeros] == 0) {
      zeros++;
    }
    // log(256)/log(58) < 1.37: enough digits for the number, filled from the end.
    byte[] digits = new byte[(in.length - zeros) * 137 / 100 + 1];
    int used = 0;
    for (int i = zeros; i < in.length; i++) {
      int carry = in[i] & 0xFF;
      int j = 0;
      for (int k = digits.length - 1; (carry != 0 || j < used) && k >= 0; k--, j++) {
        carry += 256 * (digits[k] & 0xFF);
        digits[k] = (byte) (carry % 58);
        carry /= 58;
      }
      used = j;
    }
    int start = digits.length - used;
    while (start < digits.length && digits[start] == 0) {
      start++;
    }
    StringBuilder sb = new StringBuilder(zeros + digits.length - start);
    sb.append("1".repeat(zeros));
    for (int i = start; i < digits.length; i++) {
      sb.append(B58[digits[i]]);
    }
    return sb.toString();
  }

  public static byte[] decodeBase58btc(CharSequence s) {
    int zeros = 0;
    while (zeros < s.length() && s.charAt(zeros) == '1') {
      zeros++;
    }
    byte[] bytes = new byte[(s.length() - zeros) * 733 / 1000 + 1];
    int used = 0;
    for (int i = zeros; i < s.length(); i++) {
      char c = s.charAt(i);
      int carry = c < 128 ? B58_INDEX[c] : -1;
      if (carry < 0) {
        throw new InvalidCidException("'" + c + "' at position " + i + " is not a base58btc character");
      }
      int j = 0;
      for (int k = bytes.length - 1; (carry != 0 || j < used) && k >= 0; k--, j++) {
        carry += 58 * (bytes[k] & 0xFF);
        bytes[k] = (byte) carry;
        carry >>>= 8;
      }
      used = j;
    }
    int start = bytes.length - used;
    while (start < bytes.length && bytes[start] == 0) {
      start++;
    }
    byte[] out = new byte[zeros + bytes.length - start];
    System.arraycopy(bytes, start, out, zeros, bytes.length - start);
    return out;
  }

  public static String encodeBase32(byte[] in) {
    StringBuilder sb = new StringBuilder((in.length * 8 + 4) / 5);
    int buffer = 0;
    int bits = 0;
    for (byte b : in) {
      buffer = (buffer << 8) | (b & 0xFF);
      bits += 8;
      while (bits >= 5) {
        sb.append(B32[(buffer >>> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(B32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }

  public static byte[] decodeBase32(CharSequence s) {
    byte[] out = new byte[s.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int v = c < 128 ? B32_INDEX[c] : -1;
      if (v < 0) {
        throw new InvalidCidException("'" + c + "' at position " + i + " is not a lower-case base32 character");
      }
      buffer = (buffer << 5) | v;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    // Leftover bits must be zero padding, or two strings would decode to the same bytes.
    if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
      throw new InvalidCidException("base32 string has non-zero trailing bits; it was not produced by an encoder");
    }
    return Arrays.copyOf(out, n);
  }

  /** Decodes a multibase string ({@code b…} base32 or {@code z…} base58btc) into bytes. */
  public static byte[] decode(String s) {
    if (s.isEmpty()) {
      throw new InvalidCidException("empty multibase string");
    }
    return switch (s.charAt(0)) {
      case 'b' -> decodeBase32(s.substring(1));
      case 'z' -> decodeBase58btc(s.substring(1));
      case 'B' -> throw new InvalidCidException(
          "upper-case base32 (multibase 'B') is not supported; use the lower-case form starting with 'b'");
      default -> throw new InvalidCidException("unsupported multibase prefix '" + s.charAt(0)
          + "'; this node accepts base32 ('b…') and base58btc ('z…', or 'Qm…' for CIDv0)");
    };
  }

  private static int[] index(char[] alphabet) {
    int[] idx = new int[128];
    Arrays.fill(idx, -1);
    for (int i = 0; i < alphabet.length; i++) {
      idx[alphabet[i]] = i;
    }
    return idx;
  }
}
